"""Computed figures with cited inputs: change, percentage change, sum, average, ratio, share,
and whatever two-term formula the question itself defines (formula.py).

The inputs are reported figures found in the passages' tables (lookup.py), each cited; the
result is labelled "(computed)" and shown with its formula, never passed off as quoted:
`Revenue rose from 20,409 [1] (2018) to 26,120 [1] (2019): +5,711, or +28.0% (computed)`.
A change the table itself reports (a "% Change" column) is quoted instead of computed. When
an input cannot be found the answer says which one, rather than guess.
"""

import re

from bot.answer.arithmetic import Calculation, calculate
from bot.answer.cite import Segment
from bot.answer.formula import defined_calculation
from bot.answer.inputs import cell_figure, cell_scale, item_terms
from bot.answer.lookup import (
    Cell,
    TableQuestion,
    best_cell,
    cell_in_year,
    change_cell,
    table_question,
    tables_of,
    year_columns,
)
from bot.answer.matching import years_in
from bot.answer.operations import ASKED, operation_of, periods_asked, sides_of
from bot.answer.table_periods import count_years
from bot.answer.tables import cell_value
from index.models import Hit

REPORTED_FIT = 2.0  # a row naming the growth itself answers when it fits this well
_GROWTH_ROW = re.compile(r"growth|change|increase|decrease", re.I)


def compute(question: str, hits: list[Hit]) -> Calculation | None:
    """The computed answer to `question` from the hits' tables, or None when not computable.
    A question that defines what it asks for is computed by its definition (formula.py)."""
    defined = defined_calculation(question, hits)
    if defined is not None:
        return defined
    operation = operation_of(question)
    if operation is None:
        return None
    named = best_cell(table_question(question), hits)
    if (
        operation == "percent_change"
        and named is not None
        and "%" in named.text
        and _GROWTH_ROW.search(named.row.label)
        and named.score >= REPORTED_FIT
    ):
        return _reported(operation, named)  # a "Revenue growth rate" row: the table says it
    if operation == "count":
        return count_years(question, hits)
    q = table_question(ASKED.sub(" ", question))
    if operation in ("ratio", "percent_of", "difference") and not (
        operation == "ratio" and len(q.years) == 2
    ):
        return _two_sides(question, q, hits, operation)
    anchor = _anchor(q, hits, periods_asked(question))
    if anchor is None:
        return None
    if operation in ("change", "percent_change"):
        reported = change_cell(anchor, operation == "percent_change")
        if reported is not None and len(periods_asked(question)) <= 2:
            return _reported(operation, reported)
    years = periods_asked(question) or (
        [] if operation != "average" else sorted(year_columns(anchor.table))
    )
    if operation in ("change", "percent_change"):
        two = _two_years(anchor, years)
        if two is None:
            return None
        years = two
    figures, missing = [], []
    for year in years if operation == "ratio" else sorted(years):  # a ratio keeps its order
        cell = cell_in_year(anchor, year)
        if cell is None or cell_value(cell.text) is None:
            missing.append(f"{anchor.row.label}, {year}")
        else:
            figures.append(cell_figure(cell, year))
    return calculate(operation, anchor.row.label, figures, missing, cell_scale(anchor))


def _anchor(q: TableQuestion, hits: list[Hit], years: list[str]) -> Cell | None:
    """The row the question names, in a table that has every year asked for when one does."""
    best = best_cell(q, hits)
    if best is None or len(years) < 2 or all(cell_in_year(best, y) for y in years):
        return best
    complete = [
        cell
        for _, _, table in tables_of(hits)
        if table is not best.table
        for cell in [best_cell(q, hits, within=table)]
        if cell is not None and all(cell_in_year(cell, y) for y in years)
    ]
    return max(complete, key=lambda c: c.score) if complete else best


def _two_years(anchor: Cell, years: list[str]) -> list[str] | None:
    """The two periods of a change: as named, else the named one and the one before, else the
    table's latest two."""
    if len(years) >= 2:
        return years[:2] if len(years) == 2 else [years[0], years[-1]]
    known = sorted(set(year_columns(anchor.table)) | _row_years(anchor), reverse=True)
    if years and years[0] in known and known.index(years[0]) + 1 < len(known):
        return [known[known.index(years[0]) + 1], years[0]]
    return [known[1], known[0]] if len(known) >= 2 and not years else None


def _row_years(anchor: Cell) -> set[str]:
    return {y for row in anchor.table.rows for y in years_in(row.label)[:1]}


def _reported(operation: str, cell: Cell) -> Calculation:
    """The change as the table reports it, quoted."""
    name = ", ".join(p for p in (cell.row.label, cell.header) if p)
    figure = cell_figure(cell, None)
    statement = [Segment(f"{name}: {cell.text}", figure.source), Segment(" (as reported).")]
    return Calculation(operation, figure.value, "", None, "reported", [figure], [], statement, True)


def _two_sides(
    question: str, q: TableQuestion, hits: list[Hit], operation: str
) -> Calculation | None:
    """A ratio, share or difference of two figures the question names, in the same period.

    Both figures are looked for in one table first (a share of a total, two segments' columns);
    only when no table holds both does each side come from its own.
    """
    sides = sides_of(question, operation)
    if sides is None:
        return None
    side_terms = [item_terms(side) for side in sides]
    common = q.terms - side_terms[0] - side_terms[1]  # "segment operating income" in a difference
    wanted = [terms | common if operation == "difference" else terms for terms in side_terms]
    if not all(side_terms):
        return None
    years = q.years[:1]
    pair = _same_table_pair(q, hits, wanted, years)
    cells: list[Cell | None] = pair or [best_cell(q, hits, terms, years) for terms in wanted]
    figures, missing = [], []
    for phrase, cell in zip(sides, cells, strict=True):
        if cell is None or cell_value(cell.text) is None:
            missing.append(phrase + (f", {years[0]}" if years else ""))
        else:
            figures.append(cell_figure(cell, years[0] if years else None))
    found = [c for c in cells if c is not None]
    if len(found) == 2 and (found[0].row.start, found[0].column, found[0].hit.chunk_id) == (
        found[1].row.start,
        found[1].column,
        found[1].hit.chunk_id,
    ):
        return None  # both sides found the same cell: the question was not understood
    scale = next((s for s in map(cell_scale, found) if s), None)
    return calculate(operation, "", figures, missing, scale)


def _same_table_pair(q, hits, wanted, years) -> list[Cell | None] | None:
    """The two sides' cells from the one table that holds both best, or None."""
    best: list[Cell | None] | None = None
    best_fit = 0.0
    for _, _, table in tables_of(hits):
        first, second = (best_cell(q, hits, terms, years, table) for terms in wanted)
        if first is None or second is None:
            continue
        if (first.row.start, first.column) == (second.row.start, second.column):
            continue
        if first.score + second.score > best_fit:
            best, best_fit = [first, second], first.score + second.score
    return best
