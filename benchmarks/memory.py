"""Memory: resident size of a question-answering process over 100k chunks; index bytes at 1M.

Run: .venv/bin/python -m benchmarks.memory [--quick]
A fresh process loads the query encoder and a `Searcher` over a 100k-chunk index, then answers
100 questions (both encoders: ONNX, as `ask` uses, and sentence-transformers/torch). Without
--quick, a real `investor-qa serve --http` is also started over the same index (against a local
stand-in for the Slack Web API) and measured once it answers /healthz.
Then an index of 1M vectors is built with the type the factory picks, and its bytes counted.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import faiss

from benchmarks.common import finish, print_table, rss_mb
from benchmarks.query_latency import PERF_CACHE, encoder, questions
from benchmarks.scale import build_index_of, bundled_chunks, cached_vectors, find_caches, grow
from index import ann


def child(index_dir: Path, kind: str, eval_dir: Path) -> None:
    """Load an encoder and a Searcher, answer questions, print resident sizes as JSON."""
    from bot.answer.compose import compose_answer
    from index.embed import SentenceTransformerEmbedder
    from index.onnx_encoder import OnnxEmbedder
    from index.search import Searcher

    base = rss_mb()
    embedder = (
        OnnxEmbedder(PERF_CACHE / "onnx") if kind == "onnx" else SentenceTransformerEmbedder()
    )
    embedder.load()
    searcher = Searcher(index_dir, embedder)
    loaded = rss_mb()
    for question in questions(eval_dir, 100):
        compose_answer(question, searcher.search(question, 5), 0.35)
    print(json.dumps({"start_mb": base, "loaded_mb": loaded, "after_100_questions_mb": rss_mb()}))


def fake_slack_api() -> str:
    """A local stand-in that answers every Web API call `ok` (serve calls auth.test at start)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Ok(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.dumps({"ok": True, "user_id": "UBENCH", "bot_id": "BBENCH"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def serve_rss(index_dir: Path, port: int = 38517) -> float:
    """Resident MB of a real `investor-qa serve --http` once it answers /healthz."""
    import urllib.request

    cli = str(Path(sys.executable).with_name("investor-qa"))
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-benchmark",  # never used: no event reaches this server
        "SLACK_SIGNING_SECRET": "benchmark",
        "SLACK_API_URL": fake_slack_api(),
        "INVESTOR_QA_INDEX_DIR": str(index_dir),
        "INVESTOR_QA_CORPUS_DIR": str(index_dir / "no-corpus"),  # serve the index as it is
    }
    proc = subprocess.Popen(
        [cli, "serve", "--http", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(240):
            time.sleep(0.5)
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                return rss_mb(proc.pid)
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("serve exited before it was ready") from None
        raise RuntimeError("serve was not ready within 2 minutes")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the torch process; 400k vectors")
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--big", type=int, help="vectors for bytes per chunk (1M; quick 400k)")
    parser.add_argument("--eval-dir", type=Path, default=Path(__file__).parents[2] / "shared/eval")
    parser.add_argument("--child", nargs=2, metavar=("INDEX_DIR", "KIND"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(Path(args.child[0]), args.child[1], args.eval_dir)
    args.big = args.big or (400_000 if args.quick else 1_000_000)  # both past SCAN_MAX: IVF

    encoder()  # make sure the ONNX export exists before the child needs it
    real = cached_vectors(find_caches())
    work = Path(tempfile.mkdtemp(prefix="iqa-memory-"))
    rows, figures = [], {}
    try:
        manifest = build_index_of(work / "idx", grow(real, args.chunks), bundled_chunks())
        for kind in ["onnx"] if args.quick else ["onnx", "torch"]:
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(work / "idx"), kind],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
            )
            sizes = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append([kind, manifest.index_type, args.chunks, *sizes.values()])
            figures[f"rss_mb_{kind}_{args.chunks}"] = round(sizes["after_100_questions_mb"], 1)
        if not args.quick:
            figures[f"rss_mb_serve_ready_{args.chunks}"] = round(serve_rss(work / "idx"), 1)
        version = next((work / "idx").glob("v-*"))
        sqlite_bytes = (version / "meta.sqlite").stat().st_size / args.chunks

        started = time.perf_counter()
        index, kind = ann.build_ann(grow(real, args.big), real.shape[1])
        faiss.write_index(index, str(work / "big.faiss"))
        big_s = time.perf_counter() - started
        file_bytes = (work / "big.faiss").stat().st_size / args.big
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(["encoder", "index", "chunks", "start MB", "loaded MB", "after 100 q MB"], rows)
    if f"rss_mb_serve_ready_{args.chunks}" in figures:
        serve = figures[f"rss_mb_serve_ready_{args.chunks}"]
        print(f"investor-qa serve --http, ready over {args.chunks} chunks: {serve} MB")
    print(
        f"\n{args.big} vectors as {kind}: {file_bytes:.0f} B/chunk on disk ({big_s:.0f}s to build)"
    )
    print(f"meta.sqlite (text, metadata, FTS): {sqlite_bytes:.0f} B/chunk")
    figures |= {
        "big_index_type": kind,
        "vector_bytes_per_chunk_at_big": round(file_bytes, 1),
        "sqlite_bytes_per_chunk": round(sqlite_bytes, 1),
    }
    finish(
        "memory" + ("-quick" if args.quick else ""),
        figures,
        {"processes": rows, "big_vectors": args.big, "big_build_s": big_s},
    )


if __name__ == "__main__":
    main()
