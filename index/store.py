"""The on-disk index: FAISS vectors, SQLite text and metadata, and a manifest, swapped atomically.

Layout of an index directory:
    CURRENT            name of the live version directory (replaced atomically)
    v-<stamp>/         manifest.json, vectors.faiss, meta.sqlite
A build writes a new version directory and only then repoints CURRENT, so a failed or killed
build leaves the previous index in place, and a reader sees the old or the new index, never a mix.
"""

import json
import os
import shutil
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import faiss
import numpy as np
from pydantic import BaseModel, ValidationError

from index.ann import build_ann, read_ann
from index.errors import CorruptIndex, IndexNotBuilt, ModelMismatch, rebuild_hint
from index.fusion import FusionParams
from index.impacts import IMPACTS_FILE, write_term_impacts
from index.live import (
    LiveState,
    init_live_tables,
    load_delta_vectors,
    mark_generation,
    now,
    read_live_state,
)
from index.live_vectors import LiveVectors
from index.models import Article, Chunk, DocumentIdentity
from index.terms import FTS_TOKENIZER

FORMAT_VERSION = 2  # 2: postings hold frequencies, live tables for in-place appends
POINTER = "CURRENT"
# Indexes written before collections have no `collection` column; their articles' collection
# is read from the path exactly as index.load.collection_of derives it (top folder, else default).
_PATH_COLLECTION = (
    "CASE WHEN instr(a.path, '/') > 1 THEN substr(a.path, 1, instr(a.path, '/') - 1) "
    "ELSE 'default' END"
)
SCHEMA = f"""
CREATE TABLE articles (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT NOT NULL, source TEXT, url TEXT,
    published TEXT, author TEXT, tickers TEXT NOT NULL, content_hash TEXT NOT NULL,
    page_starts TEXT NOT NULL, text TEXT NOT NULL, collection TEXT NOT NULL, identity TEXT
);
CREATE TABLE chunks (
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, article_id TEXT NOT NULL REFERENCES articles,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, page INTEGER,
    n_tokens INTEGER NOT NULL, context TEXT NOT NULL, text TEXT NOT NULL, collection TEXT NOT NULL
);
CREATE INDEX chunks_article ON chunks(article_id, ordinal);
CREATE INDEX chunks_collection ON chunks(collection);
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    context, text, content='chunks', content_rowid='rowid', tokenize='{FTS_TOKENIZER}'
);
"""


class Manifest(BaseModel):
    """What an index was built from; checked on every load."""

    format_version: int = FORMAT_VERSION
    model_name: str
    dim: int
    chunker: dict
    articles: int
    chunks: int
    corpus_fingerprint: str
    built_at: str
    build_seconds: float
    index_type: str = "auto"  # chosen by index.ann when written: flat, sq8 or ivf<nlist>_sq8
    warnings: list[str] = []  # load warnings of the build, repeated by `index --strict`
    build_method: str = "local"  # what parsed and encoded it: `local`, or `ray: ...` (its workers)
    # Set on load from the live state (index/live.py): articles, chunks and corpus_fingerprint
    # then count what was appended since the build too.
    generation: int = 0
    updated_at: str | None = None


def write_version(
    root: Path,
    articles: list[Article],
    chunks: list[Chunk],
    vectors: np.ndarray,
    manifest: Manifest,
    generations: dict[str, tuple[int, str]] | None = None,
) -> Path:
    """Write a complete new version under `root` (not yet live) and return its directory.

    `generations` carries (generation, added_at) of articles kept from the version before;
    the others enter at `manifest.generation`.
    """
    if len(chunks) != len(vectors):
        raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    state = LiveState(
        generation=manifest.generation,
        base_rows=len(chunks),
        chunks=len(chunks),
        articles=len(articles),
        corpus_fingerprint=manifest.corpus_fingerprint,
        updated_at=manifest.built_at if manifest.built_at != "-" else now(),
    )
    try:
        _write_sqlite(tmp / "meta.sqlite", articles, chunks, state, generations)
        index, index_type = build_ann(vectors, manifest.dim, manifest.index_type)
        manifest = manifest.model_copy(update={"index_type": index_type})
        faiss.write_index(index, str(tmp / "vectors.faiss"))
        (tmp / "manifest.json").write_text(manifest.model_dump_json(indent=2))
        mark_generation(tmp, state.generation)
        for written in tmp.iterdir():
            _fsync(written)
        _fsync(tmp)
        final = root / f"v-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        tmp.rename(final)
        return final
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def publish(root: Path, version: Path) -> None:
    """Make `version` the live index atomically, then drop all but the previous version."""
    previous = current_version(root)
    pointer_tmp = root / f".{POINTER}.{uuid.uuid4().hex[:8]}"
    pointer_tmp.write_text(version.name + "\n")
    _fsync(pointer_tmp)
    os.replace(pointer_tmp, root / POINTER)
    _fsync(root)
    keep = {version.name, previous.name if previous else None}
    for stale in root.iterdir():
        if stale.is_dir() and stale.name.startswith("v-") and stale.name not in keep:
            shutil.rmtree(stale, ignore_errors=True)


def clean_abandoned(root: Path) -> None:
    """Remove half-written versions left by a killed build."""
    if root.is_dir():
        for junk in root.glob(".tmp-*"):
            shutil.rmtree(junk, ignore_errors=True)


def current_version(root: Path) -> Path | None:
    """The live version directory, or None when no index was published."""
    try:
        name = (root / POINTER).read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return root / name if name else None


def read_manifest(root: Path, version: Path | None = None) -> Manifest:
    """The manifest of `version` (default: the live one), or IndexNotBuilt / CorruptIndex."""
    version = version or current_version(root)
    if version is None:
        raise IndexNotBuilt(
            f"no index in {root}: build it with: investor-qa index --index-dir {root}"
        )
    try:
        return Manifest.model_validate_json((version / "manifest.json").read_text())
    except (OSError, ValidationError, ValueError) as exc:
        raise CorruptIndex(
            f"index in {root} is corrupt (manifest unreadable); {rebuild_hint(root)}"
        ) from exc


class IndexFiles:
    """A loaded, validated index version: manifest, FAISS index and a read-only SQLite handle."""

    def __init__(self, root: Path, model_name: str, dim: int):
        self.root = Path(root)
        for attempt in range(3):
            # Resolve CURRENT once: manifest, vectors and text must all come from one version.
            version = current_version(self.root)
            if version is None:
                read_manifest(self.root)  # raises IndexNotBuilt, naming the build command
                continue  # published just now: look again
            self.version = version
            try:
                self._open(model_name, dim)
                break
            except CorruptIndex:
                # Two builds published while we opened, and the second removed our version.
                if attempt == 2 or current_version(self.root) == self.version:
                    raise
        self.lock = threading.Lock()  # one SQLite handle shared by the server's threads

    def _open(self, model_name: str, dim: int) -> None:
        root = self.root
        self.manifest = read_manifest(root, self.version)
        if self.manifest.format_version != FORMAT_VERSION:
            raise CorruptIndex(f"index in {root} has an old format; {rebuild_hint(root)}")
        if self.manifest.model_name != model_name or self.manifest.dim != dim:
            raise ModelMismatch(
                f"index in {root} was built with {self.manifest.model_name} ({self.manifest.dim}-dim) "
                f"but this process uses {model_name} ({dim}-dim); {rebuild_hint(root)}"
            )
        built = self.manifest
        try:
            self.vectors = read_ann(self.version / "vectors.faiss")
            db = self.version / "meta.sqlite"
            if not db.is_file():
                raise OSError("meta.sqlite missing")
            # One read transaction for the life of this object: every query sees the same
            # committed state, whatever a small update commits meanwhile (index/live.py).
            self.db = sqlite3.connect(
                f"file:{db}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
            )
            self.db.row_factory = sqlite3.Row
            self.db.execute("BEGIN")
            n_chunks = self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
            self.state = read_live_state(
                self._query, built.chunks, built.articles, built.corpus_fingerprint
            )
            delta = load_delta_vectors(self._query, self.state, dim)
        except (RuntimeError, OSError, sqlite3.Error, ValueError) as exc:
            raise CorruptIndex(f"index in {root} is corrupt ({exc}); {rebuild_hint(root)}") from exc
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(articles)")}
        # SQL for an article's collection, with the articles table aliased `a`.
        self.collection_sql = "a.collection" if "collection" in columns else _PATH_COLLECTION
        # Indexes built before identities were read have no such column: they read as unknown.
        self.identity_column = "a.identity" if "identity" in columns else "NULL"
        state = self.state
        if (
            self.vectors.d != dim
            or not self.vectors.ntotal == state.base_rows == built.chunks
            or n_chunks != state.chunks
        ):
            raise CorruptIndex(
                f"index in {root} is corrupt: {self.vectors.ntotal} vectors, {n_chunks} chunks, "
                f"manifest says {built.chunks} (+{state.chunks - state.base_rows} appended); "
                f"{rebuild_hint(root)}"
            )
        self.live = LiveVectors(self.vectors, delta)
        self.manifest = built.model_copy(
            update={
                "articles": state.articles,
                "chunks": state.chunks,
                "corpus_fingerprint": state.corpus_fingerprint,
                "generation": state.generation,
                "updated_at": state.updated_at or built.built_at,
            }
        )

    @property
    def base_rows(self) -> int:
        """Chunks written by the build; rowids from here on were appended since."""
        return self.state.base_rows

    def _query(self, sql: str, params: tuple | list = ()) -> list:
        return self.db.execute(sql, params).fetchall()

    def query(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
        """Run a read-only query under the handle's lock."""
        with self.lock:
            return self.db.execute(sql, params).fetchall()

    def close(self) -> None:
        """End the read transaction and release the SQLite handle."""
        with self.lock:
            self.db.close()


def read_identity(raw: str | None) -> DocumentIdentity | None:
    """The identity stored with an article, or None (none read, or an older index)."""
    if not raw:
        return None
    try:
        return DocumentIdentity.model_validate_json(raw)
    except ValueError:
        return None


def _write_sqlite(
    path: Path,
    articles: list[Article],
    chunks: list[Chunk],
    state: LiveState,
    generations: dict[str, tuple[int, str]] | None,
) -> None:
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        insert_rows(db, articles, chunks, first_rowid=0)
        db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")
        defaults = FusionParams()
        weights = (defaults.context_weight, defaults.text_weight)
        write_term_impacts(db, path.with_name(IMPACTS_FILE), weights)
        init_live_tables(db, state, articles, generations)
        db.commit()
        # WAL from now on: readers keep their snapshot while a small update appends
        # (index/live.py). Set after the build's one transaction, which then was not written
        # twice (through the WAL, then into the file).
        db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()


def insert_rows(db, articles: list[Article], chunks: list[Chunk], first_rowid: int) -> None:
    """Insert article and chunk rows (not their FTS5 postings); chunk i gets first_rowid + i.

    The one place rows are written: by a build and by a small update (index/append.py).
    """
    db.executemany(
        "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                a.id,
                a.path,
                a.title,
                a.source,
                a.url,
                a.published.isoformat() if a.published else None,
                a.author,
                json.dumps(a.tickers),
                a.content_hash,
                json.dumps(a.page_starts),
                a.text,
                a.collection,
                a.identity.model_dump_json() if a.identity else None,
            )
            for a in articles
        ],
    )
    collection_of = {a.id: a.collection for a in articles}
    db.executemany(
        'INSERT INTO chunks (rowid, id, article_id, ordinal, start, "end", page, n_tokens,'
        " context, text, collection) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                first_rowid + i,
                c.id,
                c.article_id,
                c.ordinal,
                c.start,
                c.end,
                c.page,
                c.n_tokens,
                c.context,
                c.text,
                collection_of[c.article_id],
            )
            for i, c in enumerate(chunks)
        ],
    )


def _fsync(path: Path) -> None:
    """Flush a file or directory to disk, so a crash after the swap cannot lose it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
