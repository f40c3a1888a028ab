"""Comparisons and charts in Slack, end to end: a table block (or section fields where the
workspace refuses it) and a chart uploaded with the files upload API v2 into the thread."""

import io

import pytest
from PIL import Image

from bot.answer.structured import NOT_FOUND_CELL
from tests.helpers import write_article
from tests.slack.payloads import direct_message, mention
from tests.slack.stand_in import BOT_USER_ID
from tests.test_compare_series import ARTICLES

SERIES_Q = f"<@{BOT_USER_ID}> How has Alpha Corp's cloud revenue growth changed?"
COMPARE_Q = f"<@{BOT_USER_ID}> compare AI capex: Alpha, Beta, Gamma"


@pytest.fixture
def figures_bot(start_bot, tmp_path):
    corpus = tmp_path / "figures"
    corpus.mkdir()
    for name, title, published, ticker, body in ARTICLES:
        write_article(corpus, name, title, body, source='"Sample Wire"', published=published,
                      tickers=f"[{ticker}]")  # fmt: skip
    (corpus / "aliases.yml").write_text(
        "Alpha: [ALPH, Alpha Corp]\nBeta: [BETA, Beta Group]\nGamma: [GAMM, Gamma Inc]\n"
    )
    return start_bot(corpus=corpus)


def uploaded_png(api, file_id: str) -> Image.Image:
    body = api.uploads[file_id]["body"]
    assert body.startswith(b"\x89PNG")
    return Image.open(io.BytesIO(body))


def test_a_series_question_gets_its_answer_and_a_chart_uploaded_into_the_thread(figures_bot):
    api = figures_bot.api
    figures_bot.event(mention(SERIES_Q, ts="700.1", channel="C1"))
    (posted,) = api.wait_for("chat.postMessage")
    assert posted.params["thread_ts"] == "700.1"
    assert "*19%*" in posted.params["blocks"][0]["text"]["text"]
    (asked,) = api.wait_for("files.getUploadURLExternal")
    (sent,) = api.wait_for("file_upload")
    (done,) = api.wait_for("files.completeUploadExternal")
    file_id = sent.params["file_id"]
    assert asked.params["filename"] == "chart.png"
    assert sent.params["size"] == int(asked.params["length"]) > 10_000
    assert done.params["channel_id"] == "C1" and done.params["thread_ts"] == "700.1"
    assert file_id in done.params["files"]
    assert "Q3 2025 19% [" in asked.params["alt_txt"]  # the points, in words
    assert uploaded_png(api, file_id).width >= 900
    order = [c.method for c in api.calls]
    assert order.index("chat.postMessage") < order.index("files.getUploadURLExternal")


def test_a_dm_series_chart_goes_to_the_dm(figures_bot):
    figures_bot.event(direct_message("Alpha Corp cloud revenue growth trend", ts="710.1"))
    (done,) = figures_bot.api.wait_for("files.completeUploadExternal")
    assert done.params["channel_id"] == "D1" and "thread_ts" not in done.params


def test_no_chart_means_no_upload_and_the_answer_says_why(figures_bot):
    question = f"<@{BOT_USER_ID}> How has Beta Group's cloud revenue growth changed?"
    figures_bot.event(mention(question, ts="720.1"))
    (posted,) = figures_bot.api.wait_for("chat.postMessage")
    assert "only two dated figures" in str(posted.params["blocks"])
    figures_bot.api.settle()
    assert figures_bot.api.calls_to("files.getUploadURLExternal") == []


def test_a_comparison_is_a_table_block_with_quotes_below(figures_bot):
    figures_bot.event(mention(COMPARE_Q, ts="730.1"))
    (posted,) = figures_bot.api.wait_for("chat.postMessage")
    blocks = posted.params["blocks"]
    (table,) = [b for b in blocks if b["type"] == "table"]
    cells = [[c["text"] for c in row] for row in table["rows"]]
    assert cells[0][:2] == ["Company", "Figure"]
    assert [row[0] for row in cells[1:]] == ["Alpha", "Beta", "Gamma"]
    assert cells[1][1] == "$30 billion" and cells[3][1] == NOT_FOUND_CELL
    assert cells[1][-1] == "[1]" and cells[2][-1] == "[2]"
    quotes = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert any(q.startswith("> Alpha Corp said it will invest $30 billion") for q in quotes)
    assert blocks.index(table) < len(blocks) - len(quotes)  # the quotes come after the table
    assert posted.params["text"].startswith("Alpha: $30 billion; Beta: about RMB 12 billion")


def test_a_workspace_without_table_blocks_gets_aligned_section_fields(figures_bot):
    figures_bot.api.reject_blocks("table")
    figures_bot.event(mention(COMPARE_Q, ts="740.1"))
    first, second = figures_bot.api.wait_for("chat.postMessage", count=2)
    assert any(b["type"] == "table" for b in first.params["blocks"])
    fields = [b["fields"] for b in second.params["blocks"] if "fields" in b]
    assert [f[0]["text"] for f in fields] == ["*Company*", "*Alpha*", "*Beta*", "*Gamma*"]
    assert "$30 billion · over 3 years" in fields[1][1]["text"]
    assert second.params["thread_ts"] == "740.1"
    figures_bot.api.settle()
    assert len(figures_bot.api.calls_to("chat.postMessage")) == 2


def test_ask_chart_is_uploaded_privately_and_shown_in_the_ephemeral_answer(figures_bot):
    _, key = figures_bot.command("chart Alpha Corp cloud revenue growth", channel="C9")
    (done,) = figures_bot.api.wait_for("files.completeUploadExternal")
    assert "channel_id" not in done.params and "channels" not in done.params  # private
    (reply,) = figures_bot.api.wait_for("response_url", where=lambda c: c.path.endswith(key))
    (image,) = [b for b in reply.params["blocks"] if b["type"] == "image"]
    file_id = figures_bot.api.calls_to("file_upload")[0].params["file_id"]
    assert image["slack_file"] == {"id": file_id} and reply.params["response_type"] == "ephemeral"


def test_a_failed_upload_leaves_the_answer_standing(figures_bot):
    figures_bot.api.set_down("files.getUploadURLExternal")
    figures_bot.event(mention(SERIES_Q, ts="750.1"))
    (posted,) = figures_bot.api.wait_for("chat.postMessage")
    assert "19%" in posted.params["text"] + str(posted.params["blocks"])
    figures_bot.api.wait_for("files.getUploadURLExternal")
    figures_bot.api.settle()
    assert figures_bot.api.calls_to("files.completeUploadExternal") == []


def test_sharing_a_chart_answer_posts_it_and_uploads_the_chart_into_its_thread(figures_bot):
    api = figures_bot.api
    _, key = figures_bot.command("chart Alpha Corp cloud revenue growth", channel="C7", user="U5")
    (reply,) = api.wait_for("response_url", where=lambda c: c.path.endswith(key))
    share = reply.params["blocks"][-1]["elements"][-1]
    figures_bot.click(share["action_id"], share["value"], channel="C7", user="U5")
    (posted,) = api.wait_for("chat.postMessage")
    shared = api.wait_for("files.completeUploadExternal", count=2)[-1]
    assert posted.params["channel"] == "C7"
    assert shared.params["channel_id"] == "C7"
    (ts,) = [ts for (channel, ts) in api.messages if channel == "C7"]
    assert shared.params["thread_ts"] == ts


def test_sharing_a_comparison_posts_its_table(figures_bot):
    _, key = figures_bot.command("compare AI capex: Alpha, Beta", channel="C7", user="U5")
    (reply,) = figures_bot.api.wait_for("response_url", where=lambda c: c.path.endswith(key))
    assert any(b["type"] == "table" for b in reply.params["blocks"])
    share = reply.params["blocks"][-1]["elements"][-1]
    figures_bot.click(share["action_id"], share["value"], channel="C7", user="U5")
    (posted,) = figures_bot.api.wait_for("chat.postMessage")
    (table,) = [b for b in posted.params["blocks"] if b["type"] == "table"]
    assert [row[0]["text"] for row in table["rows"]] == ["Company", "Alpha", "Beta"]
