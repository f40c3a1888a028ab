"""What a comparison table says about its own figures: a per-year column where the unit and
the period's length are both known, and notes where periods or currencies differ."""

from bot.answer.quantities import Quantity, quantities_in
from bot.answer.structured import TableRow

COLUMNS = ["company", "figure", "period", "as_of", "citations"]


def per_year(quantity: Quantity, period) -> str | None:
    """The figure per year when it is money over a known whole number of years, else None."""
    if quantity.unit in ("%", "pp", "x", "") or quantity.change or period is None:
        return None
    if period.years is None or period.years < 1:
        return None  # a quarter is not annualised: that would be an estimate, not a figure
    per_year = quantity.model_copy(update={"value": quantity.value / period.years})
    return f"{quantity.hedge} {per_year.display()} a year".strip()


def with_per_year(rows: list[TableRow]) -> tuple[list[TableRow], list[str]]:
    """Keep the per-year column only when at least two rows have one."""
    if sum(r.per_year is not None for r in rows) >= 2:
        return rows, [*COLUMNS[:3], "per_year", *COLUMNS[3:]]
    return [r.model_copy(update={"per_year": None}) for r in rows], list(COLUMNS)


def caveats(rows: list[TableRow]) -> list[str]:
    """Say when the figures cover different periods or units, instead of mixing them silently."""
    notes = []
    periods = sorted({r.period or "no period stated" for r in rows if r.citations})
    if len(periods) > 1:
        notes.append(f"The figures cover different periods ({', '.join(periods)}); "
                     "they are shown as written, not adjusted.")  # fmt: skip
    units = sorted({currency(r.figure) for r in rows if r.citations} - {""})
    if len(units) > 1:
        notes.append(f"The figures are in different currencies ({', '.join(units)}); "
                     "no exchange rate is in the articles, so nothing is converted.")  # fmt: skip
    if any(r.per_year for r in rows):
        notes.append("Per year: the figure divided by the years it covers, in its own currency; "
                     "quarters are not annualised.")  # fmt: skip
    return notes


def currency(figure: str) -> str:
    found = quantities_in(figure)
    return found[0].unit if found and found[0].unit not in ("%", "pp", "x") else ""
