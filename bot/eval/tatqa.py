"""TAT-QA as passage retrieval: 1,556 annual-report passages (tables and paragraphs), 1,663 questions."""

import json
from pathlib import Path

from bot.eval.corpus import cached_index
from bot.eval.metrics import dedupe, mean, mrr_at, ndcg_at, recall_at
from bot.eval.ranking import SYSTEMS, Rankings, is_dev
from index.chunk import ChunkerSettings, chunk_article
from index.embed import Embedder
from index.fusion import FusionParams
from index.models import Article, stable_id
from index.tokens import TokenCounter


def load_tatqa(root: Path) -> tuple[list[Article], list[dict], dict[str, set[str]]]:
    """Passages as articles (path = passage id), questions, and gold passage ids per question."""
    articles = []
    for line in (root / "corpus.jsonl").read_text().splitlines():
        row = json.loads(line)
        articles.append(
            Article(
                id=stable_id("tatqa", row["_id"]),
                path=row["_id"],
                title=row.get("title") or "",
                text=row["text"],
            )
        )
    queries = [json.loads(line) for line in (root / "queries.jsonl").read_text().splitlines()]
    gold: dict[str, set[str]] = {}
    for line in (root / "qrels" / "test.tsv").read_text().splitlines()[1:]:
        qid, pid, score = line.split("\t")
        if int(score) > 0:
            gold.setdefault(qid, set()).add(pid)
    return articles, [q for q in queries if q["_id"] in gold], gold


def tatqa_index(
    articles: list[Article],
    embedder: Embedder,
    counter: TokenCounter,
    cache_dir: Path,
    chunker: ChunkerSettings,
) -> Path:
    """The cached index of all passages, chunked the product's way."""
    chunks = [c for a in articles if a.text.strip() for c in chunk_article(a, counter, chunker)]
    return cached_index("tatqa", articles, chunks, embedder, cache_dir, chunker)


def tatqa_metrics(
    queries: list[dict],
    gold: dict[str, set[str]],
    rankings: list[Rankings],
    places: dict[int, tuple[str, int | None]],
    params: FusionParams,
    split: str = "all",
    systems: tuple[str, ...] = SYSTEMS,
) -> dict[str, dict[str, float]]:
    """nDCG@10, recall@10 and MRR@10 per system, over `split` (all, dev or test)."""
    out: dict[str, dict[str, float]] = {}
    article_of = {rowid: place[0] for rowid, place in places.items()}
    for system in systems:
        ndcg, recall, mrr = [], [], []
        for query, ranking in zip(queries, rankings, strict=True):
            if split != "all" and is_dev(query["_id"]) != (split == "dev"):
                continue
            # Passages longer than one chunk appear once, at their best chunk's rank.
            ranked = dedupe(places[r][0] for r in ranking.ranked(system, params, 60, article_of))
            relevant = gold[query["_id"]]
            ndcg.append(ndcg_at(ranked, relevant, 10))
            recall.append(recall_at(ranked, relevant, 10))
            mrr.append(mrr_at(ranked, relevant, 10))
        out[system] = {"ndcg@10": mean(ndcg), "recall@10": mean(recall), "mrr@10": mean(mrr)}
    return out
