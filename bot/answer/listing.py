"""Questions that ask what a table lists: its components, items, categories or types.

"What components are factored in when calculating unlevered free cash flow from net cash flow
from operating activities?" → the rows between the two the question names: `Exceptional
items; Net capital expenditure [1]`, the rows quoted verbatim. When the question names no row,
every row of the best-fitting table is listed.
"""

import re

from bot.answer.cite import Segment, Source
from bot.answer.lookup import table_question, tables_of
from bot.answer.matching import ROW_WORDS, content_terms
from index.models import Hit

_LISTS = re.compile(
    r"\b(?:what|which) (?:are|were)? ?(?:the )?(?:\w+ )?(?:components|factors|items|categories|types"
    r"|kinds|elements|line items|segments|classes)\b|\bwhat (?:components|items|factors)\b",
    re.I,
)
MIN_TABLE_FIT = 0.5  # share of the question's words the table must hold to be the one meant
MAX_ROWS = 12


def is_listing_question(question: str) -> bool:
    """True for "what are the components / items / categories …" questions."""
    return bool(_LISTS.search(question))


def answer_listing(question: str, hits: list[Hit]) -> list[Segment] | None:
    """The rows a table lists for the question, quoted, or None when no table fits."""
    if not is_listing_question(question):
        return None
    q = table_question(_LISTS.sub(" ", question))
    if not q.terms:
        return None
    best = None
    for rank, hit, table in tables_of(hits):
        words = content_terms(" ".join([table.note, *(r.label for r in table.rows)]), ROW_WORDS)
        fit = len(q.terms & words) / len(q.terms) + 0.3 * hit.score - 0.05 * rank
        if len(table.rows) > 1 and (best is None or fit > best[0]):
            best = (fit, hit, table)
    if best is None or best[0] - 0.3 * best[1].score < MIN_TABLE_FIT:
        return None
    _, hit, table = best
    named = [k for k, row in enumerate(table.rows) if _names(row.label, q.terms)]
    rows = table.rows
    if len(named) >= 2 and named[-1] - named[0] > 1:
        rows = rows[named[0] + 1 : named[-1]]  # the items between the two rows named
    rows = rows[:MAX_ROWS]
    labels = "; ".join(row.label for row in rows)
    span = ((rows[0].start, rows[-1].end),)
    return [Segment(f"The table lists: {labels}", Source(hit, span))]


def _names(label: str, terms: frozenset[str]) -> bool:
    """True when the question names this row: most of the label's words are in the question
    ("Net cash flow from operating activities"), not one shared word ("Net deferral")."""
    words = content_terms(label, ROW_WORDS)
    return bool(words) and len(words & terms) > len(words) / 2
