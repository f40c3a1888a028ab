"""Contracts of the feeds package: a subscription, a parsed entry, and what a sync did."""

import re
from datetime import date

from pydantic import BaseModel, Field

from index.errors import InvestorQAError

_EVERY = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_EVERY_S = 60
_COLLECTION = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class FeedError(InvestorQAError):
    """A feed command or a feed cannot be used; the message is safe to show."""


class Feed(BaseModel):
    """One subscription and its polling state."""

    id: int
    url: str
    collection: str | None = None
    every_s: int
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    added_by: str | None = None
    added_at: str
    next_due: float
    failures: int = 0
    last_success: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    entries_added: int = 0


class Entry(BaseModel):
    """One item of a feed, as the feed describes it."""

    key: str  # GUID, else link: how the entry is recognised on later polls
    link: str | None = None
    title: str
    published: date | None = None
    summary: str = ""  # plain text


class ParsedFeed(BaseModel):
    """A feed document: its title and entries, newest first as the feed lists them."""

    title: str | None = None
    entries: list[Entry] = Field(default_factory=list)


class SyncResult(BaseModel):
    """What one sync of one feed did."""

    feed_id: int
    url: str
    not_modified: bool = False
    added: list[str] = Field(default_factory=list)  # corpus paths of new articles
    skipped: int = 0  # entries seen before
    warnings: list[str] = Field(default_factory=list)
    error: str | None = None  # the feed itself failed: nothing was taken from it


def parse_every(text: str) -> int:
    """Seconds in `30m`, `2h`, `1d` or `90s` (at least a minute)."""
    match = _EVERY.match(text or "")
    if not match:
        raise FeedError(f"{text!r} is not an interval: write it like 30m, 2h or 1d")
    seconds = int(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds < MIN_EVERY_S:
        raise FeedError("feeds are polled at most once a minute: use --every 1m or more")
    return seconds


def format_every(seconds: int) -> str:
    """`30m`, `2h`, `1d`: the shortest exact form."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def check_collection(name: str | None) -> str | None:
    """A collection name that is a safe top-level corpus folder, or FeedError."""
    if name is None:
        return None
    if not _COLLECTION.match(name):
        raise FeedError(
            f"{name[:40]!r} is not a collection name: lower-case letters, digits, - and _"
        )
    return name
