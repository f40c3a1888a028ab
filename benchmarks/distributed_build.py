"""Distributed build: a plain build against builds on local Ray, the parse rate, and a projection.

Run: .venv/bin/python -m benchmarks.distributed_build [--quick] [--articles 100] [--rounds 2]
     [--actors 1,2] [--device cpu|cuda] [--pdfs 6] [--assemble 1000000 | --assembly-from
     benchmarks/results/ivf_assembly.json]
Needs the ray extra. On one synthetic corpus (benchmarks/synthetic.py), fresh index and cache
each time: a plain `build_index`, then the same build on a local Ray runtime with 1 and 2 CPU
actors, interleaved round by round (the order flips each round) so the machine's load hits
every configuration alike; the ratios are taken within a round. Each build runs in a fresh
process (it pays its imports and model loads, as the CLI does). Two ratios: wall-clock chunks/s,
which other tenants' load moves a lot on a shared machine, and chunks per CPU-second (the build
process and its children, plus, for Ray, every process of the runtime: raylet, GCS, workers,
actors), which it hardly moves. The Ray runtime starts once and is reported apart. Every build
gets a copy of one ONNX export, so none pays the export.
Then: the parse-and-chunk rate of FinanceBench filings (../shared/eval; skipped when absent), in
this process and as Ray tasks; the IVF assembly of `--assemble` vectors (benchmarks/ivf_assembly.py);
and a projection for 1M and 50M chunks from those measured figures (see `projection`).
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, finish, print_table
from benchmarks.ivf_assembly import measure_assembly
from benchmarks.projection import project
from benchmarks.synthetic import write_corpus
from index.build import build_index
from index.chunk import ChunkerSettings, chunk_article
from index.distributed import RayRunner
from index.embed import SentenceTransformerEmbedder
from index.load import iter_corpus_files, load_entry
from index.onnx_encoder import ONNX_DIR, ensure_onnx_export
from index.ray_cluster import import_ray
from index.runner import LocalRunner
from index.tokens import default_counter
from tests.helpers import dump_index

PARSE_WORKER = "index.isolate_worker"  # in the command line of index.isolate's workers


class Timed:
    """A runner that records how long its steps took."""

    def __init__(self, inner):
        self.inner, self.method = inner, inner.method
        self.load_s = self.encode_s = 0.0

    def load(self, *args):
        started = time.perf_counter()
        try:
            return self.inner.load(*args)
        finally:
            self.load_s += time.perf_counter() - started

    def encode(self, embedder, todo, batch_size, progress):
        started = time.perf_counter()
        yield from self.inner.encode(embedder, todo, batch_size, progress)
        self.encode_s += time.perf_counter() - started


def one_build(name, actors, corpus, work, export, device, address) -> dict:
    """One build in this process (a fresh one per build: it pays its imports as the CLI does)."""
    index_dir = work / name
    shutil.rmtree(index_dir, ignore_errors=True)
    shutil.copytree(export, index_dir / ONNX_DIR)
    embedder = SentenceTransformerEmbedder(device)
    counter = default_counter()
    started = time.perf_counter()
    if actors:
        with RayRunner(address, actors=actors, device=device) as ray_runner:
            runner = Timed(ray_runner)
            report = build_index(corpus, index_dir, embedder, counter, runner=runner)
    else:
        runner = Timed(LocalRunner())
        report = build_index(corpus, index_dir, embedder, counter, runner=runner)
    wall = time.perf_counter() - started
    return {
        "config": name,
        "method": runner.method,
        "chunks": report.chunks,
        "wall_s": round(wall, 2),
        "chunks_per_s": round(report.chunks / wall, 2),
        "parse_s": round(runner.load_s, 2),
        "encode_s": round(runner.encode_s, 2),  # model loads (and Ray actor starts) included
        "rest_s": round(wall - runner.load_s - runner.encode_s, 2),
    }


def tree_ticks(exclude: int | None = None, named: str = "") -> dict[tuple[int, int], int]:
    """CPU ticks (user + system, own only) of every live process below this one, keyed by
    (pid, start time), leaving out `exclude` and what runs below it; with `named`, only the
    processes whose command line holds it."""
    procs = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        procs[int(stat.parent.name)] = (
            int(fields[1]),
            int(fields[19]),
            int(fields[11]) + int(fields[12]),
        )
    below, frontier = set(), {os.getpid()}
    while frontier:
        frontier = (
            {p for p, (parent, *_) in procs.items() if parent in frontier} - below - {exclude}
        )
        below |= frontier
    return {(p, procs[p][1]): procs[p][2] for p in below if named in cmdline(p)}


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def build_in_child(name, actors, corpus, work, export, device, address) -> dict:
    """`one_build` in a fresh Python process, with the CPU time it cost: its own (and its
    children's), plus, for a build on Ray, what the Ray runtime's processes spent meanwhile.

    The runtime's processes are sampled while the build runs and each one's last figure kept,
    so an actor or worker that exits before the end still counts (up to its last 0.5 s).
    """
    command = [sys.executable, "-m", "benchmarks.distributed_build", "--child", name]
    command += ["--actors", str(actors), "--device", device, "--address", address]
    command += ["--work", str(work), "--corpus", str(corpus), "--export", str(export)]
    before, own = tree_ticks(), resource.getrusage(resource.RUSAGE_CHILDREN)
    last = dict(before)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, text=True)
        while proc.poll() is None:
            last.update(tree_ticks(exclude=proc.pid))
            time.sleep(0.5)
        last.update(tree_ticks())
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise RuntimeError(f"{name} build failed:\n{stderr[-3000:]}")
    row = json.loads(stdout.strip().splitlines()[-1])
    own_s = after.ru_utime + after.ru_stime - own.ru_utime - own.ru_stime
    ray_s = sum(t - before.get(k, 0) for k, t in last.items()) / os.sysconf("SC_CLK_TCK")
    row["cpu_s"] = round(own_s + (ray_s if actors else 0), 1)  # an idle runtime is not the plain
    row["chunks_per_cpu_s"] = round(row["chunks"] / row["cpu_s"], 3)  # build's; Ray's is Ray's
    row["load_avg"] = round(os.getloadavg()[0], 2)
    return row


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the PDF parser runs in children)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def parse_rates(pdf_dir: Path, n_pdfs: int, work: Path, ray_cpus: int) -> dict | None:
    """Parse and chunk filings here (wall and CPU time, the parser's worker processes included)
    and as Ray tasks (wall)."""
    if not pdf_dir.is_dir() or not n_pdfs:
        print(f"no filings at {pdf_dir}: parse rate skipped")
        return None
    counter = default_counter()
    pdfs = sorted(pdf_dir.glob("*.pdf"), key=lambda p: p.name)
    step = max(1, len(pdfs) // n_pdfs)
    corpus = work / "filings"
    corpus.mkdir()
    for pdf in pdfs[::step][:n_pdfs]:
        shutil.copy(pdf, corpus / pdf.name)
    chunker = ChunkerSettings()
    # PDFs are parsed in index.isolate's worker processes, which outlive the loop: their CPU
    # time is read from /proc, this process's own from getrusage.
    started, cpu, workers = time.perf_counter(), cpu_seconds(), tree_ticks(named=PARSE_WORKER)
    chunks = pages = 0
    for path in iter_corpus_files(corpus):
        for article in load_entry(corpus, path, 50_000_000).articles:
            chunks += len(chunk_article(article, counter, chunker))
            pages += max(1, len(article.page_starts))
    local_s, local_cpu = time.perf_counter() - started, cpu_seconds() - cpu
    ticks = tree_ticks(named=PARSE_WORKER)
    local_cpu += sum(t - workers.get(k, 0) for k, t in ticks.items()) / os.sysconf("SC_CLK_TCK")
    with RayRunner("auto") as runner:
        started = time.perf_counter()
        loaded = runner.load(corpus, 50_000_000, counter, chunker)
        ray_s = time.perf_counter() - started
    assert sum(len(c) for c in loaded.chunks.values()) == chunks
    return {
        "filings": n_pdfs,
        "mb": round(sum(p.stat().st_size for p in corpus.iterdir()) / 1e6, 1),
        "pages": pages,
        "chunks": chunks,
        "local_s": round(local_s, 2),
        "local_cpu_s": round(local_cpu, 2),
        "cpu_ms_per_chunk": round(local_cpu / chunks * 1000, 2),
        "s_per_filing_cpu": round(local_cpu / n_pdfs, 2),
        "ray_s": round(ray_s, 2),
        "ray_cpus": ray_cpus,
        "ray_speedup": round(local_s / ray_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 articles, 1 round, no 1M")
    parser.add_argument("--articles", type=int, help="synthetic articles (default 120)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 2)")
    parser.add_argument("--actors", default="1,2", help="Ray actor counts to compare")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (one GPU actor per GPU)")
    parser.add_argument("--pdfs", type=int, default=6, help="FinanceBench filings to parse")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--assemble", type=int, help="IVF vectors to assemble (default 1M)")
    parser.add_argument(
        "--assembly-from",
        type=Path,
        help="take the IVF assembly from this ivf_assembly result file instead of measuring it",
    )
    for internal in ("--child", "--address", "--work", "--corpus", "--export"):
        parser.add_argument(internal, help=argparse.SUPPRESS)  # one build, in a child process
    args = parser.parse_args()
    if args.child:
        paths = [Path(p) for p in (args.corpus, args.work, args.export)]
        row = one_build(args.child, int(args.actors), *paths, args.device, args.address)
        print(json.dumps(row))
        return
    n_articles = args.articles or (20 if args.quick else 120)
    rounds = args.rounds or (1 if args.quick else 2)
    assemble = args.assemble if args.assemble is not None else (0 if args.quick else 1_000_000)
    actor_counts = [int(a) for a in args.actors.split(",") if a]
    load_start = round(os.getloadavg()[0], 2)
    # A throwaway runtime the builds join: no token to hand to each child.
    os.environ["RAY_AUTH_MODE"] = "disabled"
    ray = import_ray()
    work = Path(tempfile.mkdtemp(prefix="iqa-dist-"))
    try:
        corpus = write_corpus(work / "corpus", n_articles)
        export = ensure_onnx_export(work / "export", SentenceTransformerEmbedder("cpu"))
        started = time.perf_counter()
        ray.init(address="local", num_cpus=len(os.sched_getaffinity(0)), include_dashboard=False)
        ray_start_s = time.perf_counter() - started
        address = ray.get_runtime_context().gcs_address
        configs = [("plain", 0)] + [(f"ray-{n}", n) for n in actor_counts]
        rows, same = [], True
        for r in range(rounds):
            order = configs if r % 2 == 0 else configs[::-1]
            results = {
                name: build_in_child(name, n, corpus, work, export, args.device, address)
                for name, n in order
            }
            reference = dump_index(work / "plain")
            for name, _ in configs[1:]:
                same &= dump_index(work / name)["chunks"] == reference["chunks"]
                for key, ratio in (("chunks_per_s", "ratio"), ("chunks_per_cpu_s", "cpu_ratio")):
                    results[name][ratio] = round(results[name][key] / results["plain"][key], 3)
            rows += [{"round": r, **results[n]} for n, _ in configs]
        pdf_dir = args.eval_dir / "financebench" / "pdfs"
        parse = parse_rates(pdf_dir, args.pdfs, work, len(os.sched_getaffinity(0)))
    finally:
        if ray.is_initialized():
            ray.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    headers = list(dict.fromkeys(h for row in rows for h in row))
    print_table(headers, [[row.get(h, "") for h in headers] for row in rows])
    figures: dict = {
        "articles": n_articles,
        "chunks": rows[0]["chunks"],
        "rounds": rounds,
        "same_chunks_every_build": same,
        "ray_start_s": round(ray_start_s, 2),
        "load_avg_start": load_start,
        "load_avg_end": round(os.getloadavg()[0], 2),
    }
    for name, _ in configs:
        mine = [row for row in rows if row["config"] == name]
        for key in ("chunks_per_s", "chunks_per_cpu_s", "ratio", "cpu_ratio"):
            values = [row[key] for row in mine if row.get(key)]
            if values:
                figures[f"{name}_{key}"] = statistics.median(values)
    if parse:
        print_table(list(parse), [list(parse.values())])
    if args.assembly_from:  # measured apart (benchmarks/ivf_assembly.py), not twice
        assembly = json.loads(args.assembly_from.read_text())["figures"]
    else:
        assembly = measure_assembly(assemble, 10) if assemble else None
    if assembly:
        print_table(list(assembly), [list(assembly.values())])
    projection = project(figures, parse, assembly, actor_counts)
    if projection:
        print_table(list(projection[0]), [list(p.values()) for p in projection])
    finish(
        "distributed_build" + ("-quick" if args.quick else ""),
        figures,
        {"builds": rows, "parse": parse, "assembly": assembly, "projection": projection},
    )


if __name__ == "__main__":
    main()
