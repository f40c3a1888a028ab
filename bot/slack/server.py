"""Serve a bolt App: over HTTP with uvicorn (`/slack/events`, `/healthz`), or over Socket Mode.

One process, one event loop: uvicorn (h11) parses HTTP and holds idle or stalled connections
for almost nothing, `SlackEdge` refuses bad requests, and bolt's ASGI handler dispatches on a
thread pool, so acks never wait behind a slow client. The model and index are loaded once,
before the socket accepts anything; to serve more, run more processes (docs/SCALING.md).
"""

import logging
import resource
import socket
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import uvicorn
from slack_bolt import App

from bot.slack.http_edge import EVENTS_PATH, HEALTH_PATH, MAX_BODY, SlackEdge
from bot.slack.http_protocol import REQUEST_DEADLINE_S, with_deadline
from bot.slack.settings import BotSettings

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

__all__ = ["EVENTS_PATH", "HEALTH_PATH", "MAX_BODY", "SlackHTTPServer", "choose_mode"]
logger = logging.getLogger(__name__)
# bolt's dispatch waits on its thread until the listener acks; this many requests can wait
# for their ack at once before the next one queues.
DISPATCH_THREADS = 64
BACKLOG = 2048
MAX_HEADER_BYTES = 16 * 1024  # request line and headers; Slack's are well under 2 KB
SWITCH_INTERVAL_S = 0.001


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


class SlackHTTPServer:
    """uvicorn serving `SlackEdge` on a socket bound at construction (port 0: any free port)."""

    def __init__(
        self,
        app: App,
        ready: Callable[[], object],
        signing_secret: str,
        host: str = "0.0.0.0",
        port: int = 3000,
        request_deadline_s: float = REQUEST_DEADLINE_S,
    ):
        self.socket = socket.create_server((host, port), backlog=BACKLOG)
        self.executor = ThreadPoolExecutor(DISPATCH_THREADS, thread_name_prefix="slack-http")
        edge = SlackEdge(app, signing_secret, ready, self.executor)
        config = uvicorn.Config(
            edge,
            http=with_deadline(request_deadline_s),
            ws="none",
            lifespan="off",
            loop="asyncio",
            log_config=None,  # keep the CLI's logging
            access_log=False,
            server_header=False,
            timeout_keep_alive=5,
            timeout_graceful_shutdown=10,
            h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        )
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The server's base URL."""
        host, port = self.socket.getsockname()[:2]
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        """Serve until SIGINT/SIGTERM (main thread) or `shutdown()`; in-flight requests finish."""
        # Shorter GIL slices: while an answer is composed in Python, the event loop and the
        # threads waiting to ack get the interpreter back within 1 ms instead of 5.
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.socket.close()
            self.executor.shutdown(wait=False)

    def start(self) -> "SlackHTTPServer":
        """Serve from a daemon thread; returns once the server accepts connections."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        while not self.server.started and self._thread.is_alive():
            self._thread.join(0.01)
        return self

    def shutdown(self) -> None:
        """Stop a server started with `start()`."""
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(15)


def serve_http(
    app: App, ready: Callable[[], object], port: int, settings: BotSettings, host: str = "0.0.0.0"
) -> None:
    """Serve `app` over HTTP until interrupted; `ready` answers /healthz (raise: not ready)."""
    secret = settings.secret("slack_signing_secret")
    _raise_open_file_limit()
    server = SlackHTTPServer(app, ready, secret, host, port)
    logger.info("investor-qa listening on %s%s", server.url, EVENTS_PATH)
    server.serve_forever()


def _raise_open_file_limit() -> None:
    """Every open connection holds a descriptor; the usual soft limit of 1,024 is soon reached."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError):
            logger.warning("could not raise the open-file limit from %d", soft)


def socket_mode_handler(app: App, settings: BotSettings) -> "SocketModeHandler":
    """A Socket Mode handler for `app`; it reaches Slack through the app's WebClient."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(app, settings.secret("slack_app_token"))


def serve_socket(app: App, settings: BotSettings) -> None:
    """Connect to Slack over Socket Mode and serve `app` until interrupted."""
    socket_mode_handler(app, settings).start()
