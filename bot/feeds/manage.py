"""Subscribe and unsubscribe: the checks the CLI and Slack share."""

from urllib.parse import urlparse

from bot.feeds.fetching import FetchBudget, fetch_feed
from bot.feeds.models import Feed, FeedError, check_collection, parse_every
from bot.feeds.parse import parse_feed
from bot.feeds.settings import FeedSettings
from bot.feeds.store import FeedStore
from index.settings import IndexSettings


def subscribe(
    store: FeedStore,
    url: str,
    collection: str | None,
    every: str | None,
    by: str | None,
    index_settings: IndexSettings,
    settings: FeedSettings,
) -> tuple[Feed, int]:
    """Check that `url` is a readable feed, then subscribe: (the feed, entries it lists now)."""
    url = url.strip().strip("<>")  # Slack wraps links in <...>
    if urlparse(url).scheme not in ("http", "https") or not urlparse(url).hostname:
        raise FeedError(f"{url[:200]!r} is not an http:// or https:// link")
    every_s = parse_every(every or settings.default_every)
    collection = check_collection(collection)
    FetchBudget(settings.fetches_per_minute).take()
    parsed = parse_feed(fetch_feed(url, None, None, index_settings).body, url)
    feed = store.add(url, collection, every_s, by)
    return feed, len(parsed.entries)


def unsubscribe(store: FeedStore, feed_id: str) -> Feed:
    """Remove the feed with this id; FeedError naming the problem otherwise."""
    if not feed_id.lstrip("#").isdigit():
        raise FeedError(f"{feed_id[:40]!r} is not a feed id: see `feeds list`")
    feed = store.get(int(feed_id.lstrip("#")))
    if feed is None or not store.remove(feed.id):
        raise FeedError(f"no feed #{feed_id.lstrip('#')}: see `feeds list`")
    return feed
