"""Slack fixtures: the Web API stand-in and the real bot served over HTTP on a free port."""

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.access.gate import Gate
from bot.access.policy import AccessPolicy
from bot.access.ratelimit import RateLimiter
from bot.answer.answerer import Answerer
from bot.audit.store import open_audit
from bot.slack.app import create_app
from bot.slack.server import EVENTS_PATH, SlackHTTPServer
from bot.slack.service import QAService
from bot.slack.settings import BotSettings
from bot.state.settings import StateSettings
from bot.state.store import open_state
from index.build import build_index
from index.settings import IndexSettings
from tests.helpers import FakeEmbedder
from tests.slack import payloads
from tests.slack.stand_in import SlackStandIn

SECRET = "test-signing-secret"
FORM = "application/x-www-form-urlencoded"


@dataclass
class RunningBot:
    """A served bot and helpers that talk to it the way Slack does."""

    url: str
    api: SlackStandIn
    qa: QAService
    settings: BotSettings

    def send(self, body: str, content_type: str, headers: dict | None = None, **signing):
        signed = payloads.signed_headers(signing.pop("secret", SECRET), body, **signing)
        return payloads.send(
            self.url + EVENTS_PATH, body, content_type, {**signed, **(headers or {})}
        )

    def event(self, event: dict, event_id: str | None = None, headers: dict | None = None):
        return self.send(payloads.event_body(event, event_id), "application/json", headers)

    def command(self, text: str, channel: str = "C1", user: str = "U1"):
        """Run `/ask text`; returns the ack reply and the response_url key used."""
        key = uuid.uuid4().hex
        body = payloads.command_body(text, self.api.response_url(key), channel, user)
        return self.send(body, FORM), key

    def click(self, action_id: str, value: str, message: dict | None = None, **kw):
        body = payloads.action_body(
            action_id, value, self.api.response_url("action"), message, **kw
        )
        return self.send(body, FORM)


@pytest.fixture
def slack_api():
    with SlackStandIn() as api:
        yield api


def build_service(
    corpus: Path,
    index_dir: Path,
    settings: BotSettings,
    counter,
    state: StateSettings | None = None,
    rate_limit: int = 0,
) -> QAService:
    """Index `corpus` with the fake embedder and wrap it in the bot's service; its state goes to
    `state` (default: SQLite in a `data` directory beside `index_dir`).

    Access rules come from `corpus/access.yml` when there is one; the audit trail is kept in
    the state store, as `serve` keeps it.
    """
    build_index(corpus, index_dir, FakeEmbedder(), counter)
    answerer = Answerer.open(index_dir, FakeEmbedder(), corpus, min_score=0.2)
    index_settings = IndexSettings(corpus_dir=corpus, index_dir=index_dir)
    store = open_state(state or StateSettings(data_dir=index_dir.parent / "data"))
    gate = Gate(answerer, AccessPolicy.load(corpus / "access.yml"), open_audit(store))
    return QAService(
        gate, store, settings, index_settings=index_settings, limiter=RateLimiter(rate_limit)
    )


def serve_in_thread(app, stats, **options) -> SlackHTTPServer:
    """The bot's HTTP server on a free local port, serving from a daemon thread."""
    return SlackHTTPServer(app, stats, SECRET, "127.0.0.1", 0, **options).start()


@pytest.fixture
def start_bot(tmp_path: Path, small_corpus: Path, slack_api: SlackStandIn, counter):
    """Start the bot over `small_corpus` (fake embedder) with optional settings overrides."""
    servers = []

    def start(
        corpus: Path = small_corpus,
        state: StateSettings | None = None,
        rate_limit: int = 0,
        **overrides,
    ) -> RunningBot:
        settings = BotSettings(
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=slack_api.api_url,
            **overrides,
        )
        state = state or StateSettings(data_dir=tmp_path / "data")
        index_dir = tmp_path / f"index-{len(servers)}"
        qa = build_service(corpus, index_dir, settings, counter, state, rate_limit)
        server = serve_in_thread(create_app(settings, qa), qa.stats)
        servers.append((server, qa))
        return RunningBot(server.url, slack_api, qa, settings)

    yield start
    for server, qa in servers:
        server.shutdown()
        qa.store.close()


@pytest.fixture
def bot(start_bot) -> RunningBot:
    return start_bot()
