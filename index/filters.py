"""Search filters (tickers, dates, sources, collections) applied inside retrieval, never after it.

The rows that pass are handed to FAISS as an id selector and to keyword search as a mask, so a
filtered top-k is the top-k of the allowed rows: a restrictive filter cannot come back empty
while allowed passages match.
"""

from datetime import date

import numpy as np
from pydantic import BaseModel, Field

from index.store import IndexFiles


class SearchFilter(BaseModel):
    """Restrict retrieval to matching articles; empty fields do not filter."""

    tickers: list[str] = Field(default_factory=list)
    since: date | None = None
    until: date | None = None
    sources: list[str] = Field(default_factory=list)
    # Company scoping keeps articles with no tickers at all: they may be about the company.
    include_untagged: bool = False
    # The collections the asker may read (bot/access); None: all. An empty set allows nothing.
    # Not a user's filter: describe() leaves it out, and answers do not mention it.
    collections: frozenset[str] | None = None

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return self.collections is None and not (
            self.tickers or self.since or self.until or self.sources
        )

    def describe(self) -> str:
        """A short human description, e.g. `ticker BABA, since 2025-06-01`."""
        parts = []
        if self.tickers:
            parts.append("ticker " + "/".join(self.tickers))
        if self.since:
            parts.append(f"since {self.since.isoformat()}")
        if self.until:
            parts.append(f"until {self.until.isoformat()}")
        if self.sources:
            parts.append("source " + "/".join(self.sources))
        return ", ".join(parts)


def allowed_rowids(files: IndexFiles, flt: SearchFilter) -> np.ndarray:
    """Chunk row ids (FAISS ids) of the articles that pass the filter."""
    where, params = [], []
    if flt.tickers:
        marks = ",".join("?" * len(flt.tickers))
        match = f"EXISTS (SELECT 1 FROM json_each(a.tickers) t WHERE upper(t.value) IN ({marks}))"
        where.append(f"({match} OR a.tickers = '[]')" if flt.include_untagged else match)
        params += [t.upper() for t in flt.tickers]
    if flt.since:
        where.append("a.published >= ?")
        params.append(flt.since.isoformat())
    if flt.until:
        where.append("a.published <= ?")
        params.append(flt.until.isoformat())
    if flt.sources:
        where.append(f"lower(a.source) IN ({','.join('?' * len(flt.sources))})")
        params += [s.lower() for s in flt.sources]
    if flt.collections is not None:
        marks = ",".join("?" * len(flt.collections))
        where.append(f"{files.collection_sql} IN ({marks})" if marks else "0")
        params += sorted(flt.collections)
    sql = "SELECT c.rowid FROM chunks c"
    if where:  # articles first, then their chunks: the tests run once per article, not per chunk
        sql += (
            " WHERE c.article_id IN (SELECT a.id FROM articles a WHERE " + " AND ".join(where) + ")"
        )
    return np.array([row[0] for row in files.query(sql, params)], dtype=np.int64)
