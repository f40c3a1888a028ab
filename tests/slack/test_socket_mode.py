"""Socket Mode end to end: envelopes over a local WebSocket reach the same listeners as HTTP."""

import json

import pytest

from bot.slack.app import create_app
from bot.slack.server import socket_mode_handler
from bot.slack.settings import BotSettings
from tests.slack.conftest import build_service
from tests.slack.payloads import event_body, mention
from tests.slack.socket_stand_in import SocketModeStandIn
from tests.slack.stand_in import BOT_USER_ID


@pytest.fixture
def socket_bot(tmp_path, small_corpus, slack_api, counter):
    ws = SocketModeStandIn()
    slack_api.socket_url = ws.url
    settings = BotSettings(
        slack_bot_token="xoxb-test",
        slack_app_token="xapp-test",
        slack_api_url=slack_api.api_url,
    )  # no signing secret: Socket Mode does not need one
    qa = build_service(small_corpus, tmp_path / "index", settings, counter)
    handler = socket_mode_handler(create_app(settings, qa, socket_mode=True), settings)
    handler.connect()
    yield ws
    handler.close()
    ws.close()


def events_envelope(envelope_id: str, event: dict, event_id: str, retry: int = 0) -> dict:
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": retry,
        "retry_reason": "timeout" if retry else "",
        "payload": json.loads(event_body(event, event_id)),
    }


def test_a_mention_over_socket_mode_is_acked_and_answered_once(socket_bot, slack_api):
    event = mention(f"<@{BOT_USER_ID}> How much will Alibaba invest in AI?", ts="10.1")
    socket_bot.send_envelope(events_envelope("env-1", event, "EvS1"))
    socket_bot.send_envelope(events_envelope("env-2", event, "EvS1", retry=1))  # redelivery
    assert socket_bot.wait_for_ack("env-1") == {"envelope_id": "env-1"}
    socket_bot.wait_for_ack("env-2")
    (posted,) = slack_api.wait_for("chat.postMessage")
    assert posted.params["thread_ts"] == "10.1" and "RMB 380 billion" in posted.params["text"]
    slack_api.settle()
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert slack_api.calls_to("apps.connections.open")  # connected with the app token


def test_ask_help_over_socket_mode_answers_in_the_ack(socket_bot):
    command = {"command": "/ask", "text": "help", "channel_id": "C1", "user_id": "U1"}
    socket_bot.send_envelope(
        {
            "envelope_id": "env-3",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": {**command, "team_id": "T1", "response_url": "http://127.0.0.1:9/x"},
        }
    )
    ack = socket_bot.wait_for_ack("env-3")
    assert "/ask" in ack["payload"]["text"] and ack["payload"]["response_type"] == "ephemeral"
