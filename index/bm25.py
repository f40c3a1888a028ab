"""FTS5's BM25, outside FTS5: its statistics read from the index, its formula in numpy.

FTS5 scores a row for one phrase as `idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl))`,
where `f` is the phrase's column-weighted frequency in the row, `D` the row's length in tokens
(all columns), `avgdl` the mean length, and `idf = log((N - n + 0.5) / (n + 0.5))` (at least
1e-6) for N rows of which n match. The build stores `f` and `D` for common terms
(index/impacts.py); a loaded index computes the impacts with the N, avgdl and n of the whole
live index, so chunks appended after the build score exactly as in a full rebuild.
"""

import math
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

Query = Callable[[str, Any], Sequence[Any]]  # IndexFiles.query: (sql, params) -> rows

K1, B = 1.2, 0.75  # FTS5's constants (fts5_aux.c)
_AVERAGES_ROWID = 1  # the FTS5 %_data record holding the row count and token totals


def idf(n_rows: int, df: int) -> float:
    """FTS5's inverse document frequency of a phrase found in `df` of `n_rows` rows."""
    value = math.log((n_rows - df + 0.5) / (df + 0.5))
    return value if value > 0.0 else 1e-6


def tf_part(freqs: np.ndarray, lengths: np.ndarray, avgdl: float) -> np.ndarray:
    """BM25's saturating frequency term, per row, in float64."""
    f = np.asarray(freqs, dtype=np.float64)
    norm = K1 * (1.0 - B + B * np.asarray(lengths, dtype=np.float64) / avgdl)
    return f * (K1 + 1.0) / (f + norm)


def impacts(
    freqs: np.ndarray, lengths: np.ndarray, df: int, n_rows: int, avgdl: float
) -> np.ndarray:
    """Each row's BM25 contribution for one phrase (positive, float32, as FTS5 would score it)."""
    return (idf(n_rows, df) * tf_part(freqs, lengths, avgdl)).astype(np.float32)


def freqs_from_scores(
    scores: np.ndarray, lengths: np.ndarray, df: int, n_rows: int, avgdl: float
) -> np.ndarray:
    """The weighted frequencies that FTS5's (positive) one-phrase scores were computed from."""
    s = np.asarray(scores, dtype=np.float64)
    norm = K1 * (1.0 - B + B * np.asarray(lengths, dtype=np.float64) / avgdl)
    # s = idf * f (k1+1) / (f + norm)  =>  f = s * norm / (idf (k1+1) - s)
    return s * norm / (idf(n_rows, df) * (K1 + 1.0) - s)


def fts_totals(query: Query) -> tuple[int, int]:
    """(rows, tokens in all columns) as FTS5 itself counts them for its BM25."""
    rows = query("SELECT block FROM chunks_fts_data WHERE id = ?", (_AVERAGES_ROWID,))
    if not rows or not rows[0][0]:
        return 0, 0
    values = varints(bytes(rows[0][0]))
    return values[0], sum(values[1:])


def doc_lengths(db: sqlite3.Connection, rows: int) -> np.ndarray:
    """Each row's length in tokens (all columns), indexed by rowid below `rows`."""
    lengths = np.zeros(rows, dtype=np.int32)
    for rowid, size in db.execute("SELECT id, sz FROM chunks_fts_docsize WHERE id < ?", (rows,)):
        lengths[rowid] = sum(varints(bytes(size)))
    return lengths


def varints(buf: bytes) -> list[int]:
    """The SQLite varints packed in `buf` (big-endian 7-bit groups; a 9th byte holds 8 bits)."""
    out, i = [], 0
    while i < len(buf):
        value = 0
        for k in range(9):
            byte = buf[i]
            i += 1
            if k == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        out.append(value)
    return out
