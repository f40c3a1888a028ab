"""Draw an answer's series as a PNG (matplotlib, headless Agg): one line per company, or bars
for one company's amounts; every point labelled with its value and citation number, the period
on the axis, the unit on the y-axis and the cited sources listed under the chart.

Sized for Slack: 1050 px wide with large type, so the preview Slack shows in a channel
(about 480 px wide) stays readable. Used by the CLI (`investor-qa chart`) and the Slack bot.
"""

import io
import textwrap

from bot.answer.compose import Answer
from bot.answer.structured import SeriesPoint

WIDTH_IN, HEIGHT_IN, DPI = 7.0, 4.0, 150
COLORS = ["#1d3557", "#e63946", "#2a9d8f", "#f4a261", "#6d597a", "#457b9d"]
MAX_SOURCE_LINES = 6
SOURCE_CHARS = 80  # what fits across the chart at the sources' type size
LINE_IN = 0.26  # height of one source line under the chart, inches
_UNIT_LABEL = {
    "% change": "% change, year over year",
    "% change q/q": "% change, quarter over quarter",
}


class ChartError(ValueError):
    """The answer has nothing to draw."""


def render_chart(answer: Answer) -> bytes:
    """The answer's series as PNG bytes; ChartError when it has no series."""
    if not answer.series:
        raise ChartError("this answer has no series to draw")
    import matplotlib

    matplotlib.use("Agg")  # headless: no display, no GUI toolkit
    from matplotlib.figure import Figure

    lines = chart_lines(answer.series)
    sources = _source_lines(answer)
    height = HEIGHT_IN + LINE_IN * len(sources)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    bottom = 0.55 + LINE_IN * len(sources)
    fig.subplots_adjust(left=0.12, right=0.97, top=1 - 0.62 / height, bottom=bottom / height)
    ax = fig.add_subplot()
    bars = len(lines) == 1 and not answer.series[0].unit.startswith("%")
    below = _labels_below(answer.series)
    for i, (company, points) in enumerate(lines.items()):
        _draw(ax, points, company, COLORS[i % len(COLORS)], bars, below)
    _axes(ax, answer.series, len(lines) > 1)
    fig.suptitle(_title(answer.series), x=0.02, y=1 - 0.12 / height, ha="left", va="top",
                 fontsize=15, fontweight="bold")  # fmt: skip
    for row, line in enumerate(sources):
        y = (0.12 + LINE_IN * (len(sources) - 1 - row)) / height
        fig.text(
            0.02, y, line, fontsize=11, color="#222222", fontweight="bold" if not row else None
        )
    buffer = io.BytesIO()
    # Flat colours compress well at any level; level 1 is several times faster than the default.
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def chart_lines(series: list[SeriesPoint]) -> dict[str, list[SeriesPoint]]:
    """The points each drawn line (or bar set) gets, by company, in date order."""
    lines: dict[str, list[SeriesPoint]] = {}
    for point in sorted(series, key=lambda p: p.date):
        lines.setdefault(point.company or "", []).append(point)
    return lines


def _draw(ax, points: list[SeriesPoint], company: str, color: str, bars: bool, below: set) -> None:
    from matplotlib import dates as mdates

    x = [mdates.date2num(p.date) for p in points]
    y = [p.value for p in points]
    if bars:
        width = 0.6 * min((b - a for a, b in zip(x, x[1:], strict=False)), default=60)
        ax.bar(x, y, width=width, color=color, alpha=0.85, label=company or None)
    else:
        ax.plot(x, y, marker="o", markersize=8, linewidth=2.5, color=color,
                label=company or None)  # fmt: skip
    for xi, yi, p in zip(x, y, points, strict=True):
        down = yi < 0 or (p.date, p.company) in below
        ax.annotate(f"{_value(p)} [{p.citation}]", (xi, yi), textcoords="offset points",
                    xytext=(0, -19 if down else 9), ha="center", fontsize=12,
                    fontweight="bold", color=color)  # fmt: skip


def _labels_below(series: list[SeriesPoint]) -> set:
    """Points whose label goes under them: all but the highest where lines meet on a date."""
    by_date: dict = {}
    for p in series:
        by_date.setdefault(p.date, []).append(p)
    return {(p.date, p.company) for same in by_date.values() if len(same) > 1
            for p in sorted(same, key=lambda p: -p.value)[1:]}  # fmt: skip


def _axes(ax, series: list[SeriesPoint], legend: bool) -> None:
    from matplotlib import dates as mdates
    from matplotlib.ticker import MaxNLocator

    ticks = sorted({p.date: p.label for p in series}.items())
    ax.set_xticks([mdates.date2num(d) for d, _ in ticks])
    ax.set_xticklabels([label.replace("as of ", "") for _, label in ticks], fontsize=12)
    ax.tick_params(axis="y", labelsize=11.5)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.set_ylabel(_UNIT_LABEL.get(series[0].unit, series[0].unit), fontsize=12)
    values = [p.value for p in series]
    low, high = min(0.0, min(values)), max(0.0, max(values))
    pad = (high - low) * 0.18 or 1.0
    ax.set_ylim(low - (pad if low < 0 else 0), high + pad)
    span = mdates.date2num(ticks[-1][0]) - mdates.date2num(ticks[0][0])
    margin = max(span * 0.08, 30)
    ax.set_xlim(mdates.date2num(ticks[0][0]) - margin, mdates.date2num(ticks[-1][0]) + margin)
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    if legend:
        ax.legend(fontsize=11, frameon=False, loc="best")


def _title(series: list[SeriesPoint]) -> str:
    companies = list(dict.fromkeys(p.company for p in series if p.company))
    measure = series[0].measure or "figure"
    who = " vs ".join(companies)
    return textwrap.shorten(f"{who}: {measure}" if who else measure, 70, placeholder="…")


def _value(point: SeriesPoint) -> str:
    shown = f"{point.value:,.2f}".rstrip("0").rstrip(".")
    return f"{shown}%" if point.unit.startswith("%") else shown


def _source_lines(answer: Answer) -> list[str]:
    """`[n] Title — publisher, date`, one line each, as many as fit under the chart."""
    used = {p.citation for p in answer.series or []}
    lines = []
    for c in answer.citations:
        if c.n not in used:
            continue
        where = ", ".join(c.where())
        title = textwrap.shorten(c.title, max(SOURCE_CHARS - len(where) - 8, 20), placeholder="…")
        lines.append(f"[{c.n}] {title} — {where}")
    if len(lines) > MAX_SOURCE_LINES:
        lines = lines[: MAX_SOURCE_LINES - 1] + [f"… and {len(lines) - MAX_SOURCE_LINES + 1} more"]
    return ["Sources"] + lines if lines else []
