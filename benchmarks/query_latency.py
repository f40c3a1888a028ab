"""Query latency from 1k to 1M chunks, and recall@10 of the chosen index against exact search.

Run: .venv/bin/python -m benchmarks.query_latency [--quick] [--sizes 1000,10000,...]
Every question is encoded by the real model (the ONNX encoder `ask` uses); the index holds real
embeddings from the evaluation caches, grown with synthetic ones past their count (see scale.py).
Per size: p50/p95 of encode, search, compose and their total, warm (after a few queries).
Then recall@10 on the real vectors alone, for the IVF settings the factory would pick.
"""

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import ROOT, finish, percentiles, print_table
from benchmarks.scale import build_index_of, bundled_chunks, cached_vectors, find_caches, grow
from bot.answer.compose import compose_answer
from index import ann
from index.embed import SentenceTransformerEmbedder
from index.onnx_encoder import OnnxEmbedder, ensure_onnx_export
from index.search import Searcher
from index.settings import get_settings

PERF_CACHE = Path.home() / ".cache" / "investor-qa" / "perf"


def questions(eval_dir: Path, n: int) -> list[str]:
    """FinanceBench and TAT-QA questions when the evaluation data is there, else a few of ours."""
    found: list[str] = []
    for rel in ("financebench/questions.jsonl", "tatqa/queries.jsonl"):
        path = eval_dir / rel
        if path.is_file():
            found += [json.loads(line)["text"] for line in path.read_text().splitlines() if line]
    if not found:
        from benchmarks.not_found_calibration import ON_TOPIC

        found = list(ON_TOPIC)
    return [found[i % len(found)] for i in range(n)]


def encoder() -> OnnxEmbedder:
    """The ONNX question encoder, exported once into a cache directory."""
    ensure_onnx_export(PERF_CACHE, SentenceTransformerEmbedder("cpu"))
    onnx = OnnxEmbedder(PERF_CACHE / "onnx")
    onnx.load()
    return onnx


def recall_at_10(index, vectors: np.ndarray, queries: np.ndarray) -> float:
    """Share of the exact top 10 that `index` returns."""
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    _, got = index.search(queries, 10)
    return float(np.mean([len(set(e) & set(g)) / 10 for e, g in zip(exact, got, strict=True)]))


def measure_size(n, real, texts, qs, qvecs, onnx, work: Path) -> dict:
    vectors = grow(real, n)
    started = time.perf_counter()
    manifest = build_index_of(work / str(n), vectors, texts)
    build_s = time.perf_counter() - started
    searcher = Searcher(work / str(n), onnx)
    min_score = get_settings().min_score
    steps: dict[str, list[float]] = {
        "encode": [], "dense": [], "keyword": [], "search": [], "compose": [], "total": []
    }  # fmt: skip
    for i, question in enumerate(qs):
        # The path `ask` and Slack take: hybrid search (dense + FTS5 keyword, fused, expanded).
        t0 = time.perf_counter()
        hits = searcher.search(question, 5)
        t1 = time.perf_counter()
        compose_answer(question, hits, min_score)
        t2 = time.perf_counter()
        if i >= 5:  # the first few warm caches and pages
            took = searcher.timings
            for step in ("encode", "dense", "keyword", "search"):
                steps[step].append(took[step])
            steps["compose"].append(t2 - t1)
            steps["total"].append(t2 - t0)
    row = {"chunks": n, "index_type": manifest.index_type, "build_s": round(build_s, 1)}
    row |= {f"{s}_{k}": v for s, t in steps.items() for k, v in percentiles(t).items()}
    row["recall_at_10"] = round(recall_at_10(searcher.files.vectors, vectors, qvecs), 4)
    row["vector_bytes_per_chunk"] = round(ann.vector_bytes(searcher.files.vectors) / n, 1)
    searcher.files.close()
    shutil.rmtree(work / str(n), ignore_errors=True)
    return row


def real_recall(real: np.ndarray, qvecs: np.ndarray) -> list[dict]:
    """Recall@10 of IVF-SQ8 on real embeddings only, for a range of probe shares."""
    nlist = 2 ** round(np.log2(np.sqrt(len(real))))
    index, kind = ann.build_ann(real, real.shape[1], f"ivf{nlist}_sq8")
    rows = []
    for share in (1 / 32, 1 / 16, 1 / 8, 1.0):
        index.nprobe = max(1, round(nlist * share))
        rows.append({"index_type": kind, "nprobe": index.nprobe, "probe_share": round(share, 4)})
        rows[-1]["recall_at_10"] = round(recall_at_10(index, real, qvecs), 4)
    index.nprobe = max(ann.MIN_NPROBE, round(nlist * ann.PROBE_FRACTION))
    rows.append({"index_type": kind, "nprobe": index.nprobe, "probe_share": "factory rule"})
    rows[-1]["recall_at_10"] = round(recall_at_10(index, real, qvecs), 4)
    sq8, _ = ann.build_ann(real, real.shape[1], "sq8")
    rows.append({"index_type": "sq8", "nprobe": "-", "probe_share": "full scan"})
    rows[-1]["recall_at_10"] = round(recall_at_10(sq8, real, qvecs), 4)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1k, 10k, 100k: under 2 minutes")
    parser.add_argument("--sizes", help="comma-separated chunk counts")
    parser.add_argument("--queries", type=int, help="questions per size (default 200, quick 60)")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    default = "1000,10000,100000" if args.quick else "1000,10000,100000,1000000"
    sizes = [int(s) for s in (args.sizes or default).split(",")]
    n_queries = args.queries or (60 if args.quick else 200)

    real = cached_vectors(find_caches())
    onnx = encoder()
    texts = bundled_chunks()
    if len(real) < 1000:  # no evaluation caches: the bundled corpus is the only real source
        real = np.concatenate([real, onnx.encode_documents([c.embed_text for c in texts])])
    qs = questions(args.eval_dir, n_queries)
    qvecs = np.stack([onnx.encode_query(q) for q in qs])
    print(f"{len(real)} real vectors, {len(qs)} questions")

    work = Path(tempfile.mkdtemp(prefix="iqa-latency-"))
    try:
        rows = [measure_size(n, real, texts, qs, qvecs, onnx, work) for n in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cols = [
        "chunks",
        "index_type",
        "encode_p50_ms",
        "dense_p50_ms",
        "keyword_p50_ms",
        "search_p50_ms",
    ]
    cols += ["search_p95_ms"]
    cols += ["compose_p50_ms", "total_p50_ms", "total_p95_ms", "recall_at_10", "build_s"]
    print_table(cols, [[r[c] for c in cols] for r in rows])
    real_rows = real_recall(real, qvecs)
    print(f"\nrecall@10 on {len(real)} real vectors only:")
    print_table(list(real_rows[0]), [list(r.values()) for r in real_rows])
    figures = {f"total_p50_ms_{r['chunks']}": r["total_p50_ms"] for r in rows}
    figures |= {f"recall_at_10_{r['chunks']}": r["recall_at_10"] for r in rows}
    figures["real_vectors"] = len(real)
    figures["real_recall_at_10_ivf_factory"] = real_rows[-2]["recall_at_10"]
    figures["real_recall_at_10_sq8"] = real_rows[-1]["recall_at_10"]
    finish(
        "query_latency" + ("-quick" if args.quick else ""),
        figures,
        {"sizes": rows, "real_recall": real_rows, "queries": len(qs)},
    )


if __name__ == "__main__":
    main()
