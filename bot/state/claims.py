"""Claim a key once across every replica: one atomic insert-if-absent on the shared store.

Two replicas that receive the same Slack event both try to insert its key; the database's
primary key lets exactly one insert through (ON CONFLICT DO NOTHING, rowcount 1 vs 0), and only
that replica answers. A small in-process memory of keys already known to be taken saves a round
trip for retries that reach the same replica: a key is remembered only after the database has it,
so the memory can say "taken" but never "free".
"""

import threading
import time
from collections import OrderedDict

from sqlalchemy import Engine, Table, delete

from bot.state.engine import upsert_insert

PRUNE_EVERY_S = 60.0


class Claims:
    """Keys claimed at most once in `table` (columns `key`, `claimed_at`), optionally expiring."""

    def __init__(
        self, engine: Engine, table: Table, ttl_s: float | None = None, remembered: int = 10_000
    ):
        self.engine, self.table, self.ttl_s = engine, table, ttl_s
        self._known: OrderedDict[str, None] = OrderedDict()
        self._capacity = remembered
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def claim(self, key: str) -> bool:
        """True for exactly one caller per key across all processes; False for every other."""
        if self._is_known(key):
            return False
        now = time.time()
        statement = upsert_insert(self.engine, self.table).values(key=key, claimed_at=now)
        statement = statement.on_conflict_do_nothing(index_elements=["key"])
        with self.engine.begin() as conn:
            # rowcount: 1 when this insert went in, 0 when the key was there already.
            won = conn.execute(statement.execution_options(preserve_rowcount=True)).rowcount
        self._remember(key)
        self._maybe_prune(now)
        return won == 1

    def prune(self, now: float | None = None) -> int:
        """Forget claims older than the time to live; returns how many were deleted."""
        if self.ttl_s is None:
            return 0
        cutoff = (time.time() if now is None else now) - self.ttl_s
        with self.engine.begin() as conn:
            return conn.execute(delete(self.table).where(self.table.c.claimed_at < cutoff)).rowcount

    def _is_known(self, key: str) -> bool:
        with self._lock:
            if key in self._known:
                self._known.move_to_end(key)
                return True
            return False

    def _remember(self, key: str) -> None:
        with self._lock:
            self._known[key] = None
            if len(self._known) > self._capacity:
                self._known.popitem(last=False)

    def _maybe_prune(self, now: float) -> None:
        with self._lock:
            if self.ttl_s is None or now < self._next_prune:
                return
            self._next_prune = now + PRUNE_EVERY_S
        self.prune(now)
