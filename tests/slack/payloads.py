"""Build Slack request payloads and send them signed exactly as Slack signs them."""

import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

TEAM = "T1"


@dataclass
class Reply:
    """The bot's HTTP response to one request, and how long it took."""

    status: int
    body: str
    seconds: float


def signed_headers(secret: str, body: str, timestamp: int | None = None) -> dict:
    """`X-Slack-Request-Timestamp` and `X-Slack-Signature` for `body`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}


def send(url: str, body: str, content_type: str, headers: dict) -> Reply:
    """POST `body` to `url` and return the status, body and elapsed time."""
    request = urllib.request.Request(
        url, data=body.encode(), method="POST", headers={"Content-Type": content_type, **headers}
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    return Reply(status, text, time.perf_counter() - started)


def event_body(event: dict, event_id: str | None = None) -> str:
    """An Events API `event_callback` envelope around `event`."""
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "event": event,
        }
    )


def mention(text: str, ts: str, channel: str = "C1", user: str = "U1", **extra) -> dict:
    """An `app_mention` event."""
    event = {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel}
    return {**event, "event_ts": ts, **extra}


def direct_message(text: str, ts: str, channel: str = "D1", user: str = "U1", **extra) -> dict:
    """A `message` event in a DM (`message.im`)."""
    event = {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts}
    return {**event, "channel": channel, "event_ts": ts, **extra}


def command_body(text: str, response_url: str, channel: str = "C1", user: str = "U1") -> str:
    """A `/ask` slash command form body."""
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM,
            "channel_id": channel,
            "channel_name": "investing",
            "user_id": user,
            "user_name": "analyst",
            "command": "/ask",
            "text": text,
            "response_url": response_url,
            "trigger_id": "1.2.3",
            "api_app_id": "A1",
        }
    )


def action_body(
    action_id: str,
    value: str,
    response_url: str,
    message: dict | None = None,
    channel: str = "C1",
    user: str = "U2",
) -> str:
    """A `block_actions` interactivity form body for one button click."""
    container = {"type": "message", "channel_id": channel, "is_ephemeral": message is None}
    if message:
        container["message_ts"] = message["ts"]
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": user},
        "api_app_id": "A1",
        "channel": {"id": channel},
        "container": container,
        "response_url": response_url,
        "trigger_id": "1.2.3",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "value": value,
                "block_id": "x",
                "action_ts": f"{time.time():.6f}",  # when the user clicked, as Slack sends it
            }
        ],
        **({"message": message} if message else {}),
    }
    return urlencode({"payload": json.dumps(payload)})
