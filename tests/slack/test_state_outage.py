"""When the state store cannot be reached, an event is refused (Slack retries it) rather than
answered without dedupe; once the store is back, the retry is answered once."""

from sqlalchemy.exc import OperationalError

from tests.slack.payloads import event_body, mention
from tests.slack.stand_in import BOT_USER_ID

QUESTION = f"<@{BOT_USER_ID}> How much will Alibaba invest in AI?"


def test_an_event_during_a_store_outage_gets_500_and_its_retry_is_answered_once(
    bot, monkeypatch, caplog
):
    def unreachable(key: str) -> bool:
        raise OperationalError("INSERT", {}, ConnectionError("server closed the connection"))

    body = event_body(mention(QUESTION, ts="40.1"), event_id="EvOutage1")
    with monkeypatch.context() as patch:
        patch.setattr(bot.qa.store.events, "claim", unreachable)
        refused = bot.send(body, "application/json")
    assert refused.status == 500 and "Traceback" not in refused.body
    assert "server closed the connection" in caplog.text  # logged for the operator
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    assert bot.send(body, "application/json", retry).status == 200
    assert bot.send(body, "application/json", {**retry, "X-Slack-Retry-Num": "2"}).status == 200
    (answered,) = bot.api.wait_for("chat.postMessage")
    bot.api.settle()
    assert len(bot.api.calls_to("chat.postMessage")) == 1
    assert "380 billion" in answered.params["text"]
