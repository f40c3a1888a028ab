"""Two real `investor-qa serve --http` processes on one PostgreSQL: each event is answered once,
whichever replica Slack delivers it (or its retries) to, and every vote through either is kept.

The processes run the real CLI through tests/fake_cli.py (the fake embedder instead of the
model, so they start in a second), against the recording Slack stand-in.
"""

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.state.settings import StateSettings
from bot.state.store import open_state
from index.build import build_index
from tests.helpers import ROOT, FakeEmbedder, write_article
from tests.pg_cluster import free_port, fresh_schema_url
from tests.slack.conftest import FORM, SECRET
from tests.slack.payloads import (
    action_body,
    direct_message,
    event_body,
    mention,
    send,
    signed_headers,
)
from tests.slack.stand_in import BOT_USER_ID, SlackStandIn

PASSWORD = "replica-pw-7f3a"  # trust auth ignores it; it must still never reach a log
QUESTION = f"<@{BOT_USER_ID}> How much will Alibaba invest in AI?"
ALIBABA = "Alibaba will invest RMB 380 billion ($53 billion) in AI and cloud over three years."
TENCENT = "Tencent spent about RMB 76.8 billion on capital expenditure in 2024."


@dataclass
class Replica:
    url: str
    process: subprocess.Popen
    log: Path

    def post(self, body: str, content_type: str, headers: dict | None = None):
        signed = signed_headers(SECRET, body)
        return send(self.url + "/slack/events", body, content_type, {**signed, **(headers or {})})


def with_password(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.replace("@", f":{PASSWORD}@", 1)).geturl()


def wait_healthy(replica: Replica, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replica.process.poll() is not None:
            raise AssertionError(f"serve exited: {replica.log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(replica.url + "/healthz", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError("serve never became healthy")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("replicas") / "corpus"
    corpus.mkdir()
    write_article(corpus, "alibaba.md", "Alibaba bets on AI", ALIBABA, source="Sample Wire")
    write_article(corpus, "tencent.md", "Tencent capex climbs", TENCENT, source="Sample Wire")
    return corpus


@pytest.fixture(scope="module")
def slack_api():
    """One stand-in for the module: the replicas are started once, pointing at it."""
    with SlackStandIn() as api:
        yield api


@pytest.fixture(scope="module")
def state_url(postgres_server) -> str:
    return fresh_schema_url(postgres_server)


@pytest.fixture(scope="module")
def replicas(corpus, slack_api, state_url, counter):
    """Two serve processes sharing the index directory and one PostgreSQL state store."""
    work = corpus.parent
    build_index(corpus, work / "index", FakeEmbedder(), counter)
    started = []
    for n in range(2):
        port = free_port()
        env = {
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack_api.api_url,
            "INVESTOR_QA_DATABASE_URL": with_password(state_url),
            "INVESTOR_QA_DATA_DIR": str(work / f"data-{n}"),  # per replica: must not matter
            "INVESTOR_QA_ALLOWED_CHANNELS": "C1",
            "INVESTOR_QA_MIN_SCORE": "0.2",  # the fake embedder's scores are lower
        }
        log = work / f"replica-{n}.log"
        args = ["serve", "--http", "--port", str(port), "--corpus", str(corpus)]
        with log.open("w") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "tests" / "fake_cli.py"),
                    *args,
                    "--index-dir",
                    str(work / "index"),
                ],  # fmt: skip
                cwd=work,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=out,
            )
        started.append(Replica(f"http://127.0.0.1:{port}", process, log))
    try:
        for replica in started:
            wait_healthy(replica)
        yield started
    finally:
        for replica in started:
            replica.process.terminate()
            replica.process.wait(timeout=30)


def deliver_at_once(deliveries: list[tuple[Replica, str, dict]]) -> list[int]:
    """Send each (replica, body, extra headers) from its own thread at the same moment."""
    start, statuses = threading.Barrier(len(deliveries)), [0] * len(deliveries)

    def run(n: int) -> None:
        replica, body, headers = deliveries[n]
        start.wait()
        statuses[n] = replica.post(body, "application/json", headers).status

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(deliveries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def retry(n: int) -> dict:
    return {"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"}


def in_test(call) -> bool:
    """The calls of the first test: its thread, its DM and its disallowed channel."""
    return call.params.get("thread_ts") == "20.1" or call.params["channel"] in ("D1", "C9")


def test_an_event_sent_to_both_replicas_and_retried_is_answered_once(replicas, slack_api):
    first, second = replicas
    body = event_body(mention(QUESTION, ts="20.1"), event_id="EvReplica1")
    statuses = deliver_at_once([(first, body, {}), (second, body, {})])
    statuses += deliver_at_once([(second, body, retry(1)), (first, body, retry(2))])
    assert statuses == [200, 200, 200, 200]
    # One message, two envelopes (message.im and app_mention), one to each replica.
    dm = direct_message(f"<@{BOT_USER_ID}> How much does Tencent spend on capex?", ts="21.1")
    as_mention = {**dm, "type": "app_mention"}
    deliver_at_once(
        [
            (first, event_body(dm, "EvReplica2"), {}),
            (second, event_body(as_mention, "EvReplica3"), {}),
        ]
    )
    # A channel the bot is not enabled in is told so once, not once per replica.
    for n, replica in enumerate([first, second, first, second]):
        replica.post(event_body(mention(QUESTION, ts=f"22.{n}", channel="C9")), "application/json")
    slack_api.wait_for("chat.postMessage", count=3, where=in_test, timeout=30)
    slack_api.settle(quiet=1.0)
    posts = [c for c in slack_api.calls_to("chat.postMessage") if in_test(c)]
    in_thread = [c for c in posts if c.params.get("thread_ts") == "20.1"]
    assert len(in_thread) == 1 and "380 billion" in in_thread[0].params["text"]
    assert len([c for c in posts if c.params["channel"] == "D1"]) == 1
    assert len([c for c in posts if c.params["channel"] == "C9"]) == 1
    assert len(posts) == 3


def test_votes_through_either_replica_are_all_counted(replicas, slack_api, state_url):
    first, second = replicas
    question = f"<@{BOT_USER_ID}> How much did Tencent spend on capital expenditure?"
    first.post(event_body(mention(question, ts="30.1")), "application/json")
    in_thread = lambda call: call.params.get("thread_ts") == "30.1"  # noqa: E731
    (posted,) = slack_api.wait_for("chat.postMessage", where=in_thread, timeout=30)
    ts = next(
        ts
        for (ch, ts), m in slack_api.messages.items()
        if ch == "C1" and m.get("bot_id") and m.get("text") == posted.params["text"]
    )
    message = {"ts": ts, "text": posted.params["text"], "blocks": posted.params["blocks"]}
    up, down = posted.params["blocks"][-1]["elements"]
    users = [f"U{n:02d}" for n in range(16)]
    expected = {user: ("up", "down")[n % 3 == 0] for n, user in enumerate(users)}
    start = threading.Barrier(len(users))

    def click(n: int) -> None:
        button = down if expected[users[n]] == "down" else up
        body = action_body(
            button["action_id"],
            button["value"],
            slack_api.response_url("a"),
            message,
            user=users[n],
        )
        start.wait()
        assert replicas[n % 2].post(body, FORM).status == 200

    threads = [threading.Thread(target=click, args=(n,)) for n in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # One voter changes their mind on the other replica: the later vote replaces the first.
    body = action_body(
        down["action_id"], down["value"], slack_api.response_url("a"), message, user="U01"
    )
    assert second.post(body, FORM).status == 200
    expected["U01"] = "down"
    slack_api.wait_for("chat.update", count=len(users) + 1, timeout=30)
    store = open_state(StateSettings(database_url=state_url))
    votes = {v["user_id"]: v["vote"] for v in store.votes(up["value"])}
    store.close()
    assert votes == expected


def test_the_database_password_never_reaches_the_logs(replicas):
    for replica in replicas:
        log = replica.log.read_text()
        assert "bot state in postgresql+psycopg://postgres:***@127.0.0.1" in log
        assert PASSWORD not in log
        assert json.dumps(PASSWORD) not in log
