"""Keyword search over the FTS5 table `chunks_fts(context, text)`, ranked by BM25.

MiniLM blurs names, tickers and figures ("Cainiao", "EBITA", "9988.HK", "FY2018"); exact
terms rescue them. The question is turned into an OR of quoted terms: quoting neutralises
FTS5 syntax (a stray `"`, `-`, `NEAR`, `:` can neither break the query nor change its meaning),
and dropping question words keeps BM25 from matching every chunk that says "what".
"""

import json
from collections.abc import Sequence
from functools import cache

import numpy as np

from index.impacts import IMPACTS_FILE, TermImpacts, add_scores
from index.store import IndexFiles
from index.terms import FtsTokenizer, fts_terms


def build_fts_query(question: str, terms: list[str] | None = None) -> str | None:
    """An FTS5 MATCH expression (quoted terms joined by OR), or None when nothing is searchable."""
    terms = fts_terms(question) if terms is None else terms
    if not terms:
        return None
    # Inside quotes FTS5 only tokenises: `9988.hk` becomes the phrase "9988 hk", `1,577` "1 577".
    return " OR ".join(_quote(term) for term in terms)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class TermStats:
    """Document frequencies and stored impacts of query terms in one loaded index, cached.

    BM25 must score every chunk that matches any term, so one term found in a third of all
    chunks ("2018", "revenue") makes a query slow while adding almost nothing to the ranking
    (its IDF is near zero). Such terms are left out of the query. Terms in fewer chunks but
    still many come from the impacts stored at build time (index/impacts.py).
    """

    MAX_CACHED = 50_000

    def __init__(self, files: IndexFiles):
        self.files = files
        self.total = files.manifest.chunks
        self.df: dict[str, int] = {}
        self.impacts = TermImpacts(files.query, files.version / IMPACTS_FILE, files.base_rows)

    def stored(self, term: str) -> tuple[int, np.ndarray, np.ndarray] | None:
        """The stored (df, rowids, impacts) of a common term or phrase, else None."""
        if self.impacts.min_df is None:
            return None
        tokens = _tokenizer().tokens(term)
        return self.impacts.lookup(" ".join(tokens), _quote(term)) if tokens else None

    def frequency(self, term: str) -> int:
        """How many chunks contain `term` (a phrase for terms such as `9988.hk`)."""
        if term not in self.df:
            if len(self.df) >= self.MAX_CACHED:
                self.df.clear()
            stored = self.stored(term)
            if stored is not None:
                self.df[term] = stored[0]
            else:
                sql = "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?"
                self.df[term] = self.files.query(sql, (_quote(term),))[0][0]
        return self.df[term]

    def selective(self, terms: list[str], max_share: float, keep_at_least: int = 2) -> list[str]:
        """The terms found in at most `max_share` of chunks; the rarest few if none are."""
        if max_share >= 1.0 or not terms:
            return terms
        limit = max_share * self.total
        kept = [t for t in terms if self.frequency(t) <= limit]
        return kept or sorted(terms, key=self.frequency)[:keep_at_least]


@cache
def _tokenizer() -> FtsTokenizer:
    return FtsTokenizer()


def keyword_search(
    files: IndexFiles,
    question: str,
    depth: int,
    allowed: Sequence[int] | np.ndarray | None = None,
    weights: tuple[float, float] = (1.0, 1.0),
    stats: TermStats | None = None,
    max_df_share: float = 1.0,
) -> list[tuple[int, float]]:
    """Up to `depth` (chunk rowid, BM25 score) pairs, best first; `allowed` restricts the rowids."""
    terms = fts_terms(question)
    if stats is not None:
        terms = stats.selective(terms, max_df_share)
    if not terms or depth <= 0:
        return []
    keep = None
    if allowed is not None:
        keep = np.zeros(files.manifest.chunks, dtype=bool)
        keep[np.asarray(allowed, dtype=np.int64)] = True
    if stats is not None and stats.impacts.usable(weights):
        stored = {term: stats.stored(term) for term in terms}
        if any(found is not None for found in stored.values()):
            return _with_impacts(files, stored, depth, weights, keep)
    sql = "SELECT rowid AS r, bm25(chunks_fts, ?, ?) AS s FROM chunks_fts WHERE chunks_fts MATCH ?"
    params: list = [weights[0], weights[1], build_fts_query(question, terms)]
    if keep is not None:
        # A rowid constraint inside the FTS5 query makes SQLite run the match once per allowed
        # row (14 s at 100k chunks with 8k allowed); matching once and filtering after is 65 ms.
        # The shorter list is sent: the allowed rows, or those left out (a 1% wall: 1k ids).
        allowed_ids, left_out = np.flatnonzero(keep), np.flatnonzero(~keep)
        test = "IN" if len(allowed_ids) <= len(left_out) else "NOT IN"
        ids = allowed_ids if test == "IN" else left_out
        sql = (
            f"WITH m AS MATERIALIZED ({sql}) SELECT r, s FROM m"
            f" WHERE r {test} (SELECT value FROM json_each(?))"
        )
        params.append(json.dumps(ids.tolist()))
    sql += " ORDER BY s LIMIT ?"
    params.append(depth)
    # SQLite's bm25() is lower-is-better; flip it so every score in the code grows with relevance.
    return [(int(row[0]), -float(row[1])) for row in files.query(sql, params)]


def _scored(rows: list) -> tuple[np.ndarray, np.ndarray]:
    """(rowids, flipped BM25 scores) of FTS5 rows."""
    rowids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((-row[1] for row in rows), dtype=np.float64, count=len(rows))
    return rowids, scores


def _with_impacts(
    files: IndexFiles,
    stored: dict[str, tuple[int, np.ndarray, np.ndarray] | None],
    depth: int,
    weights: tuple[float, float],
    keep: np.ndarray | None,
) -> list[tuple[int, float]]:
    """BM25 as the sum of stored impacts (common terms) and FTS5's scores for the rare terms.

    Stored impacts cover every chunk a term is in, so a filter is a mask on them: exact too.
    """
    parts = [(found[1], found[2]) for found in stored.values() if found is not None]
    rare = [term for term, found in stored.items() if found is None]
    if rare:
        rows = files.query(
            "SELECT rowid, bm25(chunks_fts, ?, ?) FROM chunks_fts WHERE chunks_fts MATCH ?",
            [weights[0], weights[1], build_fts_query("", rare)],
        )
        parts.append(_scored(rows))
    if keep is not None:
        parts = [(rowids[keep[rowids]], scores[keep[rowids]]) for rowids, scores in parts]
    return add_scores(parts, files.manifest.chunks, depth)
