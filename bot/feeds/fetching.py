"""The one place feeds reach the network: feed documents (conditional GET) and entry pages.

Both go through the project's fetch (index/fetch.py): http/https only, every redirect hop and
the address actually connected to checked (no private addresses unless
INVESTOR_QA_FETCH_ALLOW_PRIVATE), one total deadline and a size cap, so an entry whose page is
50 MB or a feed that never answers costs one warning, not the bot. Every
request first takes a token from a `FetchBudget`: at most N requests a minute per process.
"""

import threading
import time
from collections import deque
from collections.abc import Callable

from pydantic import BaseModel

from index.errors import BadArticle
from index.fetch import FetchLimits, fetch
from index.models import Article
from index.settings import IndexSettings
from index.web_article import fetch_article


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
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limits = FetchLimits(
        timeout_s=settings.fetch_timeout_s,
        max_bytes=int(settings.fetch_max_mb * 1_000_000),
        allow_private=settings.fetch_allow_private,
    )
    fetched = fetch(url, limits, headers)  # every redirect hop and address checked
    if fetched.status == 304:
        return FeedDocument(not_modified=True, etag=etag, last_modified=last_modified)
    return FeedDocument(
        body=fetched.body,
        etag=fetched.headers.get("etag"),
        last_modified=fetched.headers.get("last-modified"),
    )


def fetch_entry_article(url: str, settings: IndexSettings) -> tuple[Article, list[str]]:
    """The article at an entry's link (main text, title, date), as `add URL` reads it, or
    FetchFailed / BadArticle / NothingAdded."""
    page = fetch_article(url, settings)
    if page.article is None:
        raise BadArticle(f"{url}: not an HTML or text page")
    return page.article, page.warnings
