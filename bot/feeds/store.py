"""Feed subscriptions and the entries already taken from them, in the bot's state store.

Every write is one statement or one short transaction, so replicas sharing a PostgreSQL (or
processes sharing the SQLite file) agree: a feed is polled by whoever wins its lease (an
atomic conditional UPDATE), and an entry is recorded once per feed (its primary key).
"""

import time
from datetime import UTC, datetime

from sqlalchemy import Engine, and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.feeds.models import Entry, Feed, FeedError
from bot.state.engine import upsert_insert
from bot.state.schema import feed_entries, feeds


def now_iso() -> str:
    """The current UTC time, as stored."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class FeedStore:
    """Subscriptions, their polling state and their seen entries."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def add(self, url: str, collection: str | None, every_s: int, by: str | None) -> Feed:
        """Subscribe to `url`; due at once. FeedError when it is there already."""
        row = {
            "url": url,
            "collection": collection,
            "every_s": every_s,
            "added_by": by,
            "added_at": now_iso(),
            "next_due": 0.0,
            "failures": 0,
            "entries_added": 0,
        }
        try:
            with self.engine.begin() as conn:
                key = conn.execute(feeds.insert().values(**row)).inserted_primary_key
                assert key is not None
                feed_id = key[0]
        except IntegrityError:
            raise FeedError(f"already subscribed to {url}") from None
        found = self.get(int(feed_id))
        assert found is not None
        return found

    def get(self, feed_id: int) -> Feed | None:
        """The feed with this id, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(feeds).where(feeds.c.id == feed_id)).mappings().first()
        return Feed.model_validate(dict(row)) if row else None

    def all(self) -> list[Feed]:
        """Every subscription, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(feeds).order_by(feeds.c.id)).mappings().all()
        return [Feed.model_validate(dict(row)) for row in rows]

    def remove(self, feed_id: int) -> bool:
        """Unsubscribe; the articles already indexed stay. False when there was no such feed."""
        with self.engine.begin() as conn:
            conn.execute(delete(feed_entries).where(feed_entries.c.feed_id == feed_id))
            return conn.execute(delete(feeds).where(feeds.c.id == feed_id)).rowcount == 1

    def due(self, now: float | None = None) -> list[Feed]:
        """Feeds whose next poll time has come, most overdue first."""
        now = time.time() if now is None else now
        query = select(feeds).where(feeds.c.next_due <= now).order_by(feeds.c.next_due)
        with self.engine.connect() as conn:
            return [Feed.model_validate(dict(r)) for r in conn.execute(query).mappings().all()]

    def make_due(self, feed_ids: list[int]) -> int:
        """Poll these feeds at the next pass, whatever their schedule; returns how many."""
        statement = update(feeds).where(feeds.c.id.in_(feed_ids)).values(next_due=0.0)
        with self.engine.begin() as conn:
            return conn.execute(statement).rowcount

    def lease(self, feed_id: int, owner: str, lease_s: float, now: float | None = None) -> bool:
        """Take the feed for `lease_s` seconds unless another owner holds it; True when taken."""
        now = time.time() if now is None else now
        free = or_(
            feeds.c.lease_until.is_(None), feeds.c.lease_until < now, feeds.c.lease_owner == owner
        )
        statement = (
            update(feeds)
            .where(and_(feeds.c.id == feed_id, free))
            .values(lease_owner=owner, lease_until=now + lease_s)
        )
        with self.engine.begin() as conn:
            return conn.execute(statement).rowcount == 1

    def release(self, feed_id: int, owner: str) -> None:
        """Give the lease back (only the owner's)."""
        statement = (
            update(feeds)
            .where(and_(feeds.c.id == feed_id, feeds.c.lease_owner == owner))
            .values(lease_owner=None, lease_until=None)
        )
        with self.engine.begin() as conn:
            conn.execute(statement)

    def succeeded(self, feed: Feed, validators: dict, title: str | None, added: int) -> None:
        """Record a successful poll: new validators and title, the next due time, no error."""
        values = {
            "failures": 0,
            "last_success": now_iso(),
            "next_due": time.time() + feed.every_s,
            "entries_added": feeds.c.entries_added + added,
            **validators,
        }
        if title:
            values["title"] = title[:300]
        with self.engine.begin() as conn:
            conn.execute(update(feeds).where(feeds.c.id == feed.id).values(**values))

    def failed(self, feed: Feed, error: str, max_backoff_s: float) -> None:
        """Record a failed poll; the next one waits twice as long each time, up to a cap."""
        failures = feed.failures + 1
        wait = min(feed.every_s * 2 ** min(failures, 16), max(max_backoff_s, feed.every_s))
        values = {
            "failures": failures,
            "last_error": error[:500],
            "last_error_at": now_iso(),
            "next_due": time.time() + wait,
        }
        with self.engine.begin() as conn:
            conn.execute(update(feeds).where(feeds.c.id == feed.id).values(**values))

    def unseen(self, feed_id: int, entries: list[Entry]) -> list[Entry]:
        """The entries not taken from this feed before, in the given order."""
        keys = [e.key for e in entries]
        if not keys:
            return []
        seen: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                query = select(feed_entries.c.key).where(
                    feed_entries.c.feed_id == feed_id, feed_entries.c.key.in_(keys[i : i + 500])
                )
                seen.update(conn.execute(query).scalars())
        return [e for e in entries if e.key not in seen]

    def mark_seen(self, feed_id: int, entry: Entry, path: str | None) -> bool:
        """Record an entry as taken; False when another process recorded it first."""
        row = {
            "feed_id": feed_id,
            "key": entry.key,
            "link": entry.link,
            "title": entry.title[:300],
            "path": path,
            "seen_at": now_iso(),
        }
        statement = upsert_insert(self.engine, feed_entries).values(**row)
        statement = statement.on_conflict_do_nothing(index_elements=["feed_id", "key"])
        with self.engine.begin() as conn:
            return conn.execute(statement.execution_options(preserve_rowcount=True)).rowcount == 1

    def seen_count(self, feed_id: int) -> int:
        """How many entries were taken from the feed."""
        query = select(func.count()).where(feed_entries.c.feed_id == feed_id)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)
