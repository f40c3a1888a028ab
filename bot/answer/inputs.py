"""Reported table cells as the inputs of a computed figure: named, valued, scaled and cited.

Shared by the computations the question implies (compute.py) and those it defines (formula.py).
"""

import re

from bot.answer.arithmetic import Figure
from bot.answer.cite import Source
from bot.answer.lookup import Cell
from bot.answer.matching import ROW_WORDS, content_terms, is_year
from bot.answer.numbers import scale_of
from bot.answer.tables import cell_value

# Counts, prices per share and ratios: a table's "(in thousands)" is about its money columns.
_NO_SCALE = re.compile(
    r"\bnumber\b|\bshares\b|\bunits\b|\bper share\b|\bratio\b|\bemployees\b|\bheadcount\b"
    r"|\bpercent|\bmargin\b|\brate\b",
    re.I,
)


def cell_figure(cell: Cell, year: str | None) -> Figure:
    """The cell as a cited input, labelled `Row, year` (or `Row, header` with no year)."""
    label = (
        f"{cell.row.label}, {year}"
        if year
        else ", ".join(p for p in (cell.row.label, cell.header) if p)
    )
    return Figure(label, cell.text, cell_value(cell.text) or 0.0, Source(cell.hit, cell.spans()))


def cell_scale(cell: Cell) -> str | None:
    """The scale the table states for this cell's money figures (none for counts and %)."""
    if "%" in cell.text or _NO_SCALE.search(f"{cell.header} {cell.row.label}"):
        return scale_of(f"{cell.header} {cell.row.label}")  # only a scale stated right there
    return scale_of(f"{cell.table.note} {cell.header} {cell.row.label}") or scale_of(
        cell.hit.context
    )


def item_terms(phrase: str) -> frozenset[str]:
    """The words a line item is matched by: content terms, row words kept, years left out."""
    return frozenset(t for t in content_terms(phrase, ROW_WORDS) if not is_year(t))
