"""Add new article files to the live index in place, at a cost that grows with what was added.

A full build rewrites every row, the FTS5 index, the stored postings and the FAISS file: about
12 s at 100k chunks and 105 s at 1M before any encoding. Feeds, `add` and Slack uploads add a
few articles at a time, so they append instead (see docs/SCALING.md, "Small updates"):
the new rows, their FTS5 postings, their vectors and the new live state go into the live
version's `meta.sqlite` in one transaction (index/live.py). FTS5 keeps whole-corpus
statistics as rows arrive, and stored postings are scored with them (index/impacts.py), so
keyword scores equal a full rebuild's. Once the appended chunks pass MERGE_SHARE of the
build's (at least MERGE_MIN_ROWS), a full build merges them into a new version.

Only new files are appended; a changed or removed file needs a full build (`append_files`
returns None and the caller builds).
"""

import sqlite3
import time
from pathlib import Path

from index.build import CACHE_FILE, BuildReport, with_files
from index.changes import Changes
from index.chunk import ChunkerSettings, chunk_article
from index.embed import Embedder
from index.embed_cache import EmbeddingCache, encode_with_cache
from index.errors import BadArticle, InvestorQAError
from index.live import LiveState, mark_generation, now, read_live_state, write_live_state
from index.load import (
    MAX_ARTICLE_BYTES,
    collection_of,
    entry_problem,
    safe_load_file,
    text_fingerprint,
)
from index.locking import build_lock
from index.models import Article
from index.store import FORMAT_VERSION, current_version, insert_rows, read_manifest
from index.tokens import TokenCounter

MERGE_MIN_ROWS = 5_000  # appended chunks below this never trigger a merge
MERGE_SHARE = 0.10  # ... above it, once they pass this share of the build's chunks
BUSY_TIMEOUT_S = 60.0


def merge_due(state: LiveState) -> bool:
    """True when enough was appended that a full build should fold it in."""
    appended = state.chunks - state.base_rows
    return appended > max(MERGE_MIN_ROWS, MERGE_SHARE * state.base_rows)


def append_files(
    corpus_dir: Path,
    index_dir: Path,
    rel_paths: list[str],
    embedder: Embedder,
    counter: TokenCounter,
    chunker: ChunkerSettings | None = None,
    batch_size: int = 32,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
) -> BuildReport | None:
    """Index the new corpus files `rel_paths` into the live version in place.

    None when this cannot be an append (no index, another model or chunker, an older format,
    or a file the index already has): build instead. Holds the index's build lock, so a full
    build in another process never publishes over an append, nor an append goes into a
    version a build is replacing.
    """
    with build_lock(index_dir):
        return _append(
            corpus_dir,
            index_dir,
            rel_paths,
            embedder,
            counter,
            chunker,
            batch_size,
            max_article_bytes,
        )


def _append(
    corpus_dir: Path,
    index_dir: Path,
    rel_paths: list[str],
    embedder: Embedder,
    counter: TokenCounter,
    chunker: ChunkerSettings | None,
    batch_size: int,
    max_article_bytes: int,
) -> BuildReport | None:
    started = time.perf_counter()
    chunker = chunker or ChunkerSettings()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    version = current_version(index_dir)
    try:
        manifest = read_manifest(index_dir, version)
    except InvestorQAError:
        return None
    if (
        version is None
        or manifest.format_version != FORMAT_VERSION
        or manifest.model_name != embedder.name
        or manifest.dim != embedder.dim
        or manifest.chunker != chunker.model_dump()
    ):
        return None
    db = sqlite3.connect(version / "meta.sqlite", timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        if _known_paths(db, rel_paths):
            return None
        articles, warnings = _load_new(db, corpus_dir, rel_paths, max_article_bytes)
        chunks = [c for a in articles for c in chunk_article(a, counter, chunker)]
        encoded = 0

        def count_encoded(n: int) -> None:
            nonlocal encoded
            encoded += n

        embed_started = time.perf_counter()
        with EmbeddingCache(index_dir / CACHE_FILE) as cache:
            vectors = encode_with_cache(
                embedder, [c.embed_text for c in chunks], cache, batch_size, None, count_encoded
            )
        embed_seconds = time.perf_counter() - embed_started
        state = _commit(db, corpus_dir, rel_paths, articles, chunks, vectors)
    finally:
        db.close()
    mark_generation(version, state.generation)  # readers reload on their next question
    return BuildReport(
        articles=state.articles,
        chunks=state.chunks,
        seconds=time.perf_counter() - started,
        embed_seconds=embed_seconds,
        max_chunk_tokens=max((c.n_tokens for c in chunks), default=0),
        warnings=warnings,
        changes=Changes(added=len(articles), unchanged=state.articles - len(articles)),
        encoded=encoded,
        appended=True,
        merged=merge_due(state),  # not merged yet: the caller merges (index/update.py)
        added_paths=[a.path for a in articles],
        generation=state.generation,
    )


def _known_paths(db: sqlite3.Connection, rel_paths: list[str]) -> bool:
    """True when the index already has an article from one of the files (or its records)."""
    for rel in rel_paths:
        sql = "SELECT 1 FROM articles WHERE path = ? OR substr(path, 1, ?) = ? LIMIT 1"
        if db.execute(sql, (rel, len(rel) + 2, rel + "#L")).fetchone():
            return True
    return False


def _load_new(
    db: sqlite3.Connection, corpus_dir: Path, rel_paths: list[str], max_bytes: int
) -> tuple[list[Article], list[str]]:
    """The files' articles, less texts their collection already has; one warning per file."""
    articles: list[Article] = []
    warnings: list[str] = []
    seen: dict[tuple[str, str], str] = {}
    for rel in rel_paths:
        try:
            problem = entry_problem(corpus_dir / rel, corpus_dir)
            if problem:
                raise BadArticle(f"{rel}: {problem}")
            found, problems = safe_load_file(corpus_dir / rel, rel, max_bytes)
        except BadArticle as exc:
            warnings.append(str(exc))
            continue
        if problems:
            warnings.append(f"{rel}: " + "; ".join(problems))
        collection = collection_of(rel)  # the folder decides, as in a full load
        for article in found:
            article = article.model_copy(update={"collection": collection})
            key = (collection, text_fingerprint(article.text))
            row = db.execute(
                "SELECT path FROM text_fingerprints WHERE collection = ? AND fingerprint = ?", key
            ).fetchone()
            first = row[0] if row else seen.get(key)
            if first is not None:  # the same text in another collection is kept: other readers
                warnings.append(
                    f"{article.path}: same text as {first}, indexed once (kept {first})"
                )
                continue
            seen[key] = article.path
            articles.append(article)
    return articles, warnings


def _commit(db, corpus_dir, rel_paths, articles, chunks, vectors) -> LiveState:
    """Write everything in one transaction; readers see all of it or none of it."""
    db.execute("BEGIN IMMEDIATE")  # the write lock first: another append waits, then rereads
    try:
        state = read_live_state(lambda sql, p: db.execute(sql, p).fetchall(), 0, 0, "")
        first = state.chunks
        insert_rows(db, articles, chunks, first_rowid=first)
        db.execute(
            "INSERT INTO chunks_fts(rowid, context, text) "
            "SELECT rowid, context, text FROM chunks WHERE rowid >= ?",
            (first,),
        )
        db.executemany(
            "INSERT INTO delta_vectors VALUES (?, ?)",
            [(first + i, vector.astype("float32").tobytes()) for i, vector in enumerate(vectors)],
        )
        stamp = now()
        new = state.model_copy(
            update={
                "generation": state.generation + 1,
                "chunks": state.chunks + len(chunks),
                "articles": state.articles + len(articles),
                "corpus_fingerprint": with_files(state.corpus_fingerprint, corpus_dir, rel_paths),
                "updated_at": stamp,
            }
        )
        db.executemany(
            "INSERT INTO article_generations VALUES (?, ?, ?)",
            [(a.id, new.generation, stamp) for a in articles],
        )
        db.executemany(
            "INSERT OR IGNORE INTO text_fingerprints VALUES (?, ?, ?)",
            [(a.collection, text_fingerprint(a.text), a.path) for a in articles],
        )
        write_live_state(db, new)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return new
