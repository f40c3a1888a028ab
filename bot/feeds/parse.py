"""Read an RSS or Atom document into a `ParsedFeed` with feedparser.

feedparser copes with RSS 0.9x to 2.0, RSS 1.0 and Atom, odd dates and encodings, and
sanitises embedded HTML. A document it cannot read as a feed at all (no feed element, or
broken XML with no entries) is a FeedError with one line saying so.
"""

import hashlib
from datetime import date

import feedparser
import lxml.etree
import lxml.html

from bot.feeds.models import Entry, FeedError, ParsedFeed

MAX_SUMMARY_CHARS = 20_000


def parse_feed(body: bytes, url: str) -> ParsedFeed:
    """The feed's title and entries; FeedError when `body` is not a feed."""
    parsed = feedparser.parse(body, sanitize_html=True, resolve_relative_uris=True)
    version = getattr(parsed, "version", "") or ""
    entries = [e for e in (_entry(item, url) for item in parsed.entries) if e is not None]
    # Broken XML that still yields entries is read as feedparser recovered it; broken XML with
    # nothing usable, or a document that is no feed at all, is an error.
    if not entries and (parsed.bozo or not version):
        reason = getattr(parsed, "bozo_exception", None)
        detail = f" ({type(reason).__name__})" if reason is not None else ""
        raise FeedError(f"{url} is not an RSS or Atom feed{detail}")
    title = (parsed.feed.get("title") or "").strip() or None
    return ParsedFeed(title=title, entries=entries)


def _entry(item, feed_url: str) -> Entry | None:
    link = (item.get("link") or "").strip() or None
    title = " ".join((item.get("title") or "").split())
    summary = _plain(item.get("summary") or "")
    if not summary and item.get("content"):
        summary = _plain(item["content"][0].get("value") or "")
    key = (item.get("id") or item.get("guid") or "").strip() or link
    if key is None:
        if not (title or summary):
            return None  # nothing to recognise it by, nothing to index
        key = "sha256:" + hashlib.sha256((title + "\0" + summary).encode()).hexdigest()
    return Entry(
        key=key[:1000],
        link=link,
        title=title or (summary[:80] + "…" if len(summary) > 80 else summary) or feed_url,
        published=_date(item),
        summary=summary[:MAX_SUMMARY_CHARS],
    )


def _date(item) -> date | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = item.get(field)
        if parsed:
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except ValueError:
                continue
    return None


def _plain(html: str) -> str:
    """Text of an HTML fragment, whitespace tidied; the fragment itself when it has no markup."""
    if "<" not in html:
        return " ".join(html.split())
    try:
        text = lxml.html.fromstring(f"<div>{html}</div>").text_content()
    except (ValueError, lxml.etree.ParserError):
        return ""
    return " ".join(text.split())
