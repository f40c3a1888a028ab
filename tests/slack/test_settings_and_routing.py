"""Bot settings, mode choice, the startup error for a missing token, and Slack's signature."""

import os
import subprocess
import sys

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.slack.errors import MissingSetting
from bot.slack.server import choose_mode
from bot.slack.settings import DEFAULT_API_URL, BotSettings
from tests.helpers import ROOT

SLACK_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL")


@pytest.fixture
def clean_env(monkeypatch):
    for name in (*SLACK_VARS, "INVESTOR_QA_ALLOWED_CHANNELS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_settings_come_from_the_environment_and_hide_tokens(clean_env):
    clean_env.setenv("SLACK_BOT_TOKEN", "xoxb-secret-value")
    clean_env.setenv("INVESTOR_QA_ALLOWED_CHANNELS", "C1, C2,,")
    settings = BotSettings()
    assert settings.allowed_channels == {"C1", "C2"}
    assert settings.slack_api_url == DEFAULT_API_URL
    assert "xoxb-secret-value" not in repr(settings) and "xoxb-secret-value" not in str(settings)
    assert settings.channel_allowed("C1", is_dm=False)
    assert not settings.channel_allowed("C9", is_dm=False)
    assert settings.channel_allowed("D9", is_dm=True)


def test_every_channel_is_allowed_when_none_are_listed(clean_env):
    assert BotSettings().channel_allowed("C9", is_dm=False)


@pytest.mark.parametrize(
    ("http", "socket", "app_token", "expected"),
    [
        (False, False, "xapp-1", "socket"),
        (False, False, None, "http"),
        (True, False, "xapp-1", "http"),
        (False, True, "xapp-1", "socket"),
    ],
)
def test_mode_is_the_flag_else_socket_when_an_app_token_is_set(http, socket, app_token, expected):
    settings = BotSettings(
        slack_bot_token="xoxb-1", slack_signing_secret="s", slack_app_token=app_token
    )
    assert choose_mode(http, socket, settings) == expected


@pytest.mark.parametrize(
    ("http", "socket", "given", "missing"),
    [
        (True, False, {"slack_signing_secret": "s"}, "SLACK_BOT_TOKEN"),
        (True, False, {"slack_bot_token": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        (False, True, {"slack_bot_token": "xoxb-1"}, "SLACK_APP_TOKEN"),
        (True, False, {"slack_bot_token": " ", "slack_signing_secret": "s"}, "SLACK_BOT_TOKEN"),
    ],
)
def test_a_missing_token_is_named(clean_env, http, socket, given, missing):
    with pytest.raises(MissingSetting, match=missing):
        choose_mode(http, socket, BotSettings(**given))


def test_serve_without_tokens_exits_with_one_line_naming_the_variable(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--http", "--port", "0"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "SLACK_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_slack_documented_signature_test_vector():
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        "channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        "command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
        "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015."
        "47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    verifier = SignatureVerifier("8f742231b10e8888abcd99yyyzzz85a5")
    assert verifier.generate_signature(timestamp="1531420618", body=body) == expected

    class Then:  # the moment Slack's example request was sent
        def now(self) -> float:
            return 1531420618 + 10

    fixed = SignatureVerifier("8f742231b10e8888abcd99yyyzzz85a5", clock=Then())
    assert fixed.is_valid(body, "1531420618", expected)
    assert not fixed.is_valid(body + "x", "1531420618", expected)
    assert not SignatureVerifier("8f742231b10e8888abcd99yyyzzz85a5").is_valid(
        body, "1531420618", expected
    )  # years old: stale


def test_an_unreachable_or_refusing_slack_is_one_clear_error(slack_api):
    from bot.slack.app import create_app
    from bot.slack.errors import SlackUnreachable

    closed = BotSettings(
        slack_bot_token="xoxb-t", slack_signing_secret="s", slack_api_url="http://127.0.0.1:9/api/"
    )
    with pytest.raises(SlackUnreachable, match=r"could not reach Slack's Web API at http://127"):
        create_app(closed, qa=None)  # the token check fails before the service is used
    slack_api.set_down("auth.test")  # Slack answers 500 to the token check
    down = closed.model_copy(update={"slack_api_url": slack_api.api_url})
    with pytest.raises(SlackUnreachable) as refused:
        create_app(down, qa=None)
    assert "xoxb-t" not in str(refused.value)
