"""Questions that ask which row of a table has the largest or smallest value.

"Which independent director had the highest commission amount?" → the column the question
names (Commission), its largest cell among the table's rows (totals left out): `Aman Mehta had
the highest Commission: 315.00 [1] (compared).` The figure is quoted, nothing is computed.
"""

import re

from bot.answer.cite import Segment, Source
from bot.answer.lookup import table_question, tables_of
from bot.answer.matching import ROW_WORDS, content_terms
from bot.answer.tables import cell_value
from index.models import Hit

_EXTREME = re.compile(
    r"^\s*(?:which|what|who)\b.*\b(highest|largest|greatest|most|biggest|best|lowest|smallest"
    r"|least|fewest|worst)\b",
    re.I,
)
_LOW = {"lowest", "smallest", "least", "fewest", "worst"}
_TOTAL = re.compile(r"^\s*(?:total|sub-?total|net total)\b", re.I)
MIN_FIT = 0.5  # share of the question's words the table's header and rows must hold


def answer_extreme(question: str, hits: list[Hit]) -> list[Segment] | None:
    """The row with the largest (or smallest) value in the column the question names, or None."""
    match = _EXTREME.search(question)
    if match is None or re.search(r"\b(?:year|period|quarter)s?\b", question, re.I):
        return None  # "which year …" is for table_periods.py
    q = table_question(question.replace(match.group(1), " "))
    best = None
    for rank, hit, table in tables_of(hits):
        for column, header in enumerate(table.columns):
            fit = _fit(q.terms, header, table.note, [r.label for r in table.rows])
            fit += 0.25 * len(_words(question) & _words(header))  # "commission" ≠ "committee"
            fit += 0.3 * hit.score - 0.05 * rank
            if best is None or fit > best[0]:
                best = (fit, hit, table, column)
    if best is None or best[0] - 0.3 * best[1].score < MIN_FIT:
        return None
    _, hit, table, column = best
    rows = [
        (value, row)
        for row in table.rows
        if column < len(row.cells)
        and not _TOTAL.match(row.label)
        and (value := cell_value(row.cells[column])) is not None
    ]
    if len(rows) < 2:
        return None
    pick = min if match.group(1).lower() in _LOW else max
    value, row = pick(rows, key=lambda item: item[0])
    header = table.columns[column] or "value"
    source = Source(hit, tuple((h.start, h.end) for h in table.headers) + ((row.start, row.end),))
    text = f"{row.label} had the {match.group(1).lower()} {header}: {row.cells[column]}"
    return [Segment(text, source), Segment(" (compared).")]


def _fit(terms: frozenset[str], header: str, note: str, labels: list[str]) -> float:
    """Share of the question's words found in a column header (twice as much) and its table."""
    if not terms:
        return 0.0
    in_header = terms & content_terms(header, ROW_WORDS)
    around = terms & content_terms(" ".join([note, *labels]), ROW_WORDS)
    return (2 * len(in_header) + len(around - in_header)) / (2 * len(terms)) + 0.5 * bool(in_header)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}
