"""Answer-level evaluation on TAT-QA: what `ask` would say, scored against the gold answers.

Each question is searched the product's way (hybrid, top 10, hits expanded as `search` expands
them), its passages go through the answer composer (sentences from the top 7, `TOP_K`), and
the answer is scored (answer_match.py): span questions by `span_hit` (overall and by where the
answer lives: text, table, table-text), arithmetic and count questions by `arithmetic_acc`,
every question by `not_found_rate`. Reported per split.
"""

from collections.abc import Callable
from pathlib import Path

import numpy as np

from bot.answer.answerer import Answerer
from bot.answer.models import Answer
from bot.eval.answer_match import arithmetic_match, span_hit
from bot.eval.corpus import CACHE_FILE
from bot.eval.metrics import mean
from bot.eval.ranking import Rankings, is_dev
from index.embed import Embedder
from index.embed_cache import EmbeddingCache, encode_with_cache
from index.expand import expand_hits
from index.fusion import FusionParams
from index.models import Hit
from index.search import Searcher
from index.settings import TABLE_K, TOP_K  # passages `ask` reads by default (IndexSettings)

ANSWER_K = TOP_K  # passages quoted from, as `ask` does by default (IndexSettings.top_k)

SPAN_TYPES = ("span", "multi-span")
NUMBER_TYPES = ("arithmetic", "count")
SOURCES = ("text", "table", "table-text")

Composer = Callable[[str, list[Hit]], Answer]


class CachedSentenceEncoder:
    """The embedder behind the eval cache: sentences seen in an earlier run are not re-encoded."""

    def __init__(self, embedder: Embedder, cache_dir: Path):
        self.embedder = embedder
        self.name, self.dim = embedder.name, embedder.dim
        self.cache = EmbeddingCache(Path(cache_dir) / CACHE_FILE)

    def encode_documents(self, texts, batch_size: int = 32, progress=None) -> np.ndarray:
        """Vectors for `texts`, from the cache where it has them."""
        return encode_with_cache(self.embedder, list(texts), self.cache, batch_size)

    def close(self) -> None:
        """Release the cache."""
        self.cache.close()


def top_hits(
    searcher: Searcher, ranking: Rankings, vector, params: FusionParams, article_of: dict
) -> list[Hit]:
    """The question's top passages as `ask` gets them: hybrid order, dense cosine as score,
    expanded (index/expand.py)."""
    top = ranking.ranked("hybrid", params, max(ANSWER_K, TABLE_K), article_of)
    hits = searcher.hits_for(searcher.with_cosine(top, vector, dict(ranking.dense)))
    return expand_hits(searcher.files, hits)  # cut-off ends and mid-table starts, as `search` does


def as_asked(answerer: Answerer) -> Composer:
    """`answerer`'s composer as `ask` uses it: sentences from the first ANSWER_K passages,
    tables from all of them."""
    return lambda question, hits: answerer.compose(question, hits, sentence_k=ANSWER_K)


def answer_records(queries: list[dict], hits: list[list[Hit]], compose: Composer) -> list[dict]:
    """One scored record per question: its split, type, source and whether the answer is right."""
    records = []
    for query, passages in zip(queries, hits, strict=True):
        answer = compose(query["text"], passages)
        kind = query.get("answer_type", "")
        record = {
            "split": "dev" if is_dev(query["_id"]) else "test",
            "type": kind,
            "source": query.get("answer_from", ""),
            "found": answer.found,
        }
        if kind in SPAN_TYPES:
            record["span_hit"] = span_hit(query["answer"], answer)
        elif kind in NUMBER_TYPES:
            exact = kind == "count"
            record["arithmetic"] = arithmetic_match(
                query["answer"], query.get("scale", ""), answer, exact
            )
        records.append(record)
    return records


def summarise(records: list[dict]) -> dict:
    """`span_hit` (overall and by source), `arithmetic_acc` and `not_found_rate` per split."""
    out = {}
    for split in ("test", "dev", "all"):
        rows = [r for r in records if split == "all" or r["split"] == split]
        spans = [r for r in rows if "span_hit" in r]
        numbers = [r for r in rows if "arithmetic" in r]
        out[split] = {
            "span_hit": mean([r["span_hit"] for r in spans]),
            "span_hit_by_source": {
                source: mean([r["span_hit"] for r in spans if r["source"] == source])
                for source in SOURCES
            },
            "arithmetic_acc": mean([r["arithmetic"] for r in numbers]),
            "not_found_rate": mean([not r["found"] for r in rows]),
            "questions": len(rows),
            "span_questions": len(spans),
            "arithmetic_questions": len(numbers),
        }
    return out
