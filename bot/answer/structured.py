"""The structured parts an answer may carry besides its text: a comparison table and a series.

Every cell and every point refers to the answer's citations by number, so each figure can be
traced to the quoted sentence it was read from.
"""

from datetime import date

from pydantic import BaseModel, ConfigDict

NOT_FOUND_CELL = "not found in the articles"


class TableRow(BaseModel):
    """One company's figure, as written in the cited sentence."""

    model_config = ConfigDict(frozen=True)

    company: str
    figure: str  # as written ("RMB 380 billion ($53 billion)"), or NOT_FOUND_CELL
    period: str | None = None  # what the figure covers ("over 3 years", "Q3 2025", "2024")
    as_of: date | None = None  # publication date of the cited article
    citations: list[int] = []
    per_year: str | None = None  # the figure per year, same currency; only when both are known


class Table(BaseModel):
    """A comparison: one row per company, in the order the question named them."""

    model_config = ConfigDict(frozen=True)

    measure: str
    columns: list[str]
    rows: list[TableRow]
    notes: list[str] = []  # why figures are not comparable as they stand, what was not done


class SeriesPoint(BaseModel):
    """One dated figure of a series."""

    model_config = ConfigDict(frozen=True)

    date: date  # the end of the period it covers, or the article's date when none is named
    value: float  # in `unit`, scale applied to the unit: 26.0 for "26%", 33.4 for "RMB 33.4 bn"
    unit: str  # "% change", "%", "RMB bn", "count", ...
    citation: int
    label: str  # the period as a label ("Q2 2025"), or the date
    figure: str  # as written in the cited sentence
    company: str | None = None  # the line it belongs to when a chart compares companies
    measure: str = ""  # what is measured, as the question put it ("cloud revenue growth")
