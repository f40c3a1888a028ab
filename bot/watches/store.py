"""Watches and digests in the bot's state store, shared by every replica."""

import time

from pydantic import BaseModel
from sqlalchemy import Engine, and_, delete, select, update

from bot.answer.compose import Answer
from bot.feeds.store import now_iso
from bot.state.engine import upsert_insert
from bot.state.schema import digests, watch_posts, watches

MAX_WATCHES_PER_CHANNEL = 50
MAX_QUESTION_CHARS = 500


class Watch(BaseModel):
    """One watched question of one channel."""

    id: int
    channel: str
    question: str
    created_by: str | None = None
    created_at: str
    posted_at: str
    posted_json: str | None = None
    posted_generation: int
    checked_generation: int
    pending_json: str | None = None

    @property
    def told(self) -> Answer | None:
        """The answer last posted (or the answer when the watch was made)."""
        return Answer.model_validate_json(self.posted_json) if self.posted_json else None

    @property
    def pending(self) -> Answer | None:
        """An answer waiting for the channel's digest."""
        return Answer.model_validate_json(self.pending_json) if self.pending_json else None


class Digest(BaseModel):
    """A channel's daily digest."""

    channel: str
    at: str  # HH:MM
    tz: str
    created_by: str | None = None
    last_slot: str | None = None


class WatchStore:
    """Watches, digests and the claims that keep replicas from posting twice."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def add(
        self, channel: str, question: str, by: str | None, baseline: Answer, generation: int
    ) -> Watch:
        """Watch `question` in `channel`; `baseline` is what the channel is taken to know."""
        stamp = now_iso()
        row = {
            "channel": channel,
            "question": question,
            "created_by": by,
            "created_at": stamp,
            "posted_at": stamp,
            "posted_json": baseline.model_dump_json(),
            "posted_generation": generation,
            "checked_generation": generation,
            "active": True,
        }
        with self.engine.begin() as conn:
            key = conn.execute(watches.insert().values(**row)).inserted_primary_key
            assert key is not None
            watch_id = key[0]
        found = self.get(int(watch_id))
        assert found is not None
        return found

    def get(self, watch_id: int) -> Watch | None:
        """The active watch with this id, or None."""
        query = select(watches).where(watches.c.id == watch_id, watches.c.active.is_(True))
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return Watch.model_validate(dict(row)) if row else None

    def in_channel(self, channel: str | None = None) -> list[Watch]:
        """Active watches of one channel (all channels when None), oldest first."""
        query = select(watches).where(watches.c.active.is_(True)).order_by(watches.c.id)
        if channel is not None:
            query = query.where(watches.c.channel == channel)
        with self.engine.connect() as conn:
            return [Watch.model_validate(dict(r)) for r in conn.execute(query).mappings().all()]

    def remove(self, channel: str, watch_id: int) -> Watch | None:
        """Stop a channel's watch; None when the channel has no such watch."""
        found = self.get(watch_id)
        if found is None or found.channel != channel:
            return None
        with self.engine.begin() as conn:
            conn.execute(update(watches).where(watches.c.id == watch_id).values(active=False))
        return found

    def checked(self, watch_id: int, generation: int) -> None:
        """Record that the watch was answered again at `generation`, with nothing to post."""
        self._update(watch_id, checked_generation=generation)

    def told_channel(self, watch_id: int, answer: Answer, generation: int) -> None:
        """Record a post (or a digest entry sent): the channel now knows `answer`."""
        self._update(
            watch_id,
            posted_at=now_iso(),
            posted_json=answer.model_dump_json(),
            posted_generation=generation,
            checked_generation=generation,
            pending_json=None,
        )

    def rebase(self, watch_id: int, generation: int) -> None:
        """Count generations from `generation` on (after an index was rebuilt from nothing)."""
        self._update(watch_id, posted_generation=generation, checked_generation=generation)

    def hold_for_digest(self, watch_id: int, answer: Answer, generation: int) -> None:
        """Keep `answer` for the channel's next digest."""
        self._update(watch_id, pending_json=answer.model_dump_json(), checked_generation=generation)

    def claim(self, key: str) -> bool:
        """True for exactly one caller per key, across replicas (insert-if-absent)."""
        statement = upsert_insert(self.engine, watch_posts).values(key=key, claimed_at=time.time())
        statement = statement.on_conflict_do_nothing(index_elements=["key"])
        with self.engine.begin() as conn:
            return conn.execute(statement.execution_options(preserve_rowcount=True)).rowcount == 1

    def set_digest(self, channel: str, at: str, tz: str, by: str | None) -> Digest:
        """Start (or reschedule) the channel's daily digest."""
        row = {"channel": channel, "at": at, "tz": tz, "created_by": by, "last_slot": None}
        statement = upsert_insert(self.engine, digests).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=["channel"], set_={"at": at, "tz": tz, "created_by": by}
        )
        with self.engine.begin() as conn:
            conn.execute(statement)
        return Digest(**row)

    def stop_digest(self, channel: str) -> bool:
        """Stop the channel's digest; False when it had none."""
        with self.engine.begin() as conn:
            return conn.execute(delete(digests).where(digests.c.channel == channel)).rowcount == 1

    def digest(self, channel: str) -> Digest | None:
        """The channel's digest, or None."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(digests).where(digests.c.channel == channel)).mappings().first()
            )
        return Digest.model_validate(dict(row)) if row else None

    def all_digests(self) -> list[Digest]:
        """Every channel's digest."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(digests).order_by(digests.c.channel)).mappings().all()
        return [Digest.model_validate(dict(r)) for r in rows]

    def digest_done(self, channel: str, slot: str) -> None:
        """Record that the digest of `slot` (a local date) ran."""
        statement = update(digests).where(digests.c.channel == channel).values(last_slot=slot)
        with self.engine.begin() as conn:
            conn.execute(statement)

    def _update(self, watch_id: int, **values) -> None:
        statement = update(watches).where(and_(watches.c.id == watch_id)).values(**values)
        with self.engine.begin() as conn:
            conn.execute(statement)
