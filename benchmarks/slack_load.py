"""Load the Slack HTTP endpoint: N concurrent signed `/ask` requests against the local stand-in.

Run: .venv/bin/python -m benchmarks.slack_load [--requests 50] [--corpus corpus] [--fake]
Prints p50/p99/max ack time, p50/p99 time from request to the posted answer, and whether every
request was answered exactly once; writes benchmarks/results/slack_load.json. Asserts nothing.
The requests are sent from a separate process, as Slack's would come from elsewhere.
"""

import argparse
import json
import math
import multiprocessing
import os
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from benchmarks.not_found_calibration import OFF_TOPIC, ON_TOPIC
from bot.access.gate import Gate
from bot.access.policy import AccessPolicy
from bot.answer.answerer import Answerer
from bot.audit.store import open_audit
from bot.slack.app import create_app
from bot.slack.server import EVENTS_PATH, SlackHTTPServer
from bot.slack.service import QAService
from bot.slack.settings import BotSettings
from bot.state.settings import StateSettings
from bot.state.store import open_state
from index.build import build_index
from index.onnx_encoder import query_embedder
from index.settings import IndexSettings
from index.tokens import default_counter
from tests.slack.payloads import command_body, send, signed_headers
from tests.slack.stand_in import SlackStandIn

SECRET = "benchmark-secret"
# The calibration benchmark's questions: mostly answerable, some deliberately not.
QUESTIONS = ON_TOPIC[:9] + OFF_TOPIC[:1]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def embedder_for(fake: bool):
    if fake:
        from tests.helpers import FakeEmbedder

        return FakeEmbedder()
    from index.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def burst(url: str, requests: list[tuple[str, dict]]) -> list[dict]:
    """Slack's side, run in a process of its own: send every request at the same moment.

    Its 50 client threads must not compete with the server for the server's interpreter
    lock: Slack's requests come from elsewhere, and so must the benchmark's.
    """
    barrier = threading.Barrier(len(requests))

    def one(request: tuple[str, dict]) -> dict:
        body, headers = request
        barrier.wait()
        sent = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
        reply = send(url + EVENTS_PATH, body, "application/x-www-form-urlencoded", headers)
        return {"sent": sent, "status": reply.status, "ack_s": reply.seconds}

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(one, requests))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--fake", action="store_true", help="fake embedder instead of the model")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/slack_load.json"))
    args = parser.parse_args()
    embedder = embedder_for(args.fake)
    work = Path(tempfile.mkdtemp(prefix="slack-load-"))
    build_index(args.corpus, work / "index", embedder, default_counter())
    embedder.load()
    index_settings = IndexSettings()
    with SlackStandIn() as api:
        settings = BotSettings(
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET,
            slack_api_url=api.api_url,
        )
        # Questions go through the ONNX export, as in `investor-qa serve` (the fake has none).
        answerer = Answerer.open(
            work / "index",
            query_embedder(work / "index", fallback=embedder),
            top_k=index_settings.top_k,
            min_score=0.2 if args.fake else index_settings.min_score,
            table_k=index_settings.table_k,
        )
        # As `serve` wires it: no access file (all public), the audit trail in the state store.
        store = open_state(StateSettings(data_dir=work / "data"))
        gate = Gate(answerer, AccessPolicy.load(work / "no-access.yml"), open_audit(store))
        qa = QAService(gate, store, settings)
        app = create_app(settings, qa)
        server = SlackHTTPServer(app, qa.stats, SECRET, "127.0.0.1", 0).start()
        answerer.answer(QUESTIONS[0])  # warm the model's first call, as a running server would be
        keys = [uuid.uuid4().hex for _ in range(args.requests)]
        bodies = [
            command_body(QUESTIONS[i % len(QUESTIONS)], api.response_url(key))
            for i, key in enumerate(keys)
        ]
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as slack:
            slack.submit(os.getpid).result()  # started and imported before the clock starts
            requests = [(body, signed_headers(SECRET, body)) for body in bodies]
            sent = slack.submit(burst, server.url, requests).result()
        sent = [{**r, "key": key} for r, key in zip(sent, keys, strict=True)]
        api.wait_for("response_url", count=args.requests, timeout=300)
        api.settle(quiet=1.0)
        server.shutdown()
        replies = {c.path.rsplit("/", 1)[-1]: c for c in api.calls_to("response_url")}
        per_key = Counter(c.path.rsplit("/", 1)[-1] for c in api.calls_to("response_url"))
    acks = [r["ack_s"] * 1000 for r in sent]
    answers = [(replies[r["key"]].at - r["sent"]) * 1000 for r in sent if r["key"] in replies]
    result = {
        "requests": args.requests,
        "embedder": embedder.name,
        "corpus": str(args.corpus),
        "cpu_count": os.cpu_count(),
        "ack_status_200": sum(r["status"] == 200 for r in sent),
        "ack_ms": {
            k: round(percentile(acks, p), 1) for k, p in (("p50", 50), ("p99", 99), ("max", 100))
        },
        "answer_ms": {
            k: round(percentile(answers, p), 1) for k, p in (("p50", 50), ("p99", 99), ("max", 100))
        },
        "answered_exactly_once": all(per_key[r["key"]] == 1 for r in sent),
        "answers_per_request": dict(Counter(per_key[r["key"]] for r in sent)),
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
