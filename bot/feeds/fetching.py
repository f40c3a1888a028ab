"""The one place feeds reach the network: feed documents (conditional GET) and entry pages.

Both go through the project's fetch limits (http/https only, one timeout, a size cap), so an
entry whose page is 50 MB or a feed that never answers costs one warning, not the bot. Every
request first takes a token from a `FetchBudget`: at most N requests a minute per process.
"""

import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from urllib.parse import urlparse

from pydantic import BaseModel

from index.errors import BadArticle, FetchFailed
from index.fetch import HTML_TYPES, PDF_TYPES, USER_AGENT, fetch_url
from index.html import parse_html
from index.load import decode_bytes
from index.models import Article
from index.settings import IndexSettings
from index.textfile import parse_text_article


class FeedDocument(BaseModel):
    """A feed's answer: its body, or `not_modified` (304), and the validators to send next."""

    not_modified: bool = False
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


class FetchBudget:
    """At most `per_minute` fetches in any 60 seconds; `take` waits for a free slot."""

    def __init__(
        self,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.per_minute, self.clock, self.sleep = per_minute, clock, sleep
        self.recent: deque[float] = deque()
        self.lock = threading.Lock()

    def take(self) -> None:
        """Wait until one more fetch fits in the last minute, then count it."""
        while True:
            with self.lock:
                now = self.clock()
                while self.recent and self.recent[0] <= now - 60:
                    self.recent.popleft()
                if len(self.recent) < self.per_minute:
                    self.recent.append(now)
                    return
                wait = self.recent[0] + 60 - now
            self.sleep(max(wait, 0.01))


def fetch_feed(
    url: str, etag: str | None, last_modified: str | None, settings: IndexSettings
) -> FeedDocument:
    """GET a feed document, sending the validators of the last poll; FetchFailed on failure."""
    if urlparse(url).scheme not in ("http", "https"):
        raise FetchFailed(f"cannot fetch {url}: only http:// and https:// links are supported")
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    max_bytes = int(settings.fetch_max_mb * 1_000_000)
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.fetch_timeout_s) as response:
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchFailed(f"cannot fetch {url}: larger than {max_bytes / 1e6:g} MB")
            return FeedDocument(
                body=body,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return FeedDocument(not_modified=True, etag=etag, last_modified=last_modified)
        raise FetchFailed(f"cannot fetch {url}: the server answered {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise FetchFailed(f"cannot fetch {url}: {reason}") from exc


def fetch_entry_article(url: str, settings: IndexSettings) -> tuple[Article, list[str]]:
    """The article at an entry's link (main text, title, date), or FetchFailed / BadArticle."""
    fetched = fetch_url(url, settings.fetch_timeout_s, int(settings.fetch_max_mb * 1_000_000))
    if fetched.media_type in PDF_TYPES:
        raise BadArticle(f"{url}: a PDF; the feed's summary is used instead")
    if fetched.media_type in HTML_TYPES:
        html = fetched.body.decode(fetched.charset or "utf-8", errors="replace")
        return parse_html(html, fetched.url)
    return parse_text_article(decode_bytes(fetched.body)[0], fetched.url, plain=True)
