"""Run a benchmark end to end and return its metrics keyed by system (`investor-qa eval`)."""

import sys
from pathlib import Path

import numpy as np

from bot.answer.answerer import Answerer
from bot.eval.anonymous import anonymous_pdfs, original_places
from bot.eval.answers import (
    CachedSentenceEncoder,
    answer_records,
    as_asked,
    summarise,
    top_hits,
)
from bot.eval.corpus import CACHE_FILE
from bot.eval.financebench import financebench_metrics, naive_index, our_index
from bot.eval.financebench_data import FBQuestion, document_names, load_questions, prepare
from bot.eval.ranking import SYSTEMS, Rankings, chunk_places, query_vectors, rank_questions
from bot.eval.settings import EvalSettings
from bot.eval.tatqa import load_tatqa, tatqa_index, tatqa_metrics
from index.chunk import ChunkerSettings
from index.embed import Embedder
from index.embed_cache import EmbeddingCache
from index.fusion import FusionParams
from index.search import Searcher
from index.tokens import TokenCounter


class DataMissing(Exception):
    """The benchmark's data folder is absent (a fresh clone has no ../shared/eval)."""


def default_tools() -> tuple[EvalSettings, Embedder, TokenCounter]:
    """Eval settings from the environment, the real embedder and the real token counter."""
    from bot.eval.settings import get_eval_settings
    from index.embed import SentenceTransformerEmbedder
    from index.tokens import default_counter

    return get_eval_settings(), SentenceTransformerEmbedder(), default_counter()


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _data(settings: EvalSettings, name: str) -> Path:
    root = settings.data_dir / name
    if not root.is_dir():
        raise DataMissing(
            f"skipped: {root} not found (set INVESTOR_QA_EVAL_DATA_DIR to the eval data folder)"
        )
    return root


def rank_all(
    searcher: Searcher, embedder: Embedder, questions: list[str], cache_dir: Path
) -> tuple[np.ndarray, list[Rankings]]:
    """Cached question vectors and deep dense and keyword rankings for every question."""
    with EmbeddingCache(cache_dir / CACHE_FILE) as cache:
        vectors = query_vectors(embedder, questions, cache)
    return vectors, rank_questions(searcher, questions, vectors)


def tatqa_setup(
    settings: EvalSettings, embedder: Embedder, counter: TokenCounter, params: FusionParams
) -> tuple[list[dict], dict, Searcher, np.ndarray, list[Rankings]]:
    """Load TAT-QA, build or reuse its index, and rank every question (dense and keyword)."""
    root = _data(settings, "tatqa")
    cache_dir = settings.cache_dir / "tatqa"
    articles, queries, gold = load_tatqa(root)
    _say(f"TAT-QA: {len(articles)} passages, {len(queries)} questions; cache {cache_dir}")
    index_dir = tatqa_index(articles, embedder, counter, cache_dir, ChunkerSettings())
    searcher = Searcher(index_dir, embedder, params)
    vectors, rankings = rank_all(searcher, embedder, [q["text"] for q in queries], cache_dir)
    return queries, gold, searcher, vectors, rankings


def run_tatqa(
    settings: EvalSettings,
    embedder: Embedder,
    counter: TokenCounter,
    params: FusionParams,
    split: str = "all",
    min_score: float | None = None,
) -> dict:
    """nDCG@10, recall@10, MRR@10 for dense, keyword and hybrid retrieval of TAT-QA passages;
    with `min_score`, also the answers' span_hit, arithmetic_acc and not_found_rate per split."""
    queries, gold, searcher, vectors, rankings = tatqa_setup(settings, embedder, counter, params)
    places = chunk_places(searcher)
    results = tatqa_metrics(queries, gold, rankings, places, params, split)
    if min_score is not None:
        hits = tatqa_hits(searcher, rankings, vectors, params, places)
        encoder = CachedSentenceEncoder(embedder, settings.cache_dir / "tatqa")
        try:
            answerer = Answerer(searcher, min_score=min_score, encoder=encoder)
            results["answers"] = summarise(answer_records(queries, hits, as_asked(answerer)))
        finally:
            encoder.close()
    return results


def tatqa_hits(searcher: Searcher, rankings, vectors, params: FusionParams, places) -> list:
    """Every question's top passages, as `ask` would hand them to the composer."""
    article_of = {rowid: place[0] for rowid, place in places.items()}
    return [
        top_hits(searcher, ranking, vector, params, article_of)
        for ranking, vector in zip(rankings, vectors, strict=True)
    ]


def financebench_setup(
    settings: EvalSettings,
    embedder: Embedder,
    counter: TokenCounter,
    params: FusionParams,
    limit_docs: int | None = None,
    naive: bool = True,
    anonymous: bool = False,
) -> tuple[list[FBQuestion], Searcher, np.ndarray, list[Rankings], dict[str, str]]:
    """Parse, embed and index the PDFs (cached), and rank every question on our index.

    `anonymous`: the PDFs are copied under accession-like numbers first (bot/eval/anonymous.py);
    the last value maps those numbers back to the original names.
    """
    root = _data(settings, "financebench")
    cache_dir = settings.cache_dir / "financebench"
    chunker = ChunkerSettings()
    docs = document_names(root, limit_docs)
    questions = load_questions(root, set(docs))
    pdfs: Path | None = None
    names: dict[str, str] = {}
    if anonymous:
        pdfs, names = anonymous_pdfs(root, cache_dir, docs)
        docs, naive = list(names), False
    which = "accession-like names" if anonymous else "original names"
    _say(f"FinanceBench ({which}): {len(docs)} PDFs, {len(questions)} questions; cache {cache_dir}")
    prepare(root, cache_dir, docs, embedder, counter, chunker, naive=naive, pdfs=pdfs)
    index_dir = our_index(root, cache_dir, docs, embedder, counter, chunker, pdfs)
    searcher = Searcher(index_dir, embedder, params)
    vectors, rankings = rank_all(searcher, embedder, [q.text for q in questions], cache_dir)
    return questions, searcher, vectors, rankings, names


def run_financebench(
    settings: EvalSettings,
    embedder: Embedder,
    counter: TokenCounter,
    params: FusionParams,
    min_score: float,
    limit_docs: int | None = None,
    naive: bool = True,
    split: str = "all",
    anonymous: bool = False,
) -> dict:
    """Page and document hits, MRR and figure match: ours (3 retrievals) and the naive baseline.

    `anonymous`: the same with every PDF renamed to an accession-like number (no naive run).
    """
    questions, searcher, vectors, rankings, names = financebench_setup(
        settings, embedder, counter, params, limit_docs, naive and not anonymous, anonymous
    )
    places = original_places(chunk_places(searcher), names)
    encoder = CachedSentenceEncoder(embedder, settings.cache_dir / "financebench")
    try:
        results = {
            system: financebench_metrics(
                questions,
                rankings,
                vectors,
                searcher,
                places,
                system,
                params,
                min_score,
                split,
                encoder=encoder,
            )
            for system in SYSTEMS
        }
        if naive and not anonymous:
            root = settings.data_dir / "financebench"
            cache_dir = settings.cache_dir / "financebench"
            docs = document_names(root, limit_docs)
            base = Searcher(naive_index(root, cache_dir, docs, embedder), embedder, params)
            _, base_rankings = rank_all(base, embedder, [q.text for q in questions], cache_dir)
            results["naive"] = financebench_metrics(
                questions,
                base_rankings,
                vectors,
                base,
                chunk_places(base),
                "dense",
                params,
                min_score,
                split,
                encoder=encoder,
            )
    finally:
        encoder.close()
    return results
