"""The live state of a published index version: what was appended to it since its build.

A full build writes a version directory (index/store.py) whose FAISS file and postings file
never change afterwards. A small update (index/append.py) adds articles to that version's
`meta.sqlite` in place, in one SQLite transaction: their rows, their FTS5 postings, their
vectors (table `delta_vectors`), their generation, and the new `live_state` record (chunk and
article counts, corpus fingerprint, generation). The database runs in WAL mode and a reader
holds one read transaction for as long as it uses a loaded index, so it sees one committed
state, never a mix, and a writer killed at any point leaves the last committed one.
"""

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from index.bm25 import Query
from index.load import text_fingerprint
from index.models import Article

LIVE_SCHEMA = """
CREATE TABLE IF NOT EXISTS live_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS delta_vectors (rowid INTEGER PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS article_generations (
    article_id TEXT PRIMARY KEY, generation INTEGER NOT NULL, added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS text_fingerprints (
    collection TEXT NOT NULL, fingerprint TEXT NOT NULL, path TEXT NOT NULL,
    PRIMARY KEY (collection, fingerprint)
);
"""
_STATE_KEY = "state"
# Beside meta.sqlite: the last committed generation, so a reader can tell with one small file
# read that it should reload (Answerer.follow_published). The database stays the authority.
GENERATION_FILE = "GENERATION"


class LiveState(BaseModel):
    """The committed state of a version: counts, fingerprint and generation."""

    generation: int = 0  # grows by one with every update or build of this index directory
    base_rows: int  # chunks written by the build (rowids below it live in vectors.faiss)
    chunks: int  # chunks now (rowids 0 .. chunks-1; those from base_rows on were appended)
    articles: int
    corpus_fingerprint: str
    updated_at: str


def now() -> str:
    """The current UTC time, as stored."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def init_live_tables(
    db: Any,
    state: LiveState,
    articles: list[Article],
    generations: dict[str, tuple[int, str]] | None = None,
) -> None:
    """Create the live tables of a new version: its state, article generations, fingerprints.

    `generations` carries (generation, added_at) of articles unchanged since an earlier
    version; every other article gets the state's generation.
    """
    db.executescript(LIVE_SCHEMA)
    write_live_state(db, state)
    generations = generations or {}
    fresh = (state.generation, state.updated_at)
    db.executemany(
        "INSERT INTO article_generations VALUES (?, ?, ?)",
        [(a.id, *generations.get(a.id, fresh)) for a in articles],
    )
    db.executemany(
        "INSERT OR IGNORE INTO text_fingerprints VALUES (?, ?, ?)",
        [(a.collection, text_fingerprint(a.text), a.path) for a in articles],
    )


def mark_generation(version: Path, generation: int) -> None:
    """Write `version`/GENERATION atomically (after the transaction that reached it)."""
    tmp = version / f".{GENERATION_FILE}.{uuid.uuid4().hex[:8]}"
    tmp.write_text(f"{generation}\n")
    os.replace(tmp, version / GENERATION_FILE)


def published_generation(version: Path) -> int | None:
    """The generation last marked in `version`, or None."""
    try:
        return int((version / GENERATION_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def write_live_state(db: Any, state: LiveState) -> None:
    """Record `state` (inside the caller's transaction)."""
    db.execute(
        "INSERT OR REPLACE INTO live_state VALUES (?, ?)", (_STATE_KEY, state.model_dump_json())
    )


def read_live_state(query: Query, chunks: int, articles: int, fingerprint: str) -> LiveState:
    """The committed state; for a version without one, the build's own counts."""
    try:
        rows = query("SELECT value FROM live_state WHERE key = ?", (_STATE_KEY,))
    except Exception:  # noqa: BLE001 - sqlite3.OperationalError: no such table (older version)
        rows = []
    if rows:
        return LiveState.model_validate_json(rows[0][0])
    return LiveState(
        base_rows=chunks,
        chunks=chunks,
        articles=articles,
        corpus_fingerprint=fingerprint,
        updated_at="",
    )


def load_delta_vectors(query: Query, state: LiveState, dim: int) -> np.ndarray:
    """The vectors of the appended chunks, row i for rowid base_rows + i."""
    if state.chunks == state.base_rows:
        return np.zeros((0, dim), dtype=np.float32)
    rows = query(
        "SELECT rowid, vector FROM delta_vectors WHERE rowid >= ? ORDER BY rowid",
        (state.base_rows,),
    )
    expected = list(range(state.base_rows, state.chunks))
    if [row[0] for row in rows] != expected:
        raise ValueError(f"{len(rows)} appended vectors for {len(expected)} appended chunks")
    return np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32).reshape(-1, dim)


def article_generations(query: Query, article_ids: list[str]) -> dict[str, int]:
    """The generation in which each of `article_ids` entered the index (absent: unknown)."""
    if not article_ids:
        return {}
    marks = ",".join("?" * len(article_ids))
    try:
        rows = query(
            f"SELECT article_id, generation FROM article_generations WHERE article_id IN ({marks})",
            list(article_ids),
        )
    except Exception:  # noqa: BLE001 - an older version without the table
        return {}
    return {row[0]: int(row[1]) for row in rows}


def generations_by_path(query: Query, paths: list[str]) -> dict[str, int]:
    """The generation in which the articles at `paths` entered the index (absent: unknown)."""
    if not paths:
        return {}
    marks = ",".join("?" * len(paths))
    try:
        rows = query(
            "SELECT a.path, g.generation FROM articles a "
            f"JOIN article_generations g ON g.article_id = a.id WHERE a.path IN ({marks})",
            list(paths),
        )
    except Exception:  # noqa: BLE001 - an older version without the table
        return {}
    return {row[0]: int(row[1]) for row in rows}
