"""Turn benchmark documents into a cached, searchable index in the eval cache directory.

Everything expensive is cached: parsed pages (JSON per document and parser) and vectors
(`embed-cache.sqlite`, the same `EmbeddingCache` the product uses), so a rerun only rebuilds
the small FAISS/SQLite files and tuning never re-encodes.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import TypeAdapter

from index.chunk import ChunkerSettings
from index.embed import Embedder
from index.embed_cache import EmbeddingCache, encode_with_cache
from index.errors import InvestorQAError
from index.models import Article, Chunk
from index.store import (
    FORMAT_VERSION,
    Manifest,
    clean_abandoned,
    publish,
    read_manifest,
    write_version,
)

CACHE_FILE = "embed-cache.sqlite"
_ARTICLES = TypeAdapter(list[Article])


def cached_json(path: Path, make: Callable[[], object]) -> object:
    """`make()`'s JSON-able result, stored at `path` the first time."""
    if path.is_file():
        return json.loads(path.read_text())
    value = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value))
    tmp.replace(path)
    return value


def cached_articles(path: Path, make: Callable[[], list[Article]]) -> list[Article]:
    """Articles parsed once and stored as JSON."""
    raw = cached_json(path, lambda: _ARTICLES.dump_python(make(), mode="json"))
    return _ARTICLES.validate_python(raw)


def embed_chunks(chunks: list[Chunk], embedder: Embedder, cache_dir: Path, progress=None) -> None:
    """Make sure every chunk's vector is in the cache (encodes only the missing ones)."""
    with EmbeddingCache(cache_dir / CACHE_FILE) as cache:
        encode_with_cache(embedder, [c.embed_text for c in chunks], cache, 32, progress)


def cached_index(
    name: str,
    articles: list[Article],
    chunks: list[Chunk],
    embedder: Embedder,
    cache_dir: Path,
    chunker: ChunkerSettings | dict,
) -> Path:
    """An index directory holding exactly these chunks, rebuilt only when they change."""
    root = cache_dir / "indexes" / name
    digest = hashlib.sha256(embedder.name.encode())
    for chunk in chunks:
        digest.update(chunk.id.encode() + chunk.context.encode() + b"\0")
    fingerprint = digest.hexdigest()
    try:
        built = read_manifest(root)
        if built.corpus_fingerprint == fingerprint and built.format_version == FORMAT_VERSION:
            return root  # (an index of an older format is rebuilt: the vectors are cached)
    except InvestorQAError:  # missing or unreadable: rebuild below
        pass
    with EmbeddingCache(cache_dir / CACHE_FILE) as cache:
        vectors = encode_with_cache(embedder, [c.embed_text for c in chunks], cache, 32)
    clean_abandoned(root)
    settings = chunker.model_dump() if isinstance(chunker, ChunkerSettings) else chunker
    manifest = Manifest(
        model_name=embedder.name,
        dim=embedder.dim,
        chunker=settings,
        articles=len(articles),
        chunks=len(chunks),
        corpus_fingerprint=fingerprint,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        build_seconds=0.0,
    )
    publish(root, write_version(root, articles, chunks, vectors, manifest))
    return root
