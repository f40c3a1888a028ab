"""A local stand-in for the Slack Web API and response_url endpoints that records every call."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

BOT_USER_ID, BOT_ID = "UBOT", "BBOT"


@dataclass
class Call:
    """One request the stand-in received: Web API method (or `response_url`) and its arguments."""

    method: str
    params: dict
    at: float = field(default_factory=time.perf_counter)
    path: str = ""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # bursts of concurrent replies must not be refused


class SlackStandIn:
    """Threaded HTTP server on 127.0.0.1 that answers like Slack and records what it was sent."""

    def __init__(self):
        self.calls: list[Call] = []
        self.messages: dict[tuple[str, str], dict] = {}  # (channel, ts) -> message, for replies
        self.socket_url: str | None = None  # what apps.connections.open hands out
        self._failures: dict[str, list[tuple[int | None, dict]]] = {}
        self._down: set[str] = set()
        self._held: dict[str, threading.Event] = {}
        self.files: dict[str, tuple[bytes, str]] = {}  # /files/<name> -> (body, content type)
        self.file_info: dict[str, dict] = {}  # file id -> what files.info returns
        self.redirects: dict[str, str] = {}  # /files/<name> -> Location
        self.uploads: dict[str, dict] = {}  # file id -> {"filename", "length", "body", ...}
        self.rejected_blocks: set[str] = set()  # block types this "workspace" refuses
        self._ts = 1_700_000_000
        self._cond = threading.Condition()
        self._server = _Server(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, key: str) -> str:
        return f"{self.url}/response/{key}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    # -- controls --------------------------------------------------------------------------
    def fail_next(self, method: str, status: int = 429, retry_after: int = 1) -> None:
        """Answer the next call to `method` with `status` (and Retry-After for a 429)."""
        headers = {"Retry-After": str(retry_after)} if status == 429 else {}
        self._failures.setdefault(method, []).append((status, headers))

    def drop_next(self, method: str) -> None:
        """Close the connection of the next call to `method` without answering it."""
        self._failures.setdefault(method, []).append((None, {}))

    def set_down(self, method: str, down: bool = True) -> None:
        """Make every call to `method` fail with 500 until set back."""
        (self._down.add if down else self._down.discard)(method)

    def reject_blocks(self, block_type: str) -> None:
        """Refuse messages holding `block_type` (invalid_blocks), like a workspace without it."""
        self.rejected_blocks.add(block_type)

    def _refused(self, params: dict) -> bool:
        blocks = params.get("blocks") or []
        return any(isinstance(b, dict) and b.get("type") in self.rejected_blocks for b in blocks)

    def hold(self, method: str) -> threading.Event:
        """Keep calls to `method` waiting (recorded, unanswered) until the returned event is set."""
        self._held[method] = threading.Event()
        return self._held[method]

    def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> None:
        """Wait until no call has arrived for `quiet` seconds, so late duplicates would show."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while time.monotonic() < deadline:
                seen = len(self.calls)
                self._cond.wait(quiet)
                if len(self.calls) == seen:
                    return

    def add_message(self, channel: str, ts: str, text: str, **extra) -> None:
        """A message a user posted in Slack, so conversations.replies can return it."""
        self.messages[(channel, ts)] = {"type": "message", "ts": ts, "text": text, **extra}

    def add_file(self, name: str, body: bytes, content_type: str = "text/markdown") -> dict:
        """Serve `body` at /files/<name>; returns the `files` entry Slack puts in the event."""
        self.files[name] = (body, content_type)
        url = f"{self.url}/files/{name}"
        self.file_info[f"F{len(self.files)}"] = entry = {
            "id": f"F{len(self.files)}",
            "name": name,
            "title": name,
            "mimetype": content_type,
            "size": len(body),
            "url_private": url,
            "url_private_download": url + "?download=1",
        }
        return dict(entry)

    def redirect(self, name: str, location: str) -> None:
        """Answer /files/<name> with a 302 to `location`."""
        self.redirects[name] = location

    # -- inspection ------------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0, where=None) -> list:
        """Block until `count` matching calls to `method` arrived; return them (fails on timeout)."""
        deadline = time.monotonic() + timeout

        def matching():
            return [c for c in self.calls if c.method == method and (where is None or where(c))]

        with self._cond:
            while len(matching()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"expected {count} x {method}; calls so far: {seen}")
                self._cond.wait(left)
            return matching()

    # -- request handling ------------------------------------------------------------------
    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def _failure(self, method: str) -> tuple[int | None, dict] | None:
        with self._cond:
            if method in self._down:
                return 500, {}
            queued = self._failures.get(method)
            return queued.pop(0) if queued else None

    def _next_ts(self) -> str:
        with self._cond:
            self._ts += 1
            return f"{self._ts}.000100"

    def _complete_upload(self, params: dict) -> dict:
        """Like Slack: every file must have been sent to its upload URL with the promised length."""
        files = params.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        done = []
        for entry in files:
            upload = self.uploads.get(entry.get("id"))
            if not upload or upload["body"] is None or len(upload["body"]) != upload["length"]:
                return {"ok": False, "error": "file_not_found"}
            upload.update(title=entry.get("title"), channel=params.get("channel_id"),
                          thread_ts=params.get("thread_ts"))  # fmt: skip
            done.append({"id": entry["id"], "title": entry.get("title"),
                         "name": upload["filename"], "mimetype": "image/png"})  # fmt: skip
        return {"ok": True, "files": done}

    def answer(self, method: str, params: dict) -> dict:
        """The JSON body Slack would return for `method`."""
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "team_id": "T1"}
        if method == "chat.postMessage":
            if self._refused(params):
                return {"ok": False, "error": "invalid_blocks"}
            ts = self._next_ts()
            message = {"ts": ts, "text": params.get("text"), "bot_id": BOT_ID}
            self.messages[(params["channel"], ts)] = message
            return {"ok": True, "channel": params["channel"], "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "conversations.replies":
            root = self.messages.get((params.get("channel"), params.get("ts")))
            return {"ok": True, "messages": [root] if root else []}
        if method == "files.info":
            info = self.file_info.get(params.get("file"))
            return {"ok": True, "file": info} if info else {"ok": False, "error": "file_not_found"}
        if method == "files.getUploadURLExternal":
            with self._cond:
                file_id = f"FUP{len(self.uploads) + 1}"
                self.uploads[file_id] = {"filename": params.get("filename"),
                                         "length": int(params.get("length") or 0), "body": None}  # fmt: skip
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            return self._complete_upload(params)
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method in ("chat.update", "views.publish", "reactions.add"):
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}
        return {"ok": False, "error": "unknown_method"}


def _parse(handler: BaseHTTPRequestHandler, raw: bytes) -> dict:
    query = dict(parse_qsl(urlsplit(handler.path).query))
    if handler.headers.get("Content-Type", "").startswith("application/json"):
        return {**query, **json.loads(raw or b"{}")}
    params = {**query, **dict(parse_qsl(raw.decode()))}
    for key in ("blocks", "view"):  # form-encoded arguments arrive as JSON strings
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params


def _make_handler(stand_in: SlackStandIn):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urlsplit(self.path).path
            if path.startswith("/files/"):
                return self._download(path.removeprefix("/files/"))
            if path.startswith("/upload/"):
                return self._upload(path.removeprefix("/upload/"), raw)
            is_response_url = path.startswith("/response/")
            method = "response_url" if is_response_url else path.removeprefix("/api/")
            call = Call(method, _parse(self, raw), path=path)
            if method in stand_in._held:
                stand_in._record(call)  # a test waits for it to arrive, then releases it
                stand_in._held[method].wait(timeout=30)
            failure = stand_in._failure(method)
            if method not in stand_in._held and (failure or is_response_url):
                stand_in._record(call)
            if failure and failure[0] is None:
                self.close_connection = True  # hang up: the client sees a dropped connection
                return None
            if failure:
                status, headers = failure
                return self._send(status, b'{"ok": false, "error": "ratelimited"}', headers)
            if is_response_url:
                if stand_in._refused(_parse(self, raw)):
                    return self._send(400, b"invalid_blocks", {}, "text/plain")
                return self._send(200, b"ok", {}, "text/plain")
            body = json.dumps(stand_in.answer(method, call.params)).encode()
            if method not in stand_in._held:
                # Recorded once its effects (a posted message) exist, so a test that waited for
                # the call finds them.
                stand_in._record(call)
            self._send(200, body, {})

        do_GET = do_POST = _handle

        def _download(self, name: str):
            # Recorded as `file_download` with the Authorization header the bot sent.
            auth = self.headers.get("Authorization")
            stand_in._record(Call("file_download", {"authorization": auth}, path=self.path))
            if "file_download" in stand_in._held:
                stand_in._held["file_download"].wait(timeout=30)
            if name in stand_in.redirects:
                return self._send(302, b"", {"Location": stand_in.redirects[name]}, "text/plain")
            failure = stand_in._failure("file_download")
            if failure and failure[0] is None:
                self.close_connection = True
                return None
            if failure or name not in stand_in.files:
                return self._send(failure[0] if failure else 404, b"", {}, "text/plain")
            body, content_type = stand_in.files[name]
            self._send(200, body, {}, content_type)

        def _upload(self, file_id: str, raw: bytes):
            # The bytes sent to an upload URL that files.getUploadURLExternal handed out.
            stand_in._record(
                Call("file_upload", {"file_id": file_id, "size": len(raw)}, path=self.path)
            )
            upload = stand_in.uploads.get(file_id)
            if upload is None:
                return self._send(404, b"unknown upload", {}, "text/plain")
            upload["body"] = raw
            return self._send(200, f"OK - {len(raw)}".encode(), {}, "text/plain")

        def _send(self, status, body, headers, content_type="application/json"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler
