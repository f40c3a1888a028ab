"""Questions about a table's periods: which years it covers, and in which year a figure was
largest, smallest, or past a threshold. The figures are quoted and cited, never computed.

`In which year was Webzone larger?` → `Webzone was larger in 2018: 7.1 [1] (2018) vs 6.6 [1]
(2019) (compared).`
"""

import re

from bot.answer.arithmetic import Calculation, Figure
from bot.answer.cite import Segment, Source
from bot.answer.lookup import Cell, best_cell, cell_in_year, table_question, tables_of, year_columns
from bot.answer.matching import ROW_WORDS, content_terms, years_in
from bot.answer.tables import Table, cell_value
from index.models import Hit

_WHICH_YEAR = re.compile(r"\b(?:which|what) (?:fiscal |financial )?(?:year|period)s?'?\b", re.I)
_COVERS = re.compile(
    r"\b(?:table|provided?|recorded|calculated|shown|included|information|data|presented|"
    r"disclosed|reported|listed)\b",
    re.I,
)
_MORE = re.compile(r"\b(?:larg|high|great|more|most|big|best|max|exceed|above|over)\w*", re.I)
_LESS = re.compile(r"\b(?:small|low|less|least|fewe|worst|min|below|under)\w*", re.I)
_THRESHOLD = re.compile(
    r"\b(more|greater|higher|larger|less|lower|smaller|fewer|above|below|over|under|exceed\w*)"
    r"(?:\s+than)?\s+\$?\s?(-?[\d,]+(?:\.\d+)?)",
    re.I,
)
_NOT_ROW = re.compile(_MORE.pattern + "|" + _LESS.pattern + r"|\bthan\b|-?[\d,]+(?:\.\d+)?", re.I)


def is_period_question(question: str) -> bool:
    """True for "which year(s) …" questions."""
    return bool(_WHICH_YEAR.search(question)) or bool(
        re.search(r"\bin which years?\b", question, re.I)
    )


def answer_periods(question: str, hits: list[Hit]) -> list[Segment] | None:
    """The statement answering a "which year" question from the hits' tables, or None."""
    if not is_period_question(question):
        return None
    if _MORE.search(question) or _LESS.search(question):
        return _compare(question, hits)
    if _COVERS.search(question) or re.search(r"\byears\b", question, re.I):
        return _covered(question, hits)
    return None


def _covered(question: str, hits: list[Hit]) -> list[Segment] | None:
    """The years a table covers, the table chosen by the words it shares with the question."""
    terms = content_terms(question, ROW_WORDS) - {"table", "years", "year", "provi", "infor"}
    best: tuple[float, Hit, Table] | None = None
    for rank, hit, table in tables_of(hits):
        years = _years_of(table)
        if len(years) < 2:
            continue
        words = content_terms(
            " ".join([table.note, *table.columns, *(r.label for r in table.rows)])
        )
        before = content_terms(hit.text[: table.start])
        score = len(terms & (words | before)) / max(len(terms), 1) + 0.3 * hit.score - 0.05 * rank
        if best is None or score > best[0]:
            best = (score, hit, table)
    if best is None or best[0] < 0.3:
        return None
    _, hit, table = best
    years = _years_of(table)
    spans = tuple((h.start, h.end) for h in table.headers) or (
        (table.rows[0].start, table.rows[0].end),
    )
    listed = ", ".join(years[:-1]) + f" and {years[-1]}"
    return [Segment(f"The table covers {listed}", Source(hit, spans))]


def _years_of(table: Table) -> list[str]:
    by_column = list(year_columns(table))
    if len(by_column) > 1:
        return by_column
    return list(dict.fromkeys(y for row in table.rows for y in years_in(row.label)[:1]))


def _yearly(question: str, hits: list[Hit]) -> tuple[Cell, list[tuple[str, Cell, float]]] | None:
    """The row the question names, and its value in each year of its table."""
    q = table_question(_NOT_ROW.sub(" ", question))
    anchor = best_cell(q, hits)
    if anchor is None:
        return None
    cells: list[tuple[str, Cell, float]] = []
    for year in sorted(_years_of(anchor.table)):
        cell = cell_in_year(anchor, year)
        value = cell_value(cell.text) if cell is not None else None
        if cell is not None and value is not None:
            cells.append((year, cell, value))
    return (anchor, cells) if len(cells) >= 2 else None


def count_years(question: str, hits: list[Hit]) -> Calculation | None:
    """ "How many years did X exceed N?": the years counted, every year's figure cited."""
    threshold = _THRESHOLD.search(question)
    found = _yearly(question, hits) if threshold else None
    if threshold is None or found is None:
        return None
    anchor, cells = found
    limit = float(threshold.group(2).replace(",", ""))
    above = bool(_MORE.match(threshold.group(1)))
    chosen = [c for c in cells if (c[2] > limit if above else c[2] < limit)]
    word = f"{'above' if above else 'below'} {threshold.group(2)}"
    figures = [
        Figure(f"{anchor.row.label}, {y}", c.text, v, Source(c.hit, c.spans())) for y, c, v in cells
    ]
    statement = [Segment(f"{len(chosen)} of {len(cells)} years had {anchor.row.label} {word}: ")]
    for k, figure in enumerate(figures):
        sep = "" if k == 0 else ", "
        year = figure.label.rsplit(", ", 1)[-1]
        statement.append(Segment(f"{sep}{figure.text} ({year})", figure.source))
    statement.append(Segment(" (counted)."))
    formula = f"years with {anchor.row.label} {'>' if above else '<'} {threshold.group(2)}"
    return Calculation("count", float(len(chosen)), "", None, formula, figures, [], statement)


def _compare(question: str, hits: list[Hit]) -> list[Segment] | None:
    """The year in which the row the question names was largest, smallest or past a number."""
    found = _yearly(question, hits)
    if found is None:
        return None
    anchor, cells = found
    threshold = _THRESHOLD.search(question)
    if threshold:
        limit = float(threshold.group(2).replace(",", ""))
        above = bool(_MORE.match(threshold.group(1)))
        chosen = [c for c in cells if (c[2] > limit if above else c[2] < limit)]
        word = f"{'above' if above else 'below'} {threshold.group(2)}"
    else:
        pick = max if _MORE.search(question) and not _LESS.search(question) else min
        chosen = [pick(cells, key=lambda c: c[2])]
        word = "largest" if pick is max else "smallest"
    if not chosen or len(chosen) == len(cells):
        return None
    years = " and ".join(c[0] for c in chosen)
    segments = [Segment(f"{anchor.row.label} was {word} in {years}: ")]
    for k, (year, cell, _) in enumerate(cells):
        sep = "" if k == 0 else ", "
        segments.append(Segment(f"{sep}{cell.text} ({year})", Source(cell.hit, cell.spans())))
    segments.append(Segment(" (compared)."))
    return segments
