"""Collection masks at scale: cost and exactness of searching only what an asker may read.

Run: .venv/bin/python -m benchmarks.masked_search [--quick] [--chunks 100000] [--queries N]
An index of real and grown embeddings (scale.py) where 1% of the articles sit in a restricted
collection `deal` and the rest in `news`. Every question is encoded by the ONNX encoder `ask`
uses, then searched on the hybrid path three ways: no mask (an operator, or a channel that reads
every collection), `news` only (a channel outside the wall: 99% of chunks allowed) and `deal`
only (the restricted collection alone: 1%). Reported: p50/p95 search latency per view, and
exactness: the masked top-5 against the same ranking computed over every chunk and then limited
to the collection (dense: by row; hybrid: by fused score, since repeated texts tie).
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import ROOT, finish, percentiles, print_table
from benchmarks.query_latency import encoder, questions
from benchmarks.scale import build_index_of, bundled_chunks, cached_vectors, find_caches, grow
from index.ann import similarities
from index.filters import SearchFilter
from index.search import Searcher

RESTRICTED_EVERY = 100  # one article in a hundred is in the restricted collection
K = 5
VIEWS = {
    "no mask": None,
    "news only (99%)": frozenset({"news"}),
    "deal only (1%)": frozenset({"deal"}),
}


def collection_of(article: int) -> str:
    return "deal" if article % RESTRICTED_EVERY == 0 else "news"


def fused(searcher: Searcher, question: str, query: np.ndarray, allowed) -> list[tuple]:
    """The fused ranking the searcher computes, from masked dense and keyword candidates."""
    depth = searcher.fusion
    dense = searcher.dense_ranked(query, depth.dense_depth, allowed)
    keyword = searcher.keyword_ranked(question, depth.keyword_depth, allowed)
    return _fuse(searcher, question, dense, keyword)


def reference(searcher: Searcher, question: str, query: np.ndarray, allowed) -> list[tuple]:
    """The same ranking from every chunk's scores, limited to `allowed` afterwards."""
    n, keep = searcher.files.vectors.ntotal, set(allowed.tolist())
    dense = [p for p in searcher.dense_ranked(query, n) if p[0] in keep]
    keyword = [p for p in searcher.keyword_ranked(question, n) if p[0] in keep]
    return _fuse(
        searcher,
        question,
        dense[: searcher.fusion.dense_depth],
        keyword[: searcher.fusion.keyword_depth],
    )


def _fuse(searcher, question, dense, keyword):
    return searcher.fused(question, dense, keyword)[:K]


def exactness(searcher: Searcher, qs: list[str], qvecs: np.ndarray) -> dict:
    """How often masked results equal the every-chunk ranking limited to the collection."""
    allowed = searcher.allowed(SearchFilter(collections=frozenset({"deal"})))
    dense_same = hybrid_same = post_filter_short = post_filter_empty = in_collection = 0
    for question, query in zip(qs, qvecs, strict=True):
        masked = [r for r, _ in searcher.dense_ranked(query, K, allowed)]
        scores = similarities(searcher.files.vectors, query, allowed)
        exact = [int(allowed[i]) for i in np.argsort(-scores, kind="stable")[:K]]
        dense_same += masked == exact
        got = [s for _, s in fused(searcher, question, query, allowed)]
        want = [s for _, s in reference(searcher, question, query, allowed)]
        hybrid_same += len(got) == len(want) and np.allclose(got, want)
        hits = searcher.search(question, K, SearchFilter(collections=frozenset({"deal"})))
        in_collection += all(h.collection == "deal" for h in hits) and len(hits) == K
        # What a post-filter of the unmasked top-5 would have left for this view.
        unmasked = searcher.search(question, K)
        left = sum(h.collection == "deal" for h in unmasked)
        post_filter_short += left < K
        post_filter_empty += left == 0
    n = len(qs)
    return {
        "dense_top5_identical": round(dense_same / n, 4),
        "hybrid_top5_same_scores": round(hybrid_same / n, 4),
        "masked_hits_all_in_collection_and_k": round(in_collection / n, 4),
        "post_filter_would_fall_short": round(post_filter_short / n, 4),
        "post_filter_would_be_empty": round(post_filter_empty / n, 4),
    }


def latency(searcher: Searcher, qs: list[str]) -> list[dict]:
    """p50/p95 of the hybrid search step (encode excluded) per view, warm.

    Also the CPU time of the whole search call (encode included), which other tenants of a busy
    machine disturb far less than wall-clock time.
    """
    rows = []
    for view, readable in VIEWS.items():
        flt = None if readable is None else SearchFilter(collections=readable)
        steps: dict[str, list[float]] = {"search": [], "dense": [], "keyword": [], "cpu": []}
        for i, question in enumerate(qs):
            cpu = time.process_time()
            searcher.search(question, K, flt)
            cpu = time.process_time() - cpu
            if i >= 5:  # the first few warm caches (and build the view's row ids once)
                for step in ("search", "dense", "keyword"):
                    steps[step].append(searcher.timings[step])
                steps["cpu"].append(cpu)
        row = {"view": view}
        row |= {f"{s}_{k}": v for s, t in steps.items() for k, v in percentiles(t).items()}
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k chunks, 40 questions")
    parser.add_argument("--chunks", type=int, help="index size (default 100000)")
    parser.add_argument("--queries", type=int, help="questions (default 200, quick 40)")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    n = args.chunks or (10_000 if args.quick else 100_000)
    n_queries = args.queries or (40 if args.quick else 200)

    onnx = encoder()
    real = cached_vectors(find_caches())
    texts = bundled_chunks()
    if len(real) < 1000:
        real = np.concatenate([real, onnx.encode_documents([c.embed_text for c in texts])])
    qs = questions(args.eval_dir, n_queries)
    qvecs = np.stack([onnx.encode_query(q) for q in qs])
    work = Path(tempfile.mkdtemp(prefix="iqa-masked-"))
    try:
        manifest = build_index_of(work, grow(real, n), texts, collection_of=collection_of)
        searcher = Searcher(work, onnx)
        restricted = len(searcher.allowed(SearchFilter(collections=frozenset({"deal"}))))
        print(f"{n} chunks ({manifest.index_type}), {restricted} restricted, {len(qs)} questions")
        rows = latency(searcher, qs)
        exact = exactness(searcher, qs, qvecs)
        searcher.files.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cols = list(rows[0])
    print_table(cols, [[r[c] for c in cols] for r in rows])
    for key, value in exact.items():
        print(f"{key}: {value}")
    by_view = {r["view"]: r for r in rows}
    figures = {
        "chunks": n,
        "restricted_chunks": restricted,
        "search_p50_ms_no_mask": by_view["no mask"]["search_p50_ms"],
        "search_p50_ms_news_mask": by_view["news only (99%)"]["search_p50_ms"],
        "search_p50_ms_deal_mask": by_view["deal only (1%)"]["search_p50_ms"],
        "cpu_p50_ms_no_mask": by_view["no mask"]["cpu_p50_ms"],
        "cpu_p50_ms_news_mask": by_view["news only (99%)"]["cpu_p50_ms"],
        "cpu_p50_ms_deal_mask": by_view["deal only (1%)"]["cpu_p50_ms"],
        **exact,
    }
    finish(
        "masked_search" + ("-quick" if args.quick else ""),
        figures,
        {"views": rows, "index_type": manifest.index_type, "queries": len(qs)},
    )


if __name__ == "__main__":
    main()
