"""Run the three retrievals (dense, keyword, hybrid) for many questions on one loaded index.

Question vectors are cached like passage vectors, and the dense and keyword rankings are
computed once, deep, so fusion settings can be swept without touching the model again.
"""

import hashlib

import numpy as np
from pydantic import BaseModel

from index.embed import Embedder
from index.embed_cache import EmbeddingCache, text_key
from index.fusion import FusionParams, fuse_with_phrases
from index.search import Searcher

SYSTEMS = ("dense", "keyword", "hybrid")
DEV_SHARE = 3  # one question in three (by id hash) is dev data for tuning; the rest is test


def is_dev(question_id: str) -> bool:
    """Stable dev/test split of questions by id."""
    return int(hashlib.sha256(question_id.encode()).hexdigest(), 16) % DEV_SHARE == 0


class Rankings(BaseModel):
    """Deep dense and keyword rankings of one question: (rowid, score) pairs, best first."""

    dense: list[tuple[int, float]]
    keyword: list[tuple[int, float]]
    match_gap: dict[int, float] = {}  # document-match gaps of the ranked rowids (Searcher)
    unlabeled: set[int] = set()  # ranked rowids whose article carries no identity (Searcher)
    statements: set[int] = set()  # ranked rowids on a statement page the question names
    phrases: dict[int, int] = {}  # ranked rowids holding a run of the question's words (Searcher)

    def ranked(
        self, system: str, params: FusionParams, k: int, article_of: dict | None = None
    ) -> list[int]:
        """Top `k` rowids of one system (`article_of` maps rowids to articles for fusion)."""
        if system == "dense":
            pairs = self.dense
        elif system == "keyword":
            pairs = self.keyword
        else:
            dense = self.dense[: params.dense_depth]
            keyword = self.keyword[: params.keyword_depth]
            pairs = fuse_with_phrases(
                dense,
                keyword,
                params,
                article_of,
                self.match_gap,
                self.unlabeled,
                self.statements,
                lambda rowids: {r: self.phrases[r] for r in rowids if r in self.phrases},
            )
        return [rowid for rowid, _ in pairs[:k]]


def rekeyed(searcher: Searcher, ranking: Rankings, question: str, depth: int = 200) -> Rankings:
    """`ranking` with its keyword side searched again (the searcher's column weights changed)."""
    keyword = searcher.keyword_ranked(question, depth)
    rowids = [r for r, _ in ranking.dense + keyword]
    return ranking.model_copy(
        update={"keyword": keyword, "phrases": searcher.phrase_rows(question, rowids)}
    )


def query_vectors(embedder: Embedder, questions: list[str], cache: EmbeddingCache) -> np.ndarray:
    """Encoded questions, cached under the model name plus `:query`."""
    model = f"{embedder.name}:query"
    known = cache.get_many(model, [text_key(q) for q in questions])
    todo = list(dict.fromkeys(q for q in questions if text_key(q) not in known))
    fresh = dict(zip([text_key(q) for q in todo], _encode_queries(embedder, todo), strict=True))
    if fresh:
        cache.put_many(model, fresh)
        known.update(fresh)
    return np.stack([known[text_key(q)] for q in questions]) if questions else np.zeros((0, 1))


def rank_questions(
    searcher: Searcher, questions: list[str], vectors: np.ndarray, depth: int = 200
) -> list[Rankings]:
    """Deep rankings of every question (the keyword side uses the searcher's column weights)."""
    out = []
    for question, vec in zip(questions, vectors, strict=True):
        dense = searcher.dense_ranked(vec, depth)
        keyword = searcher.keyword_ranked(question, depth)
        gaps = searcher.match_gaps(question, [r for r, _ in dense + keyword])
        unlabeled = searcher.unlabeled_rows(dense + keyword) if gaps else set()
        rowids = [r for r, _ in dense + keyword]
        out.append(
            Rankings(
                dense=dense,
                keyword=keyword,
                match_gap=gaps,
                unlabeled=unlabeled,
                statements=searcher.statement_rows(question, rowids),
                phrases=searcher.phrase_rows(question, rowids),
            )
        )
    return out


def chunk_places(searcher: Searcher) -> dict[int, tuple[str, int | None]]:
    """rowid → (article path, page) for every chunk of the index."""
    rows = searcher.files.query(
        "SELECT c.rowid, a.path, c.page FROM chunks c JOIN articles a ON a.id = c.article_id"
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def _encode_queries(embedder: Embedder, texts: list[str]) -> list[np.ndarray]:
    """Questions encoded in batches when the embedder exposes its model (much faster on CPU)."""
    model = getattr(embedder, "model", None)
    if not texts or model is None or not hasattr(model, "encode_query"):
        return [embedder.encode_query(t) for t in texts]
    vectors = model.encode_query(
        texts,
        batch_size=64,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return [np.asarray(v, dtype=np.float32) for v in vectors]
