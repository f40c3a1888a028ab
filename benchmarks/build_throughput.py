"""Build throughput: the whole `build_index` against the bare model on the same chunk texts.

Run: .venv/bin/python -m benchmarks.build_throughput [--quick] [--articles N] [--device auto]
Writes synthetic finance articles (plus the bundled corpus) to a temporary directory, builds a
fresh index end to end (load, chunk, embedding cache, encode, SQLite, FAISS, ONNX export), then
encodes the very same chunk texts with `SentenceTransformer.encode` alone. The ratio of the two
rates says how much of the build hides under the model. Also: chunk fill and truncation.
"""

import argparse
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, finish, print_table
from benchmarks.synthetic import write_corpus
from index.build import build_index
from index.embed import SentenceTransformerEmbedder
from index.onnx_encoder import ensure_onnx_export
from index.store import current_version
from index.tokens import SPECIAL_TOKENS, default_counter


def chunk_rows(index_dir: Path) -> list[tuple[str, int]]:
    """(embedded text, recorded token count) of every chunk in the built index."""
    db = sqlite3.connect(current_version(index_dir) / "meta.sqlite")
    rows = db.execute("SELECT context, text, n_tokens FROM chunks ORDER BY rowid").fetchall()
    db.close()
    return [(f"{c}\n{t}" if c else t, n) for c, t, n in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="30 articles: under 2 minutes")
    parser.add_argument("--articles", type=int, help="synthetic articles (default 500)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda")
    args = parser.parse_args()
    n_articles = args.articles or (30 if args.quick else 500)

    work = Path(tempfile.mkdtemp(prefix="iqa-build-"))
    try:
        corpus = write_corpus(work / "corpus", n_articles)
        shutil.copytree(ROOT / "corpus", corpus / "bundled")
        counter = default_counter()
        embedder = SentenceTransformerEmbedder(args.device)
        embedder.load()  # model load is a fixed cost, not throughput: both sides start warm
        embedder.encode_documents(["warm-up sentence"] * 4)
        import torch

        started, cpu = time.perf_counter(), time.process_time()
        report = build_index(corpus, work / "index", embedder, counter, batch_size=args.batch_size)
        e2e, e2e_cpu = time.perf_counter() - started, time.process_time() - cpu

        rows = chunk_rows(work / "index")
        texts = [t for t, _ in rows]
        started, cpu = time.perf_counter(), time.process_time()
        embedder.model.encode(
            texts, batch_size=args.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        raw, raw_cpu = time.perf_counter() - started, time.process_time() - cpu

        started = time.perf_counter()
        build_index(corpus, work / "index", embedder, counter, batch_size=args.batch_size)
        cached = time.perf_counter() - started
        started = time.perf_counter()
        ensure_onnx_export(work / "export-only", embedder)
        export = time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)

    window = embedder.model.max_seq_length
    real_counts = [n + SPECIAL_TOKENS for n in counter.count_many(texts)]
    figures = {
        "articles": report.articles,
        "chunks": report.chunks,
        "e2e_chunks_per_s": round(report.chunks / e2e, 2),
        "raw_encode_chunks_per_s": round(len(texts) / raw, 2),
        "ratio": round((report.chunks / e2e) / (len(texts) / raw), 3),
        # CPU seconds are what the build itself costs; wall time also counts other tenants' load.
        "ratio_cpu_time": round((report.chunks / e2e_cpu) / (len(texts) / raw_cpu), 3),
        "mean_fill": round(sum(n for _, n in rows) / len(rows) / window, 3),
        "truncated_chunks": sum(1 for n in real_counts if n > window),
        "rebuild_cached_s": round(cached, 2),
        "onnx_export_s": round(export, 2),
        "torch_threads": torch.get_num_threads(),
        "device": str(embedder.model.device),
    }
    print_table(
        ["articles", "chunks", "e2e s", "raw s", "ratio", "e2e cpu s", "raw cpu s", "ratio cpu"],
        [
            [
                report.articles,
                report.chunks,
                e2e,
                raw,
                figures["ratio"],
                e2e_cpu,
                raw_cpu,
                figures["ratio_cpu_time"],
            ]
        ],
    )
    print(f"mean fill {figures['mean_fill']}, truncated {figures['truncated_chunks']}")
    overhead = {"non_embed_s": round(e2e - report.embed_seconds, 2), "e2e_s": round(e2e, 2)}
    finish(
        "build_throughput" + ("-quick" if args.quick else ""),
        figures,
        {"quick": args.quick, **overhead, "raw_s": round(raw, 2)},
    )


if __name__ == "__main__":
    main()
