"""The HTTP edge in front of bolt's ASGI adapter: routes, size limits, signatures, /healthz.

Everything a stranger can send is refused here, cheaply and without a traceback, before bolt
parses a byte: a wrong path or method (404/405), a POST without a usable Content-Length (411,
400) or larger than Slack ever sends (413), and a body without a valid Slack signature (401).
Only then does bolt's own ASGI handler see the request: a signed body that is still not a
Slack payload gets 400, and the rest goes to `App.dispatch` on a worker thread, so the event
loop keeps accepting connections while a listener acks.

An answer sent before the body was read closes the connection when much of the body is still
on its way; a small unread body is skipped by the HTTP parser, never read as the next request.
"""

import asyncio
import json
import logging
from collections.abc import Callable
from concurrent.futures import Executor

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.asgi import SlackRequestHandler
from slack_bolt.adapter.asgi.http_request import AsgiHttpRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1 << 20  # Slack's payloads are a few KB
KEEP_ALIVE_UNREAD = 64 << 10  # at most this much unread body: skip it and keep the connection
READY_TIMEOUT_S = 2.0


class ThreadedSlackRequestHandler(SlackRequestHandler):
    """bolt's ASGI handler for a sync App, dispatching on `executor` instead of the event loop."""

    def __init__(self, app: App, path: str, executor: Executor):
        super().__init__(app, path)
        self.executor = executor

    async def dispatch(self, request: AsgiHttpRequest) -> BoltResponse:
        body = await request.get_raw_body()
        try:  # parses the body and reads ids from it: a payload Slack never sends can fail here
            bolt_request = BoltRequest(
                body=body, query=request.query_string, headers=request.get_headers()
            )
        except Exception as exc:
            logger.warning(
                "refused a signed body that is not a Slack payload (%s)", type(exc).__name__
            )
            return BoltResponse(status=400, body="not a Slack payload")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.app.dispatch, bolt_request)


class SlackEdge:
    """ASGI app: checks each request, answers /healthz, hands signed Slack requests to bolt."""

    def __init__(self, app: App, signing_secret: str, ready: Callable[[], object], executor):
        self.bolt = ThreadedSlackRequestHandler(app, EVENTS_PATH, executor)
        self.verifier = SignatureVerifier(signing_secret)
        self.ready = ready  # returns normally when the process can answer; raises or False if not
        self.executor = executor

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":  # uvicorn runs with lifespan and websockets off
            return
        path, method = scope["path"], scope["method"]
        if path == HEALTH_PATH:
            if method in ("GET", "HEAD"):
                return await self._health(scope, send)
            return await _reply(scope, send, 405, "method not allowed", allow="GET, HEAD")
        if path != EVENTS_PATH:
            return await _reply(scope, send, 404, "not found")
        if method != "POST":
            return await _reply(scope, send, 405, "method not allowed", allow="POST")
        length = _header(scope, b"content-length")
        if length is None:
            # Whatever follows the headers is not framed: close rather than read it as a request.
            return await _reply(scope, send, 411, "Content-Length required", close=True)
        if not length.isdigit():  # h11 already refuses these; checked again on purpose
            return await _reply(scope, send, 400, "bad Content-Length", close=True)
        if int(length) > MAX_BODY:
            logger.info("refused a %s-byte body from %s", length, _client(scope))
            return await _reply(scope, send, 413, "request body too large", close=True)
        raw = await _read_body(receive)
        if raw is None:
            return  # the client went away or missed the request deadline
        problem = self._check(scope, raw)
        if problem is not None:
            status, reason = problem
            logger.info("refused a request from %s: %s", _client(scope), reason)
            return await _reply(scope, send, status, reason)
        await self._dispatch(scope, raw, send)

    def _check(self, scope: dict, raw: bytes) -> tuple[int, str] | None:
        """(status, reason) when the body is not a signed Slack payload, else None."""
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return 400, "body is not UTF-8"
        timestamp = _header(scope, b"x-slack-request-timestamp") or ""
        signature = _header(scope, b"x-slack-signature") or ""
        # slack_sdk's verifier raises on a timestamp that is not a number: check it first.
        if not (timestamp.isdigit() and self.verifier.is_valid(body, timestamp, signature)):
            return 401, "invalid or missing Slack signature"
        return None

    async def _dispatch(self, scope: dict, raw: bytes, send: Callable) -> None:
        started = False

        async def replay() -> dict:
            return {"type": "http.request", "body": raw, "more_body": False}

        async def tracked_send(message: dict) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self.bolt(scope, replay, tracked_send)
        except Exception:  # bolt handles listener errors; this is a last resort
            logger.exception("dispatching a Slack request failed")
            if not started:
                await _reply(scope, send, 500, "internal error")

    async def _health(self, scope: dict, send: Callable) -> None:
        loop = asyncio.get_running_loop()
        try:
            probe = loop.run_in_executor(self.executor, self.ready)
            ready = await asyncio.wait_for(probe, READY_TIMEOUT_S) is not False
        except Exception:
            logger.warning("health check failed", exc_info=logger.isEnabledFor(logging.DEBUG))
            ready = False
        body = json.dumps({"status": "ready" if ready else "not ready"})
        await _reply(scope, send, 200 if ready else 503, body, "application/json")


async def _read_body(receive: Callable) -> bytes | None:
    """The whole request body (its size was checked), or None when the client disconnected."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _reply(
    scope: dict,
    send: Callable,
    status: int,
    text: str,
    content_type: str = "text/plain; charset=utf-8",
    allow: str | None = None,
    close: bool = False,
) -> None:
    body = text.encode()
    headers = [(b"content-type", content_type.encode()), (b"content-length", b"%d" % len(body))]
    headers.append((b"cache-control", b"no-store"))
    if allow:
        headers.append((b"allow", allow.encode()))
    if close or not _may_keep_alive(scope):
        headers.append((b"connection", b"close"))
    try:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
    except Exception:  # uvicorn already answered a framing error (400) and closed
        logger.debug("no %d sent: the connection had already failed", status)


def _may_keep_alive(scope: dict) -> bool:
    """False when an unread body is large, of unknown size, or its framing is in doubt."""
    length = _header(scope, b"content-length")
    if length is None:
        return _header(scope, b"transfer-encoding") is None
    return length.isdigit() and int(length) <= KEEP_ALIVE_UNREAD


def _header(scope: dict, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1").strip()
    return None


def _client(scope: dict) -> str:
    client = scope.get("client")
    return f"{client[0]}:{client[1]}" if client else "unknown client"
