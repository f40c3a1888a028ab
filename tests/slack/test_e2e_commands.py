"""`/ask` end to end: signed requests to the served bot, replies read from the Slack stand-in."""

from tests.slack.stand_in import SlackStandIn


def answer_for(api: SlackStandIn, key: str) -> dict:
    """The reply the bot sent to the response_url of the command with `key`."""
    (call,) = api.wait_for("response_url", where=lambda c: c.path.endswith(key))
    return call.params


def test_ask_acks_before_answering_then_replies_ephemerally_with_citations(bot):
    release = bot.api.hold("response_url")  # the answer cannot be delivered until released
    ack, key = bot.command("How much will Alibaba invest in AI?")
    assert ack.status == 200 and ack.body == ""  # acked while the answer is still undelivered
    release.set()
    reply = answer_for(bot.api, key)
    assert reply["response_type"] == "ephemeral"
    assert (
        reply["text"]
        == "Alibaba will invest RMB 380 billion ($53 billion) in AI and cloud infrastructure over three years."
    )
    blocks = reply["blocks"]
    assert "*RMB 380 billion ($53 billion)*" in blocks[0]["text"]["text"]
    assert blocks[1]["text"]["text"].startswith("> Alibaba will invest RMB 380 billion")
    assert blocks[2]["elements"][0]["text"] == (
        "[1] <https://example.com/alibaba|Alibaba bets on AI> · Sample Wire · 2025-09-27"
    )
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [
        "feedback_up",
        "feedback_down",
        "share_answer",
    ]
    assert reply["unfurl_links"] is False and reply["unfurl_media"] is False


def test_share_reposts_the_answer_in_the_channel_as_asked_by_the_user(bot):
    _, key = bot.command("How much will Alibaba invest in AI?", channel="C7", user="U5")
    share = answer_for(bot.api, key)["blocks"][-1]["elements"][-1]
    assert bot.click(share["action_id"], share["value"], channel="C7", user="U5").status == 200
    (posted,) = bot.api.wait_for("chat.postMessage")
    params = posted.params
    assert params["channel"] == "C7" and "thread_ts" not in params
    assert params["unfurl_links"] is False
    assert {"type": "mrkdwn", "text": "asked by <@U5>"} in [
        e for b in params["blocks"] for e in b.get("elements", [])
    ]
    assert "share_answer" not in str(params["blocks"])  # the public copy has no Share button
    assert "RMB 380 billion" in params["text"]
    bot.api.wait_for("response_url", where=lambda c: c.params.get("delete_original") is True)


def test_votes_on_an_ephemeral_answer_replace_it_through_the_response_url(bot):
    _, key = bot.command("How much will Alibaba invest in AI?")
    up = answer_for(bot.api, key)["blocks"][-1]["elements"][0]
    bot.click(up["action_id"], up["value"], user="U1")
    (update,) = bot.api.wait_for("response_url", where=lambda c: c.path.endswith("/action"))
    assert update.params["replace_original"] is True
    assert "Thanks <@U1>, noted as helpful" in str(update.params["blocks"])
    assert [v["vote"] for v in bot.qa.store.votes()] == ["up"]


def test_empty_ask_and_ask_help_show_usage_in_the_ack(bot):
    for text in ("", "help", "  HELP "):
        ack, _ = bot.command(text)
        assert ack.status == 200
        assert "/ask" in ack.body and "direct message" in ack.body
    bot.api.settle()
    assert bot.api.calls_to("response_url") == []


def test_nothing_found_says_so_and_suggests_rephrasing(bot):
    _, key = bot.command("Who painted the Mona Lisa?")
    reply = answer_for(bot.api, key)
    assert "couldn't find" in reply["text"] and "rephras" in reply["text"].lower()
    assert "blocks" not in reply


def test_ask_in_a_disallowed_channel_is_refused_in_the_ack(start_bot):
    bot = start_bot(allowed_channels="C1")
    ack, _ = bot.command("How much will Alibaba invest in AI?", channel="C2")
    assert "not enabled in this channel" in ack.body
    _, key = bot.command("How much will Alibaba invest in AI?", channel="D3")
    assert "RMB 380 billion" in answer_for(bot.api, key)["text"]  # DMs always work
    bot.api.settle()
    assert len(bot.api.calls_to("response_url")) == 1


def test_a_vote_on_an_unknown_answer_asks_to_ask_again(bot):
    assert bot.click("feedback_up", "no-such-answer").status == 200
    (reply,) = bot.api.wait_for("response_url")
    assert "ask again" in reply.params["text"] and reply.params["replace_original"] is False
    assert bot.qa.store.votes() == []
