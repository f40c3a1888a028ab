"""A persistent embedding cache keyed by (model, hash of the embedded text).

Re-chunking identical text never re-encodes it: builds look vectors up here first and
encode only what is missing. The cache lives outside the versioned index directories,
so it survives rebuilds; a lost or damaged cache only costs time.
"""

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from index.embed import Embedder, Progress


def text_key(text: str) -> str:
    """The cache key of one embedded text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """SQLite table of float32 vectors; safe to share between processes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key TEXT NOT NULL, "
            "vector BLOB NOT NULL, PRIMARY KEY (model, key))"
        )

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors for the keys that have one."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 500):
            batch = unique[i : i + 500]
            rows = self.db.execute(
                f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(batch))})",
                [model, *batch],
            )
            found.update((key, np.frombuffer(blob, dtype=np.float32)) for key, blob in rows)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors (one transaction)."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [
                    (model, key, np.asarray(vec, dtype=np.float32).tobytes())
                    for key, vec in items.items()
                ],
            )

    def close(self) -> None:
        """Release the database handle."""
        self.db.close()

    def __enter__(self) -> "EmbeddingCache":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# Encodes cache-missing texts (cache key -> text) and yields {key: vector} parts as they are done.
Encode = Callable[[Embedder, dict[str, str], int, Progress | None], Iterator[dict[str, np.ndarray]]]


def encode_in_slices(
    embedder: Embedder, todo: dict[str, str], batch_size: int, progress: Progress | None = None
) -> Iterator[dict[str, np.ndarray]]:
    """Encode in this process, a slice at a time, so each slice is cached as soon as it is done."""
    keys = list(todo)
    step = max(batch_size * 8, 1)
    for i in range(0, len(keys), step):
        part = keys[i : i + step]
        vecs = embedder.encode_documents([todo[k] for k in part], batch_size, progress)
        yield dict(zip(part, vecs, strict=True))


def encode_with_cache(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache | None,
    batch_size: int = 32,
    progress: Progress | None = None,
    on_encoded: Callable[[int], None] | None = None,
    encode: Encode = encode_in_slices,
) -> np.ndarray:
    """Vectors for `texts`, encoding only those the cache lacks and storing them as they come.

    `encode` does the encoding (here by default; `index.distributed` sends it to a Ray cluster);
    its parts are stored as they arrive, so a killed build keeps what it already paid for.
    """
    keys = [text_key(t) for t in texts]
    known = cache.get_many(embedder.name, keys) if cache else {}
    if progress:
        progress(sum(1 for k in keys if k in known))
    todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
    for fresh in encode(embedder, todo, batch_size, progress):
        if fresh.keys() - todo.keys():
            raise ValueError("the encoder returned vectors for texts it was not given")
        known.update(fresh)
        if cache:
            cache.put_many(embedder.name, fresh)
        if on_encoded:
            on_encoded(len(fresh))
    if todo.keys() - known.keys():
        raise ValueError("the encoder returned no vector for some texts")
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.stack([known[k] for k in keys]).astype(np.float32)
