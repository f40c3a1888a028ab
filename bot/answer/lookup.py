"""Answer from a table cell: the row and column the question names, in the period it names.

`Inventories, Balances without Adoption of Topic 606: 1,568.6 [1]`. Each cell is scored by
how much of the question its row (label, text cells, section) and its column header cover,
how much of the row label the question asks for, and whether the periods agree: a year can
sit in a column header, in a row label (a table of years) or in a section line above.
"X in 2018 and 2019" and "A and B, respectively" give every value asked for, in order.
"""

import re
from functools import lru_cache
from typing import NamedTuple

from bot.answer.matching import ROW_WORDS, concept_words, content_terms, is_year, years_in
from bot.answer.tables import Row, Table, find_tables, is_value
from index.models import Hit
from index.statements import without_statements

_YEARS = re.compile(r"\b(?:FY\s?)?(?:19|20)\d\d\b|\bQ[1-4]\b", re.I)
MIN_FIT = 1.0  # below this a cell is not what the question names
RIVAL = 0.9  # a second table this close to the best is shown beside it
MIN_WORDS = 1.0  # ... nor when its words cover less than this (question share + label share)
_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s+as well as\s+", re.I)
PERCENT_MISMATCH = 0.5
WORDS_MISMATCH = 0.3
_WORDS = re.compile(
    r"^\s*(?:who|which|where|when)\b|\bwhat (?:is|was|are|were) the (?:date|name|type|kind)s?\b"
    r"|\b(?:who|which \w+) (?:is|was|are|were|had|has)\b",
    re.I,
)
_EVERY_YEAR = re.compile(
    r"\b(?:each|every|all)\b[^?]*\b(?:years?|periods?)\b|\bchronological order\b", re.I
)
COVER_CAP = 6  # question words a cell is expected to cover, at most
EXACT_WORDS = 0.5  # weight of a named line item's exact words in best_cell (formula.py)
SAME_FIT = 0.05  # the same row under another section fitting this close is shown as well
_DATE = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s*|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*,?\s*)?"
    r"(?:(?:fiscal|financial)\s+(?:year\s+)?|FY\s?'?)?(?:19|20)\d{2}\b",
    re.I,
)
_PERCENT_WORDS = re.compile(r"%|percent|\brate\b|margin|\bshare of|proportion|yield", re.I)
_IGNORED = frozenset({"respe", "value", "figur", "numbe"})  # "respective values"
_TOTAL = frozenset({"total"})
_CHANGE_HEADER = re.compile(r"chang|varian|increa|decrea|growth", re.I)


_UNIT = re.compile(r"^(?:units?|measures?|unit of measure|uom)$", re.I)


class Cell(NamedTuple):
    """One value found in a table, with what is needed to say and cite it."""

    score: float
    hit: Hit
    table: Table
    row: Row
    column: int  # index into row.cells / table.columns

    @property
    def text(self) -> str:
        """The value cell, verbatim."""
        return self.row.cells[self.column]

    @property
    def header(self) -> str:
        """The column's header label (may be empty)."""
        return self.table.columns[self.column] if self.column < len(self.table.columns) else ""

    def spans(self, section: bool = False) -> tuple[tuple[int, int], ...]:
        """Spans to quote: the header lines, the section line above the row when asked for
        (and found), and the row; offsets into the hit's text."""
        above: tuple[tuple[int, int], ...] = ()
        at = self.hit.text.rfind(self.row.section, self.table.start, self.row.start)
        if section and self.row.section and at >= 0:
            above = ((at, at + len(self.row.section)),)
        return (
            tuple((h.start, h.end) for h in self.table.headers)
            + above
            + ((self.row.start, self.row.end),)
        )


class TableQuestion(NamedTuple):
    """The parts of a question that matter for table lookup."""

    years: list[str]
    terms: frozenset[str]  # row and header words, years left out
    parts: list[frozenset[str]]  # terms of each item in "A and B" lists
    percent: bool = False  # asks for a percentage, rate, margin or share
    every_year: bool = False  # asks for the value in every period the table has
    words: bool = False  # asks for a name, a date or a kind rather than a number
    # Paraphrase concepts the question names, with the terms of the words that named them
    # ("capital expenditures" → ~capex: capit, expen): a row naming the concept covers them.
    named_by: tuple[tuple[str, frozenset[str]], ...] = ()


def table_question(question: str) -> TableQuestion:
    """Years, terms and list items of `question`."""
    years = years_in(question)
    body = _DATE.sub(" ", question)  # "December 31, 2019" names a period, not a row
    body = without_statements(body)  # "in the cash flow statement" names a page, not a row
    parts = [_terms(p) for p in _SPLIT.split(body)]
    percent = bool(_PERCENT_WORDS.search(question))
    every, words = bool(_EVERY_YEAR.search(question)), bool(_WORDS.search(question))
    terms = _terms(body)
    named_by = tuple(
        (name, named & terms) for name, named in concept_words(body, ROW_WORDS).items()
    )
    return TableQuestion(years, terms, [p for p in parts if p], percent, every, words, named_by)


def tables_of(hits: list[Hit]) -> list[tuple[int, Hit, Table]]:
    """Every table in the hits, with the rank and hit it is in."""
    return [
        (rank, hit, table)
        for rank, hit in enumerate(hits)
        for table in (
            _tables(hit.text) if hit.page is None else _page_tables(hit.text, hit.context)
        )
    ]


@lru_cache(maxsize=1024)
def _page_tables(text: str, context: str) -> list[Table]:
    """A PDF passage's tables with its page's context in their notes (`NIKE 10-K — Statement of
    Cash Flows`): the question's "Nike" and "cash flow statement" are then words the tables
    cover. Years are left out: they name the filing's period, not the tables' columns."""
    words = _YEARS.sub(" ", context)
    return [t.model_copy(update={"note": f"{t.note} {words}".strip()}) for t in _tables(text)]


def cell_fit(q: TableQuestion, table: Table, row: Row, column: int, terms=None) -> float:
    """How well one cell answers: question covered, row label asked for, periods agreeing."""
    wanted = q.terms if terms is None else terms
    # A date in the label or a text cell ("Balance | 30 June 2018") names the period, which
    # `_period_fit` scores, not the row: its words are not words the question left out.
    # A unit cell ("Troy oz." under "Measure") says how the row is counted, not what it is.
    texts = [
        c
        for k, c in enumerate(row.cells)
        if not is_value(c) and not (k < len(table.columns) and _UNIT.search(table.columns[k]))
    ]
    label = _terms(_DATE.sub(" ", row.label + " " + " ".join(texts)))
    header = _terms(table.columns[column]) if column < len(table.columns) else frozenset()
    around = _terms(f"{row.section} {table.note}")
    on_row, on_header, on_around = wanted & label, wanted & header, wanted & around
    if not wanted or not (on_row or ((on_header or on_around) and _is_period(row.label))):
        return 0.0
    # A long question (a pasted filing question with instructions) is not all about one row.
    credited = on_row.union(*(named for name, named in q.named_by if name in on_row))
    covered = min(len(credited | on_header | on_around) / min(len(wanted), COVER_CAP), 1.0)
    # "Total revenue" is the revenue asked for when the question names no part of it (its row
    # holds every word asked): "total" is not a word the question left out, as "subscription"
    # in "Subscription revenue" is.
    named = label - (_TOTAL - wanted) if on_row == wanted else label
    asked = len(on_row) / len(named) if named else 0.5
    if covered + asked < MIN_WORDS:
        return 0.0
    fit = covered + asked + (0.2 * len(on_header - on_row) / len(header) if header else 0.0)
    cell = row.cells[column] if column < len(row.cells) else ""
    if ("%" in cell) != q.percent:
        fit -= PERCENT_MISMATCH  # "Revenue in 2017" is not the "% of revenue" row
    if not is_value(cell) and not q.words:
        fit -= WORDS_MISMATCH  # a date or a name where a number is asked for
    return fit + _period_fit(q.years, row, table, column)


def best_cells(question: str, hits: list[Hit]) -> list[list[Cell]]:
    """The cells that answer `question`, best table first: the best table's, then another
    table's that fits nearly as well and says something else; [] when none fits."""
    q = table_question(question)
    found = []
    for rank, hit, table in tables_of(hits):
        cells = _cells_for(q, hit, table, 0.3 * hit.score - 0.05 * rank)
        if cells:
            found.append(cells)
    found.sort(key=lambda cells: -cells[0].score)
    close = len(found) > 1 and found[1][0].score >= RIVAL * found[0][0].score
    if close and [c.text for c in found[1]] != [c.text for c in found[0]]:
        return found[:2]  # two tables fit: both are shown, never merged
    return found[:1]


def best_cell(
    q: TableQuestion,
    hits: list[Hit],
    terms=None,
    years=None,
    within: Table | None = None,
    label: str | None = None,
) -> Cell | None:
    """The best cell for `terms` (default: the question's) in `years` (default: its), in the
    table `within` when given. `label`: a line item named word for word ("total current
    assets"), so rows are also weighed by how many of its exact words they share, which the
    stemmed, stopword-free terms cannot tell ("Total assets" from "Total current assets")."""
    query = q._replace(years=q.years if years is None else years)
    exact = _words(label) if label else None
    best: Cell | None = None
    for rank, hit, table in tables_of(hits):
        if within is not None and table is not within:
            continue
        for row in table.rows:
            own = _words(row.label) if exact else frozenset()
            shared = EXACT_WORDS * len(exact & own) / len(exact | own) if exact else 0.0
            for column in range(len(row.cells)):
                if not is_value(row.cells[column]):
                    continue
                score = cell_fit(query, table, row, column, terms)
                total = score + 0.3 * hit.score - 0.05 * rank + shared
                if score >= MIN_FIT and (best is None or total > best.score):
                    best = Cell(total, hit, table, row, column)
    return best


def _words(text: str) -> frozenset[str]:
    """Lower-case words, a plural s dropped: the words of a line item as written."""
    return frozenset(
        w[:-1] if w.endswith("s") else w for w in re.findall(r"[a-z0-9]+", text.lower())
    )


def change_cell(cell: Cell, percent: bool) -> Cell | None:
    """The row's reported change (or % change) cell, when the table has such a column."""
    noted = bool(_CHANGE_HEADER.search(cell.table.note))
    for column, header in enumerate(cell.table.columns):
        if column >= len(cell.row.cells) or years_in(header)[1:]:
            continue
        percent_header = bool(re.search(r"%|percent", header, re.I))
        if not (_CHANGE_HEADER.search(header) or (noted and percent_header)):
            continue
        value = cell.row.cells[column]
        if is_value(value) and ("%" in value or percent_header) == percent:
            return cell._replace(column=column)
    return None


def _cells_for(q: TableQuestion, hit: Hit, table: Table, bonus: float) -> list[Cell]:
    """The best cell of this table, or one per year / per item when the question lists several."""
    scored = [
        (cell_fit(q, table, row, column), row, column)
        for row in table.rows
        for column in range(len(row.cells))
        if row.cells[column]
    ]
    if not scored:
        return []
    fit, row, column = max(scored, key=lambda item: item[0])
    if fit < MIN_FIT:
        return []
    anchor = Cell(fit + bonus, hit, table, row, column)
    if q.every_year:  # "for each year listed, in chronological order"
        every = _all_or_none([cell_in_year(anchor, y) for y in sorted(year_columns(table))])
        if len(every) > 1:
            return every
    if len(q.years) > 1:
        per_year = _all_or_none([cell_in_year(anchor, year) for year in q.years])
        if len({(c.row.start, c.column) for c in per_year}) > 1:
            return per_year
    items = [p for p in q.parts if len(p) < len(q.terms)]
    if len(items) > 1:
        rows = [r for r in table.rows if column < len(r.cells) and r.cells[column]]
        picked = []
        for item in items:
            item_fit, item_row = max(
                ((cell_fit(q, table, r, column, item), r) for r in rows), key=lambda i: i[0]
            )
            if item_fit >= MIN_FIT + 0.5 and item_row not in picked:
                picked.append(item_row)
        if len(picked) > 1:
            return [anchor._replace(row=r) for r in picked]
    return _each_section(q, anchor, fit)


def _each_section(q: TableQuestion, anchor: Cell, fit: float) -> list[Cell]:
    """The anchor, and the same row under the table's other sections when the question does
    not say which one it means ("Rate of compensation increase" under both "Net periodic
    benefit cost" and "Projected benefit obligation"): every reading is shown, none guessed."""
    label = _terms(anchor.row.label)
    same = [
        anchor._replace(row=row)
        for row in anchor.table.rows
        if row is not anchor.row
        and row.section != anchor.row.section
        and _terms(row.label) == label
        and anchor.column < len(row.cells)
        and is_value(row.cells[anchor.column])
        and row.cells[anchor.column] != anchor.text
        and cell_fit(q, anchor.table, row, anchor.column) >= fit - SAME_FIT
    ]
    return sorted([anchor, *same], key=lambda c: c.row.start) if same else [anchor]


def _all_or_none(cells: list[Cell | None]) -> list[Cell]:
    """`cells` when every one was found, else []."""
    found = [c for c in cells if c is not None]
    return found if len(found) == len(cells) else []


def cell_in_year(anchor: Cell, year: str) -> Cell | None:
    """The anchor row's cell in `year`'s column, or, in a table of years, `year`'s row."""
    column = year_columns(anchor.table).get(year)
    if column is not None and column < len(anchor.row.cells):
        cell = anchor._replace(column=column)
        return cell if is_value(cell.text) else None
    for row in anchor.table.rows:
        if years_in(row.label)[:1] == [year] and anchor.column < len(row.cells):
            cell = anchor._replace(row=row)
            return cell if is_value(cell.text) else None
    return None


def _period_fit(years: list[str], row: Row, table: Table, column: int) -> float:
    """+1 when the cell's periods include one the question names, -1 when they name only others."""
    if not years:
        return 0.0
    header = table.columns[column] if column < len(table.columns) else ""
    text_cells = " ".join(c for c in row.cells if not is_value(c))
    found = set(years_in(f"{header} {row.label} {text_cells}")) or set(years_in(row.section))
    if not found:  # "Year Ended December 31, 2019" above a table of segments: weaker evidence
        noted = set(years_in(table.note))
        return 0.0 if not noted else 0.5 if noted & set(years) else -0.5
    return 1.0 if found & set(years) else -1.0


def _is_period(label: str) -> bool:
    return bool(years_in(label)) or bool(
        re.match(r"^(?:Q[1-4]|first|second|third|fourth)\b", label, re.I)
    )


@lru_cache(maxsize=4096)
def _terms(text: str) -> frozenset[str]:
    return frozenset(
        t for t in content_terms(text, ROW_WORDS) if not is_year(t) and t not in _IGNORED
    )


@lru_cache(maxsize=1024)
def _tables(text: str) -> list[Table]:
    return find_tables(text)


def year_columns(table: Table) -> dict[str, int]:
    """Column index of each year the header names, preferring columns that name only a date."""
    found: dict[str, tuple[bool, int]] = {}
    for column, header in enumerate(table.columns):
        years = years_in(header)
        if len(years) != 1:
            continue
        plain = (
            not {t for t in content_terms(header) if not is_year(t) and not t.isdigit()}
            - _DATE_WORDS
        )
        if years[0] not in found or (plain and not found[years[0]][0]):
            found[years[0]] = (plain, column)
    return {year: column for year, (_, column) in found.items()}


_DATE_WORDS = frozenset(
    {"januar", "febru", "march", "april", "may", "june", "july", "augus", "septe", "octob"}
    | {"novem", "decem", "ended", "year", "years", "fisca", "month", "quart", "endin", "as"}
    | {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
    | {"31", "30", "28", "29", "1", "resta", "unaud"}
)
