"""FinanceBench, shared store: all PDFs in one index, each question asked against all of them."""

from pathlib import Path

import numpy as np

from bot.answer.answerer import Answerer
from bot.eval.answer_match import computed_match
from bot.eval.answers import ANSWER_K, TABLE_K
from bot.eval.corpus import cached_index
from bot.eval.figure_match import figure_matches, main_number
from bot.eval.financebench_data import (
    FBQuestion,
    naive_article,
    our_article,
    our_chunks,
    page_key,
)
from bot.eval.metrics import hit_at, mean, mrr_at
from bot.eval.naive import NAIVE_CHUNKER, naive_chunks
from bot.eval.ranking import Rankings, is_dev
from index.chunk import ChunkerSettings
from index.expand import expand_hits
from index.fusion import FusionParams
from index.search import Searcher


def our_index(
    root, cache_dir, docs, embedder, counter, chunker: ChunkerSettings, pdfs: Path | None = None
) -> Path:
    """The shared index of `docs` as the product builds it (`pdfs`: a folder of renamed copies)."""
    articles = [our_article(root, cache_dir, doc, pdfs) for doc in docs]
    chunks = [c for a in articles for c in our_chunks(a, counter, chunker)]
    name = f"financebench-ours-{len(docs)}" + ("-anonymous" if pdfs else "")
    return cached_index(name, articles, chunks, embedder, cache_dir, chunker)


def naive_index(root, cache_dir, docs, embedder) -> Path:
    """The shared index of `docs` the paper's way (pypdf pages, 1024-character splits)."""
    articles = [naive_article(root, cache_dir, doc) for doc in docs]
    chunks = [c for a in articles for c in naive_chunks(a)]
    return cached_index(
        f"financebench-naive-{len(docs)}", articles, chunks, embedder, cache_dir, NAIVE_CHUNKER
    )


def page_of(place: tuple[str, int | None]) -> str:
    """The page key of a retrieved chunk (`DOC#p<1-based page>`)."""
    path, page = place
    return page_key(Path(path).stem, page or 0)


def financebench_metrics(
    questions: list[FBQuestion],
    rankings: list[Rankings],
    vectors: np.ndarray,
    searcher: Searcher,
    places: dict[int, tuple[str, int | None]],
    system: str,
    params: FusionParams,
    min_score: float,
    split: str = "all",
    answers: bool = True,
    encoder=None,
) -> dict[str, float]:
    """Gold-page hit@1/4/10, gold-document hit@4, MRR (over the top 10), answer-figure match,
    and for metrics-generated questions whether the answer computed the gold figure."""
    rows: dict[str, list[float]] = {m: [] for m in ("p1", "p4", "p10", "d4", "mrr", "fig", "comp")}
    article_of = {rowid: place[0] for rowid, place in places.items()}
    answerer = Answerer(searcher, min_score=min_score, encoder=encoder)
    for question, ranking, vector in zip(questions, rankings, vectors, strict=True):
        if split != "all" and is_dev(question.id) != (split == "dev"):
            continue
        top = ranking.ranked(system, params, 10, article_of)
        pages = [page_of(places[r]) for r in top]
        docs = [Path(places[r][0]).stem for r in top]
        gold = set(question.gold_pages)
        rows["p1"].append(hit_at(pages, gold, 1))
        rows["p4"].append(hit_at(pages, gold, 4))
        rows["p10"].append(hit_at(pages, gold, 10))
        rows["d4"].append(hit_at(docs, set(question.docs), 4))
        rows["mrr"].append(mrr_at(pages, gold, 10))
        if answers and main_number(question.answer) is not None:
            scored = searcher.with_cosine(top[:TABLE_K], vector, dict(ranking.dense))
            hits = expand_hits(searcher.files, searcher.hits_for(scored))  # as `search` does
            answer = answerer.compose(question.text, hits, sentence_k=ANSWER_K)
            rows["fig"].append(
                float(answer.found and figure_matches(question.answer, answer.answer))
            )
            if question.kind == "metrics-generated":
                rows["comp"].append(float(computed_match(question.answer, answer)))
    return {
        "page_hit@1": mean(rows["p1"]),
        "page_hit@4": mean(rows["p4"]),
        "page_hit@10": mean(rows["p10"]),
        "doc_hit@4": mean(rows["d4"]),
        "mrr": mean(rows["mrr"]),
        "figure_match": mean(rows["fig"]),
        "computed_match": mean(rows["comp"]),
        "questions": len(rows["p1"]),
        "figure_questions": len(rows["fig"]),
        "computed_questions": len(rows["comp"]),
    }
