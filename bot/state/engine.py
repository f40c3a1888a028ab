"""The one place that turns state settings into a SQLAlchemy engine (SQLite or PostgreSQL).

SQLite runs in WAL mode with a busy timeout, so several processes on one host can share the
file; PostgreSQL is for replicas on several hosts. Pools are discarded in forked children
(a pre-forking server), because a connection must never be shared across processes.
"""

import logging
import os
import sqlite3
import time
import weakref
from pathlib import Path

from sqlalchemy import URL, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.state.errors import BadDatabaseURL
from bot.state.settings import StateSettings

logger = logging.getLogger(__name__)

SQLITE_FILE = "state.sqlite"
BUSY_TIMEOUT_S = 30  # how long a SQLite writer waits for another process's write to finish
EXPECTED = "expected postgresql://user:password@host:5432/dbname or sqlite:///path/state.sqlite"
_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def database_url(settings: StateSettings) -> URL:
    """The URL of the state database: INVESTOR_QA_DATABASE_URL, else SQLite in the data dir."""
    raw = settings.database_url.get_secret_value().strip() if settings.database_url else ""
    if not raw:
        return URL.create(
            "sqlite", database=str(Path(settings.data_dir).expanduser().absolute() / SQLITE_FILE)
        )
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        # Never echo the value: a malformed URL may still contain a password.
        raise BadDatabaseURL(
            f"INVESTOR_QA_DATABASE_URL is not a database URL ({EXPECTED})"
        ) from None
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if url.database in (None, "", ":memory:"):
            raise BadDatabaseURL("INVESTOR_QA_DATABASE_URL: an in-memory SQLite keeps nothing")
        return url.set(drivername="sqlite")
    raise BadDatabaseURL(
        f"INVESTOR_QA_DATABASE_URL uses {url.drivername!r}, which investor-qa does not support "
        f"({EXPECTED})"
    )


def describe(url: URL) -> str:
    """`url` with its password masked: the only form of it that may be logged or shown."""
    return url.render_as_string(hide_password=True)


def create_state_engine(settings: StateSettings) -> Engine:
    """An engine for the state database; SQLite's directory is created if needed."""
    url = database_url(settings)
    is_sqlite = url.get_backend_name() == "sqlite"
    engine = _sqlite_engine(url) if is_sqlite else _postgres_engine(url)
    _engines.add(engine)
    logger.info("bot state in %s", describe(url))
    return engine


def _sqlite_engine(url: URL) -> Engine:
    Path(url.database or "").expanduser().absolute().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        # SQLAlchemy's recipe: let SQLAlchemy, not the driver, decide when transactions begin,
        # so a write transaction can take SQLite's lock at BEGIN IMMEDIATE instead of midway.
        dbapi_connection.isolation_level = None
        _wal(dbapi_connection)
        for pragma in ("synchronous=NORMAL", "foreign_keys=ON"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _wal(dbapi_connection: sqlite3.Connection) -> None:
    """Switch to WAL, waiting as a write would: while replicas start together on a new file,
    SQLite can refuse the switch at once ("database is locked") without using its busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _postgres_engine(url: URL) -> Engine:
    try:
        import psycopg  # noqa: F401
    except ImportError:  # pragma: no cover - psycopg is a dependency; a broken install lacks it
        raise BadDatabaseURL(
            "PostgreSQL needs the psycopg driver: pip install 'psycopg[binary]>=3.1'"
        ) from None
    # pre_ping: a replica outlives database restarts and idle-connection reapers.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _discard_pools_after_fork() -> None:
    for engine in list(_engines):
        engine.dispose(close=False)  # the parent keeps its connections; the child opens its own


os.register_at_fork(after_in_child=_discard_pools_after_fork)


def upsert_insert(engine: Engine, table: Table) -> "postgresql.Insert | sqlite.Insert":
    """`INSERT` for `table` with the backend's ON CONFLICT clauses (SQLite and PostgreSQL)."""
    if engine.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
