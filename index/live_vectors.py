"""Dense search over a live index: the build's FAISS index plus the vectors appended since.

The build's vectors (rowids below `base_rows`) are searched in FAISS as before; appended ones
(a few thousand at most before a merge rebuilds the version) are scored exactly with one
matrix product. The two rankings are merged by score, ties by rowid, so a search sees every
live chunk once.
"""

import numpy as np

from index.ann import search as ann_search
from index.ann import search_params, similarities


class LiveVectors:
    """The vectors of one loaded index version: FAISS for the build's rows, numpy for the rest."""

    def __init__(self, base, delta: np.ndarray):
        self.base = base  # a FAISS index over rowids 0 .. base_rows-1
        self.base_rows = base.ntotal
        self.delta = np.ascontiguousarray(delta, dtype=np.float32)

    @property
    def ntotal(self) -> int:
        """Vectors in all."""
        return self.base_rows + len(self.delta)

    def search(
        self, query: np.ndarray, depth: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(rowid, inner product) of the `depth` nearest vectors among `allowed` (all if None)."""
        query = np.asarray(query, dtype=np.float32).reshape(1, -1)
        found = self._search_base(query, depth, allowed)
        if len(self.delta):
            found = self._merge(found, self._search_delta(query[0], depth, allowed), depth)
        return found

    def similarities(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Inner products of `query` with the vectors of `ids`, as a search scores them."""
        ids = np.asarray(ids, dtype=np.int64)
        out = np.zeros(len(ids), dtype=np.float32)
        old = ids < self.base_rows
        if old.any():
            out[old] = similarities(self.base, query, ids[old])
        if (~old).any():
            out[~old] = self.delta[ids[~old] - self.base_rows] @ query.reshape(-1)
        return out

    def _search_base(
        self, query: np.ndarray, depth: int, allowed: np.ndarray | None
    ) -> list[tuple[int, float]]:
        if allowed is not None:
            allowed = allowed[allowed < self.base_rows]
        if self.base_rows == 0 or (allowed is not None and not len(allowed)):
            return []
        # Filter inside the search, so a small k cannot lose the right passage.
        params = search_params(self.base, allowed) if allowed is not None else None
        scores, ids = ann_search(self.base, query, depth, params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def _search_delta(
        self, query: np.ndarray, depth: int, allowed: np.ndarray | None
    ) -> list[tuple[int, float]]:
        scores = self.delta @ query
        local = np.arange(len(self.delta))
        if allowed is not None:
            local = allowed[allowed >= self.base_rows] - self.base_rows
            scores = scores[local]
        if len(local) > depth:
            best = np.argpartition(-scores, depth - 1)[:depth]
            local, scores = local[best], scores[best]
        return [(int(i) + self.base_rows, float(s)) for i, s in zip(local, scores, strict=True)]

    @staticmethod
    def _merge(
        a: list[tuple[int, float]], b: list[tuple[int, float]], depth: int
    ) -> list[tuple[int, float]]:
        return sorted(a + b, key=lambda pair: (-pair[1], pair[0]))[:depth]
