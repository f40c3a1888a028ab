"""A local feed server for tests: RSS and Atom feeds, article pages, and hostile variants.

Feeds are mutable (`FeedSite.feeds[path] = [...]`); each answers with an ETag of its content
and honours If-None-Match with a 304. Every request is counted by path.
"""

import hashlib
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

PAGE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>{body}</p><p>The rest of the report discusses the outlook for the coming quarters in more
detail, with comments from management on demand, pricing and supply.</p></article></body></html>"""


def rss(title: str, entries: list[dict]) -> bytes:
    """An RSS 2.0 document; each entry has guid, title, link, date (YYYY-MM-DD), summary."""
    items = "".join(
        f"<item><guid>{escape(e['guid'])}</guid><title>{escape(e['title'])}</title>"
        f"<link>{escape(e['link'])}</link>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(e['date']).replace(tzinfo=UTC))}</pubDate>"
        f"<description>{escape(e.get('summary', ''))}</description></item>"
        for e in entries
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>http://example.com/</link><description>test</description>{items}</channel></rss>"
    ).encode()


def atom(title: str, entries: list[dict]) -> bytes:
    """An Atom 1.0 document with the same fields as `rss`."""
    items = "".join(
        f"<entry><id>{escape(e['guid'])}</id><title>{escape(e['title'])}</title>"
        f'<link href="{escape(e["link"])}"/><updated>{e["date"]}T08:00:00Z</updated>'
        f"<summary>{escape(e.get('summary', ''))}</summary></entry>"
        for e in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test</id><updated>2025-11-01T00:00:00Z</updated>"
        f"{items}</feed>"
    ).encode()


class FeedSite:
    """The served content and request counts; start() serves it on 127.0.0.1."""

    def __init__(self):
        self.feeds: dict[str, bytes] = {}  # path -> document
        self.pages: dict[str, tuple[str, bytes]] = {}  # path -> (title, body text)
        self.raw: dict[str, tuple[int, dict, bytes]] = {}  # path -> (status, headers, body)
        self.slow: set[str] = set()  # paths that never answer in time
        self.huge: set[str] = set()  # paths that send 50 MB
        self.hits: Counter = Counter()
        self.not_modified: Counter = Counter()
        self.url = ""

    def page(self, path: str, title: str, body: str) -> str:
        self.pages[path] = (title, body)
        return self.url + path

    def start(self) -> "FeedSite":
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                site.hits[self.path] += 1
                if self.path in site.slow:
                    time.sleep(5)
                    return
                if self.path in site.huge:
                    return self._huge()
                if self.path in site.raw:
                    status, headers, body = site.raw[self.path]
                    return self._send(status, headers, body)
                if self.path in site.feeds:
                    body = site.feeds[self.path]
                    tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                    if self.headers.get("If-None-Match") == tag:
                        site.not_modified[self.path] += 1
                        return self._send(304, {"ETag": tag}, b"")
                    return self._send(
                        200, {"Content-Type": "application/rss+xml", "ETag": tag}, body
                    )
                if self.path in site.pages:
                    title, text = site.pages[self.path]
                    html = PAGE.format(title=escape(title), body=escape(text)).encode()
                    return self._send(200, {"Content-Type": "text/html; charset=utf-8"}, html)
                self._send(404, {}, b"not found")

            def _send(self, status, headers, body):
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def _huge(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()  # no Content-Length: the cap must hold while reading
                try:
                    for _ in range(50 * 16):
                        self.wfile.write(b"<p>" + b"x" * 65_536 + b"</p>")
                except OSError:
                    pass  # the client stopped reading at its cap

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
