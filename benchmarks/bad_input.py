"""Bad input: what happens to each kind of bad file, and peak memory with a 50 MB file.

Run: .venv/bin/python -m benchmarks.bad_input
Builds the bad-input corpus of tests/test_bad_input.py (four good articles plus one file of
each bad kind), indexes it with the real CLI (fake embedder, so the figure is the loader's
and indexer's own memory, not the model's), and prints one row per bad file. Then compares
the indexing process's peak RSS for the good articles alone, with the 50 MB text file, and
with a 500 MB one: bounded memory means the last two match.
Writes benchmarks/results/bad_input.json.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.test_bad_input import REPAIRED, SKIPPED, add_bad_files, drop_dac_override

ROOT = Path(__file__).resolve().parents[1]

GOOD = {
    "alibaba.md": "Alibaba will invest RMB 380 billion in AI and cloud over three years.",
    "tencent.md": "Tencent spent about RMB 76.8 billion on capital expenditure in 2024.",
    "bread.md": "Sourdough needs a lively starter and a slow rise overnight.",
}
PEAK_RSS = "import resource, runpy, sys; sys.argv = sys.argv[1:]; "
PEAK_RSS += 'exec(\'try:\\n runpy.run_path(sys.argv[0], run_name="__main__")\\nfinally:\\n '
PEAK_RSS += (
    'print("peak_rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\')'
)


def good_corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, body in GOOD.items():
        (folder / name).write_text(f"---\ntitle: {name[:-3]}\n---\n{body}\n")
    (folder / "notes.txt").write_text("Microsoft cloud notes\nAzure revenue grew 39%.\n")
    return folder


def index(corpus: Path, index_dir: Path, prefix: list[str]) -> tuple[int, str, int]:
    proc = subprocess.run(
        [*prefix, sys.executable, "-c", PEAK_RSS, str(ROOT / "tests" / "fake_cli.py"), "index"]
        + ["--corpus", str(corpus), "--index-dir", str(index_dir)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    peak = next(
        int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("peak_rss_kb")
    )
    return proc.returncode, proc.stderr, peak


def big_file(path: Path, megabytes: int) -> None:
    line = b"Shipments rose 4% in the period while average selling prices were flat overall.\n"
    with path.open("wb") as fh:
        fh.write(b"Huge export\n")
        for _ in range(megabytes * 1_000_000 // (len(line) * 1000) + 1):
            fh.write(line * 1000)


def main() -> None:
    prefix = drop_dac_override()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = good_corpus(tmp / "bad")
        add_bad_files(corpus)
        code, stderr, peak_bad = index(corpus, tmp / "idx-bad", prefix)
        warnings = {
            line.removeprefix("warning: ").split(":", 1)[0]: line.removeprefix("warning: ")
            for line in stderr.splitlines()
            if line.startswith("warning: ")
        }
        rows = []
        for name in sorted(REPAIRED | SKIPPED):
            outcome = "indexed (repaired)" if name in REPAIRED else "skipped"
            rows.append({"file": name, "outcome": outcome, "warning": warnings.get(name)})
            print(f"{name:15} {outcome:20} {warnings.get(name)}")
        summary = next(line for line in stderr.splitlines() if line.startswith("Indexed:"))
        print(f"exit {code}; {summary}")

        good = good_corpus(tmp / "good")
        _, _, peak_good = index(good, tmp / "idx-good", [])
        big_file(good / "huge.txt", 50)
        _, _, peak_50 = index(good, tmp / "idx-50", [])
        big_file(good / "huge.txt", 500)
        _, _, peak_500 = index(good, tmp / "idx-500", [])
        os.remove(good / "huge.txt")
    memory = {"good_only_mb": peak_good / 1024, "with_50mb_file_mb": peak_50 / 1024,
              "with_500mb_file_mb": peak_500 / 1024, "bad_corpus_mb": peak_bad / 1024}  # fmt: skip
    memory = {k: round(v, 1) for k, v in memory.items()}
    print(f"peak RSS of the index process: {memory}")
    results = {"exit_code": code, "summary": summary, "files": rows, "peak_rss": memory}
    out = ROOT / "benchmarks" / "results" / "bad_input.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"→ {out}")


if __name__ == "__main__":
    main()
