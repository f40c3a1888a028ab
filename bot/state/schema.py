"""Tables of the bot's own state, and the schema version that guards them.

To add state (an audit log, feed subscriptions, watches): define its Table on METADATA here and
raise SCHEMA_VERSION. `init_schema` creates tables that are missing; a change to an existing
table also needs an entry in UPGRADES, which runs once per database, in version order.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
    text,
)

from bot.state.errors import SchemaTooNew

SCHEMA_VERSION = 3  # 2: the audit log; 3: feeds, feed entries, watches, watch posts, digests
METADATA = MetaData()
_LOCK_ID = 0x1A7E57A7E  # the PostgreSQL advisory lock that serialises schema changes

schema_meta = Table(
    "schema_meta",
    METADATA,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Events and messages already taken by some replica; rows older than an hour are pruned.
# claimed_at is epoch seconds, so pruning is one indexed range delete on any backend.
processed_events = Table(
    "processed_events",
    METADATA,
    Column("key", Text, primary_key=True),
    Column("claimed_at", Float, nullable=False),
    Index("ix_processed_events_claimed_at", "claimed_at"),
)

# Channels already told that the bot is not enabled there: told once, ever.
told_once = Table(
    "told_once",
    METADATA,
    Column("key", Text, primary_key=True),
    Column("claimed_at", Float, nullable=False),
)

# Answers the bot posted (for Share and votes). Times are ISO-8601 UTC text: readable by people
# and ordered the same as the instants they name.
answers = Table(
    "answers",
    METADATA,
    Column("id", String(32), primary_key=True),
    Column("question", Text, nullable=False),
    Column("answer_json", Text, nullable=False),
    Column("channel", Text),
    Column("user_id", Text),
    Column("created_at", String(32), nullable=False),
)

# One vote per user and answer; a later vote replaces the earlier one in the same row.
feedback = Table(
    "feedback",
    METADATA,
    Column("answer_id", String(32), ForeignKey("answers.id"), primary_key=True),
    Column("user_id", Text, primary_key=True),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("channel", Text),
    Column("vote", String(8), nullable=False),
    Column("voted_at", String(32), nullable=False),
)

# The audit trail (bot/audit/): one row per answer given or request refused, kept for
# compliance. Lists are JSON text: rows are written once and read in bulk by an export.
audit_log = Table(
    "audit_log",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("surface", String(8), nullable=False),  # slack or cli
    Column("via", String(16), nullable=False),  # mention, thread, dm, command, share, cli
    Column("team", Text),
    Column("channel", Text),
    Column("user_id", Text),
    Column("acting_as", Text),
    Column("question", Text, nullable=False),
    Column("resolved_question", Text),
    Column("outcome", String(16), nullable=False),
    Column("reason", Text),
    Column("found", Boolean, nullable=False),
    Column("citations", Text, nullable=False),  # JSON list of AuditCitation
    Column("collections_searched", Text, nullable=False),  # JSON list of names
    Column("index_version", Text),
    Column("answer", Text),
    Column("filters_applied", Text),
    Column("answer_id", String(32)),
    Index("ix_audit_log_at", "at"),
)

# Subscribed feeds (bot/feeds/). Polling state lives on the row: conditional-request validators,
# the next due time (epoch seconds), the last success and error, and a lease so that only one
# replica polls a feed at a time.
feeds = Table(
    "feeds",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("collection", Text),
    Column("every_s", Integer, nullable=False),
    Column("title", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("added_by", Text),
    Column("added_at", String(32), nullable=False),
    Column("next_due", Float, nullable=False),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_success", String(32)),
    Column("last_error", Text),
    Column("last_error_at", String(32)),
    Column("entries_added", Integer, nullable=False, default=0),
    Column("lease_owner", Text),
    Column("lease_until", Float),
)

# Entries already taken from a feed (by GUID, else link): never fetched or indexed twice.
feed_entries = Table(
    "feed_entries",
    METADATA,
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("link", Text),
    Column("title", Text),
    Column("path", Text),  # the corpus file written for it; None when it was skipped
    Column("seen_at", String(32), nullable=False),
)

# A channel's watched questions (bot/watches/). `posted_*` describe the last post (or, before
# the first, the answer when the watch was made); `checked_generation` the index generation
# last looked at; `pending_json` an answer waiting for the channel's digest.
watches = Table(
    "watches",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("created_by", Text),
    Column("created_at", String(32), nullable=False),
    Column("posted_at", String(32), nullable=False),
    Column("posted_json", Text),
    Column("posted_generation", Integer, nullable=False),
    Column("checked_generation", Integer, nullable=False),
    Column("pending_json", Text),
    Column("active", Boolean, nullable=False, default=True),
    Index("ix_watches_channel", "channel"),
)

# One row per message a watch or digest posted: claimed before posting, so two replicas that
# evaluate at once never post the same news twice.
watch_posts = Table(
    "watch_posts",
    METADATA,
    Column("key", Text, primary_key=True),
    Column("claimed_at", Float, nullable=False),
)

# A channel's digest: every watch whose answer changed, once a day at `at` in `tz`.
digests = Table(
    "digests",
    METADATA,
    Column("channel", Text, primary_key=True),
    Column("at", String(5), nullable=False),  # HH:MM
    Column("tz", Text, nullable=False),
    Column("created_by", Text),
    Column("last_slot", String(32)),  # the local date of the last digest run
)

# version reached -> the step that brings a database from the version before it.
# 2: audit_log; 3: feeds, feed_entries, watches, watch_posts, digests. New tables only:
# create_all adds them, no step needed.
UPGRADES: dict[int, Callable[[Connection], None]] = {}


def init_schema(engine: Engine) -> int:
    """Create missing tables and upgrade the schema, once even when replicas start together."""
    with _locked(engine) as conn:
        METADATA.create_all(conn)
        stored = conn.execute(
            select(schema_meta.c.value).where(schema_meta.c.name == "schema_version")
        ).scalar()
        if stored is None:
            conn.execute(
                schema_meta.insert().values(name="schema_version", value=str(SCHEMA_VERSION))
            )
            return SCHEMA_VERSION
        version = int(stored)
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"the state database has schema version {version}, newer than this investor-qa "
                f"understands ({SCHEMA_VERSION}); upgrade investor-qa"
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            if step in UPGRADES:
                UPGRADES[step](conn)
        if version < SCHEMA_VERSION:
            conn.execute(
                schema_meta.update()
                .where(schema_meta.c.name == "schema_version")
                .values(value=str(SCHEMA_VERSION))
            )
        return SCHEMA_VERSION


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the database's schema lock until it ends."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execution_options(sqlite_immediate=True)  # BEGIN IMMEDIATE: the write lock
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
            yield conn
