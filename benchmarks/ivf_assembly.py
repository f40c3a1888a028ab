"""Assembling a large IVF index: train once on a sample, then add the vectors in shards.

Run: .venv/bin/python -m benchmarks.ivf_assembly [--vectors 1000000] [--shards 10]
Synthetic 384-dim vectors (normalised noisy copies of 4,096 random centres: they cluster as
embeddings do; FAISS's cost does not depend on where they lie). Two ways to fill the trained
index, both giving the same index (tests/test_ann.py):
- what a build does (`index.ann.build_ann`): one process adds every shard in turn;
- what a cluster could do: workers each add a shard to a copy of the trained, empty index, and
  the coordinator merges their inverted lists (`merge_from`); here the workers run one after
  another, so their time is per shard, and the merge is the coordinator's whole cost.
Then the whole single-process write of a version of that many chunks (`write_version`: SQLite,
FTS5, stored keyword impacts, FAISS, fsync), texts cycling the bundled corpus's chunks
(benchmarks/scale.py: their words are far commoner than a real corpus's, so impacts cost more).
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

from benchmarks.common import finish, print_table, rss_mb
from benchmarks.scale import build_index_of, bundled_chunks
from index import ann

DIM = 384


def synthetic_vectors(n: int, seed: int = 0) -> np.ndarray:
    """`n` normalised float32 vectors around 4,096 centres, made a block at a time."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(4096, DIM)).astype(np.float32)
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        picks = rng.integers(0, len(centres), stop - start)
        block = centres[picks] + 0.6 * rng.normal(size=(stop - start, DIM)).astype(np.float32)
        faiss.normalize_L2(block)
        out[start:stop] = block
    return out


def measure_assembly(n: int, shards: int) -> dict:
    """Seconds to train, to add in shards, to write; and the workers-plus-merge path."""
    vectors = synthetic_vectors(n)
    kind = ann.choose_index_type(n)
    started = time.perf_counter()
    trained = ann.trained_ann(vectors, DIM, kind)
    train_s = time.perf_counter() - started

    index = faiss.clone_index(trained)
    started = time.perf_counter()
    for start in range(0, n, ann.ADD_SHARD):
        index.add(vectors[start : start + ann.ADD_SHARD])
    add_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vectors.faiss"
        started = time.perf_counter()
        faiss.write_index(index, str(path))
        write_s = time.perf_counter() - started
        file_mb = path.stat().st_size / 1e6

    worker_s, parts = [], []
    for part in np.array_split(vectors, shards):
        shard = faiss.clone_index(trained)
        started = time.perf_counter()
        shard.add(part)
        worker_s.append(time.perf_counter() - started)
        parts.append(shard)
    merged = faiss.clone_index(trained)
    started = time.perf_counter()
    ivf = faiss.try_extract_index_ivf(merged) is not None
    for shard in parts:
        merged.merge_from(shard, merged.ntotal if ivf else 0)  # flat codes keep positions
    merge_s = time.perf_counter() - started
    same = bool(
        np.array_equal(faiss.serialize_index(merged), faiss.serialize_index(index))
    )  # the merged index is byte for byte the one a single process adds
    del index, merged, parts
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        build_index_of(Path(tmp), vectors, bundled_chunks())
        version_s = time.perf_counter() - started
    return {
        "vectors": n,
        "index_type": kind,
        "train_sample": int(min(n, ann.TRAIN_PER_LIST * int(kind[3:].split("_")[0])))
        if kind.startswith("ivf")
        else None,
        "train_s": round(train_s, 2),
        "add_in_shards_s": round(add_s, 2),
        "add_us_per_vector": round(add_s / n * 1e6, 2),
        "write_s": round(write_s, 2),
        "file_mb": round(file_mb, 1),
        "shards": shards,
        "worker_add_s_max": round(max(worker_s), 2),
        "merge_s": round(merge_s, 2),
        "merge_us_per_vector": round(merge_s / n * 1e6, 3),
        "merged_identical": same,
        "whole_version_s": round(version_s, 1),
        "whole_version_ms_per_chunk": round(version_s / n * 1000, 3),
        "faiss_threads": faiss.omp_get_max_threads(),
        "rss_mb": round(rss_mb(), 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vectors", type=int, default=1_000_000)
    parser.add_argument("--shards", type=int, default=10)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    figures = measure_assembly(args.vectors, args.shards)
    print_table(list(figures), [list(figures.values())])
    finish("ivf_assembly", figures, {"load_avg_start": round(load, 2)})


if __name__ == "__main__":
    main()
