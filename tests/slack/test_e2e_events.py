"""Mentions, follow-ups, DMs, exactly-once delivery and the Home tab, end to end over HTTP."""

import logging

from tests.helpers import write_article
from tests.slack.payloads import direct_message, mention
from tests.slack.stand_in import BOT_ID, BOT_USER_ID

QUESTION = f"<@{BOT_USER_ID}> How much will Alibaba invest in AI?"


def test_mention_is_answered_in_its_thread(bot):
    assert bot.event(mention(QUESTION, ts="100.1", channel="C1")).status == 200
    (posted,) = bot.api.wait_for("chat.postMessage")
    assert posted.params["channel"] == "C1" and posted.params["thread_ts"] == "100.1"
    assert "*RMB 380 billion ($53 billion)*" in posted.params["blocks"][0]["text"]["text"]
    assert posted.params["unfurl_links"] is False and posted.params["unfurl_media"] is False


def test_a_mention_in_a_thread_follows_up_on_the_root_question(start_bot, tmp_path):
    corpus = tmp_path / "followup"
    corpus.mkdir()
    write_article(corpus, "a.md", "Alibaba AI", "Alibaba is investing RMB 380 billion in AI.")
    write_article(corpus, "t.md", "Tencent AI", "Tencent is investing RMB 76.8 billion in AI.")
    bot = start_bot(corpus=corpus)
    bot.api.add_message("C1", "200.1", f"<@{BOT_USER_ID}> How much is Alibaba investing in AI?")
    follow_up = mention(f"<@{BOT_USER_ID}> and Tencent?", ts="200.9", thread_ts="200.1")
    bot.event(follow_up)
    (posted,) = bot.api.wait_for("chat.postMessage")
    assert posted.params["thread_ts"] == "200.1"
    assert posted.params["text"] == "Tencent is investing RMB 76.8 billion in AI."
    restated = posted.params["blocks"][0]["elements"][0]["text"]
    assert restated == "Answering: _How much is Tencent investing in AI?_"
    (replies,) = bot.api.calls_to("conversations.replies")
    assert replies.params["ts"] == "200.1" and replies.params["channel"] == "C1"


def test_a_direct_message_is_answered_in_the_dm(bot):
    bot.event(direct_message("How much will Alibaba invest in AI?", ts="300.1", channel="D1"))
    (posted,) = bot.api.wait_for("chat.postMessage")
    assert posted.params["channel"] == "D1" and "thread_ts" not in posted.params
    assert "RMB 380 billion" in posted.params["text"]


def test_each_message_is_answered_exactly_once(bot):
    event = mention(QUESTION, ts="400.1")
    bot.event(event, event_id="Ev1")
    bot.event(event, event_id="Ev1")  # the same delivery twice
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert bot.event(event, event_id="Ev1", headers=retry).status == 200
    # The same message as both app_mention and message.im (another event id).
    bot.event(direct_message(QUESTION, ts="400.1", channel="C1"), event_id="Ev2")
    bot.api.wait_for("chat.postMessage")
    bot.api.settle()
    assert len(bot.api.calls_to("chat.postMessage")) == 1


def test_own_and_other_bots_messages_are_ignored(bot):
    own = direct_message("How much will Alibaba invest?", ts="500.1", user=BOT_USER_ID)
    bot.event({**own, "bot_id": BOT_ID})
    other = direct_message("How much will Alibaba invest?", ts="500.2", user="U7", bot_id="B7")
    bot.event(other)
    bot.event({**other, "ts": "500.3", "subtype": "bot_message"})
    bot.event(mention(QUESTION, ts="500.4", bot_id="B7"))
    bot.event(direct_message("How much will Alibaba invest in AI?", ts="500.9"))  # a person
    bot.api.wait_for("chat.postMessage")
    bot.api.settle()
    (posted,) = bot.api.calls_to("chat.postMessage")
    assert posted.params["channel"] == "D1"


def test_an_empty_mention_gets_usage_in_the_thread(bot):
    bot.event(mention(f"<@{BOT_USER_ID}>  ", ts="600.1"))
    (posted,) = bot.api.wait_for("chat.postMessage")
    assert posted.params["thread_ts"] == "600.1" and "/ask" in posted.params["text"]


def test_a_disallowed_channel_is_told_once_and_dms_still_work(start_bot):
    bot = start_bot(allowed_channels="C1,C3")
    bot.event(mention(QUESTION, ts="700.1", channel="C2"))
    bot.event(mention(QUESTION, ts="700.2", channel="C2"))
    bot.event(direct_message("How much will Alibaba invest in AI?", ts="700.3", channel="D1"))
    bot.api.wait_for("chat.postMessage", count=2)
    bot.api.settle()
    posts = {c.params["channel"]: c.params for c in bot.api.calls_to("chat.postMessage")}
    assert len(bot.api.calls_to("chat.postMessage")) == 2
    assert "not enabled in this channel" in posts["C2"]["text"]
    assert "RMB 380 billion" in posts["D1"]["text"]


def test_article_text_with_broadcasts_never_pings(start_bot, tmp_path):
    corpus = tmp_path / "evil"
    corpus.mkdir()
    body = "Alibaba will invest <!channel> RMB 380 billion in AI & cloud, <!here> @channel <@U123> <!everyone> said."
    write_article(corpus, "a.md", "Alibaba <!here> news", body, source="@everyone Wire")
    bot = start_bot(corpus=corpus)
    bot.event(mention(QUESTION, ts="800.1"))
    (posted,) = bot.api.wait_for("chat.postMessage")
    sent = str(posted.params)
    assert "RMB 380 billion" in sent and "&lt;!channel&gt;" in sent and "&amp;" in sent
    for ping in ("<!channel", "<!here", "<!everyone", "<@U123>", "@channel", "@here", "@everyone"):
        assert ping not in sent


def test_a_failing_handler_logs_and_apologises_in_the_thread(bot, caplog):
    bot.qa.searcher.files.close()  # the index handle is gone: searching now raises
    with caplog.at_level(logging.ERROR):
        bot.event(mention(QUESTION, ts="900.1"))
        (posted,) = bot.api.wait_for("chat.postMessage")
    assert posted.params["thread_ts"] == "900.1"
    assert posted.params["text"].startswith("Sorry, something went wrong")
    assert "Traceback" not in posted.params["text"]
    assert any(r.exc_info for r in caplog.records if "answering" in r.getMessage())


def test_opening_the_home_tab_publishes_what_the_bot_knows(bot):
    bot.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    (published,) = bot.api.wait_for("views.publish")
    assert published.params["user_id"] == "U1"
    view = published.params["view"]
    text = str(view["blocks"])
    assert view["type"] == "home"
    assert "4 articles" in text and "2025-09-27" in text and "9988.HK, BABA, TCEHY" in text


def test_a_redelivered_event_runs_once_even_without_a_message(bot):
    opened = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    bot.event(opened, event_id="EvHome")
    retry = {"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"}
    assert bot.event(opened, event_id="EvHome", headers=retry).status == 200
    bot.event(opened, event_id="EvHome2")  # a genuinely new opening of the tab
    bot.api.wait_for("views.publish", count=2)
    bot.api.settle()
    assert len(bot.api.calls_to("views.publish")) == 2


def test_inline_filter_tokens_shape_the_search_and_are_shown(bot):
    question = "How much did Tencent spend on capital expenditure? ticker:TCEHY since:2025-01-01"
    bot.event(direct_message(question, ts="900.1", channel="D1"))
    (posted,) = bot.api.wait_for("chat.postMessage")
    assert "RMB 76.8 billion" in posted.params["text"]
    shown = [
        e["text"]
        for b in posted.params["blocks"]
        for e in b.get("elements", [])
        if isinstance(e.get("text"), str)
    ]
    assert "Filtered: ticker TCEHY, since 2025-01-01" in shown
    sources = [t for t in shown if t.startswith("[")]
    assert sources and all("Tencent capex climbs" in t for t in sources), shown
