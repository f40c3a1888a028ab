"""Ranking metrics on ranked lists of ids against gold sets (binary relevance)."""

import math
from collections.abc import Iterable, Sequence


def dedupe(ranked: Iterable[str]) -> list[str]:
    """`ranked` with repeats removed, first occurrence kept (chunks of one page count once)."""
    return list(dict.fromkeys(ranked))


def hit_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """1.0 when any of the first `k` ids is gold."""
    return float(any(r in gold for r in ranked[:k]))


def recall_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """Share of the gold ids found in the first `k` (deduplicated) ids."""
    if not gold:
        return 0.0
    return len(set(dedupe(ranked)[:k]) & gold) / len(gold)


def mrr_at(ranked: Sequence[str], gold: set[str], k: int | None = None) -> float:
    """Reciprocal rank of the first gold id within the first `k` (all when None)."""
    for rank, item in enumerate(ranked[:k] if k else ranked, start=1):
        if item in gold:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """Binary nDCG@k over deduplicated ids."""
    if not gold:
        return 0.0
    dcg = sum(
        1.0 / math.log2(rank + 1)
        for rank, item in enumerate(dedupe(ranked)[:k], start=1)
        if item in gold
    )
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(gold), k) + 1))
    return dcg / ideal


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean, 0.0 for no values; rounded for reports."""
    return round(sum(values) / len(values), 4) if values else 0.0
