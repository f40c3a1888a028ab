"""Keeping current: one feed sync with 50 new entries, and re-answering W watches after it.

Run: .venv/bin/python -m benchmarks.keeping_current [--quick] [--watches 100,1000]
  1. A local feed server on 127.0.0.1 lists 50 new synthetic finance articles (pages of
     ~300-1,200 words). One `FeedSyncer.sync` fetches the feed and the 50 pages, extracts
     them, writes them to the corpus and appends them to an index of the bundled corpus plus
     200 synthetic articles, encoding with the real model (ONNX export for small batches,
     else sentence-transformers) as `serve` does. Reported: total wall time and its parts.
  2. W watches (FinanceBench/TAT-QA and synthetic questions) on that index: one pass of
     `WatchRunner.run` after the update answers each again as in its channel (real ONNX
     question encoder, hybrid search, composition), decides what is news and records it;
     posting is a no-op. Reported: total and per-watch time.
Prints the figures and writes benchmarks/results/keeping_current.json.
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import finish, percentiles, print_table
from benchmarks.query_latency import questions
from benchmarks.synthetic import article, write_corpus
from bot.access.gate import Gate
from bot.access.policy import AccessPolicy
from bot.answer.answerer import Answerer
from bot.audit.store import open_audit
from bot.feeds.models import Feed
from bot.feeds.settings import FeedSettings
from bot.feeds.store import FeedStore
from bot.feeds.sync import FeedSyncer
from bot.state.settings import StateSettings
from bot.state.store import open_state
from bot.watches.runner import WatchRunner
from bot.watches.scope import answer_in_channel
from bot.watches.store import WatchStore
from index.build import CACHE_FILE, build_index
from index.changes import previous_state
from index.embed import SentenceTransformerEmbedder
from index.live import generations_by_path
from index.onnx_encoder import query_embedder
from index.settings import IndexSettings
from index.small_updates import SmallUpdateEmbedder
from index.textfile import parse_text_article
from index.tokens import default_counter
from index.update import index_new_files
from tests.feeds_server import FeedSite, rss
from tests.helpers import BUNDLED_CORPUS

ROOT = Path(__file__).resolve().parents[1]
BASE_CACHE = Path.home() / ".cache" / "investor-qa" / "perf" / "keeping-current-cache.sqlite"


def feed_entries(site: FeedSite, n: int) -> list[dict]:
    """`n` synthetic articles served as pages, listed in one feed."""
    import random

    rng = random.Random(11)
    rows = []
    for i in range(n):
        parsed, _ = parse_text_article(article(rng, 10_000 + i), f"feed-{i}.md", plain=False)
        link = site.page(f"/a/{i}", parsed.title, parsed.text)
        rows.append(
            {"guid": f"urn:bench:{i}", "title": parsed.title, "link": link,
             "date": f"2026-01-{1 + i % 28:02d}", "summary": parsed.text[:200]}
        )  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 watches, 10 entries")
    parser.add_argument("--watches", default="100,1000")
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    counts = [100] if args.quick else [int(w) for w in args.watches.split(",")]
    n_entries = 10 if args.quick else args.entries
    work = Path(tempfile.mkdtemp(prefix="iqa-keeping-current-"))
    site = FeedSite().start()
    try:
        corpus = work / "corpus"
        shutil.copytree(BUNDLED_CORPUS, corpus)
        write_corpus(corpus / "synthetic", 50 if args.quick else 200)
        settings = IndexSettings(corpus_dir=corpus, index_dir=work / "index")
        builder = SentenceTransformerEmbedder("cpu")
        started = time.perf_counter()
        # The base index's vectors are kept between runs: only the feed's entries are timed.
        settings.index_dir.mkdir(parents=True)
        if BASE_CACHE.is_file():
            shutil.copyfile(BASE_CACHE, settings.index_dir / CACHE_FILE)
        build_index(corpus, settings.index_dir, builder, default_counter())
        BASE_CACHE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(settings.index_dir / CACHE_FILE, BASE_CACHE)
        (settings.index_dir / CACHE_FILE).unlink()  # the feed's entries start uncached
        print(f"base index built in {time.perf_counter() - started:.0f} s")
        embedder = SmallUpdateEmbedder(builder, settings.index_dir)
        state = open_state(StateSettings(data_dir=work / "data"))
        site.feeds["/feed.xml"] = rss("Bench Wire", feed_entries(site, n_entries))
        feeds = FeedStore(state.engine)
        feed: Feed = feeds.add(site.url + "/feed.xml", None, 1800, "bench")
        timings: dict[str, float] = {}

        def index_paths(paths: list[str]):
            began = time.perf_counter()
            report = index_new_files(corpus, settings.index_dir, paths, embedder, default_counter())
            timings["index_s"] = time.perf_counter() - began
            timings["encode_s"] = report.embed_seconds
            return report

        syncer = FeedSyncer(feeds, settings, FeedSettings(fetches_per_minute=10_000), index_paths)
        before = previous_state(settings.index_dir)
        assert before is not None
        began = time.perf_counter()
        results, report = syncer.sync([feed])
        sync_s = time.perf_counter() - began
        assert report is not None and len(results[0].added) == n_entries, results
        sync_row = {
            "entries": n_entries,
            "chunks_added": report.chunks - before.chunks,
            "total_s": round(sync_s, 2),
            "fetch_extract_write_s": round(sync_s - timings["index_s"], 2),
            "index_s": round(timings["index_s"], 2),
            "encode_s": round(timings["encode_s"], 2),
            "index_excluding_encoding_s": round(timings["index_s"] - timings["encode_s"], 2),
            "appended": report.appended,
        }
        answerer = Answerer.open(
            settings.index_dir, query_embedder(settings.index_dir, fallback=builder), corpus
        )
        # No access file: every channel reads everything, as without bot/access.
        gate = Gate(answerer, AccessPolicy.load(corpus / "access.yml"), open_audit(state))
        qs = list(dict.fromkeys(questions(args.eval_dir, 3000)))
        watch_rows = [measure_watches(w, gate, qs, state.engine) for w in counts]
        state.close()
    finally:
        site.stop()
        shutil.rmtree(work, ignore_errors=True)
    print_table(list(sync_row), [list(sync_row.values())])
    print()
    print_table(list(watch_rows[0]), [list(r.values()) for r in watch_rows])
    figures = {"feed_sync_50_total_s": sync_row["total_s"]} if n_entries == 50 else {}
    figures |= {f"watches_{r['watches']}_total_s": r["total_s"] for r in watch_rows}
    finish(
        "keeping_current" + ("-quick" if args.quick else ""),
        figures,
        {"feed_sync": sync_row, "watches": watch_rows},
    )


def measure_watches(n: int, gate: Gate, qs: list[str], engine) -> dict:
    """One pass over `n` fresh watches after an index update."""
    store = WatchStore(engine)
    answerer = gate.answerer
    generation = answerer.searcher.manifest.generation
    for i in range(n):
        question = qs[i % len(qs)]
        baseline = answer_in_channel(gate, question, f"CBENCH{i % 20}")
        store.add(f"CBENCH{i % 20}", question, "bench", baseline, generation - 1)
    per_watch: list[float] = []

    def timed(question, channel):
        began = time.perf_counter()
        out = answer_in_channel(gate, question, channel)
        per_watch.append(time.perf_counter() - began)
        return out

    runner = WatchRunner(store, timed, lambda *a: True, lambda *a: True)
    files = answerer.searcher.files
    began = time.perf_counter()
    posted = runner.run(generation, lambda paths: generations_by_path(files.query, paths))
    total = time.perf_counter() - began
    assert len(per_watch) == n
    for watch in store.in_channel():
        store.remove(watch.channel, watch.id)
    return {
        "watches": n,
        "total_s": round(total, 2),
        "per_watch_ms": round(total / n * 1000, 1),
        "answer_p50_ms": percentiles(per_watch)["p50_ms"],
        "answer_p95_ms": percentiles(per_watch)["p95_ms"],
        "posted": posted,
    }


if __name__ == "__main__":
    main()
