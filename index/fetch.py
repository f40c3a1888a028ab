"""Fetch one URL for ingestion (`add URL`, Slack files, feeds): bounded in every direction.

`fetch` follows redirects itself and checks every hop: http or https only, and the address
it connects to must be public (index/netcheck.py) unless the caller allows private ones.
One deadline covers the whole fetch (lookups, connects, redirects, headers, body), so a
server that drips a byte a second is cut off, and the body is read only up to a size cap.
Every failure is a `FetchFailed` with a message fit for the user.
"""

import contextlib
import http.client
import socket
import ssl
import threading
import time
from collections.abc import Callable
from urllib.parse import SplitResult, urljoin, urlsplit

from pydantic import BaseModel

from index.errors import FetchFailed
from index.netcheck import Address, resolve

USER_AGENT = "investor-qa (article ingestion)"
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 1 << 16


class FetchLimits(BaseModel):
    """What one fetch may cost."""

    timeout_s: float = 20.0  # the whole fetch, redirects included
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    allow_private: bool = False  # loopback, private and link-local addresses too


class Fetched(BaseModel):
    """A fetched resource: the final URL (after redirects), its headers and body."""

    url: str
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def media_type(self) -> str:
        """`text/html` from `Content-Type: text/html; charset=utf-8`."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The declared charset, if any (not checked: it may name no known codec)."""
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip(" \"'"):
                return value.strip(" \"'")
        return None


def fetch(
    url: str,
    limits: FetchLimits,
    headers: dict[str, str] | None = None,
    may_redirect_to: Callable[[str], bool] | None = None,
) -> Fetched:
    """GET `url` within `limits`, or FetchFailed. `may_redirect_to` can refuse a hop."""
    deadline = time.monotonic() + limits.timeout_s
    current, sent = url, dict(headers or {})
    for _ in range(limits.max_redirects + 1):
        parts = _checked(current)
        left = deadline - time.monotonic()
        address = resolve(
            url, parts.hostname or "", _port(parts), limits.allow_private, max(left, 0)
        )
        status, reply_headers, location, body = _get(url, current, address, sent, limits, deadline)
        if location is None:
            if status >= 400:
                raise FetchFailed(
                    f"cannot fetch {url}: the server answered {status}",
                    kind="http_status",
                    status=status,
                )
            return Fetched(url=current, status=status, headers=reply_headers, body=body)
        target = urljoin(current, location)
        if may_redirect_to is not None and not may_redirect_to(target):
            raise FetchFailed(
                f"cannot fetch {url}: it redirects to {target}", kind="refused", status=status
            )
        if urlsplit(target).hostname != parts.hostname:
            sent.pop("Authorization", None)  # credentials never follow a link to another host
        current = target
    raise FetchFailed(f"cannot fetch {url}: more than {limits.max_redirects} redirects")


def _checked(url: str) -> SplitResult:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchFailed(
            f"cannot fetch {url}: only http:// and https:// links are supported", kind="refused"
        )
    try:
        _port(parts)
    except ValueError:
        raise FetchFailed(f"cannot fetch {url}: bad port", kind="refused") from None
    return parts


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def _get(
    url: str,
    current: str,
    address: Address,
    headers: dict[str, str],
    limits: FetchLimits,
    deadline: float,
) -> tuple[int, dict[str, str], str | None, bytes]:
    """One request: (status, headers, redirect location or None, body)."""
    parts = urlsplit(current)
    conn = _connection(parts, address, max(deadline - time.monotonic(), 0.001))
    expired = threading.Event()

    def cut_off() -> None:  # a socket timeout bounds one read; this bounds them all
        expired.set()
        if conn.sock is not None:
            with contextlib.suppress(OSError):
                conn.sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(max(deadline - time.monotonic(), 0), cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **headers}
        conn.request("GET", target, headers=request_headers)
        response = conn.getresponse()
        reply_headers = {k.lower(): v for k, v in response.getheaders()}
        location = reply_headers.get("location")
        if response.status in REDIRECTS and location:
            return response.status, reply_headers, location, b""
        if response.status >= 400:
            return response.status, reply_headers, None, b""
        return response.status, reply_headers, None, _read_body(url, response, limits, expired)
    except FetchFailed:
        raise
    except (OSError, http.client.HTTPException, ssl.SSLError, ValueError) as exc:
        if expired.is_set() or isinstance(exc, TimeoutError):
            raise FetchFailed(
                f"cannot fetch {url}: timed out (no complete answer within {limits.timeout_s:g} s)",
                kind="timeout",
            ) from exc
        raise FetchFailed(f"cannot fetch {url}: {exc}", kind="network") from exc
    finally:
        watchdog.cancel()
        conn.close()


def _read_body(url: str, response, limits: FetchLimits, expired: threading.Event) -> bytes:
    declared = response.getheader("Content-Length") or ""
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchFailed(_too_big(url, limits.max_bytes), kind="too_large")
    chunks, size = [], 0
    while chunk := response.read1(CHUNK):  # whatever has arrived: a drip is seen byte by byte
        if expired.is_set():
            raise TimeoutError
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchFailed(_too_big(url, limits.max_bytes), kind="too_large")
        chunks.append(chunk)
    if expired.is_set():
        raise TimeoutError
    return b"".join(chunks)


def _connection(parts: SplitResult, address: Address, timeout: float) -> http.client.HTTPConnection:
    """A connection to `parts`' host that connects to `address` (checked), not to a lookup."""
    host = parts.hostname or ""
    if parts.scheme == "https":
        return _PinnedHTTPS(host, address, timeout)
    return _PinnedHTTP(host, address, timeout)


class _PinnedHTTP(http.client.HTTPConnection):
    """Sends `Host: host` but connects to the address that was checked."""

    def __init__(self, host: str, address: Address, timeout: float):
        super().__init__(host, address.port, timeout=timeout)
        self.address, self.deadline_s = address, timeout

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address.ip, self.address.port), self.deadline_s)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to the checked address; the certificate is verified against the host name."""

    def __init__(self, host: str, address: Address, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(host, address.port, timeout=timeout, context=self.tls)
        self.address, self.deadline_s = address, timeout

    def connect(self) -> None:
        sock = socket.create_connection((self.address.ip, self.address.port), self.deadline_s)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def _too_big(url: str, max_bytes: int) -> str:
    return f"cannot fetch {url}: larger than {max_bytes / 1e6:g} MB"
