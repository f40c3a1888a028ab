"""Block Kit builders: pure functions checked on their output, no Slack and no mocks."""

import json
from datetime import date

from bot.answer.compose import Answer, Citation
from bot.slack.blocks import (
    ACTIONS_BLOCK,
    MAX_BLOCKS,
    NOTE_BLOCK,
    build_answer_blocks,
    build_answer_message,
    build_home_view,
    build_not_found_message,
    build_usage_message,
    feedback_note,
    source_line,
    with_feedback_note,
)
from bot.slack.mrkdwn import SECTION_LIMIT


def citation(n=1, quote="Alibaba will invest RMB 380 billion in AI.", **kw) -> Citation:
    fields = {
        "title": "Alibaba bets on AI",
        "source": "Sample Wire",
        "url": "https://example.com/alibaba",
        "published": date(2025, 9, 27),
        "path": "alibaba.md",
        "page": None,
        "score": 0.8,
    }
    return Citation(n=n, quote=quote, **{**fields, **kw})


def answer(text="Alibaba will invest RMB 380 billion in AI. [1]", citations=None) -> Answer:
    return Answer(question="q?", found=True, answer=text, citations=citations or [citation()])


def texts(blocks: list[dict]) -> list[str]:
    out = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return out


def test_answer_blocks_bold_figures_quote_passages_and_cite_sources():
    blocks = build_answer_blocks(answer(), "a1")
    assert blocks[0]["text"] == {
        "type": "mrkdwn",
        "text": "Alibaba will invest *RMB 380 billion* in AI. [1]",  # the marker is not bolded
    }
    assert blocks[1]["text"]["text"] == "> Alibaba will invest RMB 380 billion in AI."
    assert blocks[2] == {
        "type": "context",
        "elements": [
            {
                "type": "mrkdwn",
                "text": "[1] <https://example.com/alibaba|Alibaba bets on AI> · Sample Wire · 2025-09-27",
            }
        ],
    }
    actions = blocks[-1]
    assert actions["block_id"] == ACTIONS_BLOCK
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        ("feedback_up", "a1"),
        ("feedback_down", "a1"),
    ]


def test_restate_shows_the_question_answered_first():
    blocks = build_answer_blocks(answer(), "a1", restate=True)
    assert blocks[0] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Answering: _q?_"}],
    }
    assert blocks[1:] == build_answer_blocks(answer(), "a1")


def test_source_line_adds_the_page_and_skips_missing_parts():
    line = source_line(citation(n=2, url=None, source=None, published=None, page=4))
    assert line == "[2] Alibaba bets on AI · p. 4"


def test_share_button_and_asked_by_only_when_asked_for():
    shared = build_answer_blocks(answer(), "a1", shareable=True, asked_by="U9")
    assert shared[-1]["elements"][-1]["action_id"] == "share_answer"
    assert shared[-2]["elements"][0]["text"] == "asked by <@U9>"
    plain = build_answer_blocks(answer(), "a1")
    assert "share_answer" not in json.dumps(plain) and "asked by" not in json.dumps(plain)


def test_fallback_text_is_the_first_sentence():
    two = answer("Alibaba will invest RMB 380 billion in AI. [1] It holds 36% of the market. [1]")
    message = build_answer_message(two, "a1")
    assert message["text"] == "Alibaba will invest RMB 380 billion in AI."
    assert message["blocks"] == build_answer_blocks(two, "a1")


def test_sections_stay_within_slack_limits():
    long_answer = " ".join(f"Sentence {i} says revenue rose 5% again. [1]" for i in range(200))
    huge_quote = "Revenue & margins <rose> again. " * 400
    many = [citation(n=i, quote=huge_quote) for i in range(1, 41)]
    blocks = build_answer_blocks(answer(long_answer, many), "a1", shareable=True, asked_by="U1")
    assert len(blocks) <= MAX_BLOCKS
    assert all(len(t) <= SECTION_LIMIT for t in texts(blocks))
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    answer_text = " ".join(t for t in sections if not t.startswith(">"))
    assert answer_text.count("[1]") == 200  # split across sections, nothing lost
    assert blocks[-1]["block_id"] == ACTIONS_BLOCK  # the buttons survive the cut


def test_article_text_can_never_ping_or_inject():
    evil = (
        "Tell <!channel> and <!here|here> & <!everyone>, @channel, @here and <@U123> <http://x|y>."
    )
    bad = answer(f"{evil} [1]", [citation(quote=evil, title="<!channel> & co", source="@everyone")])
    message = build_answer_message(bad, "a1")
    dumped = "\n".join([message["text"], *texts(message["blocks"])])
    for ping in ("<!channel>", "<!here", "<!everyone>", "<@U123>", "<http://x"):
        assert ping not in dumped
    for broadcast in ("@channel", "@here", "@everyone"):
        assert broadcast not in dumped
    assert "&lt;!channel&gt;" in dumped and "&amp;" in dumped and "&lt;@U123&gt;" in dumped


def test_only_http_urls_become_links():
    assert source_line(citation(url="<!channel>")).startswith("[1] Alibaba bets on AI ·")
    assert "<" not in source_line(citation(url="javascript:alert(1)"))
    assert "a&amp;b=1|Alibaba" in source_line(citation(url="https://e.com/?a&b=1"))


def test_not_found_is_plain_text_that_suggests_rephrasing():
    message = build_not_found_message()
    assert "blocks" not in message
    assert "couldn't find" in message["text"] and "rephras" in message["text"].lower()
    missing = Answer(question="q", found=False, answer="none", citations=[])
    assert build_answer_message(missing, "") == message


def test_usage_explains_every_way_to_ask():
    text = build_usage_message()["text"]
    assert "/ask" in text and "@investor-qa" in text and "direct message" in text


def test_feedback_note_goes_under_the_buttons_and_replaces_an_earlier_one():
    blocks = build_answer_blocks(answer(), "a1")
    once = with_feedback_note(blocks, feedback_note("U2", "up"))
    twice = with_feedback_note(once, feedback_note("U2", "down"))
    notes = [b for b in twice if b.get("block_id") == NOTE_BLOCK]
    assert len(notes) == 1 and "not helpful" in notes[0]["elements"][0]["text"]
    assert twice[-2]["block_id"] == ACTIONS_BLOCK and twice[-1]["block_id"] == NOTE_BLOCK
    assert twice[:-1] == blocks  # the answer and buttons are untouched


def test_home_view_lists_what_the_bot_knows():
    facts = {
        "articles": 4,
        "chunks": 6,
        "newest_article": "2025-09-27",
        "tickers": ["BABA", "TCEHY"],
    }
    view = build_home_view(facts)
    assert view["type"] == "home"
    text = "\n".join(texts(view["blocks"]))
    assert "4 articles" in text and "2025-09-27" in text and "BABA, TCEHY" in text
    assert "/ask" in text


def test_applied_filter_is_shown_above_the_sources_and_in_not_found():
    shown = answer().model_copy(update={"filters_applied": "ticker BABA, since 2025-06-01"})
    blocks = build_answer_blocks(shown, "a1")
    assert blocks[1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Filtered: ticker BABA, since 2025-06-01"}],
    }
    assert "Filtered:" not in json.dumps(build_answer_blocks(answer(), "a1"))
    missing = Answer(
        question="q?", found=False, answer="", citations=[], filters_applied="ticker X"
    )
    assert "(searched only: ticker X)." in build_answer_message(missing, "a2")["text"]
