"""Questions that ask one column's entry for every row: "What are the respective ages of the
executive officers?" → `Avi Katz, Age: 61; John Capogrossi, Age: 66; … [1]`.

The column is the one whose header the question names ("ages" → `Age`); the table is the one
that holds most of the question's other words (in its caption, row labels and text cells).
Each row's cell is given with its row label, header and rows quoted verbatim. A question that
names a year, or lists the rows it wants ("… of A and B"), is for the cell lookup instead.
"""

import re

from bot.answer.cite import Segment, Source
from bot.answer.lookup import table_question, tables_of
from bot.answer.matching import content_terms, years_in
from bot.answer.tables import Table, is_value
from index.models import Hit

_EACH = re.compile(r"\b(?:respective|each|every)\b", re.I)
MIN_TABLE_FIT = 0.5  # share of the question's other words the table must hold
MAX_ROWS = 12


def answer_each_row(question: str, hits: list[Hit]) -> list[Segment] | None:
    """Every row's entry in the column the question names, or None."""
    if not _EACH.search(question) or years_in(question):
        return None
    q = table_question(question)
    if len(q.parts) > 1 or not q.terms:
        return None  # "the respective values of A and B" names its rows
    best: tuple[float, Hit, Table, int] | None = None
    for rank, hit, table in tables_of(hits):
        for column, header in enumerate(table.columns):
            named = content_terms(header)
            if not named or years_in(header) or not named <= q.terms:
                continue
            rest = q.terms - named
            words = content_terms(
                " ".join([table.note, *(r.label for r in table.rows)])
                + " "
                + " ".join(c for r in table.rows for c in r.cells if not is_value(c))
            )
            fit = len(rest & words) / len(rest) if rest else 1.0
            score = fit + 0.3 * hit.score - 0.05 * rank
            if fit >= MIN_TABLE_FIT and (best is None or score > best[0]):
                best = (score, hit, table, column)
    if best is None:
        return None
    _, hit, table, column = best
    rows = [r for r in table.rows if column < len(r.cells) and r.cells[column].strip()]
    if len(rows) < 2:
        return None
    rows = rows[:MAX_ROWS]
    header = table.columns[column]
    listed = "; ".join(f"{r.label}, {header}: {r.cells[column]}" for r in rows)
    spans = tuple((h.start, h.end) for h in table.headers) + ((rows[0].start, rows[-1].end),)
    return [Segment(listed, Source(hit, spans))]
