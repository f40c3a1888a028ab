"""The one class that writes, reads and prunes the audit trail (table: bot/state/schema.py).

Times are ISO-8601 UTC text, so rows sort and compare by time the same on SQLite and PostgreSQL.
Lists (citations, collections) are JSON text: the trail is written once per answer and read in
bulk by an export, never queried by citation.
"""

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.audit.entry import AuditEntry
from bot.audit.errors import AuditUnavailable
from bot.state.schema import audit_log

PRUNE_EVERY_S = 3600.0
NOT_RECORDED = (
    "I couldn't record this answer in the audit trail, so I won't give it. Please try again."
)


def iso(moment: datetime) -> str:
    """A UTC instant as sortable ISO text (microseconds kept, so rows order as written)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def day_start(day: date) -> str:
    """The first instant of `day` (UTC) as stored text."""
    return iso(datetime(day.year, day.month, day.day, tzinfo=UTC))


class AuditLog:
    """Append-only audit rows in `engine`'s database, pruned after `retention_days` if set."""

    def __init__(self, engine: Engine, retention_days: int | None = None):
        self.engine, self.retention_days = engine, retention_days  # the schema: init_schema
        self._lock = threading.Lock()
        self._next_prune = time.monotonic() + PRUNE_EVERY_S
        self.prune()

    def record(self, entry: AuditEntry) -> None:
        """Append one row (and, at most hourly, drop rows past the retention period)."""
        row = entry.model_dump(mode="json", exclude={"user", "at", "citations"})
        row.update(
            at=iso(entry.at),
            user_id=entry.user,
            citations=json.dumps([c.model_dump(mode="json") for c in entry.citations]),
            collections_searched=json.dumps(entry.collections_searched),
        )
        try:
            with self.engine.begin() as conn:
                conn.execute(audit_log.insert().values(**row))
        except SQLAlchemyError as exc:
            # The answer is withheld rather than given without a record.
            raise AuditUnavailable(NOT_RECORDED) from exc
        self._maybe_prune()

    def entries(self, since: date | None = None, until: date | None = None) -> Iterator[AuditEntry]:
        """Rows from `since` through `until` (whole UTC days, both included), oldest first."""
        query = select(audit_log).order_by(audit_log.c.at, audit_log.c.id)
        if since is not None:
            query = query.where(audit_log.c.at >= day_start(since))
        if until is not None:
            query = query.where(audit_log.c.at < day_start(until + timedelta(days=1)))
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query).mappings():
                yield _entry(row)

    def count(self) -> int:
        """How many rows the trail holds."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(audit_log)).scalar_one()

    def prune(self, now: datetime | None = None) -> int:
        """Delete rows older than the retention period; returns how many."""
        if self.retention_days is None:
            return 0
        cutoff = (now or datetime.now(UTC)) - timedelta(days=self.retention_days)
        with self.engine.begin() as conn:
            return conn.execute(delete(audit_log).where(audit_log.c.at < iso(cutoff))).rowcount

    def _maybe_prune(self) -> None:
        with self._lock:
            now = time.monotonic()
            if self.retention_days is None or now < self._next_prune:
                return
            self._next_prune = now + PRUNE_EVERY_S
        self.prune()


def _entry(row) -> AuditEntry:
    fields = {k: v for k, v in row.items() if k not in ("id", "user_id")}
    fields.update(
        at=datetime.fromisoformat(row["at"]),
        user=row["user_id"],
        citations=json.loads(row["citations"]),
        collections_searched=json.loads(row["collections_searched"]),
    )
    return AuditEntry.model_validate(fields)
