"""Keyword search over stored impacts vs FTS5 alone, on real distinct chunks: speed and sameness.

Run: .venv/bin/python -m benchmarks.keyword_impacts [--quick] [--index-dir DIR]
Takes the FinanceBench store the evaluation harness built (`investor-qa eval financebench`,
default: the largest under ~/.cache/investor-qa/eval/financebench/indexes/), copies its SQLite
file, stores impacts in the copy as a build does, then asks every FinanceBench and TAT-QA
question both ways: FTS5 scoring every match, and stored impacts plus FTS5 for rare terms.
Reports the keyword step's p50/p95 each way, unfiltered and restricted to a tenth of the chunks
(as company scoping restricts it), how many of FTS5's top 10 and top 100 the stored path
returns (1.0 = the same chunks), the build time and the bytes stored per chunk.
Skips with a message when no store is there.
"""

import argparse
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from benchmarks.common import ROOT, finish, percentiles, print_table
from benchmarks.query_latency import questions
from index.impacts import IMPACTS_FILE, write_term_impacts
from index.keyword import TermStats, keyword_search

STORES = Path.home() / ".cache" / "investor-qa" / "eval" / "financebench" / "indexes"


def largest_store() -> Path | None:
    """The FinanceBench store of our chunks with the most documents, if the harness built one."""
    stores = sorted(STORES.glob("financebench-ours-*"), key=lambda p: int(p.name.split("-")[-1]))
    return stores[-1] if stores else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="300 questions instead of all")
    parser.add_argument("--index-dir", type=Path, help="an index directory (default: see above)")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    store = args.index_dir or largest_store()
    if store is None or not (store / "CURRENT").is_file():
        print(f"skipped: no index at {store or STORES} (run `investor-qa eval financebench`)")
        return
    version = store / (store / "CURRENT").read_text().strip()
    work = Path(tempfile.mkdtemp(prefix="iqa-impacts-"))
    try:
        shutil.copy(version / "meta.sqlite", work / "meta.sqlite")
        db = sqlite3.connect(work / "meta.sqlite")
        db.executescript(
            "DROP TABLE IF EXISTS term_impacts; DROP TABLE IF EXISTS term_impacts_config"
        )
        started = time.perf_counter()
        stored = write_term_impacts(db, work / IMPACTS_FILE)
        db.commit()
        build_s = time.perf_counter() - started
        db.close()
        row = measure(work, args, stored, build_s)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    row["store"] = store.name
    keys = ["chunks", "terms_stored", "fts5_p50_ms", "fts5_p95_ms", "stored_p50_ms"]
    keys += ["stored_p95_ms", "fts5_filtered_p50_ms", "stored_filtered_p50_ms"]
    keys += ["same_top10", "same_top100", "build_s", "bytes_per_chunk"]
    print_table(keys, [[row[k] for k in keys]])
    finish(
        "keyword_impacts" + ("-quick" if args.quick else ""),
        {k: row[k] for k in keys[1:]} | {"chunks": row["chunks"]},
        row,
    )


def measure(work: Path, args, stored: int, build_s: float) -> dict:
    db = sqlite3.connect(f"file:{work / 'meta.sqlite'}?mode=ro", uri=True)
    chunks = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    files = SimpleNamespace(
        query=lambda sql, params=(): db.execute(sql, params).fetchall(),
        manifest=SimpleNamespace(chunks=chunks),
        version=work,
    )
    fts5 = TermStats(files)
    fts5.impacts.weights = None  # every term goes to FTS5, as before impacts existed
    fast = TermStats(files)
    qs = questions(args.eval_dir, 300 if args.quick else 2000)
    qs = list(dict.fromkeys(qs))
    for q in qs[:5]:  # warm both paths' caches and the page cache
        keyword_search(files, q, 100, None, (1.0, 1.0), fts5, 0.5)
        keyword_search(files, q, 100, None, (1.0, 1.0), fast, 0.5)
    # A filter such as company scoping: every tenth chunk, a tenth of the index.
    tenth = list(range(0, chunks, 10))
    took = {"fts5": [], "stored": [], "fts5_filtered": [], "stored_filtered": []}
    top10, top100 = [], []
    for q in qs[5:]:
        for allowed, suffix in ((None, ""), (tenth, "_filtered")):
            t0 = time.perf_counter()
            exact = keyword_search(files, q, 100, allowed, (1.0, 1.0), fts5, 0.5)
            t1 = time.perf_counter()
            got = keyword_search(files, q, 100, allowed, (1.0, 1.0), fast, 0.5)
            t2 = time.perf_counter()
            took["fts5" + suffix].append(t1 - t0)
            took["stored" + suffix].append(t2 - t1)
            if exact:
                want, have = [r for r, _ in exact], {r for r, _ in got}
                top10.append(len(set(want[:10]) & {r for r, _ in got[:10]}) / len(want[:10]))
                top100.append(len(set(want) & have) / len(want))
    row = {"chunks": chunks, "terms_stored": stored, "questions": len(qs) - 5}
    for name, seconds in took.items():
        row |= {f"{name}_{k}": v for k, v in percentiles(seconds).items()}
    row["same_top10"] = round(float(np.mean(top10)), 4)
    row["same_top100"] = round(float(np.mean(top100)), 4)
    row["build_s"] = round(build_s, 1)
    row["bytes_per_chunk"] = round((work / IMPACTS_FILE).stat().st_size / chunks, 1)
    return row


if __name__ == "__main__":
    main()
