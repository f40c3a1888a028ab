"""The FAISS vector index: exact for small corpora, 8-bit codes for mid-sized, IVF for large.

Row ids are positions: vector i belongs to chunk rowid i, so no id map is stored.
The thresholds come from `benchmarks/query_latency.py` (see docs/PERFORMANCE.md):
- `flat` (exact float32 scan) up to EXACT_MAX vectors;
- `sq8` (a full scan of 8-bit codes: 384 bytes a vector, a quarter of the scan) up to SCAN_MAX;
  its recall@10 against exact search measured 0.99+ on real embeddings;
- `ivf<nlist>_sq8` above: the same codes in nlist ~ sqrt(n) lists, PROBE_FRACTION of them
  scanned per question.
HNSW was measured too and rejected: lower recall on dense finance embeddings at equal time,
slow builds, 256+ more bytes a vector for its graph, and filters that only prune results.
"""

import math
import re
from pathlib import Path

import faiss
import numpy as np

EXACT_MAX = 50_000  # vectors; an exact scan of more costs over ~5 ms a question
SCAN_MAX = 300_000  # vectors; a full 8-bit scan of more costs over ~25 ms a question
PROBE_FRACTION = 1 / 4  # share of IVF lists scanned per question: recall@10 >= 0.95 measured
MIN_NPROBE = 8
TRAIN_PER_LIST = 64  # k-means training points per list: enough for stable centroids
# Vectors added at a time. FAISS already encodes in blocks, so this costs no time and saves no
# memory when the vectors are in RAM (benchmarks/ivf_assembly.py); it makes the fill the same
# step a worker does on its shard before the shards are merged (`trained_ann`, `merge_from`).
ADD_SHARD = 100_000
_IVF = re.compile(r"ivf(\d+)_sq8")


def choose_index_type(n_vectors: int) -> str:
    """`flat`, `sq8` or `ivf<nlist>_sq8` (nlist ~ sqrt(n)), by the number of vectors."""
    if n_vectors <= EXACT_MAX:
        return "flat"
    if n_vectors <= SCAN_MAX:
        return "sq8"
    nlist = 2 ** round(math.log2(math.sqrt(n_vectors)))
    return f"ivf{nlist}_sq8"


def build_ann(vectors: np.ndarray, dim: int, index_type: str = "auto") -> tuple[faiss.Index, str]:
    """A filled index over `vectors` (row i gets id i) and the type actually built."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim)
    if index_type == "auto":
        index_type = choose_index_type(len(vectors))
    index = trained_ann(vectors, dim, index_type)
    # Trained once, on a sample; filled a shard at a time. Ids stay positions, and the result
    # is the same index as one `add` of every vector (tests/test_ann.py).
    for start in range(0, len(vectors), ADD_SHARD):
        index.add(vectors[start : start + ADD_SHARD])
    return index, index_type


def trained_ann(vectors: np.ndarray, dim: int, index_type: str) -> faiss.Index:
    """An empty index of `index_type`, its quantizers trained on a fixed sample of `vectors`.

    Shards added to copies of it can be merged (`merge_from`) into the index one `add` makes.
    """
    if index_type == "flat":
        return faiss.IndexFlatIP(dim)
    if index_type == "sq8":
        index = faiss.IndexScalarQuantizer(
            dim, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        index.train(_sample(vectors, TRAIN_PER_LIST * 1024))
        return index
    if match := _IVF.fullmatch(index_type):
        nlist = int(match.group(1))
        if len(vectors) < nlist:
            raise ValueError(f"{index_type} needs at least {nlist} vectors, got {len(vectors)}")
        index = faiss.index_factory(dim, f"IVF{nlist},SQ8", faiss.METRIC_INNER_PRODUCT)
        index.train(_sample(vectors, TRAIN_PER_LIST * nlist))
        index.nprobe = max(MIN_NPROBE, round(nlist * PROBE_FRACTION))  # saved with the index
        return index
    raise ValueError(f"unknown index type {index_type!r} (auto, flat, sq8 or ivf<n>_sq8)")


def _sample(vectors: np.ndarray, n: int) -> np.ndarray:
    """A fixed random sample: builds stay reproducible, and training on every row costs minutes."""
    if len(vectors) <= n:
        return vectors
    rng = np.random.default_rng(0)
    return vectors[np.sort(rng.choice(len(vectors), n, replace=False))]


def search(
    index: faiss.Index, query: np.ndarray, k: int, params: object | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Search with one thread: FAISS cannot split a single question across threads, and idle
    OpenMP threads spinning beside it made searches 2-3x slower on a busy machine."""
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        return index.search(query, k, params=params)
    finally:
        faiss.omp_set_num_threads(threads)  # builds in this process keep every core


def read_ann(path: Path) -> faiss.Index:
    """Load an index, memory-mapping its vectors where FAISS supports it (flat and IVF)."""
    # Flat codes map with MMAP_IFC; IVF lists map only with MMAP alone (FAISS refuses both).
    error: RuntimeError | None = None
    for flags in (faiss.IO_FLAG_MMAP_IFC, faiss.IO_FLAG_MMAP, 0):
        try:
            index = faiss.read_index(str(path), flags | faiss.IO_FLAG_READ_ONLY)
        except RuntimeError as exc:
            error = exc
            continue
        ivf = faiss.try_extract_index_ivf(index)
        if ivf is not None:
            ivf.make_direct_map()  # for `similarities`: 8 bytes a vector, 17 ms at 1M
        return index
    raise error or RuntimeError(f"cannot read {path}")


def similarities(index: faiss.Index, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Inner products of `query` with the vectors of `ids`, decoded as a search decodes them."""
    if not len(ids):
        return np.zeros(0, dtype=np.float32)
    return index.reconstruct_batch(np.asarray(ids, dtype=np.int64)) @ query.reshape(-1)


def search_params(index: faiss.Index, allowed: np.ndarray) -> faiss.SearchParameters:
    """Parameters that restrict a search to the rowids in `allowed`."""
    # A bitmap over every row: a bit test per scanned vector, and cheap to build even when
    # nearly every row is allowed (IDSelectorBatch hashes each id: 24 ms for 99k ids).
    keep = np.zeros(max(index.ntotal, 1), dtype=bool)
    keep[allowed] = True
    bits = np.packbits(keep, bitorder="little")
    selector = faiss.IDSelectorBitmap(len(keep), faiss.swig_ptr(bits))
    selector.bits = bits  # FAISS holds a raw pointer: keep the array alive with the selector
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is None:
        params = faiss.SearchParameters(sel=selector)
        params.selector = selector
        return params
    # A selective filter leaves fewer candidates per list: probe more lists in proportion,
    # so a filtered search sees as many allowed vectors as an unfiltered one.
    share = max(len(allowed), 1) / max(index.ntotal, 1)
    nprobe = min(ivf.nlist, math.ceil(ivf.nprobe / share))
    params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
    params.selector = selector
    return params


def vector_bytes(index: faiss.Index) -> int:
    """Bytes the index's vectors occupy (codes plus stored ids), for reports."""
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is None:
        code_size = getattr(faiss.downcast_index(index), "code_size", index.d * 4)
        return index.ntotal * code_size
    return ivf.ntotal * (ivf.code_size + 8) + ivf.nlist * ivf.d * 4
