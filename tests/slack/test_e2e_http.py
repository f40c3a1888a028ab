"""The HTTP surface: signatures, url_verification, /healthz, retries, outages and feedback."""

import json
import time
import urllib.request
from pathlib import Path

from tests.slack.conftest import FORM
from tests.slack.payloads import command_body, event_body, mention
from tests.slack.stand_in import BOT_USER_ID

QUESTION = f"<@{BOT_USER_ID}> How much will Alibaba invest in AI?"


def test_bad_signature_and_stale_timestamp_get_401_and_run_nothing(bot):
    body = command_body("How much will Alibaba invest in AI?", bot.api.response_url("x"))
    assert bot.send(body, FORM, secret="not-the-secret").status == 401
    assert bot.send(body, FORM, timestamp=int(time.time()) - 6 * 60).status == 401
    event = event_body(mention(QUESTION, ts="1.1"))
    assert bot.send(event, "application/json", headers={"X-Slack-Signature": "v0=00"}).status == 401
    assert bot.send(body, FORM, timestamp=int(time.time()) - 60).status == 200  # control
    bot.api.wait_for("response_url")
    bot.api.settle()
    assert [c.method for c in bot.api.calls if c.method != "auth.test"] == ["response_url"]


def test_url_verification_echoes_the_challenge(bot):
    body = json.dumps(
        {"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9", "type": "url_verification"}
    )
    reply = bot.send(body, "application/json")
    assert reply.status == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9" in reply.body
    assert bot.send(body, "application/json", secret="wrong").status == 401


def test_healthz_says_ready_and_nothing_else(bot):
    with urllib.request.urlopen(bot.url + "/healthz", timeout=10) as response:
        assert response.status == 200
        assert json.load(response) == {"status": "ready"}  # no index path, model or counts


def test_a_429_is_retried_after_retry_after(bot):
    bot.api.fail_next("chat.postMessage", status=429, retry_after=1)
    bot.event(mention(QUESTION, ts="2.1"))
    first, second = bot.api.wait_for("chat.postMessage", count=2)
    assert second.at - first.at >= 0.9  # waited for Retry-After before trying again
    assert first.params == second.params and "RMB 380 billion" in second.params["text"]
    bot.api.settle()
    assert len(bot.api.calls_to("chat.postMessage")) == 2


def test_a_dropped_connection_is_retried(bot):
    bot.api.drop_next("chat.postMessage")
    bot.event(mention(QUESTION, ts="2.5"))
    dropped, retried = bot.api.wait_for("chat.postMessage", count=2)
    assert dropped.params == retried.params
    bot.api.settle()
    assert len(bot.api.calls_to("chat.postMessage")) == 2


def test_a_failed_post_is_logged_and_the_next_question_is_answered(bot, caplog):
    bot.api.set_down("chat.postMessage")
    bot.event(mention(QUESTION, ts="3.1"))
    bot.api.wait_for("chat.postMessage")
    bot.api.settle()
    bot.api.set_down("chat.postMessage", False)
    bot.event(mention(QUESTION, ts="3.2"))
    answered = bot.api.wait_for("chat.postMessage", where=lambda c: c.params["thread_ts"] == "3.2")
    assert "RMB 380 billion" in answered[0].params["text"]
    assert any("posting to C1 failed" in r.getMessage() for r in caplog.records)


def test_feedback_is_stored_the_message_thanks_and_a_second_vote_replaces_the_first(bot, tmp_path):
    bot.event(mention(QUESTION, ts="4.1", channel="C1"))
    (posted,) = bot.api.wait_for("chat.postMessage")
    ts = next(ts for (ch, ts), m in bot.api.messages.items() if ch == "C1" and m.get("bot_id"))
    message = {"ts": ts, "text": posted.params["text"], "blocks": posted.params["blocks"]}
    up, down = posted.params["blocks"][-1]["elements"]
    bot.click(up["action_id"], up["value"], message=message, user="U2")
    (update,) = bot.api.wait_for("chat.update")
    assert (update.params["channel"], update.params["ts"]) == ("C1", ts)
    assert "Thanks <@U2>, noted as helpful" in str(update.params["blocks"])
    bot.click(
        down["action_id"],
        down["value"],
        message={**message, "blocks": update.params["blocks"]},
        user="U2",
    )
    second = bot.api.wait_for("chat.update", count=2)[1]
    assert "noted as not helpful" in str(second.params["blocks"])
    assert "noted as helpful" not in str(second.params["blocks"])
    (vote,) = bot.qa.store.votes()
    assert (vote["user_id"], vote["channel"], vote["vote"]) == ("U2", "C1", "down")
    assert vote["question"] == "How much will Alibaba invest in AI?"
    assert vote["answer"].startswith("Alibaba will invest RMB 380 billion")
    assert Path(bot.qa.store.engine.url.database).parent == tmp_path / "data"  # not the index
