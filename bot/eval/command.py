"""`investor-qa eval tatqa|financebench`: argument parsing and printing for the benchmark runs."""

import argparse
import json
import sys
from pathlib import Path

from index.settings import IndexSettings

NAMINGS = {False: "original names", True: "accession-like names"}
METRIC_ORDER = (
    "ndcg@10",
    "recall@10",
    "mrr@10",
    "page_hit@1",
    "page_hit@4",
    "page_hit@10",
    "doc_hit@4",
    "mrr",
    "figure_match",
    "computed_match",
)


def add_eval_parser(sub) -> None:
    """Register the `eval` subcommand."""
    p = sub.add_parser("eval", help="measure retrieval and answers on FinanceBench or TAT-QA")
    p.add_argument("benchmark", choices=["tatqa", "financebench"])
    p.add_argument("--json", action="store_true", help="end with one JSON object keyed by system")
    p.add_argument("--limit-docs", type=int, help="FinanceBench: only the first N PDFs (quick run)")
    p.add_argument("--no-naive", action="store_true", help="FinanceBench: skip the naive baseline")
    p.add_argument("--split", choices=["all", "dev", "test"], default="all", help="question split")
    p.add_argument(
        "--anonymous-names",
        action="store_true",
        help="FinanceBench: also run with every PDF renamed to an accession-like number "
        "(copies in the eval cache) and show both runs side by side",
    )
    p.add_argument(
        "--answers",
        action="store_true",
        help="TAT-QA: also score the answers (span_hit, arithmetic_acc, not_found_rate per split)",
    )
    p.add_argument("--data-dir", type=Path, help="eval data [INVESTOR_QA_EVAL_DATA_DIR]")
    p.add_argument("--cache-dir", type=Path, help="eval cache [INVESTOR_QA_EVAL_CACHE_DIR]")


def cmd_eval(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Run one benchmark and print its metrics (a table, or JSON with --json)."""
    from bot.eval.run import DataMissing, run_financebench, run_tatqa
    from bot.eval.settings import get_eval_settings
    from index.embed import SentenceTransformerEmbedder
    from index.fusion import FusionParams
    from index.tokens import default_counter

    if args.limit_docs is not None and args.limit_docs < 1:
        print("investor-qa: error: --limit-docs must be at least 1", file=sys.stderr)
        return 2
    overrides = {"data_dir": args.data_dir, "cache_dir": args.cache_dir}
    eval_settings = get_eval_settings().model_copy(
        update={k: v for k, v in overrides.items() if v is not None}
    )
    embedder, counter, params = (
        SentenceTransformerEmbedder(settings.device),
        default_counter(),
        FusionParams(),
    )
    try:
        if args.benchmark == "tatqa":
            min_score = settings.min_score if args.answers else None
            results = run_tatqa(eval_settings, embedder, counter, params, args.split, min_score)
        else:
            runs = [False, True] if args.anonymous_names else [False]
            by_naming = {
                NAMINGS[anonymous]: run_financebench(
                    eval_settings,
                    embedder,
                    counter,
                    params,
                    settings.min_score,
                    args.limit_docs,
                    naive=not args.no_naive,
                    split=args.split,
                    anonymous=anonymous,
                )
                for anonymous in runs
            }
            results = by_naming if args.anonymous_names else by_naming[NAMINGS[False]]
    except DataMissing as exc:
        print(str(exc), file=sys.stderr)
        if args.json:
            print(json.dumps({"skipped": str(exc)}))
        return 0
    if args.json:
        print(json.dumps(results))
    elif args.benchmark == "financebench" and args.anonymous_names:
        print(format_side_by_side(results))
    else:
        answers = results.pop("answers", None)
        print(format_table(results))
        if answers:
            print(format_answers(answers))
    return 0


def format_table(results: dict[str, dict[str, float]]) -> str:
    """Systems side by side, plus hybrid/naive ratios when the naive baseline ran."""
    systems = list(results)
    metrics = [m for m in METRIC_ORDER if any(m in results[s] for s in systems)]
    show_ratio = "naive" in results and "hybrid" in results
    header = f"{'metric':14}" + "".join(f"{s:>10}" for s in systems)
    lines = [header + (f"{'hybrid/naive':>14}" if show_ratio else "")]
    for metric in metrics:
        line = f"{metric:14}" + "".join(
            f"{results[s].get(metric, float('nan')):10.3f}" for s in systems
        )
        if show_ratio:
            base = results["naive"].get(metric) or 0.0
            line += f"{results['hybrid'][metric] / base:14.2f}" if base else f"{'-':>14}"
        lines.append(line)
    return "\n".join(lines)


def format_side_by_side(by_naming: dict[str, dict[str, dict[str, float]]]) -> str:
    """One table: every system of each naming run, the runs side by side."""
    columns = [(naming, s) for naming, systems in by_naming.items() for s in systems]
    width = 10
    groups = "".join(
        f"| {naming:<{width * len(systems) - 2}}" for naming, systems in by_naming.items()
    )
    lines = [f"{'':14}{groups}", f"{'metric':14}" + "".join(f"{s:>{width}}" for _, s in columns)]
    for metric in METRIC_ORDER:
        if not any(metric in by_naming[n][s] for n, s in columns):
            continue
        values = (by_naming[n][s].get(metric, float("nan")) for n, s in columns)
        lines.append(f"{metric:14}" + "".join(f"{v:{width}.3f}" for v in values))
    return "\n".join(lines)


def format_answers(answers: dict[str, dict]) -> str:
    """The answer-level figures, one column per split."""
    splits = list(answers)
    rows: list[tuple[str, str, str | None]] = [("span_hit", "span_hit", None)]
    rows += [(f"  {s}", "span_hit_by_source", s) for s in ("text", "table", "table-text")]
    rows += [("arithmetic_acc", "arithmetic_acc", None), ("not_found_rate", "not_found_rate", None)]
    lines = [f"{'answers':14}" + "".join(f"{s:>10}" for s in splits)]
    for name, key, source in rows:
        values = [answers[s][key] if source is None else answers[s][key][source] for s in splits]
        lines.append(f"{name:14}" + "".join(f"{v:10.3f}" for v in values))
    return "\n".join(lines)
