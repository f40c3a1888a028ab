"""Block Kit for comparisons and charts: pure builders checked on their output."""

from datetime import date

from bot.answer.compose import Answer
from bot.answer.structured import NOT_FOUND_CELL, SeriesPoint, Table, TableRow
from bot.slack.blocks import MAX_BLOCKS, build_answer_message
from bot.slack.table_blocks import build_table_blocks, chart_alt_text
from tests.slack.test_blocks import citation

TABLE = Table(
    measure="AI capex",
    columns=["company", "figure", "period", "as_of", "citations"],
    rows=[
        TableRow(
            company="Alibaba",
            figure="RMB 380 billion",
            period="over 3 years",
            as_of=date(2025, 9, 27),
            citations=[1],
        ),  # fmt: skip
        TableRow(company="Apple <b>", figure=NOT_FOUND_CELL),
    ],
    notes=["The figures cover different periods (2024, over 3 years)."],
)


def comparison(**kw) -> Answer:
    return Answer(question="compare AI capex: Alibaba, Apple", found=True,
                  answer="Alibaba will invest RMB 380 billion in AI. [1]",
                  citations=[citation()], table=TABLE, **kw)  # fmt: skip


def test_table_block_has_a_header_row_and_one_row_per_company():
    heading, table, note = build_table_blocks(TABLE)
    assert "Comparing AI capex" in heading["elements"][0]["text"]
    rows = [[cell["text"] for cell in row] for row in table["rows"]]
    assert rows == [
        ["Company", "Figure", "Period", "As of", "Sources"],
        ["Alibaba", "RMB 380 billion", "over 3 years", "2025-09-27", "[1]"],
        ["Apple <b>", NOT_FOUND_CELL, " ", " ", " "],  # raw text: nothing to escape, no empties
    ]
    assert all(cell["type"] == "raw_text" for row in table["rows"] for cell in row)
    assert "different periods" in note["elements"][0]["text"]


def test_section_fields_fallback_aligns_company_and_details():
    _, header, alibaba, apple, _ = build_table_blocks(TABLE, style="fields")
    assert [f["text"] for f in header["fields"]] == [
        "*Company*",
        "*Figure · Period · As of · Sources*",
    ]
    assert [f["text"] for f in alibaba["fields"]] == [
        "*Alibaba*",
        "RMB 380 billion · over 3 years · 2025-09-27 · [1]",
    ]
    assert apple["fields"][0]["text"] == "*Apple &lt;b&gt;*"  # mrkdwn is escaped


def test_a_comparison_message_leads_with_the_table_and_quotes_its_sources():
    message = build_answer_message(comparison(), "a1")
    types = [b["type"] for b in message["blocks"]]
    assert types[:3] == ["context", "table", "context"]
    assert message["blocks"][3]["text"]["text"] == "> Alibaba will invest RMB 380 billion in AI."
    assert message["text"] == f"Alibaba: RMB 380 billion; Apple &lt;b&gt;: {NOT_FOUND_CELL}"
    assert len(message["blocks"]) <= MAX_BLOCKS


def test_a_chart_file_becomes_an_image_block_with_alt_text():
    point = SeriesPoint(date=date(2025, 6, 30), value=26.0, unit="% change", citation=1,
                        label="Q2 2025", figure="26%", company="Alibaba", measure="cloud growth")  # fmt: skip
    answer = Answer(question="q", found=True, answer="Cloud rose 26%. [1]",
                    citations=[citation()], series=[point])  # fmt: skip
    blocks = build_answer_message(answer, "a1", chart_file="F123")["blocks"]
    (image,) = [b for b in blocks if b["type"] == "image"]
    assert image["slack_file"] == {"id": "F123"}
    assert (
        image["alt_text"]
        == chart_alt_text([point])
        == "cloud growth (% change): Alibaba Q2 2025 26% [1]"
    )
    assert not [b for b in build_answer_message(answer, "a1")["blocks"] if b["type"] == "image"]
