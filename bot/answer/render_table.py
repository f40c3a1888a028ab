"""A comparison table as aligned plain text, for the terminal."""

from bot.answer.structured import SeriesPoint, Table

HEADERS = {"company": "Company", "figure": "Figure", "period": "Period", "per_year": "Per year",
           "as_of": "As of", "citations": "Sources"}  # fmt: skip


def table_cells(table: Table) -> list[list[str]]:
    """The header row, then one row of display strings per company."""
    rows = [[HEADERS.get(c, c) for c in table.columns]]
    for row in table.rows:
        values = {
            "company": row.company,
            "figure": row.figure,
            "period": row.period or "",
            "per_year": row.per_year or "",
            "as_of": row.as_of.isoformat() if row.as_of else "",
            "citations": " ".join(f"[{n}]" for n in row.citations),
        }
        rows.append([values.get(c, "") for c in table.columns])
    return rows


def render_table(table: Table) -> list[str]:
    """Lines of an aligned table, columns separated by two spaces, notes underneath."""
    cells = table_cells(table)
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines + [f"Note: {note}" for note in table.notes]


def render_series(series: list[SeriesPoint]) -> list[str]:
    """The points a chart draws, one line each: company, period, value as written, source."""
    first = series[0]
    lines = [f"Series: {first.measure or 'figure'} ({first.unit}), {len(series)} points"]
    rows = [[p.company or "", p.label, p.date.isoformat(), p.figure, f"[{p.citation}]"]
            for p in sorted(series, key=lambda p: (p.company or "", p.date))]  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines += ["  " + "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
              for r in rows]  # fmt: skip
    return lines
