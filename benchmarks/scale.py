"""Indexes of any size for latency and memory benchmarks, grown from real embeddings.

Real vectors come from embedding caches (the evaluation caches under
~/.cache/investor-qa/eval/ and the bundled corpus). Past their count, synthetic vectors are
random mixes of two real vectors plus Gaussian noise, normalised: they sit where real chunk
embeddings sit, rather than spread uniformly over the sphere as random vectors would.
Chunk texts cycle through the bundled corpus's chunks, so composing an answer does real work.
"""

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from index.chunk import ChunkerSettings, chunk_article
from index.load import load_corpus
from index.models import Article, Chunk
from index.settings import DEFAULT_MODEL
from index.store import Manifest, publish, write_version
from index.tokens import default_counter

DEFAULT_CACHES = Path.home() / ".cache" / "investor-qa" / "eval"
CHUNKS_PER_ARTICLE = 50


def cached_vectors(paths: list[Path], model: str = DEFAULT_MODEL) -> np.ndarray:
    """Every vector of `model` in the given embedding-cache files (read-only, deduplicated)."""
    seen: dict[str, np.ndarray] = {}
    for path in paths:
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            rows = db.execute("SELECT key, vector FROM vectors WHERE model = ?", [model])
            seen.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
            db.close()
        except sqlite3.Error:
            continue  # a cache being written or of another shape: skip it
    return np.stack(list(seen.values())) if seen else np.zeros((0, 384), dtype=np.float32)


def find_caches(root: Path = DEFAULT_CACHES) -> list[Path]:
    """Embedding caches under `root` (the evaluation harness keeps one per data set)."""
    return sorted(root.rglob("embed-cache.sqlite")) if root.is_dir() else []


def grow(real: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """`n` vectors: the real ones first, then noisy mixes of random pairs of real ones."""
    if n <= len(real):
        return real[:n].copy()
    rng = np.random.default_rng(seed)
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    out[: len(real)] = real
    for lo in range(len(real), n, 100_000):  # in blocks: 1M at once would double peak memory
        hi = min(lo + 100_000, n)
        a, b = rng.integers(0, len(real), hi - lo), rng.integers(0, len(real), hi - lo)
        w = rng.uniform(0.5, 1.0, (hi - lo, 1)).astype(np.float32)
        noise = rng.normal(0, 0.25 / np.sqrt(real.shape[1]), (hi - lo, real.shape[1]))
        block = w * real[a] + (1 - w) * real[b] + noise.astype(np.float32)
        out[lo:hi] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def bundled_chunks() -> list[Chunk]:
    """The bundled corpus's chunks, chunked as the product chunks them."""
    counter, settings = default_counter(), ChunkerSettings()
    articles = load_corpus(Path(__file__).resolve().parents[1] / "corpus").articles
    return [c for a in articles for c in chunk_article(a, counter, settings)]


def build_index_of(
    root: Path,
    vectors: np.ndarray,
    texts: list[Chunk],
    index_type: str = "auto",
    collection_of: Callable[[int], str] = lambda i: "synthetic",
    extra: tuple[list[Article], list[Chunk]] | None = None,
) -> Manifest:
    """Publish an index of `vectors` under `root`, chunk i carrying text i mod len(texts).

    Article i sits in the folder (collection) `collection_of(i)`. `extra` articles and chunks
    come after the synthetic ones (their vectors last in `vectors`).
    """
    extra_articles, extra_chunks = extra or ([], [])
    n = len(vectors) - len(extra_chunks)
    articles = [
        Article.model_construct(
            id=f"a{i}", path=f"{collection_of(i)}/{i}.md", title=f"Synthetic article {i}",
            source="Bench", url=None, published=date(2025, 1 + i % 12, 1 + i % 28), author=None,
            tickers=["SYN"], text="", page_starts=[], collection=collection_of(i),
        )
        for i in range((n + CHUNKS_PER_ARTICLE - 1) // CHUNKS_PER_ARTICLE)
    ]  # fmt: skip
    chunks = [
        Chunk.model_construct(
            id=f"c{i}", article_id=f"a{i // CHUNKS_PER_ARTICLE}", ordinal=i % CHUNKS_PER_ARTICLE,
            start=0, end=len(texts[i % len(texts)].text), text=texts[i % len(texts)].text,
            n_tokens=texts[i % len(texts)].n_tokens, page=None, context="",
        )
        for i in range(n)
    ]  # fmt: skip
    articles, chunks = articles + extra_articles, chunks + extra_chunks
    manifest = Manifest(
        model_name=DEFAULT_MODEL, dim=vectors.shape[1], chunker=ChunkerSettings().model_dump(),
        articles=len(articles), chunks=len(chunks), corpus_fingerprint="synthetic", built_at="-",
        build_seconds=0.0, index_type=index_type,
    )  # fmt: skip
    version = write_version(root, articles, chunks, vectors, manifest)
    publish(root, version)
    return Manifest.model_validate_json((version / "manifest.json").read_text())
