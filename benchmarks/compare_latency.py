"""Comparisons and charts at 100k chunks: p50 of a three-company comparison against a single
question, of a chart question (series assembly), and of drawing its PNG.

Run: .venv/bin/python -m benchmarks.compare_latency [--chunks 100000] [--rounds 40]
The index holds the bundled corpus (real embeddings, so the answers are real) and synthetic
finance articles about 20 companies (benchmarks/synthetic.py: Alibaba, Tencent and Baidu among
them, so company scoping filters as it would) up to `--chunks` chunks; their vectors are noisy
mixes of real ones, as in scale.py. Questions are
encoded by the ONNX encoder `ask` uses. The three kinds of question are timed in turn, round
after round, so a busy machine slows them alike; CPU time is reported beside wall time.
"""

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import finish, percentiles, print_table
from benchmarks.query_latency import encoder
from benchmarks.scale import grow
from benchmarks.synthetic import write_corpus
from bot.answer.answerer import Answerer
from bot.answer.ask import ask
from bot.answer.chart import render_chart
from index.chunk import ChunkerSettings, chunk_article
from index.load import load_corpus
from index.models import Chunk
from index.settings import DEFAULT_MODEL, get_settings
from index.store import Manifest, publish, read_manifest, write_version
from index.tokens import default_counter

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SINGLE = "How much is Alibaba investing in AI?"
COMPARISON = "compare AI capex: Alibaba, Tencent, Baidu"
CHART = "How has Alibaba Cloud's growth changed over the last year?"


def build(root: Path, n: int, onnx, work: Path) -> Manifest:
    """The bundled corpus (real vectors) plus synthetic finance articles up to `n` chunks."""
    counter, settings = default_counter(), ChunkerSettings()
    real = [c for a in load_corpus(CORPUS).articles for c in chunk_article(a, counter, settings)]
    articles = list(load_corpus(CORPUS).articles)
    real_vectors = onnx.encode_documents([c.embed_text for c in real])
    # About 4.5 chunks per synthetic article; written, loaded and chunked as the product does.
    fill_dir = write_corpus(work / "synthetic", max(1, (n - len(real)) * 2 // 9))
    filler: list[Chunk] = []
    for article in load_corpus(fill_dir).articles:
        if len(real) + len(filler) >= n:
            break
        articles.append(article)
        filler += chunk_article(article, counter, settings)[: n - len(real) - len(filler)]
    # Filler vectors sit where real chunk vectors sit (noisy mixes of them), as in scale.py.
    vectors = grow(real_vectors.astype(np.float32), len(real) + len(filler))
    chunks = real + filler
    manifest = Manifest(
        model_name=DEFAULT_MODEL, dim=vectors.shape[1], chunker=settings.model_dump(),
        articles=len(articles), chunks=len(chunks), corpus_fingerprint="compare-bench",
        built_at="-", build_seconds=0.0,
    )  # fmt: skip
    version = write_version(root, articles, chunks, vectors, manifest)
    publish(root, version)
    return manifest


def timed(fn) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="build the index here once and reuse it")
    args = parser.parse_args()
    onnx = encoder()
    work = Path(tempfile.mkdtemp(prefix="iqa-compare-"))
    root = args.keep or work / "index"
    try:
        if (root / "CURRENT").is_file():
            manifest = read_manifest(root)
        else:
            started = time.perf_counter()
            manifest = build(root, args.chunks, onnx, work)
            print(f"built {manifest.chunks} chunks, {manifest.articles} articles "
                  f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
        answerer = Answerer.open(root, onnx, CORPUS, min_score=get_settings().min_score)
        rows = run(answerer, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(rows, manifest, args)


def run(answerer: Answerer, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Time each kind of question once per round, after two warm-up rounds."""
    kinds = {
        "single": lambda: ask(answerer, SINGLE),
        "comparison (3 companies)": lambda: ask(answerer, COMPARISON),
        "chart question (series)": lambda: ask(answerer, CHART),
    }
    times = {name: {"wall": [], "cpu": []} for name in [*kinds, "chart render (PNG)"]}
    checks = {}
    for round_ in range(rounds + 2):
        for name, fn in kinds.items():
            wall, cpu, answer = timed(fn)
            checks[name] = answer
            if round_ == 0:  # a new Searcher: each company filter's rows come from SQLite
                times[name]["first"] = [wall]
            if round_ >= 2:
                times[name]["wall"].append(wall)
                times[name]["cpu"].append(cpu)
        wall, cpu, png = timed(lambda: render_chart(checks["chart question (series)"]))
        if round_ >= 2:
            times["chart render (PNG)"]["wall"].append(wall)
            times["chart render (PNG)"]["cpu"].append(cpu)
    table = checks["comparison (3 companies)"].table
    print("comparison rows:", [(r.company, r.figure) for r in table.rows])
    series = checks["chart question (series)"].series or []
    print("series:", [(p.label, p.value) for p in series], f"PNG {len(png)} bytes")
    return times


def report(times: dict, manifest: Manifest, args) -> None:
    rows, figures = [], {}
    for name, t in times.items():
        wall, cpu = percentiles(t["wall"]), statistics.median(t["cpu"]) * 1000
        first = round(t["first"][0] * 1000, 1) if "first" in t else "-"
        rows.append([name, wall["p50_ms"], wall["p95_ms"], round(cpu, 2), first])
        figures[name] = {
            "p50_ms": wall["p50_ms"],
            "p95_ms": wall["p95_ms"],
            "cpu_p50_ms": round(cpu, 2),
            "first_ms": first,
        }
    print_table(["question", "p50 ms", "p95 ms", "CPU p50 ms", "first call ms"], rows)
    single, comparison = figures["single"], figures["comparison (3 companies)"]
    out = {
        "chunks": manifest.chunks,
        "single_p50_ms": single["p50_ms"],
        "comparison_p50_ms": comparison["p50_ms"],
        "comparison_over_single": round(comparison["p50_ms"] / single["p50_ms"], 2),
        "comparison_over_single_cpu": round(comparison["cpu_p50_ms"] / single["cpu_p50_ms"], 2),
        "chart_question_p50_ms": figures["chart question (series)"]["p50_ms"],
        "chart_render_p50_ms": figures["chart render (PNG)"]["p50_ms"],
        "chart_render_cpu_p50_ms": figures["chart render (PNG)"]["cpu_p50_ms"],
    }
    print(f"comparison / single: {out['comparison_over_single']}x wall, "
          f"{out['comparison_over_single_cpu']}x CPU")  # fmt: skip
    finish("compare_latency", out, {"kinds": figures, "rounds": args.rounds})


if __name__ == "__main__":
    main()
