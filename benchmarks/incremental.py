"""Re-indexing after changing one article in a 200-article corpus, versus a full build.

Run: .venv/bin/python -m benchmarks.incremental [--articles 200]
Writes a synthetic corpus from templates (varied companies, figures and sentences), then
times the real CLI in fresh processes with the real model, as a user would run it:
  1. full build into an empty index directory (empty embedding cache);
  2. re-index after appending a paragraph to one article;
  3. re-index after editing one figure inside one article;
  4. a no-op re-run;
  5. in-process, with the model already loaded (as in the long-running Slack bot, which
     calls index.ingest.add_files): re-index after changing one article.
The machine is shared, so the load average is recorded with the figures.
Prints the figures and writes benchmarks/results/incremental.json.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPANIES = [("Alibaba", "BABA"), ("Tencent", "TCEHY"), ("Microsoft", "MSFT"), ("Alphabet", "GOOGL"),
             ("Amazon", "AMZN"), ("Meta", "META"), ("Nvidia", "NVDA"), ("Baidu", "BIDU"),
             ("Apple", "AAPL"), ("TSMC", "TSM"), ("Oracle", "ORCL"), ("Samsung", "005930.KS")]  # fmt: skip
SENTENCES = [
    "{c} reported revenue of ${a} billion for the quarter, up {p}% from a year earlier.",
    "Cloud revenue at {c} grew {p}% as customers moved more AI workloads to its data centers.",
    "Management said capital expenditure would reach ${a} billion this year, mostly on servers.",
    "Operating margin widened to {p}% after the company cut costs in older businesses.",
    "Analysts had expected earnings of ${e} per share; {c} reported ${f}.",
    "The board approved a share buyback of ${b} billion and raised the dividend by {q}%.",
    "{c} said demand for its AI accelerators exceeded supply for the {n}th quarter in a row.",
    "Free cash flow fell to ${a} billion as spending on new facilities rose.",
    "The company expects revenue growth of {q}% to {p}% next quarter.",
    "Headcount rose {q}% to {h},000 employees, mostly engineers.",
    "In {r}, sales grew {p}% while the rest of the world was flat.",
    "{c} shares rose {q}% in after-hours trading after the results.",
]
REGIONS = ["China", "Europe", "North America", "Japan", "India", "Latin America"]


def article(i: int, rng: random.Random) -> str:
    company, ticker = COMPANIES[i % len(COMPANIES)]
    paragraphs = []
    for _ in range(rng.randint(8, 12)):
        sents = [
            rng.choice(SENTENCES).format(
                c=company,
                a=rng.randint(2, 90),
                p=rng.randint(3, 60),
                q=rng.randint(1, 15),
                e=f"{rng.uniform(0.5, 6):.2f}",
                f=f"{rng.uniform(0.5, 6):.2f}",
                n=rng.randint(4, 12),
                b=rng.randint(5, 110),
                h=rng.randint(20, 220),
                r=rng.choice(REGIONS),
            )  # fmt: skip
            for _ in range(rng.randint(3, 5))
        ]
        paragraphs.append(" ".join(sents))
    published = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return (
        f'---\ntitle: "{company} results note {i}"\nsource: "Synthetic Wire"\n'
        f"published: {published}\ntickers: [{ticker}]\n---\n" + "\n\n".join(paragraphs) + "\n"
    )


def run_index(corpus: Path, index_dir: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "index", "--corpus", str(corpus), "--index-dir", str(index_dir)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    summary = re.search(r"added (\d+), updated (\d+), removed (\d+), unchanged (\d+) in ([\d.]+)s "
                        r"\((\d+) articles, (\d+) chunks, (\d+) embedded\)", proc.stderr)  # fmt: skip
    if not summary:
        return {"wall_seconds": round(seconds, 2), "output": proc.stderr.strip()}
    keys = [
        "added",
        "updated",
        "removed",
        "unchanged",
        "build_seconds",
        "articles",
        "chunks",
        "embedded",
    ]
    values = [
        float(v) if k == "build_seconds" else int(v)
        for k, v in zip(keys, summary.groups(), strict=True)
    ]
    return {"wall_seconds": round(seconds, 2), **dict(zip(keys, values, strict=True))}


def in_process(corpus: Path, index_dir: Path) -> dict:
    """Change one article and re-index with a model that is already loaded."""
    from index.build import build_index
    from index.embed import SentenceTransformerEmbedder
    from index.tokens import default_counter

    embedder = SentenceTransformerEmbedder()
    embedder.load()
    embedder.encode_documents(["warm-up"])
    target = corpus / "note-150.md"
    target.write_text(target.read_text() + "\nA late note: the buyback was completed early.\n")
    started = time.perf_counter()
    report = build_index(corpus, index_dir, embedder, default_counter())
    return {"seconds": round(time.perf_counter() - started, 2), "embedded": report.encoded,
            **report.changes.model_dump()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        corpus, index_dir = Path(tmp) / "corpus", Path(tmp) / "index"
        corpus.mkdir()
        for i in range(args.articles):
            (corpus / f"note-{i:03d}.md").write_text(article(i, rng), encoding="utf-8")
        full = run_index(corpus, index_dir)
        print(f"full build:        {full}")
        target = corpus / "note-100.md"
        target.write_text(target.read_text() + "\nAn update: guidance was raised again today.\n")
        appended = run_index(corpus, index_dir)
        print(f"append paragraph:  {appended}")
        text = (corpus / "note-050.md").read_text()
        (corpus / "note-050.md").write_text(
            re.sub(r"\$(\d+) billion", r"$\g<1>.5 billion", text, count=1)
        )
        edited = run_index(corpus, index_dir)
        print(f"edit one figure:   {edited}")
        noop = run_index(corpus, index_dir)
        print(f"no change:         {noop.get('output', noop)}")
        warm = in_process(corpus, index_dir)
        print(f"warm model:        {warm}")
    results = {
        "articles": args.articles,
        "full_build": full,
        "one_article_appended": appended,
        "one_figure_edited": edited,
        "no_change_wall_seconds": noop["wall_seconds"],
        "warm_model_one_article": warm,
        "warm_vs_full": round(warm["seconds"] / full["wall_seconds"], 3),
        "load_average_1min_at_end": os.getloadavg()[0],
        "appended_vs_full_wall": round(appended["wall_seconds"] / full["wall_seconds"], 3),
        "edited_vs_full_wall": round(edited["wall_seconds"] / full["wall_seconds"], 3),
    }
    print(json.dumps(results, indent=2))
    out = ROOT / "benchmarks" / "results" / "incremental.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"→ {out}")


if __name__ == "__main__":
    main()
