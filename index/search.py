"""Answer "which passages?": hybrid search (FAISS dense + FTS5 keyword, rank-fused) with metadata.

A hit's `score` stays the dense cosine similarity of question and passage, whichever search
found it, because answer gating (`min_score`) is calibrated on that scale; the fused score
only decides the order.
"""

import json
import time
from datetime import date
from functools import cached_property
from pathlib import Path

import numpy as np

from index.collections import CollectionMask
from index.doc_match import DocumentMatcher, article_label
from index.embed import Embedder
from index.expand import expand_hits
from index.filters import SearchFilter, allowed_rowids
from index.fusion import FusionParams, fuse_with_phrases
from index.keyword import TermStats, keyword_search
from index.models import Hit
from index.phrases import phrase_lengths, question_phrases
from index.statements import named_statements, question_statements
from index.store import IndexFiles, Manifest, read_identity

ALLOWED_CACHE_BYTES = 64 * 2**20  # row ids kept per filter (a company's rows at 1M chunks: ~1 MB)


class Searcher:
    """A loaded index plus the embedder that encodes questions; load once per process."""

    def __init__(self, index_dir: Path, embedder: Embedder, fusion: FusionParams | None = None):
        self.embedder = embedder
        self.fusion = fusion or FusionParams()
        self.files = IndexFiles(Path(index_dir), embedder.name, embedder.dim)
        self.term_stats = TermStats(self.files)
        rows = self.files.query("SELECT rowid, article_id FROM chunks")
        self.article_of = {row[0]: row[1] for row in rows}  # for article-level fusion
        self.timings: dict[str, float] = {}  # seconds spent in the last search, by step
        # Row ids per filter: a company filter is asked again and again (a comparison asks
        # several at once), and finding its rows in SQLite costs more than the search.
        self._allowed: dict[str, np.ndarray] = {}
        self._last_query: tuple[str, np.ndarray] | None = None

    @cached_property
    def matcher(self) -> DocumentMatcher:
        """Every article's label (PDF file-name label, or title; tickers), for document matching."""
        rows = self.files.query(
            f"SELECT id, path, title, tickers, page_starts != '[]', {self.files.identity_column}"
            " FROM articles a"
        )
        labels = {
            r[0]: article_label(r[1], r[2], json.loads(r[3]), bool(r[4]), read_identity(r[5]))
            for r in rows
        }
        return DocumentMatcher(labels)  # built on first use: a second or so at 20k articles

    @cached_property
    def collection_mask(self) -> CollectionMask:
        """Each chunk's collection, for collection filters without a query (built on first use)."""
        return CollectionMask(self.files)

    @cached_property
    def collection_names(self) -> list[str]:
        """The collections this index holds, sorted."""
        rows = self.files.query(f"SELECT DISTINCT {self.files.collection_sql} FROM articles a")
        return sorted(row[0] for row in rows)

    @cached_property
    def unlabeled(self) -> set[str]:
        """Articles whose label carries no identity (no article bonus, never pushed down)."""
        return self.matcher.unlabeled_ids()

    @property
    def manifest(self) -> Manifest:
        """The loaded index's manifest."""
        return self.files.manifest

    def search(self, question: str, k: int = 5, filters: SearchFilter | None = None) -> list[Hit]:
        """The `k` passages that best answer `question` and pass `filters`, best first."""
        t0 = time.perf_counter()
        query = self.embedder.encode_query(question)
        self._last_query = (question, query)
        t1 = time.perf_counter()
        allowed = self.allowed(filters)
        dense = self.dense_ranked(query, self.fusion.dense_depth, allowed)
        t2 = time.perf_counter()
        keyword = self.keyword_ranked(question, self.fusion.keyword_depth, allowed)
        t3 = time.perf_counter()
        fused = self.fused(question, dense, keyword)
        top = [rowid for rowid, _ in fused[: max(k, 0)]]
        hits = expand_hits(self.files, self.hits_for(self.with_cosine(top, query, dict(dense))))
        self.timings = {
            "encode": t1 - t0,
            "dense": t2 - t1,
            "keyword": t3 - t2,
            "search": time.perf_counter() - t1,
        }
        return hits

    def fused(
        self, question: str, dense: list[tuple[int, float]], keyword: list[tuple[int, float]]
    ) -> list[tuple[int, float]]:
        """The two rankings fused, with this question's document and statement matches."""
        rowids = [r for r, _ in dense + keyword]
        gaps = self.match_gaps(question, rowids) if self.fusion.match_weight else None
        unlabeled = self.unlabeled_rows(dense + keyword) if gaps else set()
        statements = self.statement_rows(question, rowids)
        return fuse_with_phrases(
            dense,
            keyword,
            self.fusion,
            self.article_of,
            gaps,
            unlabeled,
            statements,
            lambda candidates: self.phrase_rows(question, candidates),
        )

    def last_query_vector(self, question: str) -> np.ndarray | None:
        """The vector of `question` if it is the one the last search encoded (else None)."""
        last = self._last_query
        return last[1] if last is not None and last[0] == question else None

    def allowed(self, filters: SearchFilter | None) -> np.ndarray | None:
        """Row ids that pass `filters`, or None when nothing is filtered."""
        if not filters or filters.is_empty():
            return None
        if filters.collections is not None:
            rest = filters.model_copy(update={"collections": None})
            if rest.is_empty():  # the usual case, an asker's collections only: from memory
                return self.collection_mask.rowids(filters.collections)
        key = filters.model_dump_json()
        rows = self._allowed.get(key)
        if rows is None:
            rows = allowed_rowids(self.files, filters)
            rows.setflags(write=False)  # shared between searches: nobody may change it
            if sum(r.nbytes for r in self._allowed.values()) + rows.nbytes > ALLOWED_CACHE_BYTES:
                self._allowed.clear()  # rare: many distinct filters; start again
            self._allowed[key] = rows
        return rows

    def dense_ranked(
        self, query: np.ndarray, depth: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(rowid, cosine) of the `depth` nearest chunks among `allowed` (all when None)."""
        if self.files.live.ntotal == 0 or depth <= 0 or (allowed is not None and not len(allowed)):
            return []
        # The build's vectors in FAISS and those appended since, filtered inside the search.
        return self.files.live.search(query, depth, allowed)

    def keyword_ranked(
        self, question: str, depth: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(rowid, BM25) of the `depth` best keyword matches among `allowed` (all when None)."""
        if allowed is not None and not len(allowed):
            return []
        weights = (self.fusion.context_weight, self.fusion.text_weight)
        return keyword_search(
            self.files,
            question,
            depth,
            allowed,
            weights,
            self.term_stats,
            self.fusion.max_df_share,
        )

    def match_gaps(self, question: str, rowids: list[int]) -> dict[int, float]:
        """Document-match gap (index/doc_match.py) of each of `rowids` whose article matches."""
        by_article = self.matcher.gaps(question, {self.article_of[r] for r in rowids})
        return {
            r: by_article[self.article_of[r]] for r in rowids if self.article_of[r] in by_article
        }

    def unlabeled_rows(self, ranked: list[tuple[int, float]]) -> set[int]:
        """The rowids among `ranked` whose article carries no identity (used when the document
        match is in play: where no label matches the question, the fusion stays as it was)."""
        if not self.unlabeled:
            return set()
        return {r for r, _ in ranked if self.article_of[r] in self.unlabeled}

    def statement_rows(self, question: str, rowids: list[int]) -> set[int]:
        """The rowids among `rowids` on a page of a financial statement the question names."""
        kinds = question_statements(question) if self.fusion.statement_weight else frozenset()
        if not kinds or not rowids:
            return set()
        unique = list(dict.fromkeys(rowids))
        rows = self.files.query(
            f"SELECT rowid, context FROM chunks WHERE rowid IN ({','.join('?' * len(unique))})",
            unique,
        )
        return {rowid for rowid, context in rows if named_statements(context) & kinds}

    def phrase_rows(self, question: str, rowids: list[int]) -> dict[int, int]:
        """The phrase match (index/phrases.py) of each of `rowids` that holds a question phrase."""
        phrases = question_phrases(question)
        if not rowids or not phrases:
            return {}
        unique = list(dict.fromkeys(rowids))
        rows = self.files.query(
            f"SELECT rowid, context, text FROM chunks WHERE rowid IN ({','.join('?' * len(unique))})",
            unique,
        )
        texts = {rowid: f"{context or ''}\n{text}" for rowid, context, text in rows}
        return phrase_lengths(phrases, texts)

    def with_cosine(
        self, rowids: list[int], query: np.ndarray, known: dict[int, float]
    ) -> list[tuple[int, float]]:
        """Pair each rowid with its dense cosine, scoring keyword-only finds with the index."""
        missing = np.array([r for r in rowids if r not in known], dtype=np.int64)
        if len(missing):
            # Decoded from the index itself, as the dense search would have scored them.
            scores = self.files.live.similarities(query, missing)
            known = {**known, **{int(r): float(s) for r, s in zip(missing, scores, strict=True)}}
        return [(rowid, known[rowid]) for rowid in rowids]

    def hits_for(self, ranked: list[tuple[int, float]]) -> list[Hit]:
        """Hits for (chunk rowid, score) pairs, in the given order."""
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        rows = self.files.query(
            f"""SELECT c.rowid, c.id, c.article_id, c.text, c.start, c."end", c.page, c.context,
                       a.title, a.source, a.url, a.published, a.path, a.tickers,
                       {self.files.collection_sql} AS collection,
                       {self.files.identity_column} AS identity
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
            "updated_at": self.manifest.updated_at,
            "generation": self.manifest.generation,
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
        context=row["context"],
        collection=row["collection"],
        identity=read_identity(row["identity"]),
    )
