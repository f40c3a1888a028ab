"""Cold start: wall time of one `investor-qa ask` process on the bundled corpus, index built.

Run: .venv/bin/python -m benchmarks.cold_start [--quick]
Builds the bundled corpus into a temporary index (which also exports the ONNX encoder), then
times whole `investor-qa ask` processes: interpreter start, imports, freshness check of the
corpus, loading the index and encoder, encoding, search, answer and printing. Also times the
fallback (no ONNX export: sentence-transformers and torch) and a bare `python -c pass`.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import ROOT, finish, print_table

QUESTION = "How much is Alibaba investing in AI?"


def timed(cmd: list[str]) -> float:
    """Seconds one process takes from launch to exit; it must succeed."""
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs each, no torch fallback run")
    parser.add_argument("--runs", type=int)
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 10)
    cli = str(Path(sys.executable).with_name("investor-qa"))
    work = Path(tempfile.mkdtemp(prefix="iqa-cold-"))
    try:
        where = ["--corpus", str(ROOT / "corpus"), "--index-dir", str(work / "index")]
        build_s = timed([cli, "index", *where])
        ask = [cli, "ask", QUESTION, *where]
        timed(ask)  # the first run pays for reading files into the page cache
        rows = {
            "python -c pass": [timed([sys.executable, "-c", "pass"]) for _ in range(runs)],
            "ask (onnx)": [timed(ask) for _ in range(runs)],
        }
        if not args.quick:
            shutil.rmtree(work / "index" / "onnx")
            rows["ask (torch fallback)"] = [timed(ask) for _ in range(max(2, runs // 3))]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table = [[name, len(t), np.median(t), min(t), max(t)] for name, t in rows.items()]
    print_table(["command", "runs", "p50 s", "min s", "max s"], table)
    figures = {"ask_wall_p50_s": round(float(np.median(rows["ask (onnx)"])), 3)}
    figures["python_start_p50_s"] = round(float(np.median(rows["python -c pass"])), 3)
    if "ask (torch fallback)" in rows:
        figures["ask_torch_fallback_p50_s"] = round(
            float(np.median(rows["ask (torch fallback)"])), 3
        )
    details = {name: [round(x, 3) for x in t] for name, t in rows.items()}
    finish(
        "cold_start" + ("-quick" if args.quick else ""),
        figures,
        {"runs": details, "index_build_s": round(build_s, 1)},
    )


if __name__ == "__main__":
    main()
