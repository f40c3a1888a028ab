"""Retrieval-core figures on the bundled corpus: build throughput, warm and cold `ask` latency.

Run: .venv/bin/python -m benchmarks.core_figures [--repeats 20]
Prints a table and one JSON line; writes benchmarks/results/core_figures.json.
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.answer.compose import compose_answer
from index.build import build_index
from index.chunk import ChunkerSettings, chunk_article
from index.embed import SentenceTransformerEmbedder
from index.load import load_corpus
from index.search import Searcher
from index.settings import IndexSettings
from index.tokens import default_counter

ROOT = Path(__file__).resolve().parents[1]

QUESTIONS = [
    "How much is Alibaba investing in AI?",
    "What share of China's cloud market does Alibaba hold?",
    "How much did Tencent spend on capital expenditure in 2024?",
    "What is Meta's capex guidance for 2025?",
    "Who painted the Mona Lisa?",
]


def ms(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    counter, embedder = default_counter(), SentenceTransformerEmbedder()
    embedder.load()
    work = Path(tempfile.mkdtemp(prefix="iqa-core-"))
    try:
        report = build_index(args.corpus, work / "index", embedder, counter)
        texts = [
            c.embed_text
            for a in load_corpus(args.corpus).articles
            for c in chunk_article(a, counter, ChunkerSettings())
        ]
        started = time.perf_counter()
        embedder.model.encode(texts, batch_size=32, normalize_embeddings=True)
        raw_rate = len(texts) / (time.perf_counter() - started)

        searcher = Searcher(work / "index", embedder)
        min_score = IndexSettings().min_score
        enc, srch, comp = [], [], []
        for _ in range(args.repeats):
            for q in QUESTIONS:
                hits = searcher.search(q, 5)
                t0 = time.perf_counter()
                compose_answer(q, hits, min_score)
                comp.append(time.perf_counter() - t0)
                enc.append(searcher.timings["encode"])
                srch.append(searcher.timings["search"])

        corpus_copy = work / "corpus"
        shutil.copytree(args.corpus, corpus_copy)
        cli = [
            sys.executable,
            "-m",
            "bot",
            "ask",
            QUESTIONS[0],
            "--corpus",
            str(corpus_copy),
            "--index-dir",
            str(work / "cli-index"),
        ]
        subprocess.run(cli, cwd=ROOT, capture_output=True, check=True)  # builds the index
        colds = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run(cli, cwd=ROOT, capture_output=True, check=True)
            colds.append(time.perf_counter() - t0)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    build_rate = report.chunks / report.seconds
    figures = {
        "articles": report.articles,
        "chunks": report.chunks,
        "build_seconds": round(report.seconds, 2),
        "build_chunks_per_s": round(build_rate, 2),
        "raw_encode_chunks_per_s": round(raw_rate, 2),
        "build_to_raw_ratio": round(build_rate / raw_rate, 3),
        "max_chunk_tokens": report.max_chunk_tokens,
        "warm_encode": ms(enc),
        "warm_search": ms(srch),
        "warm_compose": ms(comp),
        "cold_ask_wall_s": round(statistics.median(colds), 2),
    }
    for key, value in figures.items():
        print(f"{key:24} {value}")
    out = ROOT / "benchmarks" / "results" / "core_figures.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
