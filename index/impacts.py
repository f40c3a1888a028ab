"""Postings of common terms, so keyword search adds arrays instead of scoring every match.

FTS5 computes `bm25()` row by row: a term found in 30,000 of 100,000 chunks ("revenue",
"2018") costs 30,000 calls of it per question, which made keyword search the slowest step of a
query (37 ms at 100k chunks, 350 ms at 1M). BM25 is a sum over the query's terms of one
contribution per (term, chunk), `idf * tf-part`, its *impact*. For every term in more than
`MIN_DF` chunks the build stores each chunk's weighted term frequency (read back from FTS5's
own `bm25()` on that term alone) and every chunk's length. A loaded index turns them into
impacts with the statistics of the whole live index (chunk count, mean length, document
frequency), so chunks appended since the build (index/append.py) change every score exactly
as a full rebuild would. A query adds up those arrays with numpy and asks FTS5 only about its
rarer terms. The sum equals FTS5's score for the whole query (tests/test_impacts.py).

Terms in over `MAX_SHARE` of the chunks are not stored: keyword search drops them (their IDF
is clamped to almost nothing; index/fusion.py `max_df_share`).
"""

import re
import sqlite3
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index import bm25
from index.terms import FtsTokenizer, compound_terms

IMPACTS_FILE = "term_impacts.bin"  # beside meta.sqlite in a version directory
MIN_DF = 1000  # terms in more chunks than this get stored impacts
MAX_SHARE = 0.5  # terms in a larger share of the chunks are never searched
PHRASE_SAMPLE = 20_000  # chunks scanned for phrases worth storing
_WORD = re.compile(r"[^\W_]+")  # unicode61 splits text into runs of letters and digits
_TOKENS_CACHED = 8192  # stored terms looked up per loaded index
_ENTRIES_CACHED = 16_000_000  # computed impacts kept per loaded index (64 MB)

SCHEMA = """
CREATE TABLE IF NOT EXISTS term_impacts (
    token TEXT PRIMARY KEY, df INTEGER NOT NULL, offset INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS term_impacts_config (
    min_df INTEGER NOT NULL, max_share REAL NOT NULL, context_weight REAL NOT NULL,
    text_weight REAL NOT NULL, rows INTEGER NOT NULL
);
"""


def write_term_impacts(
    db: sqlite3.Connection,
    path: Path,
    weights: tuple[float, float] = (1.0, 1.0),
    min_df: int | None = None,
    max_share: float = MAX_SHARE,
) -> int:
    """Store the postings of every token and phrase in over `min_df` (default MIN_DF) and at
    most `max_share` of the chunks; returns how many were stored.

    The file `path` is memory-mapped by readers: first every chunk's length (int32, by rowid),
    then per term `df` int32 rowids and `df` float32 weighted frequencies, at the `offset` (in
    4-byte words) its `term_impacts` row gives. `weights` are the BM25 weights of the
    (context, text) columns. A phrase is what a query term such as `year-over-year` or
    `9988.hk` becomes (index.terms.compound_terms).
    """
    min_df = MIN_DF if min_df is None else min_df
    db.executescript(SCHEMA)
    total, tokens = bm25.fts_totals(lambda sql, params: db.execute(sql, params).fetchall())
    lengths = bm25.doc_lengths(db, total)
    avgdl = tokens / total if total else 1.0
    db.execute(
        "INSERT INTO term_impacts_config VALUES (?, ?, ?, ?, ?)",
        (min_df, max_share, *weights, total),
    )
    integral = all(float(w).is_integer() for w in weights)
    most = max_share * total
    stored: set[str] = set()
    offset = total
    with open(path, "wb") as out:
        out.write(lengths.tobytes())
        for key, match in _common_terms(db, FtsTokenizer(), min_df, most, total):
            if key in stored:  # two spellings of one phrase (`year-over-year`, `year over-year`)
                continue
            rows = db.execute(
                "SELECT rowid, bm25(chunks_fts, ?, ?) FROM chunks_fts WHERE chunks_fts MATCH ?",
                (*weights, '"' + match.replace('"', '""') + '"'),
            ).fetchall()
            if not min_df < len(rows) <= most:
                continue
            rowids = np.fromiter((r[0] for r in rows), np.int32, len(rows))
            scores = np.fromiter((-r[1] for r in rows), np.float64, len(rows))
            freqs = bm25.freqs_from_scores(scores, lengths[rowids], len(rows), total, avgdl)
            if integral:  # counts times whole weights: undo the rounding of the inversion
                freqs = np.rint(freqs)
            out.write(rowids.tobytes())
            out.write(freqs.astype(np.float32).tobytes())
            db.execute("INSERT INTO term_impacts VALUES (?, ?, ?)", (key, len(rows), offset))
            offset += 2 * len(rows)
            stored.add(key)
    return len(stored)


def _common_terms(
    db: sqlite3.Connection, tokenizer: FtsTokenizer, min_df: int, most: float, total: int
) -> Iterator[tuple[str, str]]:
    """(key, text to match) for the tokens, then the phrases, likely in min_df..most chunks."""
    db.execute("CREATE VIRTUAL TABLE temp.fts_rows USING fts5vocab(main, chunks_fts, 'row')")
    db.execute("CREATE VIRTUAL TABLE temp.fts_places USING fts5vocab(main, chunks_fts, 'instance')")
    try:
        sql = "SELECT term FROM temp.fts_rows WHERE doc > ? AND doc <= ?"
        for (token,) in db.execute(sql, (min_df, most)).fetchall():
            if tokenizer.tokens(token) == (token,):
                yield token, token
            elif (word := _surface_word(db, tokenizer, token)) is not None:
                yield token, word  # the stemmer is not idempotent: match a word stemming to it
    finally:
        db.execute("DROP TABLE temp.fts_rows")
        db.execute("DROP TABLE temp.fts_places")
    if total <= min_df:
        return
    # Phrases are found in a sample of the chunks: scanning all the text costs ~100 µs a chunk,
    # and a phrase in over min_df chunks shows in any sample of PHRASE_SAMPLE (the build
    # then counts exactly; a phrase missed near the bar is cheap for FTS5 at query time).
    step = max(1, total // PHRASE_SAMPLE)
    sample = db.execute("SELECT context, text FROM chunks WHERE rowid % ? = 0", (step,))
    seen: dict[str, int] = {}
    for context, text in sample:
        for phrase in compound_terms(context) | compound_terms(text):
            seen[phrase] = seen.get(phrase, 0) + 1
    for phrase, count in seen.items():
        tokens = tokenizer.tokens(phrase)
        if count * step > min_df / 2 and len(tokens) > 1:
            yield " ".join(tokens), phrase


def _surface_word(db, tokenizer: FtsTokenizer, token: str) -> str | None:
    """A word of the indexed text that the tokenizer turns into `token`, if one is found."""
    sql = "SELECT doc, col, offset FROM temp.fts_places WHERE term = ? LIMIT 1"
    for rowid, column, offset in db.execute(sql, (token,)).fetchall():
        if column not in ("context", "text"):
            return None
        (text,) = db.execute(f"SELECT {column} FROM chunks WHERE rowid = ?", (rowid,)).fetchone()
        words = _WORD.findall(text)
        if offset < len(words) and tokenizer.tokens(words[offset]) == (token,):
            return words[offset]
    return None


class TermImpacts:
    """Impacts of the stored terms in one loaded index; `None` answers mean "ask FTS5".

    Impacts are computed from the stored frequencies with the live index's statistics, plus
    FTS5's own scores for the chunks appended after the build (rowids from `base_rows` on),
    and kept until the index is reloaded.
    """

    def __init__(self, query: bm25.Query, path: Path, base_rows: int | None = None):
        """`query(sql, params)` runs read-only SQL on one snapshot of the index
        (IndexFiles.query); `path` is the postings file written beside it; `base_rows` the
        chunks the build wrote (later ones were appended)."""
        self.query = query
        self.cache: dict[str, tuple[int, int] | None] = {}
        self.computed: OrderedDict[str, tuple[int, np.ndarray, np.ndarray]] = OrderedDict()
        self.computed_entries = 0
        try:
            config = query(
                "SELECT min_df, context_weight, text_weight, rows FROM term_impacts_config", ()
            )
        except sqlite3.OperationalError:  # an index written before postings existed
            config = []
        self.min_df = self.weights = self.words = None
        self.rows, self.tokens = bm25.fts_totals(query)
        self.base_rows = self.rows if base_rows is None else base_rows
        if config and path.is_file() and config[0][3] == self.base_rows:
            self.min_df, self.weights = config[0][0], (config[0][1], config[0][2])
            if path.stat().st_size:  # numpy cannot map an empty file
                self.words = np.memmap(path, dtype=np.int32, mode="r")

    def usable(self, weights: tuple[float, float]) -> bool:
        """True when postings were stored, for these column weights."""
        return self.weights is not None and tuple(weights) == self.weights

    def lookup(
        self, token: str, match: str | None = None
    ) -> tuple[int, np.ndarray, np.ndarray] | None:
        """(live document frequency, rowids, impacts) of a stored token, None for others.

        `match` is the FTS5 expression of the query term (quoted) that finds the token in the
        appended chunks; by default the token itself, quoted.
        """
        if token in self.computed:
            self.computed.move_to_end(token)
            return self.computed[token]
        if token not in self.cache:
            rows = self.query("SELECT df, offset FROM term_impacts WHERE token = ?", (token,))
            if len(self.cache) >= _TOKENS_CACHED:
                self.cache.clear()
            self.cache[token] = (rows[0][0], rows[0][1]) if rows else None
        found = self.cache[token]
        if found is None or self.words is None or self.weights is None:
            return None
        df, offset = found
        rowids = self.words[offset : offset + df]
        freqs = self.words[offset + df : offset + 2 * df].view(np.float32)
        appended: Sequence[Any] = []
        if self.rows > self.base_rows:
            appended = self.query(
                "SELECT rowid, bm25(chunks_fts, ?, ?) FROM chunks_fts "
                "WHERE chunks_fts MATCH ? AND rowid >= ?",
                (*self.weights, match or '"' + token.replace('"', '""') + '"', self.base_rows),
            )
        live_df = df + len(appended)
        avgdl = self.tokens / self.rows if self.rows else 1.0
        lengths = self.words[: self.base_rows][rowids]
        scores = bm25.impacts(freqs, lengths, live_df, self.rows, avgdl)
        if appended:
            extra = np.fromiter((r[0] for r in appended), np.int32, len(appended))
            rowids = np.concatenate([rowids, extra])
            scores = np.concatenate([scores, np.array([-r[1] for r in appended], np.float32)])
        result = (live_df, rowids, scores)
        self._keep(token, result)
        return result

    def _keep(self, token: str, result: tuple[int, np.ndarray, np.ndarray]) -> None:
        """Remember computed impacts, the least recently used going first past the budget."""
        self.computed[token] = result
        self.computed_entries += len(result[2])
        while self.computed_entries > _ENTRIES_CACHED and len(self.computed) > 1:
            _, dropped = self.computed.popitem(last=False)
            self.computed_entries -= len(dropped[2])


def add_scores(
    parts: list[tuple[np.ndarray, np.ndarray]], total: int, depth: int
) -> list[tuple[int, float]]:
    """Sum (rowids, scores) parts per rowid below `total`; the `depth` best, best first.

    Each part holds a rowid at most once, so a fancy-indexed add is exact. Scores must be
    positive, as BM25's are (FTS5 floors the IDF at 1e-6): a row without any is not a match.
    """
    parts = [p for p in parts if len(p[0])]
    if not parts or depth <= 0:
        return []
    sums = np.zeros(total, dtype=np.float32)
    for rowids, scores in parts:
        sums[rowids] += scores
    found = np.flatnonzero(sums)  # ascending rowids
    if len(found) > depth:
        # Equal scores go by rowid, also at the cut, so results never depend on the sort's mood.
        cut = -np.partition(-sums[found], depth - 1)[depth - 1]
        above = found[sums[found] > cut]
        found = np.concatenate([above, found[sums[found] == cut][: depth - len(above)]])
    order = found[np.lexsort((found, -sums[found]))]
    return [(int(i), float(sums[i])) for i in order]
