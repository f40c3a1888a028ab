"""Figures computed by the question's own definition of what it asks for.

Analysts often say how a metric is to be computed: "Define net working capital as total current
assets less total current liabilities", "FCF here is defined as: (cash from operations - capex)",
"ROA is defined as: FY2022 net income / (average total assets between FY2021 and FY2022)". Such
a question is answered by that definition: each line item is looked up in the passages' tables
(lookup.py) for its year and cited, and the definition is shown with the numbers put in:

`Total current assets, 2021: 19,815 [1]; Total current liabilities, 2021: 13,997 [1]; total
current assets less total current liabilities = 19,815 − 13,997 = 5,818 (computed; figures in
millions).`

One operator between two terms is read: less, minus, -, divided by, /, plus, +. A term is a line
item, with its fiscal year or the question's, or "average <item> between <year> and <year>".
Anything else (three terms, constants, a change inside a term) is left to the other steps
rather than guessed; an input that cannot be found is named, and nothing is computed.
"""

import re
from typing import NamedTuple

from bot.answer.arithmetic import Calculation, Figure, cited, decimals_of
from bot.answer.cite import Segment
from bot.answer.inputs import cell_figure, cell_scale, item_terms
from bot.answer.lookup import Cell, best_cell, cell_in_year, table_question
from bot.answer.matching import ROW_WORDS, years_in
from bot.answer.numbers import format_number
from bot.answer.tables import cell_value
from index.models import Hit

MAX_DEFINITION = 200  # characters of a definition read; longer ones are not formulas
_DEFINED = re.compile(
    r"\b(?:defined|calculated|computed)\s+(?:here\s+)?as\b:?\s*"
    r"|\bdefine\s+[^.?:]{1,60}?\s+as\b:?\s*",
    re.I,
)
_END = re.compile(r"\?|[.;](?=\s|$)")
_OPERATOR = re.compile(
    r"\s+(?P<difference>less|minus)\s+|\s+(?P<ratio>divided\s+by)\s+|\s+(?P<sum>plus)\s+"
    r"|\s+(?P<minus>[-−])\s+|\s*(?P<slash>/)\s*|\s*(?P<plus>\+)\s*",  # a hyphen needs spaces
    re.I,
)
_NAMES = {"minus": "difference", "slash": "ratio", "plus": "sum"}
_AVERAGE = re.compile(
    r"^(?:the\s+)?average\s+(?:of\s+)?(?P<item>.+?)\s+between\s+(?:FY\s?|fiscal\s+)?"
    r"(?P<first>(?:19|20)\d\d)\s+and\s+(?:FY\s?|fiscal\s+)?(?P<second>(?:19|20)\d\d)$",
    re.I,
)
_UNSUPPORTED = re.compile(r"\bchange in\b|\baverage\b|^[\d.,\s]+$|[*×()]", re.I)
_TRAILING = re.compile(r"\s*\b(?:in|for|at|of|during|as of)$", re.I)
_YEARS = re.compile(r"(?<![\w.$])(?:FY\s?|fiscal\s+)?(?:19|20)\d\d\b", re.I)


class Term(NamedTuple):
    """One side of a definition: a line item in one year, or averaged over two."""

    item: str
    years: list[str]  # one year ("" when none is named), or the two an average is taken over
    text: str  # as the question writes it


class Definition(NamedTuple):
    operation: str  # difference, ratio or sum
    left: Term
    right: Term
    text: str  # the definition as written


def definition_of(question: str) -> Definition | None:
    """The two-term definition the question gives of what it asks for, or None."""
    start = _DEFINED.search(question)
    if start is None:
        return None
    rest = question[start.end() : start.end() + MAX_DEFINITION]
    end = _END.search(rest)
    text = (rest[: end.start()] if end else rest).strip()
    body = _unwrap(text)
    masked = _mask_parentheses(body)
    operators = list(_OPERATOR.finditer(masked))
    if len(operators) != 1:
        return None
    op = operators[0]
    operation = _NAMES.get(op.lastgroup or "", op.lastgroup or "")
    # A term without its own year is in the year the question asks about, else the one year
    # the definition names ("current assets divided by current liabilities in 2020").
    asked = years_in(question[: start.start()])[:1] or years_in(body)[:1] * (
        len(years_in(body)) == 1
    )
    sides = [_term(body[: op.start()], asked), _term(body[op.end() :], asked)]
    if sides[0] is None or sides[1] is None:
        return None
    return Definition(operation, sides[0], sides[1], text)


def defined_calculation(question: str, hits: list[Hit]) -> Calculation | None:
    """The figure the question defines, computed from the hits' tables, or None."""
    definition = definition_of(question)
    if definition is None:
        return None
    figures: list[Figure] = []
    shown: list[str] = []  # each term as put into the formula
    sides: list[float] = []  # each term's value
    missing: list[str] = []
    cells: list[Cell] = []
    for term in (definition.left, definition.right):
        mine = []
        for year, cell in zip(term.years, _look_up(term, hits), strict=True):
            if cell is None or cell_value(cell.text) is None:
                missing.append(", ".join(p for p in (term.item, year) if p))
            else:
                cells.append(cell)
                mine.append(cell_figure(cell, year))
        figures += mine
        if mine:
            texts = [f.text for f in mine]
            shown.append(texts[0] if len(texts) == 1 else f"(({' + '.join(texts)}) / {len(texts)})")
            sides.append(sum(f.value for f in mine) / len(mine))
    if missing:
        inputs = [cited(f, f.label, k) for k, f in enumerate(figures)]
        tail = f"; not found: {', '.join(missing)}, so {definition.text} is not computed."
        return Calculation(
            definition.operation, None, "", None, "", figures, missing, [*inputs, Segment(tail)]
        )
    if len({(c.hit.chunk_id, c.row.start, c.column) for c in cells}) < len(cells):
        return None  # two inputs read the same cell: the definition was not understood
    value = _apply(definition.operation, sides[0], sides[1])
    if value is None:
        return None
    scale = (
        None
        if definition.operation == "ratio"
        else next((s for s in map(cell_scale, cells) if s), None)
    )
    formula = f"{shown[0]} {_SYMBOL[definition.operation]} {shown[1]}"
    decimals = 2 if definition.operation == "ratio" else decimals_of(figures)
    result = format_number(value, decimals=decimals)
    said = f" (computed; figures in {scale}s)." if scale else " (computed)."
    statement = [
        *(cited(f, f.label, k) for k, f in enumerate(figures)),
        Segment(f"; {definition.text} = {formula} = {result}{said}"),
    ]
    return Calculation(definition.operation, value, "", scale, formula, figures, [], statement)


_SYMBOL = {"difference": "−", "ratio": "/", "sum": "+"}


def _term(text: str, asked: list[str]) -> Term | None:
    side = _unwrap(text)
    average = _AVERAGE.match(side)
    if average:
        item = average.group("item")
        years = [average.group("first"), average.group("second")]
        if _UNSUPPORTED.search(item) or years[0] == years[1]:
            return None
        return Term(item.strip(), sorted(years), side)
    if _UNSUPPORTED.search(side):
        return None
    years = years_in(side)
    item = _TRAILING.sub("", " ".join(_YEARS.sub(" ", side).split()))
    if len(years) > 1 or not item_terms(item):
        return None
    return Term(item, years or asked or [""], side)  # "": no year named, the table's own column


def _look_up(term: Term, hits: list[Hit]) -> list[Cell | None]:
    """The term's cell in each of its years, from one row when the row has them all."""
    q = table_question(term.item)
    terms = item_terms(term.item)
    anchor = best_cell(q, hits, terms, [y for y in term.years[-1:] if y], label=term.item)
    found = [anchor if year == term.years[-1] else None for year in term.years]
    for k, year in enumerate(term.years):
        if found[k] is None:
            same_row = cell_in_year(anchor, year) if anchor is not None else None
            found[k] = same_row or best_cell(q, hits, terms, [year], label=term.item)
    return [cell if cell is not None and _names(cell, terms) else None for cell in found]


def _names(cell: Cell, terms: frozenset[str]) -> bool:
    """Whether the cell's row is the line item named: every word of it on the row label, and the
    label not much more specific than the name ("cash" is not "Net cash provided by operating
    activities"; "cash from operations" is). A computed figure built on the wrong line is worse
    than an input named as not found."""
    label = item_terms(cell.row.label)
    return terms <= label and len(label - terms - ROW_WORDS) <= len(terms)


def _apply(operation: str, left: float, right: float) -> float | None:
    if operation == "difference":
        return left - right
    if operation == "sum":
        return left + right
    return left / right if right else None


def _unwrap(text: str) -> str:
    """`(a - b)` → `a - b`: outer parentheses that enclose the whole text, removed."""
    text = text.strip().rstrip(".")
    while text.startswith("(") and text.endswith(")") and _closes_at_end(text):
        text = text[1:-1].strip()
    return text


def _closes_at_end(text: str) -> bool:
    depth = 0
    for i, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0


def _mask_parentheses(text: str) -> str:
    """The text with everything inside parentheses blanked (not with spaces, which operators
    would take as their own), so only top-level operators show; positions are kept."""
    out, depth = [], 0
    for char in text:
        if char == "(":
            depth += 1
        out.append(char if depth == 0 else "_")
        if char == ")" and depth:
            depth -= 1
    return "".join(out)
