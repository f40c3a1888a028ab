"""The answer contract: `Answer`, its `Citation`s and, for computed figures, `Computed`."""

from datetime import date

from pydantic import BaseModel, ConfigDict

from bot.answer.structured import SeriesPoint, Table


class Citation(BaseModel):
    """One cited source, numbered as referenced by `[n]` in the answer."""

    model_config = ConfigDict(frozen=True)

    n: int
    title: str
    source: str | None
    url: str | None
    published: date | None
    path: str
    page: int | None
    quote: str  # verbatim from the article
    score: float
    chunk_id: str | None = None  # the passage quoted, for the audit trail
    collection: str | None = None  # who may read it (bot/access); None in answers saved before
    # Which document, as read from it (index/labels.py): `3M Company · 10-K · FY2018`; None: unknown.
    document: str | None = None

    def where(self) -> list[str]:
        """Publisher, date and page, those known, for a source line."""
        date_text = self.published.isoformat() if self.published else None
        page = f"p. {self.page}" if self.page else None
        return [part for part in (self.source, date_text, page) if part]


class ComputedInput(BaseModel):
    """One reported figure a computed answer uses, as written and where it is cited."""

    model_config = ConfigDict(frozen=True)

    label: str  # what it is: "Revenue, 2019"
    text: str  # the figure verbatim ("$26,120", "(1,402)")
    value: float  # as a number, in the source's own unit and scale
    n: int  # the citation holding it


class Computed(BaseModel):
    """A figure the answer computed from reported ones; never passed off as quoted."""

    model_config = ConfigDict(frozen=True)

    operation: str  # change, percent_change, difference, sum, average, ratio, percent_of, compare
    formula: str  # e.g. "(26,120 − 20,409) / 20,409 × 100"
    value: float | None  # None when an input is missing
    unit: str = ""  # "%" for percentages and percentage changes, "" otherwise
    scale: str | None = None  # "thousand", "million", … as the source states it
    inputs: list[ComputedInput]
    missing: list[str] = []  # what could not be found, when value is None


class Answer(BaseModel):
    """A cited answer, or `found=False` when the evidence is too weak; built once, never changed."""

    model_config = ConfigDict(frozen=True)

    question: str
    found: bool
    answer: str
    citations: list[Citation]
    filters_applied: str | None = None  # e.g. "ticker BABA, since 2025-06-01"; None: unfiltered
    table: Table | None = None  # a comparison across companies (bot/answer/compare.py)
    series: list[SeriesPoint] | None = None  # dated figures a chart draws (bot/answer/series.py)
    computed: Computed | None = None  # a figure computed from cited ones (bot/answer/compute.py)
