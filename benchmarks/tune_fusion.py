"""Tune hybrid retrieval (BM25 column weights, fusion depths and weights) on the dev questions.

Run: .venv/bin/python benchmarks/tune_fusion.py [tatqa|financebench] [--limit-docs N]
Uses the eval cache (no re-encoding once `investor-qa eval` has run). Tunes on the dev third of
the questions (bot.eval.ranking.is_dev) and prints dev and test figures of the best settings;
writes everything to benchmarks/results/tune_fusion_<benchmark>.json.
"""

import argparse
import itertools
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.eval.financebench import financebench_metrics  # noqa: E402
from bot.eval.ranking import Rankings, chunk_places  # noqa: E402
from bot.eval.run import financebench_setup, tatqa_setup  # noqa: E402
from bot.eval.settings import get_eval_settings  # noqa: E402
from bot.eval.tatqa import tatqa_metrics  # noqa: E402
from index.embed import SentenceTransformerEmbedder  # noqa: E402
from index.fusion import FusionParams  # noqa: E402
from index.settings import get_settings  # noqa: E402
from index.tokens import default_counter  # noqa: E402

# BM25 weights of the (context, text) columns; TAT-QA passages have no context, so one setting.
COLUMN_WEIGHTS = {"tatqa": [(1.0, 1.0)], "financebench": [(0.0, 1.0), (0.5, 1.0), (1.0, 1.0), (2.0, 1.0)]}
RRF_K = [5, 10, 20, 40, 60]
DENSE_WEIGHT = [0.25, 0.5, 0.75, 1.0, 1.5]
DEPTHS = [(50, 50), (100, 100), (200, 200), (30, 100), (100, 30)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("benchmark", choices=["tatqa", "financebench"])
    parser.add_argument("--limit-docs", type=int)
    args = parser.parse_args()
    settings, embedder, counter = (
        get_eval_settings(),
        SentenceTransformerEmbedder(),
        default_counter(),
    )
    if args.benchmark == "tatqa":
        queries, gold, searcher, vectors, rankings = tatqa_setup(
            settings, embedder, counter, FusionParams()
        )
        texts = [q["text"] for q in queries]
        places = chunk_places(searcher)

        def score(params, split, ranks):
            return tatqa_metrics(queries, gold, ranks, places, params, split, ("hybrid",))[
                "hybrid"
            ]["ndcg@10"]

        goal = "ndcg@10"
    else:
        questions, searcher, vectors, rankings = financebench_setup(
            settings, embedder, counter, FusionParams(), args.limit_docs
        )
        texts = [q.text for q in questions]
        places = chunk_places(searcher)
        min_score = get_settings().min_score

        def score(params, split, ranks):
            m = financebench_metrics(
                questions,
                ranks,
                vectors,
                searcher,
                places,
                "hybrid",
                params,
                min_score,
                split,
                answers=False,
            )
            return m["page_hit@4"] + m["mrr"]

        goal = "page_hit@4 + mrr"
    trials = []
    for cw, tw in COLUMN_WEIGHTS[args.benchmark]:
        searcher.fusion = FusionParams(context_weight=cw, text_weight=tw)
        ranks = [
            Rankings(dense=r.dense, keyword=searcher.keyword_ranked(t, 200))
            for r, t in zip(rankings, texts, strict=True)
        ]
        for k, w, (dd, kd) in itertools.product(RRF_K, DENSE_WEIGHT, DEPTHS):
            params = FusionParams(
                rrf_k=k,
                dense_weight=w,
                dense_depth=dd,
                keyword_depth=kd,
                context_weight=cw,
                text_weight=tw,
            )
            trials.append((score(params, "dev", ranks), params, ranks))
    trials.sort(key=lambda t: -t[0])
    best_dev, best, ranks = trials[0]
    default = FusionParams()
    report = {
        "benchmark": args.benchmark,
        "goal": goal,
        "best": best.model_dump(),
        "best_dev": round(best_dev, 4),
        "best_test": round(score(best, "test", ranks), 4),
        "top5": [{"dev": round(s, 4), **p.model_dump()} for s, p, _ in trials[:5]],
        "trials": len(trials),
    }
    print(json.dumps(report, indent=2))
    out = Path(__file__).parent / "results" / f"tune_fusion_{args.benchmark}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"default params: {default.model_dump()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
