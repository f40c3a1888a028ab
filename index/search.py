"""Answer "which passages?": dense search over the FAISS index, with metadata from SQLite."""

import json
import time
from datetime import date
from pathlib import Path

import numpy as np

from index.ann import search as ann_search
from index.ann import search_params
from index.embed import Embedder
from index.filters import SearchFilter, allowed_rowids
from index.models import Hit
from index.store import IndexFiles


class Searcher:
    """A loaded index plus the embedder that encodes questions; load once per process."""

    def __init__(self, index_dir: Path, embedder: Embedder):
        self.embedder = embedder
        self.files = IndexFiles(Path(index_dir), embedder.name, embedder.dim)
        self.timings: dict[str, float] = {}  # seconds spent in the last search, by step

    @property
    def manifest(self):
        """The loaded index's manifest."""
        return self.files.manifest

    def search(self, question: str, k: int = 5, filters: SearchFilter | None = None) -> list[Hit]:
        """The `k` passages closest to `question` that pass `filters`, best first."""
        t0 = time.perf_counter()
        query = self.embedder.encode_query(question)
        t1 = time.perf_counter()
        hits = self.search_vector(query, k, filters)
        self.timings = {"encode": t1 - t0, "search": time.perf_counter() - t1}
        return hits

    def search_vector(
        self, query: np.ndarray, k: int, filters: SearchFilter | None = None
    ) -> list[Hit]:
        """The `k` passages closest to an already encoded question that pass `filters`."""
        if self.files.vectors.ntotal == 0 or k <= 0:
            return []
        params = None
        if filters and not filters.is_empty():
            # Filter inside the search, so a small k cannot lose the right passage.
            allowed = allowed_rowids(self.files, filters)
            if not len(allowed):
                return []
            params = search_params(self.files.vectors, allowed)
        query = query.reshape(1, -1).astype(np.float32)
        scores, ids = ann_search(self.files.vectors, query, k, params)
        ranked = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]
        return self.hits_for(ranked)

    def hits_for(self, ranked: list[tuple[int, float]]) -> list[Hit]:
        """Hits for (chunk rowid, score) pairs, in the given order."""
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        rows = self.files.query(
            f"""SELECT c.rowid, c.id, c.article_id, c.text, c.start, c."end", c.page,
                       a.title, a.source, a.url, a.published, a.path, a.tickers
                FROM chunks c JOIN articles a ON a.id = c.article_id
                WHERE c.rowid IN ({marks})""",
            [rowid for rowid, _ in ranked],
        )
        by_id = {row["rowid"]: row for row in rows}
        return [_hit(by_id[rowid], score) for rowid, score in ranked if rowid in by_id]

    def stats(self) -> dict:
        """Counts and provenance of the loaded index."""
        newest = self.files.query("SELECT max(published) FROM articles")[0][0]
        return {
            "articles": self.manifest.articles,
            "chunks": self.manifest.chunks,
            "model": self.manifest.model_name,
            "built_at": self.manifest.built_at,
            "newest_article": newest,
            "index_dir": str(self.files.root),
        }


def _hit(row, score: float) -> Hit:
    return Hit(
        chunk_id=row["id"],
        article_id=row["article_id"],
        text=row["text"],
        score=score,
        start=row["start"],
        end=row["end"],
        page=row["page"],
        title=row["title"],
        source=row["source"],
        url=row["url"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        path=row["path"],
        tickers=json.loads(row["tickers"]),
    )
