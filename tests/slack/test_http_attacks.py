"""Hostile HTTP clients against the real server on a local port: each attack costs nothing."""

import json
import resource
import socket
import time

import pytest
from slack_bolt import App

from bot.slack.app import create_app
from bot.slack.server import EVENTS_PATH, SlackHTTPServer
from bot.slack.settings import BotSettings
from tests.helpers import write_article
from tests.slack.conftest import FORM, SECRET, RunningBot, build_service, serve_in_thread
from tests.slack.payloads import signed_headers
from tests.slack.raw_http import RawConnection, request
from tests.slack.stand_in import SlackStandIn

JSON = "application/json"


@pytest.fixture(scope="module")
def bot(tmp_path_factory, counter):
    """One bot for the whole module: the attacks must leave it serving anyway."""
    work = tmp_path_factory.mktemp("attacks")
    corpus = work / "corpus"
    corpus.mkdir()
    write_article(
        corpus,
        "alibaba.md",
        "Alibaba bets on AI",
        "Alibaba will invest RMB 380 billion ($53 billion) in AI and cloud infrastructure over "
        "three years.",
        published="2025-09-27",
    )
    with SlackStandIn() as api:
        settings = BotSettings(
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=api.api_url,
        )
        qa = build_service(corpus, work / "index", settings, counter)
        server = serve_in_thread(create_app(settings, qa), qa.stats)
        yield RunningBot(server.url, api, qa, settings)
        server.shutdown()
        qa.store.close()


# Bytes that answer 404 if a server ever reads them as a request of their own.
SMUGGLED = request("GET", "/smuggled")


def post(body: bytes, **headers) -> bytes:
    return request("POST", EVENTS_PATH, body, {"Content-Type": JSON, **headers})


@pytest.mark.parametrize("length", ["-1", "ten", "0x10", "1e3", "12 34"])
def test_a_bad_content_length_gets_400_at_once_and_the_connection_closes(bot, length):
    with RawConnection(bot.url, timeout=3) as conn:
        conn.send(post(b'{"type": "url_verification"' + SMUGGLED, **{"Content-Length": length}))
        assert conn.read_response().status == 400
        assert conn.closed_by_server()


@pytest.mark.parametrize("framing", [{}, {"Transfer-Encoding": "chunked"}])
def test_a_post_without_content_length_gets_411_and_what_follows_is_never_a_request(bot, framing):
    with RawConnection(bot.url, timeout=3) as conn:
        conn.send(post(b"", **framing) + SMUGGLED)
        assert conn.read_response().status in (400, 411)  # 400: h11 refused the chunk framing
        assert conn.closed_by_server()  # no answer to the smuggled request


def test_a_50_mb_body_gets_413_before_it_is_sent(bot):
    with RawConnection(bot.url, timeout=3) as conn:
        conn.send(post(b"", **{"Content-Length": str(50 << 20)}))
        conn.try_send(SMUGGLED + b"x" * 65536)  # the first of 50 MB; the rest never comes
        reply = conn.read_response()
        assert reply.status == 413
        assert conn.closed_by_server()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("POST", "/nope", 404), ("POST", "/healthz", 405), ("PUT", EVENTS_PATH, 405)],
)
def test_an_unknown_path_or_wrong_method_keeps_the_connection_usable(bot, method, path, status):
    with RawConnection(bot.url, timeout=3) as conn:
        conn.send(request(method, path, SMUGGLED, {"Content-Length": len(SMUGGLED)}))
        assert conn.read_response().status == status
        conn.send(request("GET", "/healthz"))
        reply = conn.read_response()  # this request's answer, not the smuggled one's 404
        assert reply.status == 200 and json.loads(reply.body) == {"status": "ready"}


def test_get_on_the_events_path_is_405_and_says_what_is_allowed(bot):
    with RawConnection(bot.url, timeout=3) as conn:
        conn.send(request("GET", EVENTS_PATH))
        reply = conn.read_response()
        assert reply.status == 405 and reply.headers["allow"] == "POST"


MALFORMED = [
    (JSON, b'{"type": "event_callback", "event": '),
    (JSON, b"[" * 100_000),
    (JSON, b"[1, 2, 3]"),
    (JSON, b'{"enterprise": 5, "team": 7, "authorizations": 3, "event": "x"}'),
    (JSON, b'\xff\xfe{"type": "url_verification"}'),
    (FORM, b"payload=%7Bnot-json"),
    (FORM, b"payload=" + b"%5B" * 50_000),
    ("text/plain", b"\x00\x01\x02 not a payload"),
]


@pytest.mark.parametrize(("content_type", "body"), MALFORMED)
def test_malformed_bodies_get_400_or_401_and_no_traceback(bot, caplog, capfd, content_type, body):
    unsigned = {"Content-Type": content_type, "Content-Length": len(body)}
    stamp = str(int(time.time()))
    forged = {**unsigned, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=00"}
    for headers in (unsigned, forged):
        with RawConnection(bot.url, timeout=5) as conn:
            conn.send(request("POST", EVENTS_PATH, body, headers))
            assert conn.read_response().status in (400, 401)
    if not body.startswith(b"\xff"):  # Slack signs only UTF-8 bodies
        signed = {**unsigned, **signed_headers(SECRET, body.decode())}
        with RawConnection(bot.url, timeout=5) as conn:
            conn.send(request("POST", EVENTS_PATH, body, signed))
            status = conn.read_response().status  # signed, still not a Slack payload
            assert 400 <= status < 500
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert "Traceback" not in capfd.readouterr().err


@pytest.fixture
def many_open_files():
    """500 stalled clients and the server share this process: allow more descriptors."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(4096, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_500_slowloris_connections_do_not_delay_signed_requests(bot, many_open_files):
    host, port = bot.url.removeprefix("http://").split(":")
    stalled = []
    try:
        for _ in range(500):
            sock = socket.create_connection((host, int(port)), timeout=5)
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
            stalled.append(sock)
        challenge = {"token": "t", "challenge": "c-123", "type": "url_verification"}
        verified = bot.send(json.dumps(challenge), JSON)
        assert verified.status == 200 and "c-123" in verified.body
        assert verified.seconds < 3  # Slack's deadline for every ack
        ack, key = bot.command("How much will Alibaba invest in AI?")
        assert ack.status == 200 and ack.seconds < 3
        (answer,) = bot.api.wait_for("response_url", where=lambda c: c.path.endswith(key))
        assert "RMB 380 billion" in answer.params["text"]
    finally:
        for sock in stalled:
            sock.close()


@pytest.fixture
def bare_server():
    """The server around a bolt App with no listeners, for what happens before bolt."""
    servers = []

    def start(**options) -> SlackHTTPServer:
        app = App(signing_secret=SECRET, token="xoxb-test", token_verification_enabled=False)
        ready = options.pop("ready", lambda: True)
        server = SlackHTTPServer(app, ready, SECRET, "127.0.0.1", 0, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()


def test_a_request_that_never_finishes_arriving_is_dropped_at_the_deadline(bare_server):
    server = bare_server(request_deadline_s=0.5)
    with RawConnection(server.url) as half_header, RawConnection(server.url) as half_body:
        half_header.send(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
        half_body.send(post(b'{"type": ', **{"Content-Length": "100"}))
        assert half_header.closed_by_server(wait=5)
        assert half_body.closed_by_server(wait=5)


def test_healthz_says_not_ready_when_the_index_cannot_be_read(bare_server):
    def broken():
        raise OSError("index gone")

    server = bare_server(ready=broken)
    with RawConnection(server.url, timeout=5) as conn:
        conn.send(request("GET", "/healthz"))
        reply = conn.read_response()
        assert reply.status == 503 and json.loads(reply.body) == {"status": "not ready"}
