"""Plain-text lines about feeds and syncs, shared by the CLI and Slack."""

import time

from bot.feeds.models import Feed, SyncResult, format_every


def feed_line(feed: Feed, now: float | None = None) -> str:
    """One line: id, URL, title, schedule, last success and last error."""
    now = time.time() if now is None else now
    parts = [f"#{feed.id} {feed.url}"]
    if feed.title:
        parts.append(f"“{feed.title}”")
    where = f"collection {feed.collection}" if feed.collection else "collection default"
    parts.append(f"({where}, every {format_every(feed.every_s)})")
    parts.append(f"{feed.entries_added} added")
    parts.append(f"last success {feed.last_success or 'never'}")
    if feed.failures and feed.last_error:
        retry = max(0, round(feed.next_due - now))
        parts.append(
            f"last error {feed.last_error_at}: {feed.last_error} "
            f"({feed.failures} in a row; next try in {_span(retry)})"
        )
    return " · ".join(parts)


def sync_line(result: SyncResult) -> str:
    """What a sync of one feed did, in one line."""
    if result.error:
        return f"#{result.feed_id} {result.url}: failed: {result.error}"
    if result.not_modified:
        return f"#{result.feed_id} {result.url}: not modified"
    return f"#{result.feed_id} {result.url}: {len(result.added)} new, {result.skipped} seen before"


def _span(seconds: int) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
