"""Answer quality side by side: the composer before issue 11 against today's, plus an ablation.

Run: .venv/bin/python -m benchmarks.answer_quality [--financebench] [--before REV] [--latency N]

"Before" is the answer package exactly as it was at REV (default 00dc331, the main the issue
measured), read from git into a temporary package; nothing of it is kept in the tree. Both
composers get the same passages (hybrid search) for every question, in one run: the old one
the top 5, today's the top 10 as `ask` does (sentences from the top 5, tables from all 10).
TAT-QA span_hit by source, arithmetic_acc and not_found_rate per split, and with
--financebench figure_match and computed_match. The ablation switches today's steps off one
by one (ComposeOptions), one at a time and then all three, and reads tables from the top 5
only. --latency N times composition with the ONNX query encoder encoding the sentences for
real (no cache), over N questions.
"""

import argparse
import importlib
import importlib.util
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, finish, percentiles, print_table
from bot.answer.answerer import Answerer
from bot.answer.compose import ComposeOptions
from bot.eval.answer_match import computed_match
from bot.eval.answers import (
    ANSWER_K,
    TABLE_K,
    CachedSentenceEncoder,
    answer_records,
    as_asked,
    summarise,
)
from bot.eval.figure_match import figure_matches, main_number
from bot.eval.ranking import chunk_places, is_dev
from bot.eval.run import default_tools, financebench_setup, tatqa_hits, tatqa_setup
from index.fusion import FusionParams
from index.settings import get_settings

BEFORE = "00dc331"
TODAY = "today (every step)"
SHALLOW = "- tables past the top 5"  # every step, on the top ANSWER_K passages only
ABLATION = {
    TODAY: ComposeOptions(),
    "- sentence similarity": ComposeOptions(sentence_evidence=False),
    "- computed figures": ComposeOptions(compute=False),
    "- table answers": ComposeOptions(tables=False),
    "- tables, computed, similarity": ComposeOptions(
        sentence_evidence=False, tables=False, compute=False
    ),
}


def legacy_composer(rev: str, workdir: Path):
    """`compose_answer` of bot/answer as it was at `rev`, imported as a separate package."""
    files = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{rev}:bot/answer"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    package = workdir / "legacy_answer"
    package.mkdir()
    for name in files:
        if not name.endswith(".py"):
            continue
        source = subprocess.run(
            ["git", "show", f"{rev}:bot/answer/{name}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (package / name).write_text(re.sub(r"\bbot\.answer\b", "legacy_answer", source))
    spec = importlib.util.spec_from_file_location(
        "legacy_answer", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["legacy_answer"] = module
    spec.loader.exec_module(module)
    return importlib.import_module("legacy_answer.compose").compose_answer


def tatqa_rows(composers: dict, settings, embedder, counter, params) -> dict:
    """Answer-level TAT-QA figures of each composer, on the same passages."""
    queries, _, searcher, vectors, rankings = tatqa_setup(settings, embedder, counter, params)
    hits = tatqa_hits(searcher, rankings, vectors, params, chunk_places(searcher))
    out = {}
    for name, make in composers.items():
        compose = make(searcher, settings.cache_dir / "tatqa")
        out[name] = summarise(answer_records(queries, hits, compose))
        print(f"TAT-QA: {name} done", file=sys.stderr, flush=True)
    return out


def financebench_rows(
    composers: dict, settings, embedder, counter, params, limit_docs: int | None = None
) -> dict:
    """figure_match and computed_match of each composer on FinanceBench, per split."""
    questions, searcher, vectors, rankings, _ = financebench_setup(
        settings, embedder, counter, params, limit_docs, naive=False
    )
    article_of = {rowid: place[0] for rowid, place in chunk_places(searcher).items()}
    passages = []
    for ranking, vector in zip(rankings, vectors, strict=True):
        top = ranking.ranked("hybrid", params, TABLE_K, article_of)
        passages.append(searcher.hits_for(searcher.with_cosine(top, vector, dict(ranking.dense))))
    out = {}
    for name, make in composers.items():
        compose = make(searcher, settings.cache_dir / "financebench")
        rows = {
            "figure": {"test": [], "dev": [], "all": []},
            "computed": {"test": [], "dev": [], "all": []},
        }
        for question, hits in zip(questions, passages, strict=True):
            split = "dev" if is_dev(question.id) else "test"
            if main_number(question.answer) is None:
                continue
            answer = compose(question.text, hits)
            hit = answer.found and figure_matches(question.answer, answer.answer)
            for key in (split, "all"):
                rows["figure"][key].append(hit)
                if question.kind == "metrics-generated":
                    rows["computed"][key].append(computed_match(question.answer, answer))
        out[name] = {
            split: {
                "figure_match": round(
                    sum(rows["figure"][split]) / max(len(rows["figure"][split]), 1), 4
                ),
                "computed_match": round(
                    sum(rows["computed"][split]) / max(len(rows["computed"][split]), 1), 4
                ),
                "figure_questions": len(rows["figure"][split]),
            }
            for split in ("test", "dev", "all")
        }
        print(f"FinanceBench: {name} done", file=sys.stderr, flush=True)
    return out


def latency(settings, embedder, counter, params, n: int) -> dict:
    """Composition time per question with the ONNX encoder encoding sentences (no cache)."""
    from index.onnx_encoder import OnnxEmbedder, ensure_onnx_export

    queries, _, searcher, vectors, rankings = tatqa_setup(settings, embedder, counter, params)
    hits = tatqa_hits(searcher, rankings[:n], vectors[:n], params, chunk_places(searcher))
    with tempfile.TemporaryDirectory() as tmp:
        export = ensure_onnx_export(Path(tmp), embedder)
        onnx = OnnxEmbedder(export)
        onnx.load()
        answerer = Answerer(searcher, min_score=get_settings().min_score, encoder=onnx)
        times = []
        for query, passages in zip(queries[:n], hits, strict=True):
            start = time.perf_counter()
            answerer.compose(query["text"], passages, sentence_k=ANSWER_K)
            times.append(time.perf_counter() - start)
    return percentiles(times) | {"questions": len(times)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default=BEFORE, help="git revision of the 'before' composer")
    parser.add_argument("--financebench", action="store_true", help="also FinanceBench (74 PDFs)")
    parser.add_argument("--limit-docs", type=int, help="FinanceBench: only the first N PDFs")
    parser.add_argument("--latency", type=int, default=0, metavar="N", help="time N questions")
    args = parser.parse_args()
    settings, embedder, counter = default_tools()
    params = FusionParams()
    min_score = get_settings().min_score
    with tempfile.TemporaryDirectory() as tmp:
        before = legacy_composer(args.before, Path(tmp))

        def make_before(searcher, cache_dir):
            return lambda question, hits: before(question, hits[:ANSWER_K], min_score)

        def make_after(options, deep: bool = True):
            def make(searcher, cache_dir):
                encoder = CachedSentenceEncoder(embedder, cache_dir)
                answerer = Answerer(searcher, min_score=min_score, options=options, encoder=encoder)
                if deep:
                    return as_asked(answerer)
                return lambda question, hits: answerer.compose(question, hits[:ANSWER_K])

            return make

        composers = {f"before ({args.before})": make_before}
        composers |= {name: make_after(options) for name, options in ABLATION.items()}
        composers[SHALLOW] = make_after(ComposeOptions(), deep=False)
        details = {"tatqa": tatqa_rows(composers, settings, embedder, counter, params)}
        if args.financebench:
            details["financebench"] = financebench_rows(
                composers, settings, embedder, counter, params, args.limit_docs
            )
            details["financebench_docs"] = args.limit_docs or "all"
    if args.latency:
        details["latency"] = latency(settings, embedder, counter, params, args.latency)
    _print(details)
    today = details["tatqa"][TODAY]["test"]
    figures = {
        "tatqa_test_span_hit": today["span_hit"],
        "tatqa_test_span_hit_table": today["span_hit_by_source"]["table"],
        "tatqa_test_arithmetic_acc": today["arithmetic_acc"],
    }
    if "financebench" in details:
        fb = details["financebench"][TODAY]["test"]
        figures["financebench_test_figure_match"] = fb["figure_match"]
    if "latency" in details:
        figures["compose_p50_ms"] = details["latency"]["p50_ms"]
    finish("answer_quality", figures, details)
    return 0


def _print(details: dict) -> None:
    for split in ("test", "dev", "all"):
        print(f"\nTAT-QA answers, {split} split")
        rows = [
            [
                name,
                a[split]["span_hit"],
                a[split]["span_hit_by_source"]["text"],
                a[split]["span_hit_by_source"]["table"],
                a[split]["span_hit_by_source"]["table-text"],
                a[split]["arithmetic_acc"],
                a[split]["not_found_rate"],
            ]
            for name, a in details["tatqa"].items()
        ]
        print_table(
            ["composer", "span_hit", "text", "table", "table-text", "arith", "not found"], rows
        )
    for split in ("test", "dev", "all"):
        if "financebench" in details:
            print(f"\nFinanceBench answers, {split} split")
            rows = [
                [name, f[split]["figure_match"], f[split]["computed_match"]]
                for name, f in details["financebench"].items()
            ]
            print_table(["composer", "figure_match", "computed_match"], rows)
    if "latency" in details:
        print(f"\ncomposition with ONNX sentence encoding: {details['latency']}")


if __name__ == "__main__":
    sys.exit(main())
