"""State store: what a dedupe claim and a vote cost on SQLite and on PostgreSQL.

Run: .venv/bin/python -m benchmarks.state_store [--claims N] [--threads T] [--postgres-url URL]
For each backend: the latency of claiming a new key (the insert that lets one replica answer
an event), of a duplicate claim answered by the database (a retry reaching another replica;
the in-process memory is bypassed), and of recording a vote; then T threads, each with an
engine of its own (T replicas), claiming distinct keys at once: claims per second. SQLite is
a file in a temporary directory (WAL, synchronous=NORMAL); PostgreSQL is a throwaway cluster
with production durability (fsync and synchronous_commit on), or the server at --postgres-url.
Writes benchmarks/results/state_store.json.
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from benchmarks.common import finish, machine, percentiles, print_table
from bot.answer.compose import Answer
from bot.state.settings import StateSettings
from bot.state.store import open_state
from tests import pg_cluster

ANSWER = Answer(question="How much?", found=True, answer="RMB 380 billion. [1]", citations=[])


def timed(calls) -> list[float]:
    """Seconds each zero-argument call took."""
    seconds = []
    for call in calls:
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return seconds


def measure(settings: StateSettings, claims: int, threads: int) -> dict:
    """Latencies and concurrent throughput on one backend."""
    first, second = open_state(settings), open_state(settings)
    keys = [f"event:Ev{uuid.uuid4().hex}" for _ in range(claims)]
    new = timed(lambda key=key: first.events.claim(key) for key in keys)
    duplicate = timed(lambda key=key: second.events.claim(key) for key in keys)
    answer_id = first.save_answer(ANSWER, "C1", "U1")
    votes = timed(
        lambda n=n: first.record_vote(answer_id, f"U{n}", "C1", "up") for n in range(claims)
    )
    first.close()
    second.close()
    replicas = [open_state(settings) for _ in range(threads)]
    start, per_thread = threading.Barrier(threads + 1), claims

    def run(store) -> None:
        mine = [f"event:Ev{uuid.uuid4().hex}" for _ in range(per_thread)]
        start.wait()
        for key in mine:
            store.events.claim(key)

    workers = [threading.Thread(target=run, args=(store,)) for store in replicas]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    for store in replicas:
        store.close()
    return {
        "claim_new": percentiles(new),
        "claim_duplicate": percentiles(duplicate),
        "vote": percentiles(votes),
        "claim_new_mean_ms": round(statistics.fmean(new) * 1000, 2),
        "concurrent_claims_per_s": round(threads * per_thread / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=300, help="claims and votes per backend")
    parser.add_argument("--threads", type=int, default=8, help="replicas claiming at once")
    parser.add_argument("--postgres-url", help="an existing server instead of a throwaway one")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="state-bench-") as work:
        results["sqlite"] = measure(StateSettings(data_dir=Path(work)), args.claims, args.threads)
    cluster = None
    try:
        if args.postgres_url:
            url = args.postgres_url
        else:
            cluster = pg_cluster.Cluster(durable=True).start()
            url = cluster.base_url + "/postgres"
        settings = StateSettings(database_url=pg_cluster.fresh_schema_url(url))
        results["postgresql"] = measure(settings, args.claims, args.threads)
    except pg_cluster.NoPostgres as exc:
        print(f"skipped PostgreSQL: {exc}", file=sys.stderr)
    finally:
        if cluster is not None:
            cluster.stop()
    rows = [
        [
            backend,
            r["claim_new"]["p50_ms"],
            r["claim_new"]["p95_ms"],
            r["claim_duplicate"]["p50_ms"],
            r["vote"]["p50_ms"],
            r["concurrent_claims_per_s"],
        ]
        for backend, r in results.items()
    ]
    headers = ["backend", "claim p50 ms", "claim p95 ms", "dup p50 ms", "vote p50 ms", "claims/s"]
    print_table(headers, rows)
    figures = {
        f"{backend}_{name}": value
        for backend, r in results.items()
        for name, value in (
            ("claim_p50_ms", r["claim_new"]["p50_ms"]),
            ("claim_p95_ms", r["claim_new"]["p95_ms"]),
            ("concurrent_claims_per_s", r["concurrent_claims_per_s"]),
        )
    }
    details = {"claims": args.claims, "threads": args.threads, "results": results}
    details["load_avg_before"] = machine()["load_avg_1m"]
    finish("state_store", figures, details)


if __name__ == "__main__":
    main()
