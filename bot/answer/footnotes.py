"""Questions about what a table row stands for, answered by the row's own footnote.

"What does shareholder distributions - dividends in the table represent?" → the row
`Shareholder distributions – dividends1 | 23.9 | 21.8` carries the mark `1`, and the note
`1 Represents dividends paid in each financial year` says what it is. Both are quoted: the row
from its table, the note from wherever it was retrieved (the foot of the same passage, or a
passage of its own). Nothing is answered when the row has no mark or its note is not there.
"""

import re
from typing import NamedTuple

from bot.answer.cite import Segment, Source
from bot.answer.lookup import tables_of
from bot.answer.matching import content_terms
from bot.answer.tables import Row, Table
from index.models import Hit

# "What does X represent?", "What is X related to?", "Where is X included?"
_ASKS_WHAT_IT_IS = re.compile(
    r"\b(?:represents?|include[sd]?|consists?|comprises?|relates?|related|refers?|means?)\b"
    r"(?:\s+(?:to|of|in|for))?\s*\??\s*$",
    re.I,
)
_MARK = re.compile(
    r"(?:(?<=[a-z]{3})(?P<digit>[1-9])|\s*\((?P<paren>[1-9]|[a-z])\)|\s*(?P<star>\*{1,3}|†))\s*$"
)
_WORDS_ONLY = re.compile(r"\b(?:table|the|in|what|does|do|is|was|were|are|where)\b", re.I)
MIN_LABEL_SHARE = 0.6  # share of the row label's words the question must name


class Marked(NamedTuple):
    """A table row whose label ends in a footnote mark."""

    fit: float
    hit: Hit
    table: Table
    row: Row
    mark: str


def answer_footnote(question: str, hits: list[Hit]) -> list[Segment] | None:
    """The row the question names and its footnote, both quoted verbatim, or None:
    `Shareholder distributions – dividends1 [1] 1 Represents dividends paid … [2]`."""
    if not _ASKS_WHAT_IT_IS.search(question):
        return None
    row = _marked_row(question, hits)
    if row is None:
        return None
    note = _note(row, hits)
    if note is None:
        return None
    hit, start, end = note
    spans = tuple((h.start, h.end) for h in row.table.headers) + ((row.row.start, row.row.end),)
    return [
        Segment(row.row.label, Source(row.hit, spans)),
        Segment(f" {hit.text[start:end]}", Source(hit, ((start, end),))),
    ]


def mark_of(label: str) -> tuple[str, str] | None:
    """(label without its mark, mark) for `dividends1`, `Rights (1)`, `Other (a)`, `Fees*`."""
    found = _MARK.search(label)
    if found is None:
        return None
    mark = found.group("digit") or found.group("paren") or found.group("star")
    return label[: found.start()].rstrip(), mark


def _marked_row(question: str, hits: list[Hit]) -> Marked | None:
    """The marked row whose label the question names best."""
    asked = content_terms(_WORDS_ONLY.sub(" ", question))
    best: Marked | None = None
    for rank, hit, table in tables_of(hits):
        for row in table.rows:
            marked = mark_of(row.label)
            if marked is None:
                continue
            words = content_terms(marked[0])
            if not words:
                continue
            share = len(words & asked) / len(words)
            fit = share + len(words & asked) / max(len(asked), 1) - 0.05 * rank
            if share >= MIN_LABEL_SHARE and (best is None or fit > best.fit):
                best = Marked(fit, hit, table, row, marked[1])
    return best


def _note(row: Marked, hits: list[Hit]) -> tuple[Hit, int, int] | None:
    """The line that starts with the row's mark and is not a table row: in the row's own
    passage first, then in the others in rank order. Another article's note must share a word
    with the row's label: a passage split from the same filing may hold the notes, but any
    article can have a note 1."""
    mark = re.escape(row.mark)
    if row.mark.isalnum():
        pattern = re.compile(
            rf"(?m)^[ \t]*(?:\({mark}\)|{mark}(?=[ \t.:)])[.:)]?)[ \t]*(\S[^\n|]*)$"
        )
    else:
        pattern = re.compile(rf"(?m)^[ \t]*{mark}(?!\*)[ \t]*(\S[^\n|]*)$")
    label = content_terms(mark_of(row.row.label)[0])  # type: ignore[index]
    ordered = [row.hit] + [h for h in hits if h is not row.hit]
    for hit in ordered:
        for found in pattern.finditer(hit.text):
            if hit is row.hit and row.table.start <= found.start() < row.table.end:
                continue  # a line of the table itself
            if hit.article_id != row.hit.article_id and not label & content_terms(found.group(1)):
                continue  # another article's note 1 must at least speak of the same thing
            start = found.start(0) + len(found.group(0)) - len(found.group(0).lstrip())
            return hit, start, found.end(0)
    return None
