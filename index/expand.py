"""Passage expansion: finish a hit's cut-off sentence or table, and give a mid-table hit its header.

A chunk can end mid-sentence (an over-long sentence split at the token limit) or mid-table.
The answer needs the whole sentence or the rest of the table rows, so the hit's span is
stretched to the end of that sentence or block, but never past the neighbouring chunk and
never by more than MAX_EXTRA characters.

A chunk can also start mid-table (a long table is cut between rows): its rows then come
without the header lines that say which column is which year, so the hit is stretched back
to the table's first line when that is at most MAX_BACK characters before it. Only pipe
tables (Markdown, HTML, pasted spreadsheets) are recognised: each of their lines holds a `|`.
A PDF table cut between rows has no pipes: its rows are `label value value` lines under one
line of periods (`(Dollars in millions) 2019 2018 2017`) at the top of the table. A PDF hit
that starts with such rows and holds no period line is stretched back to the nearest period
line above it on the same page, when only table lines (rows, section labels) lie between and
it is at most MAX_PDF_BACK characters back: a statement page is one table, cut into several
chunks, and only the first of them says which column is which year.
The hit stays one verbatim span of its article (`article.text[start:end] == text`), and no
extra hits are spent on any step.
"""

import json
import re

from index.models import Hit
from index.store import IndexFiles

MAX_EXTRA = 600
MAX_BACK = 1500  # a table's header this far back is worth the extra rows read with it
MAX_PDF_BACK = 4000  # about one statement page: the period line at its top
_FIGURE_END = re.compile(r"(?:\d|\d\)|\d%|—|-)\s*$")  # a PDF table row ends in a value
_YEAR = re.compile(r"^(?:FY)?(?:19|20)\d\d$")
_COMPLETE = re.compile(r"[.!?:;…][\"'’”)\]]*\s*$")
_SENTENCE_END = re.compile(r"[.!?…][\"'’”)\]]*(?=\s)|\n\s*\n")


def needs_expansion(text: str) -> bool:
    """True when the passage stops mid-sentence or mid-table."""
    return not _COMPLETE.search(text)


def starts_in_table(text: str) -> bool:
    """True when the passage's first line is a pipe-table row."""
    first = text.lstrip("\n").split("\n", 1)[0]
    return "|" in first


def expand_hits(files: IndexFiles, hits: list[Hit]) -> list[Hit]:
    """Hits whose cut-off ending is completed, and whose mid-table start is taken back to the
    table's header, from the article text; others unchanged."""
    out = []
    for hit in hits:
        if hit.start > 0 and starts_in_table(hit.text):
            hit = _back_to_header(files, hit)
        elif hit.page is not None and hit.start > 0 and starts_in_pdf_rows(hit.text):
            hit = _back_to_pdf_header(files, hit)
        out.append(_expand(files, hit) if needs_expansion(hit.text) else hit)
    return out


def starts_in_pdf_rows(text: str) -> bool:
    """True when the passage opens with PDF table lines (two of the first three end in values)
    and has no line of periods among its first lines to say which column is which year."""
    lines = [line for line in text.lstrip("\n").split("\n")[:8] if line.strip()]
    rows = sum(bool(_FIGURE_END.search(line)) for line in lines[:3])
    if rows < 2 or not all(_table_line(line) for line in lines[:3]):
        return False
    return not any(_period_line(line) for line in lines)


def pdf_header_start(before: str) -> int | None:
    """Where the period line of the PDF table that `before` ends inside begins (an offset into
    `before`), or None when a line that is no table line comes first, or none is found."""
    lines = before.split("\n")
    offset = len(before)
    for line in reversed(lines):
        offset -= len(line) + 1
        if _period_line(line):
            return max(offset + 1, 0)
        if line.strip() and not _table_line(line):
            return None
    return None


def _period_line(line: str) -> bool:
    """True when the line ends in two or more years: `(Dollars in millions) 2019 2018 2017`."""
    tail = line.split()[-2:]
    return len(tail) == 2 and all(_YEAR.match(word) for word in tail)


def _table_line(line: str) -> bool:
    """A row ending in a value, or a short label line (`Cash provided by operations:`)."""
    return bool(_FIGURE_END.search(line)) or (
        len(line) <= 80 and not re.search(r"[a-z]{3}[.?!]\s*$", line)
    )


def _back_to_pdf_header(files: IndexFiles, hit: Hit) -> Hit:
    (starts,) = files.query("SELECT page_starts FROM articles WHERE id = ?", (hit.article_id,))[0]
    pages = json.loads(starts)
    if hit.page is None or not 0 < hit.page <= len(pages):
        return hit
    window = min(hit.start - pages[hit.page - 1], MAX_PDF_BACK)
    if window <= 0:
        return hit
    before = files.query(
        "SELECT substr(text, ?, ?) FROM articles WHERE id = ?",
        (hit.start - window + 1, window, hit.article_id),
    )[0][0]
    at = pdf_header_start(before)
    if at is None:
        return hit
    extra = before[at:]
    return hit.model_copy(update={"text": extra + hit.text, "start": hit.start - len(extra)})


def table_start(before: str) -> int | None:
    """Where the pipe table that `before` ends inside begins (an offset into `before`), or None
    when `before` does not end inside one or the table begins before `before` does. `before`
    is the text just before a hit whose first line is a table row."""
    lines = before.split("\n")
    if lines[-1].strip():  # the hit starts mid-row: the row's start is part of the table
        k = len(lines) - 1
    elif len(lines) > 1 and "|" in lines[-2]:  # the hit starts at the line after a table row
        lines, k = lines[:-1], len(lines) - 1
    else:
        return None  # the text just before the hit is no table row
    while k > 0 and "|" in lines[k - 1]:
        k -= 1
    if k == 0:
        return None  # the table runs past the window: its header is too far back
    return sum(len(line) + 1 for line in lines[:k])


def _back_to_header(files: IndexFiles, hit: Hit) -> Hit:
    window = min(hit.start, MAX_BACK)
    before = files.query(
        "SELECT substr(text, ?, ?) FROM articles WHERE id = ?",
        (hit.start - window + 1, window, hit.article_id),
    )[0][0]
    if window == hit.start:
        before = "\n" + before  # the article's start counts as a line break
    at = table_start(before)
    if at is None:
        return hit
    extra = before[at:]
    return hit.model_copy(update={"text": extra + hit.text, "start": hit.start - len(extra)})


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
