"""Which change moved which number: retrieval variants side by side on both benchmarks.

Run: .venv/bin/python -m benchmarks.ablation [--limit-docs N]
Uses the eval cache filled by `investor-qa eval` (no re-encoding). All questions (dev and test).
Writes benchmarks/results/ablation.json.
"""

import argparse
import json
import sys
from pathlib import Path

from bot.eval.financebench import financebench_metrics, naive_index
from bot.eval.financebench_data import document_names
from bot.eval.ranking import chunk_places, rekeyed
from bot.eval.run import default_tools, financebench_setup, rank_all, tatqa_setup
from bot.eval.tatqa import tatqa_metrics
from index.fusion import FusionParams
from index.search import Searcher
from index.settings import get_settings

TUNED = FusionParams()
PLAIN = FusionParams(
    rrf_k=60,
    dense_weight=1.0,
    dense_depth=100,
    keyword_depth=100,
    context_weight=0.0,
    article_weight=0.0,
    match_weight=0.0,
)
VARIANTS = [
    ("dense (context chunks)", "dense", TUNED),
    ("keyword, text only", "keyword", PLAIN),
    ("keyword, + context column", "keyword", TUNED),
    ("hybrid, plain RRF (k=60, equal weights)", "hybrid", PLAIN),
    (
        "hybrid, plain RRF + context column",
        "hybrid",
        PLAIN.model_copy(update={"context_weight": TUNED.context_weight}),
    ),
    (
        "hybrid, tuned weights, no article bonus",
        "hybrid",
        TUNED.model_copy(update={"article_weight": 0.0, "match_weight": 0.0}),
    ),
    (
        "hybrid, tuned, no document match",
        "hybrid",
        TUNED.model_copy(update={"match_weight": 0.0}),
    ),
    ("hybrid, tuned (default)", "hybrid", TUNED),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit-docs", type=int)
    args = parser.parse_args()
    settings, embedder, counter = default_tools()
    min_score = get_settings().min_score
    tq, tgold, tsearch, _, _ = tatqa_setup(settings, embedder, counter, TUNED)
    fq, fsearch, fvec, _, _ = financebench_setup(
        settings, embedder, counter, TUNED, args.limit_docs
    )
    tplaces, fplaces = chunk_places(tsearch), chunk_places(fsearch)
    report: dict = {"financebench_docs": args.limit_docs or "all", "financebench": {}, "tatqa": {}}
    t_texts, f_texts = [q["text"] for q in tq], [q.text for q in fq]
    _, t_base = rank_all(tsearch, embedder, t_texts, settings.cache_dir / "tatqa")
    _, f_base = rank_all(fsearch, embedder, f_texts, settings.cache_dir / "financebench")
    rerank = {}  # keyword rankings per context weight; dense rankings never change
    for name, system, params in VARIANTS:
        if params.context_weight not in rerank:
            tsearch.fusion = fsearch.fusion = params
            rerank[params.context_weight] = (
                [rekeyed(tsearch, r, t) for r, t in zip(t_base, t_texts, strict=True)],
                [rekeyed(fsearch, r, t) for r, t in zip(f_base, f_texts, strict=True)],
            )
        t_ranks, f_ranks = rerank[params.context_weight]
        report["tatqa"][name] = tatqa_metrics(
            tq, tgold, t_ranks, tplaces, params, "all", (system,)
        )[system]
        report["financebench"][name] = financebench_metrics(
            fq, f_ranks, fvec, fsearch, fplaces, system, params, min_score, "all"
        )
    root, cache_dir = settings.data_dir / "financebench", settings.cache_dir / "financebench"
    base = Searcher(
        naive_index(root, cache_dir, document_names(root, args.limit_docs), embedder),
        embedder,
        TUNED,
    )
    _, ranks = rank_all(base, embedder, [q.text for q in fq], cache_dir)
    report["financebench"]["naive (pypdf, 1024 chars, dense)"] = financebench_metrics(
        fq, ranks, fvec, base, chunk_places(base), "dense", TUNED, min_score, "all"
    )
    print(json.dumps(report, indent=2))
    out = Path(__file__).parent / "results" / "ablation.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
