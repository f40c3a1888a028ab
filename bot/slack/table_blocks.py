"""Block Kit for comparison tables and charts: pure functions, unit-tested without Slack.

A comparison goes out as Block Kit's `table` block. A workspace (or client) that rejects it
gets the same rows as aligned section fields: company on the left; figure, period, date and
sources on the right.
"""

from bot.answer.render_table import HEADERS, table_cells
from bot.answer.structured import SeriesPoint, Table
from bot.slack.mrkdwn import escape_text

TABLE_STYLES = ("table", "fields")
MAX_ROWS = 40  # well inside the table block's 100 rows and the message's 50 blocks (fields)
CELL_LIMIT = 300


def build_table_blocks(table: Table, style: str = "table") -> list[dict]:
    """The heading, the rows (as a table block, or section fields) and the notes."""
    heading = _context(f"*Comparing {escape_text(table.measure)[:200]}* · one search per company")
    body = _table_block(table) if style == "table" else _field_sections(table)
    notes = [_context(escape_text(note)[:2900]) for note in table.notes]
    return [heading, *body, *notes]


def table_summary(table: Table) -> str:
    """One line for the notification text: `Alibaba: RMB 380 billion; Tencent: …`."""
    parts = [f"{r.company}: {r.figure}" for r in table.rows[:6]]
    return escape_text("; ".join(parts))[:2900]


def _table_block(table: Table) -> list[dict]:
    cells = table_cells(table)[: MAX_ROWS + 1]
    rows = [[{"type": "raw_text", "text": (value or " ")[:CELL_LIMIT]} for value in row]
            for row in cells]  # fmt: skip
    settings = [{"is_wrapped": column in ("figure", "period", "per_year")}
                for column in table.columns]  # fmt: skip
    return [{"type": "table", "column_settings": settings, "rows": rows}]


def _field_sections(table: Table) -> list[dict]:
    """Section fields in two aligned columns: the company, then the rest of its row."""
    rest = [c for c in table.columns if c != "company"]
    header = {"type": "section", "fields": [
        {"type": "mrkdwn", "text": "*Company*"},
        {"type": "mrkdwn", "text": "*" + " · ".join(HEADERS[c] for c in rest) + "*"},
    ]}  # fmt: skip
    blocks = [header]
    for values in table_cells(table)[1 : MAX_ROWS + 1]:
        row = dict(zip(table.columns, values, strict=True))
        detail = " · ".join(escape_text(row[c]) for c in rest if row[c])
        blocks.append({"type": "section", "fields": [
            {"type": "mrkdwn", "text": f"*{escape_text(row['company'])[:200]}*"},
            {"type": "mrkdwn", "text": detail[:1900] or " "},
        ]})  # fmt: skip
    return blocks


def chart_alt_text(series: list[SeriesPoint]) -> str:
    """What the chart shows, in words, for screen readers and notifications."""
    first = series[0]
    points = ", ".join(
        f"{p.company + ' ' if p.company else ''}{p.label} {p.figure} [{p.citation}]"
        for p in sorted(series, key=lambda p: (p.company or "", p.date))
    )
    return f"{first.measure or 'Figure'} ({first.unit}): {points}"[:1000]


def build_chart_image_block(file_id: str, series: list[SeriesPoint]) -> dict:
    """An image block showing an uploaded chart file (for ephemeral `/ask` replies)."""
    return {
        "type": "image",
        "slack_file": {"id": file_id},
        "alt_text": chart_alt_text(series),
        "title": {"type": "plain_text", "text": (series[0].measure or "Chart")[:200]},
    }


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
