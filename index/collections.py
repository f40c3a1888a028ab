"""Which collection each chunk belongs to, held in memory so a collection filter costs no query.

A collection is a top-level folder of the corpus (index.load.collection_of). Who may read which
is decided in bot/access; here a set of readable collections becomes the chunk row ids that
search may return, computed once per distinct set and kept (there are few: one per wall).
"""

import json
import threading
from collections import OrderedDict

import numpy as np

from index.store import IndexFiles

MAX_CACHED_SETS = 32


class CollectionMask:
    """Chunk rowid → collection for one loaded index, and allowed rowids per set of collections."""

    def __init__(self, files: IndexFiles):
        # One row per article: builds write an article's chunks as one run of rowids, so the
        # runs fill the table without reading a row per chunk (1M chunks: 20k runs).
        runs = files.query(
            f"SELECT {files.collection_sql}, min(c.rowid), max(c.rowid), count(*)"
            " FROM chunks c JOIN articles a ON a.id = c.article_id GROUP BY c.article_id"
        )
        self.names: list[str] = sorted({run[0] for run in runs})
        code = {name: i for i, name in enumerate(self.names)}
        self.codes = np.full(files.manifest.chunks, -1, dtype=np.int32)
        for name, first, last, count in runs:
            if last - first + 1 == count:
                self.codes[first : last + 1] = code[name]
            else:  # an article's chunks interleaved with another's: place them one by one
                rows = files.query(
                    "SELECT c.rowid FROM chunks c JOIN chunks f ON f.article_id = c.article_id"
                    " WHERE f.rowid = ?",
                    (first,),
                )
                self.codes[[row[0] for row in rows]] = code[name]
        self._cache: OrderedDict[frozenset[str], np.ndarray | None] = OrderedDict()
        self._lock = threading.Lock()

    def rowids(self, readable: frozenset[str]) -> np.ndarray | None:
        """Row ids of the chunks in `readable` collections; None when that is every chunk."""
        with self._lock:
            if readable in self._cache:
                self._cache.move_to_end(readable)
                return self._cache[readable]
        allowed = self._compute(readable)
        with self._lock:
            self._cache[readable] = allowed
            if len(self._cache) > MAX_CACHED_SETS:
                self._cache.popitem(last=False)
        return allowed

    def _compute(self, readable: frozenset[str]) -> np.ndarray | None:
        if readable.issuperset(self.names):
            return None  # nothing to mask: the search runs unfiltered, at full speed
        codes = [i for i, name in enumerate(self.names) if name in readable]
        allowed = np.flatnonzero(np.isin(self.codes, codes)).astype(np.int64)
        allowed.flags.writeable = False  # shared between requests
        return allowed


def collection_overview(files: IndexFiles, readable: frozenset[str] | None) -> dict:
    """Articles, passages, newest date, tickers and collections among `readable` (None: all)."""
    where, params = "", []
    if readable is not None:
        where = f" WHERE {files.collection_sql} IN ({','.join('?' * len(readable)) or 'NULL'})"
        params = sorted(readable)
    per_collection = files.query(
        f"SELECT {files.collection_sql}, count(*), max(a.published) FROM articles a{where}"
        " GROUP BY 1 ORDER BY 1",
        params,
    )
    chunks = files.query(
        f"SELECT count(*) FROM chunks c JOIN articles a ON a.id = c.article_id{where}", params
    )[0][0]
    ticker_lists = files.query(f"SELECT DISTINCT a.tickers FROM articles a{where}", params)
    newest = [row[2] for row in per_collection if row[2]]
    return {
        "articles": sum(row[1] for row in per_collection),
        "chunks": chunks,
        "newest_article": max(newest) if newest else None,
        "tickers": sorted({t for row in ticker_lists for t in json.loads(row[0] or "[]")}),
        "collections": {row[0]: row[1] for row in per_collection},
    }
