"""A raw HTTP/1.1 client for attack tests: exact bytes out, responses parsed one at a time."""

import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class RawResponse:
    """One response read off a connection."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float  # from the call to `read_response` until the body was complete


class RawConnection:
    """One TCP connection to a server URL; sends bytes as given, reads responses by framing."""

    def __init__(self, url: str, timeout: float = 5.0):
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        self.buffer = b""
        self.eof = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.sock.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def try_send(self, data: bytes) -> bool:
        """Send, and say False when the server had already closed the connection."""
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def read_response(self) -> RawResponse:
        """The next response; AssertionError when the server closed or went silent first."""
        started = time.perf_counter()
        head = self._read_until(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = self._read_exactly(int(headers["content-length"]))
        else:  # no length: the body ends where the server closes the connection
            body = self._read_to_eof()
        return RawResponse(status, headers, body, time.perf_counter() - started)

    def closed_by_server(self, wait: float = 2.0) -> bool:
        """True when the server closes the connection (EOF or reset) within `wait` seconds."""
        if self.eof or self.buffer:
            return self.eof and not self.buffer
        self.sock.settimeout(wait)
        try:
            return self.sock.recv(1) == b""
        except TimeoutError:
            return False
        except ConnectionError:
            return True

    def _fill(self) -> None:
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            raise AssertionError(f"no response in time; got {self.buffer[:200]!r}") from None
        except ConnectionError:
            data = b""
        if not data:
            raise AssertionError(f"connection closed; got {self.buffer[:200]!r}")
        self.buffer += data

    def _read_to_eof(self) -> bytes:
        while True:
            try:
                data = self.sock.recv(65536)
            except ConnectionError:
                data = b""
            if not data:
                self.eof = True
                body, self.buffer = self.buffer, b""
                return body
            self.buffer += data

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def _read_exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self._fill()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data


def request(method: str, path: str, body: bytes = b"", headers: dict | None = None) -> bytes:
    """A request's bytes; Content-Length only when given in `headers`, so tests control it."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
