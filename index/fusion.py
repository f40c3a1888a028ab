"""Weighted reciprocal-rank fusion of the dense and keyword rankings.

Scores of the two searches live on different scales (cosine vs BM25), so only ranks are
combined: score = w_dense / (k + rank_dense) + w_keyword / (k + rank_keyword).
Two article-level features then adjust it: the article bonus (good siblings) and the document
match (the question's names and periods fit the article's label, index/doc_match.py); one
page-level one, the statement match (the question names a financial statement, and the chunk's
page is that statement, index/statements.py); and one chunk-level one, the phrase match (the
chunk holds a run of the question's own words, index/phrases.py; `fuse_with_phrases`).
When the document match is active, the dense ranking weighs more (`matched_dense_weight`): the
names and periods that make keyword search strong have already chosen the filing, and within a
filing the passage's meaning ranks its pages better than shared words do.
The defaults were tuned on dev questions of TAT-QA and FinanceBench
(benchmarks/tune_fusion.py, results in docs/QUALITY.md).
"""

import math
from collections.abc import Callable

from pydantic import BaseModel


class FusionParams(BaseModel):
    """How deep each search looks and how their ranks are weighed."""

    dense_depth: int = 100
    keyword_depth: int = 100
    rrf_k: float = 10.0
    dense_weight: float = 0.5
    # Dense weight for questions whose names or periods match article labels (the document match
    # is active). Tuned on FinanceBench dev (benchmarks/tune_fusion.py --matched); TAT-QA, whose
    # questions match no label, never uses it.
    matched_dense_weight: float = 1.0
    keyword_weight: float = 1.0
    context_weight: float = 1.0  # BM25 weight of the chunk context column (title, heading)
    text_weight: float = 1.0
    # Terms in over half the chunks get a near-zero BM25 weight (FTS5 clamps their IDF) yet make
    # the query score every chunk they match; dropping them is a free speed-up.
    max_df_share: float = 0.5
    # Share of its article's summed fused score added to each chunk: many good chunks in one
    # filing make that filing's chunks more likely right. Neutral for one-chunk articles.
    article_weight: float = 0.25
    # Document match: a chunk's score is multiplied by 1 + match_weight * exp(-gap / temperature),
    # gap being how far its article's label match is behind the best-matching article's (in IDF
    # units; no factor for articles that match nothing). Neutral when no label matches.
    match_weight: float = 4.0
    match_temperature: float = 0.5
    # Statement match: a chunk on the page of a financial statement the question names
    # ("… using the cash flow statement") has its score multiplied by 1 + statement_weight
    # (index/statements.py). Neutral for questions that name no statement.
    statement_weight: float = 0.25
    # Phrase match: among the first `phrase_depth` fused chunks, one holding a run of the
    # question's words verbatim (index/phrases.py) has its score multiplied by
    # 1 + phrase_weight * (n - 1), n being the run's content words (2 at least, at most
    # 1 + phrase_cap counted). Tuned on TAT-QA dev (benchmarks/tune_fusion.py --phrases). When
    # the document match is active `matched_phrase_weight` is used instead: in a long filing
    # the question's phrases ("cash flow statement", "operating income") are printed on many
    # pages, and FinanceBench dev chose 0.
    phrase_weight: float = 2.0
    matched_phrase_weight: float = 0.0
    phrase_cap: int = 4
    phrase_depth: int = 50


def fuse(
    dense: list[tuple[int, float]],
    keyword: list[tuple[int, float]],
    params: FusionParams,
    article_of: dict[int, object] | None = None,
    match_gap: dict[int, float] | None = None,
    unlabeled: set[int] | None = None,
    statement_rows: set[int] | None = None,
    phrases: dict[int, int] | None = None,
) -> list[tuple[int, float]]:
    """(rowid, fused score) for every id in either ranking, best first; ties keep dense order.

    `match_gap` maps rowids whose article's label matches the question to that article's gap
    behind the best match (DocumentMatcher.gaps); rowids not in it get no match factor.
    `unlabeled` rowids belong to articles with no identity while other articles' labels match
    the question: they get no article bonus, since their chunks' contexts cannot say which
    document they are from (the match treats them as well matched, never pushing them down).
    `statement_rows` are the rowids on a page of a financial statement the question names.
    `phrases` maps rowids to the longest run of the question's words they hold (phrase_weight).
    """
    scores: dict[int, float] = {}
    matched = is_matched(match_gap, params)
    dense_weight = params.matched_dense_weight if matched else params.dense_weight
    for ranking, weight in ((dense, dense_weight), (keyword, params.keyword_weight)):
        for rank, (rowid, _) in enumerate(ranking, start=1):
            scores[rowid] = scores.get(rowid, 0.0) + weight / (params.rrf_k + rank)
    if article_of is not None and params.article_weight:
        totals: dict[object, float] = {}
        for rowid, score in scores.items():
            totals[article_of[rowid]] = totals.get(article_of[rowid], 0.0) + score
        skip = unlabeled or set()
        scores = {
            rowid: score
            if rowid in skip
            else score + params.article_weight * (totals[article_of[rowid]] - score)
            for rowid, score in scores.items()
        }
    if match_gap and params.match_weight:
        scores = {
            rowid: score * (1 + params.match_weight * _closeness(match_gap.get(rowid), params))
            for rowid, score in scores.items()
        }
    if statement_rows and params.statement_weight:
        lift = 1 + params.statement_weight
        scores = {
            rowid: score * lift if rowid in statement_rows else score
            for rowid, score in scores.items()
        }
    weight = phrase_weight(params, matched)
    if phrases and weight:
        scores = {
            rowid: score * (1 + weight * min(phrases.get(rowid, 1) - 1, params.phrase_cap))
            for rowid, score in scores.items()
        }
    order = {rowid: i for i, (rowid, _) in enumerate(dense)}
    return sorted(scores.items(), key=lambda item: (-item[1], order.get(item[0], len(order))))


def fuse_with_phrases(
    dense: list[tuple[int, float]],
    keyword: list[tuple[int, float]],
    params: FusionParams,
    article_of: dict[int, object] | None,
    match_gap: dict[int, float] | None,
    unlabeled: set[int] | None,
    statement_rows: set[int] | None,
    phrases_of: Callable[[list[int]], dict[int, int]] | None,
) -> list[tuple[int, float]]:
    """`fuse`, then fused again with the phrase match of its first `phrase_depth` rowids, which
    `phrases_of` looks up (Searcher.phrase_rows; a dict lookup in the eval)."""
    fused = fuse(dense, keyword, params, article_of, match_gap, unlabeled, statement_rows)
    if phrases_of is None or not phrase_weight(params, is_matched(match_gap, params)):
        return fused
    found = phrases_of([rowid for rowid, _ in fused[: params.phrase_depth]])
    if not found:
        return fused
    return fuse(dense, keyword, params, article_of, match_gap, unlabeled, statement_rows, found)


def is_matched(match_gap: dict[int, float] | None, params: FusionParams) -> bool:
    """True when the document match is active: some article's label matches the question."""
    return bool(match_gap) and bool(params.match_weight)


def phrase_weight(params: FusionParams, matched: bool) -> float:
    """The phrase match's weight: `matched_phrase_weight` when the document match is active."""
    return params.matched_phrase_weight if matched else params.phrase_weight


def _closeness(gap: float | None, params: FusionParams) -> float:
    """1 for the best-matching article, falling with its gap; 0 for articles that match nothing."""
    return 0.0 if gap is None else math.exp(-gap / params.match_temperature)
