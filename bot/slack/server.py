"""Serve a bolt App: a threaded HTTP server (`/slack/events`, `/healthz`) or Socket Mode."""

import json
import logging
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from slack_bolt import App, BoltRequest

from bot.slack.settings import BotSettings

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

logger = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1 << 20  # Slack payloads are a few KB


def choose_mode(http: bool, socket: bool, settings: BotSettings) -> str:
    """`http` or `socket`: the flag when given, else Socket Mode when SLACK_APP_TOKEN is set."""
    mode = "http" if http else "socket" if socket else None
    if mode is None:
        mode = "socket" if settings.slack_app_token is not None else "http"
    if mode == "http":
        settings.require("slack_bot_token", "slack_signing_secret")
    else:
        settings.require("slack_bot_token", "slack_app_token")
    return mode


class SlackHTTPServer(ThreadingHTTPServer):
    """One thread per request, so a slow client never delays another request's ack."""

    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 refuses connections in a burst

    def __init__(self, address: tuple[str, int], app: App, stats: Callable[[], dict]):
        super().__init__(address, _Handler)
        self.app, self.stats = app, stats

    @property
    def url(self) -> str:
        """The server's base URL."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: SlackHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if urlsplit(self.path).path != HEALTH_PATH:
            return self._send(404, b"not found", "text/plain")
        try:
            body = json.dumps({"status": "ok", **self.server.stats()}, default=str)
        except Exception:
            logger.exception("health check failed")
            return self._send(503, b'{"status": "error"}', "application/json")
        self._send(200, body.encode(), "application/json")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if url.path != EVENTS_PATH or length > MAX_BODY:
            return self._send(404 if url.path != EVENTS_PATH else 413, b"", "text/plain")
        body = self.rfile.read(length).decode("utf-8")
        headers: dict[str, str | Sequence[str]] = {k.lower(): v for k, v in self.headers.items()}
        try:
            response = self.server.app.dispatch(
                BoltRequest(body=body, query=url.query, headers=headers)
            )
        except Exception:  # bolt handles listener errors; this is a last resort
            logger.exception("dispatching a Slack request failed")
            return self._send(500, b"", "text/plain")
        out_headers = {k: v for k, values in response.headers.items() for v in values[:1]}
        content_type = out_headers.pop("content-type", "text/plain;charset=utf-8")
        self._send(response.status, (response.body or "").encode(), content_type, out_headers)

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


def serve_http(app: App, stats: Callable[[], dict], port: int, host: str = "0.0.0.0") -> None:
    """Serve `app` over HTTP until interrupted."""
    server = SlackHTTPServer((host, port), app, stats)
    logger.info("investor-qa listening on %s%s", server.url, EVENTS_PATH)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def socket_mode_handler(app: App, settings: BotSettings) -> "SocketModeHandler":
    """A Socket Mode handler for `app`; it reaches Slack through the app's WebClient."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(app, settings.secret("slack_app_token"))


def serve_socket(app: App, settings: BotSettings) -> None:
    """Connect to Slack over Socket Mode and serve `app` until interrupted."""
    socket_mode_handler(app, settings).start()
