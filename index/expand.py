"""Passage expansion: finish a hit's cut-off sentence or table from the next chunk of its article.

A chunk can end mid-sentence (an over-long sentence split at the token limit) or mid-table.
The answer needs the whole sentence or the rest of the table rows, so the hit's span is
stretched to the end of that sentence or block, but never past the neighbouring chunk and
never by more than MAX_EXTRA characters. No extra hits are spent on it.
"""

import re

from index.models import Hit
from index.store import IndexFiles

MAX_EXTRA = 600
_COMPLETE = re.compile(r"[.!?:;…][\"'’”)\]]*\s*$")
_SENTENCE_END = re.compile(r"[.!?…][\"'’”)\]]*(?=\s)|\n\s*\n")


def needs_expansion(text: str) -> bool:
    """True when the passage stops mid-sentence or mid-table."""
    return not _COMPLETE.search(text)


def expand_hits(files: IndexFiles, hits: list[Hit]) -> list[Hit]:
    """Hits whose cut-off ending is completed from the article text, others unchanged."""
    return [_expand(files, hit) if needs_expansion(hit.text) else hit for hit in hits]


def _expand(files: IndexFiles, hit: Hit) -> Hit:
    rows = files.query(
        """SELECT n."end" FROM chunks c JOIN chunks n
           ON n.article_id = c.article_id AND n.ordinal = c.ordinal + 1
           WHERE c.id = ? AND n."end" > c."end\"""",
        (hit.chunk_id,),
    )
    if not rows:
        return hit
    limit = min(rows[0][0], hit.end + MAX_EXTRA)
    tail = files.query(
        "SELECT substr(text, ?, ?) FROM articles WHERE id = ?",
        (hit.end + 1, limit - hit.end, hit.article_id),
    )[0][0]
    match = _SENTENCE_END.search(tail)
    cut = (
        match.end() if match and match.group(0).strip() else (match.start() if match else len(tail))
    )
    extra = tail[:cut].rstrip()
    if not extra.strip():
        return hit
    return hit.model_copy(update={"text": hit.text + extra, "end": hit.end + len(extra)})
