"""Build the index: load the corpus, chunk, embed, and publish a new version atomically."""

import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel
from tqdm import tqdm

from index.changes import (
    Changes,
    carried_generations,
    compare_with_index,
    previous_state,
    reusable_chunks,
)
from index.chunk import ChunkerSettings, chunk_article
from index.embed import Embedder
from index.embed_cache import EmbeddingCache, encode_with_cache
from index.errors import EmptyCorpus, InvestorQAError
from index.load import MAX_ARTICLE_BYTES, entry_problem, iter_corpus_files
from index.locking import build_lock
from index.onnx_encoder import ensure_onnx_export
from index.runner import BuildRunner, LocalRunner
from index.store import (
    FORMAT_VERSION,
    Manifest,
    clean_abandoned,
    publish,
    read_manifest,
    write_version,
)
from index.tokens import TokenCounter

CACHE_FILE = "embed-cache.sqlite"  # beside the versions, so it outlives every rebuild
_MODULUS = 2**256


class BuildReport(BaseModel):
    """What a build (or a small update, `appended`) did, for the CLI to print."""

    articles: int
    chunks: int
    seconds: float
    embed_seconds: float
    max_chunk_tokens: int
    warnings: list[str]
    rebuilt: bool = True
    changes: Changes = Changes()
    encoded: int = 0  # chunk texts the model actually encoded (the rest came from the cache)
    appended: bool = False  # added in place to the live version (index/append.py)
    merged: bool = False  # the appended chunks were then merged into a new version
    added_paths: list[str] = []  # articles that entered the index (a small update's)
    generation: int = 0  # the index generation this build or update published


def corpus_fingerprint(
    corpus_dir: Path,
    model_name: str,
    chunker: ChunkerSettings,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
) -> str:
    """Fingerprint of every corpus file's path and bytes, plus the settings that shape the index.

    A sum of one hash per file (and one for the settings) modulo 2**256: it does not depend on
    the order of the files, so a small update adds the hashes of the files it indexed
    (`with_files`) instead of reading the whole corpus again.
    """
    settings = [model_name, chunker.model_dump(), max_article_bytes]
    total = _as_int(hashlib.sha256(json.dumps(settings).encode()))
    for path in iter_corpus_files(corpus_dir):
        rel = path.relative_to(corpus_dir).as_posix()
        total += _file_hash(path, rel, skip=bool(entry_problem(path, corpus_dir)))
    return f"{total % _MODULUS:064x}"


def with_files(fingerprint: str, corpus_dir: Path, rel_paths: list[str]) -> str:
    """`fingerprint` of a corpus after the files `rel_paths` were added to it."""
    total = int(fingerprint, 16) if len(fingerprint) == 64 else 0
    for rel in rel_paths:
        path = Path(corpus_dir) / rel
        total += _file_hash(path, rel, skip=bool(entry_problem(path, Path(corpus_dir))))
    return f"{total % _MODULUS:064x}"


def _file_hash(path: Path, rel: str, skip: bool = False) -> int:
    digest = hashlib.sha256(rel.encode() + b"\0")
    if skip:  # never open a FIFO or read through a link out of the corpus
        digest.update(b"<skipped>")
        return _as_int(digest)
    try:
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    except OSError:
        digest.update(b"<unreadable>")
    return _as_int(digest)


def _as_int(digest) -> int:
    return int.from_bytes(digest.digest(), "big")


def is_stale(index_dir: Path, fingerprint: str) -> bool:
    """True when no index exists, it has an older format, or was built from other files or
    settings (counting the files appended to it since)."""
    try:
        state = previous_state(index_dir)
        manifest = read_manifest(index_dir)
    except InvestorQAError:  # missing or unreadable: either way a build is due
        return True
    if state is None or manifest.format_version != FORMAT_VERSION:
        return True
    return state.corpus_fingerprint != fingerprint


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    counter: TokenCounter,
    chunker: ChunkerSettings | None = None,
    batch_size: int = 32,
    show_progress: bool = False,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
    fingerprint: str | None = None,
    runner: BuildRunner | None = None,
) -> BuildReport:
    """Index every article under `corpus_dir` into a fresh version of `index_dir`.

    Incremental in cost, complete in result: every chunk's vector comes from the embedding
    cache when its text was seen before, so only new or changed text is encoded, and a
    whole new version is published atomically for readers. `runner` says where parsing,
    chunking and encoding run (default: here; `index.distributed.RayRunner`: a Ray cluster).
    """
    with build_lock(index_dir):
        return _build(
            Path(corpus_dir),
            Path(index_dir),
            embedder,
            counter,
            chunker or ChunkerSettings(),
            batch_size,
            show_progress,
            max_article_bytes,
            fingerprint,
            runner or LocalRunner(),
        )


def _build(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    counter: TokenCounter,
    chunker: ChunkerSettings,
    batch_size: int,
    show_progress: bool,
    max_article_bytes: int,
    fingerprint: str | None,
    runner: BuildRunner,
) -> BuildReport:
    started = time.perf_counter()
    fingerprint = fingerprint or corpus_fingerprint(
        corpus_dir, embedder.name, chunker, max_article_bytes
    )
    loaded = runner.load(corpus_dir, max_article_bytes, counter, chunker)
    if not loaded.articles:
        raise EmptyCorpus(f"no indexable articles in {corpus_dir} (see corpus/README.md)")
    changes, unchanged = compare_with_index(index_dir, loaded.articles)
    before = previous_state(index_dir)
    generation = before.generation + 1 if before is not None else 0
    generations = carried_generations(index_dir, unchanged)
    kept = reusable_chunks(index_dir, unchanged, embedder.name, chunker.model_dump())
    chunks = [
        c
        for a in loaded.articles
        for c in kept.get(a.id) or loaded.chunks.get(a.id) or chunk_article(a, counter, chunker)
    ]
    encoded = 0

    def count_encoded(n: int) -> None:
        nonlocal encoded
        encoded += n

    embed_started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    with (
        EmbeddingCache(index_dir / CACHE_FILE) as cache,
        tqdm(
            total=len(chunks),
            desc="Embedding",
            unit="chunk",
            disable=not show_progress,
            leave=False,
        ) as bar,
    ):
        vectors = encode_with_cache(
            embedder,
            [c.embed_text for c in chunks],
            cache,
            batch_size,
            progress=bar.update,
            on_encoded=count_encoded,
            encode=runner.encode,
        )
    embed_seconds = time.perf_counter() - embed_started
    clean_abandoned(index_dir)
    manifest = Manifest(
        model_name=embedder.name,
        dim=embedder.dim,
        chunker=chunker.model_dump(),
        articles=len(loaded.articles),
        chunks=len(chunks),
        corpus_fingerprint=fingerprint,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 3),
        warnings=loaded.warnings,
        build_method=runner.method,
        generation=generation,
    )
    version = write_version(index_dir, loaded.articles, chunks, vectors, manifest, generations)
    publish(index_dir, version)
    ensure_onnx_export(index_dir, embedder)  # once per index dir: questions then skip torch
    return BuildReport(
        articles=len(loaded.articles),
        chunks=len(chunks),
        seconds=time.perf_counter() - started,
        embed_seconds=embed_seconds,
        max_chunk_tokens=max(c.n_tokens for c in chunks),
        warnings=loaded.warnings,
        changes=changes,
        encoded=encoded,
        generation=generation,
    )


def ensure_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    counter: TokenCounter,
    chunker: ChunkerSettings | None = None,
    batch_size: int = 32,
    show_progress: bool = False,
    force: bool = False,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
) -> BuildReport | None:
    """Build when the index is missing or stale (or `force`); None when it was up to date.

    Without a corpus directory an existing index is used as it is.
    """
    chunker = chunker or ChunkerSettings()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if not corpus_dir.is_dir() and not force:
        read_manifest(index_dir)  # raises IndexNotBuilt / CorruptIndex with a clear message
        return None
    fingerprint = corpus_fingerprint(corpus_dir, embedder.name, chunker, max_article_bytes)
    if not force and not is_stale(index_dir, fingerprint):
        return None
    with build_lock(index_dir):
        if not force and not is_stale(index_dir, fingerprint):
            return None  # another process built it while this one waited
        return build_index(
            corpus_dir,
            index_dir,
            embedder,
            counter,
            chunker,
            batch_size,
            show_progress,
            max_article_bytes,
            fingerprint,  # already read every file once to decide; don't hash the corpus twice
        )
