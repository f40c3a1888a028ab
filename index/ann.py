"""The FAISS vector index: exact search for small corpora, IVF with 8-bit codes for large ones.

Row ids are positions: vector i belongs to chunk rowid i, so no id map is stored.
The thresholds below come from `benchmarks/query_latency.py` (see docs/PERFORMANCE.md):
exact inner-product search stays well under the latency budget up to EXACT_MAX vectors,
and above that IVF-SQ8 keeps recall@10 >= 0.95 against exact search on real embeddings
while storing 384 bytes per vector instead of 1,536.
"""

import math
import re
from pathlib import Path

import faiss
import numpy as np

EXACT_MAX = 150_000  # vectors; above this an exact scan costs more than the latency budget
PROBE_FRACTION = 1 / 16  # share of IVF lists scanned per query (recall measured >= 0.95)
MIN_NPROBE = 8
TRAIN_PER_LIST = 64  # k-means training points per list: enough for stable centroids
_IVF = re.compile(r"ivf(\d+)_sq8")


def choose_index_type(n_vectors: int) -> str:
    """`flat` (exact) up to EXACT_MAX vectors, else `ivf<nlist>_sq8` with nlist ~ sqrt(n)."""
    if n_vectors <= EXACT_MAX:
        return "flat"
    nlist = 2 ** round(math.log2(math.sqrt(n_vectors)))
    return f"ivf{nlist}_sq8"


def build_ann(vectors: np.ndarray, dim: int, index_type: str = "auto") -> tuple[faiss.Index, str]:
    """A filled index over `vectors` (row i gets id i) and the type actually built."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim)
    if index_type == "auto":
        index_type = choose_index_type(len(vectors))
    if index_type == "flat":
        index = faiss.IndexFlatIP(dim)
    elif match := _IVF.fullmatch(index_type):
        nlist = int(match.group(1))
        if len(vectors) < nlist:
            raise ValueError(f"{index_type} needs at least {nlist} vectors, got {len(vectors)}")
        index = faiss.index_factory(dim, f"IVF{nlist},SQ8", faiss.METRIC_INNER_PRODUCT)
        # A fixed sample keeps builds reproducible; k-means on every row would cost minutes.
        rng = np.random.default_rng(0)
        n_train = min(len(vectors), TRAIN_PER_LIST * nlist)
        sample = vectors[np.sort(rng.choice(len(vectors), n_train, replace=False))]
        index.train(sample)
        index.nprobe = max(MIN_NPROBE, round(nlist * PROBE_FRACTION))  # saved with the index
    else:
        raise ValueError(f"unknown index type {index_type!r} (auto, flat or ivf<nlist>_sq8)")
    if len(vectors):
        index.add(vectors)
    return index, index_type


def read_ann(path: Path) -> faiss.Index:
    """Load an index, memory-mapping its vectors where FAISS supports it (flat and IVF)."""
    # Flat codes map with MMAP_IFC; IVF lists map only with MMAP alone (FAISS refuses both).
    error = None
    for flags in (faiss.IO_FLAG_MMAP_IFC, faiss.IO_FLAG_MMAP, 0):
        try:
            return faiss.read_index(str(path), flags | faiss.IO_FLAG_READ_ONLY)
        except RuntimeError as exc:
            error = exc
    raise error


def search_params(index: faiss.Index, allowed: np.ndarray) -> faiss.SearchParameters:
    """Parameters that restrict a search to the rowids in `allowed`."""
    selector = faiss.IDSelectorBatch(allowed)
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is None:
        return faiss.SearchParameters(sel=selector)
    # A selective filter leaves fewer candidates per list: probe more lists in proportion,
    # so a filtered search sees as many allowed vectors as an unfiltered one.
    share = max(len(allowed), 1) / max(index.ntotal, 1)
    nprobe = min(ivf.nlist, math.ceil(ivf.nprobe / share))
    return faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)


def vector_bytes(index: faiss.Index) -> int:
    """Bytes the index's vectors occupy (codes plus stored ids), for reports."""
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is None:
        return index.ntotal * index.d * 4
    return ivf.ntotal * (ivf.code_size + 8) + ivf.nlist * ivf.d * 4
