"""Small updates: adding 1 and 50 articles to large indexes, and searching with them pending.

Run: .venv/bin/python -m benchmarks.small_updates [--quick] [--sizes 100000,1000000]
Per size: an index of synthetic vectors grown from real embeddings (benchmarks/scale.py, texts
from the bundled corpus, so stored postings are written as for a real corpus), then
  1. an append of 1 new article and then of 50 (synthetic finance articles, about 6 chunks
     each) through `index.append.append_files`, the path `add`, uploads and feeds take. The
     encoder returns precomputed vectors, so the wall time excludes encoding, as the issue asks;
     it includes loading the files, chunking, the embedding cache and the SQLite transaction;
  2. query latency (search only: dense, keyword, fusion, expansion; questions pre-encoded)
     with the 51 articles pending as appended rows, and on the same content fully merged
     (a version written from scratch, as a merge writes it); the two indexes answer each
     question in turn, so other processes' load falls on both alike.
Prints the figures and writes benchmarks/results/small_updates.json.
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import finish, percentiles, print_table
from benchmarks.query_latency import questions
from benchmarks.scale import build_index_of, bundled_chunks, cached_vectors, find_caches, grow
from benchmarks.synthetic import write_corpus
from index.append import append_files
from index.chunk import ChunkerSettings, chunk_article
from index.load import load_corpus
from index.search import Searcher
from index.settings import DEFAULT_MODEL
from index.tokens import default_counter

ROOT = Path(__file__).resolve().parents[1]


class PrecomputedEncoder:
    """An Embedder whose document vectors cost nothing: noisy copies of real ones."""

    name, dim = DEFAULT_MODEL, 384

    def __init__(self, real: np.ndarray, queries: dict[str, np.ndarray] | None = None):
        self.real, self.queries = real, queries or {}
        self.rng = np.random.default_rng(1)

    def load(self) -> None:
        pass

    def encode_documents(self, texts, batch_size=32, progress=None) -> np.ndarray:
        picked = self.real[self.rng.integers(0, len(self.real), len(texts))]
        noisy = picked + self.rng.normal(0, 0.01, picked.shape).astype(np.float32)
        return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)

    def encode_query(self, text: str) -> np.ndarray:
        return self.queries[text]


def timed_append(corpus: Path, index_dir: Path, names: list[str], encoder) -> dict:
    """Append `names` (files in `corpus`) and time it; encoding is free, so it is excluded."""
    started = time.perf_counter()
    report = append_files(corpus, index_dir, names, encoder, default_counter())
    wall = time.perf_counter() - started
    assert report is not None and report.appended, "expected an in-place append"
    return {
        "articles": len(names),
        "wall_s": round(wall, 3),
        "embed_s": round(report.embed_seconds, 3),
        "wall_excluding_encoding_s": round(wall - report.embed_seconds, 3),
    }


def query_p50(index_dirs: dict[str, Path], encoder, qs: list[str]) -> dict[str, dict]:
    """Search p50/p95 per index, the indexes taking turns question by question, so that load
    from other processes on the machine falls on both alike."""
    searchers = {name: Searcher(path, encoder) for name, path in index_dirs.items()}
    took: dict[str, dict[str, list[float]]] = {
        name: {"dense": [], "keyword": [], "search": []} for name in searchers
    }
    for i, question in enumerate(qs):
        for name, searcher in searchers.items():
            searcher.search(question, 5)
            if i >= 5:  # the first few warm caches and pages
                for step in took[name]:
                    took[name][step].append(searcher.timings[step])
    for searcher in searchers.values():
        searcher.files.close()
    return {
        name: {f"{step}_{k}": v for step, t in steps.items() for k, v in percentiles(t).items()}
        for name, steps in took.items()
    }


def measure(n: int, real: np.ndarray, texts, qs, qvecs, work: Path) -> dict:
    index_dir, corpus = work / f"idx-{n}", work / f"corpus-{n}"
    vectors = grow(real, n)
    started = time.perf_counter()
    build_index_of(index_dir, vectors, texts)
    build_s = time.perf_counter() - started
    write_corpus(corpus, 51, seed=n)
    names = sorted(p.name for p in corpus.iterdir())
    encoder = PrecomputedEncoder(real, dict(zip(qs, qvecs, strict=True)))
    one = timed_append(corpus, index_dir, names[:1], encoder)
    fifty = timed_append(corpus, index_dir, names[1:], encoder)
    # The same content fully merged: the build's rows plus the appended ones, written anew.
    searcher = Searcher(index_dir, encoder)
    appended = searcher.files.live.delta
    searcher.files.close()
    merged_dir = work / f"merged-{n}"
    articles = load_corpus(corpus).articles
    counter, chunker = default_counter(), ChunkerSettings()
    extra = [c for a in articles for c in chunk_article(a, counter, chunker)]
    build_index_of(merged_dir, np.concatenate([vectors, appended]), texts, extra=(articles, extra))
    timings = query_p50({"pending": index_dir, "merged": merged_dir}, encoder, qs)
    pending, merged = timings["pending"], timings["merged"]
    for path in (index_dir, merged_dir, corpus):
        shutil.rmtree(path, ignore_errors=True)
    return {
        "chunks": n,
        "build_s": round(build_s, 1),
        "append_1_s": one["wall_excluding_encoding_s"],
        "append_50_s": fifty["wall_excluding_encoding_s"],
        "append_1_wall_s": one["wall_s"],
        "append_50_wall_s": fifty["wall_s"],
        "appended_chunks": len(appended),
        "pending": pending,
        "merged": merged,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k chunks")
    parser.add_argument("--sizes", help="comma-separated chunk counts")
    parser.add_argument("--queries", type=int, default=105)
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    default = "10000,100000" if args.quick else "100000,1000000"
    sizes = [int(s) for s in (args.sizes or default).split(",")]
    real = cached_vectors(find_caches())
    texts = bundled_chunks()
    if len(real) < 1000:  # no evaluation caches: random unit vectors stand in
        rng = np.random.default_rng(0)
        real = rng.normal(size=(5000, 384)).astype(np.float32)
        real /= np.linalg.norm(real, axis=1, keepdims=True)
    qs = list(dict.fromkeys(questions(args.eval_dir, args.queries * 3)))[: args.queries]
    rng = np.random.default_rng(2)
    qvecs = real[rng.integers(0, len(real), len(qs))]
    work = Path(tempfile.mkdtemp(prefix="iqa-small-updates-"))
    try:
        rows = [measure(n, real, texts, qs, qvecs, work) for n in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table = [
        [
            r["chunks"],
            r["append_1_s"],
            r["append_50_s"],
            r["appended_chunks"],
            r["pending"]["search_p50_ms"],
            r["merged"]["search_p50_ms"],
            r["pending"]["keyword_p50_ms"],
            r["merged"]["keyword_p50_ms"],
            r["pending"]["dense_p50_ms"],
            r["merged"]["dense_p50_ms"],
        ]
        for r in rows
    ]
    print_table(
        [
            "chunks",
            "append 1 (s)",
            "append 50 (s)",
            "appended chunks",
            "search p50 pending",
            "merged",
            "keyword pending",
            "merged",
            "dense pending",
            "merged",
        ],
        table,
    )
    figures = {}
    for r in rows:
        figures[f"append_1_s_{r['chunks']}"] = r["append_1_s"]
        figures[f"append_50_s_{r['chunks']}"] = r["append_50_s"]
        figures[f"search_p50_ms_pending_{r['chunks']}"] = r["pending"]["search_p50_ms"]
        figures[f"search_p50_ms_merged_{r['chunks']}"] = r["merged"]["search_p50_ms"]
    finish("small_updates" + ("-quick" if args.quick else ""), figures, {"sizes": rows})


if __name__ == "__main__":
    main()
