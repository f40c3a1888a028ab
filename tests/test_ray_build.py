"""Builds on a local Ray runtime (2 CPUs): the same index as a plain build, a killed actor
retried, a lost cluster one clear error with the previous index still answering.

These need the `ray` extra (`pip install -e '.[test,ray]'`, which `make test` installs) and
skip, saying so, without it.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("ray", reason="the ray extra is not installed: pip install -e '.[test,ray]'")

from index.build import build_index  # noqa: E402
from index.distributed import RayRunner  # noqa: E402
from index.ray_cluster import import_ray  # noqa: E402
from index.search import Searcher  # noqa: E402
from tests.helpers import (  # noqa: E402
    BUNDLED_CORPUS,
    ROOT,
    FakeEmbedder,
    SlowEmbedder,
    dump_index,
    write_article,
)
from tests.pdf_factory import make_pdf  # noqa: E402

pytestmark = pytest.mark.ray

QUESTIONS = [
    "How much is Alibaba investing in AI and cloud?",
    "What did Microsoft say about Azure growth?",
    "Nvidia data center revenue",
    "What was Globex capital expenditure in 2024?",
    "Initech free cash flow",
    "Which companies raised capex guidance?",
    "Apple buyback and dividend",
    "How do migratory birds navigate?",
]


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray runtime with 2 CPUs for this module; RayRunner('auto') joins it."""
    ray = import_ray()
    ray.init(address="local", num_cpus=2, include_dashboard=False)
    yield ray
    ray.shutdown()


@pytest.fixture
def mixed_corpus(tmp_path) -> Path:
    """The bundled corpus plus two generated PDFs (one of two pages)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    (corpus / "globex-10k.pdf").write_bytes(
        make_pdf(
            [
                ["Globex annual report 2024", "Globex sells industrial pumps in forty countries."],
                ["Capital spending", "Globex capital expenditure was $740 million in 2024."],
            ],
            title="Globex 10-K 2024",
        )
    )
    (corpus / "initech-q3.pdf").write_bytes(
        make_pdf([["Initech third quarter", "Free cash flow was $1.9 billion, up 12%."]])
    )
    return corpus


def test_ray_build_is_the_plain_build(local_ray, mixed_corpus, tmp_path, real_embedder, counter):
    build_index(mixed_corpus, tmp_path / "plain", real_embedder, counter)
    with RayRunner("auto", actors=1) as runner:  # one model load (the kill test runs two actors)
        report = build_index(mixed_corpus, tmp_path / "ray", real_embedder, counter, runner=runner)
    assert report.encoded == report.chunks  # a fresh cache: every text went to the actor
    plain, ray = dump_index(tmp_path / "plain"), dump_index(tmp_path / "ray")
    assert ray["build_method"] == "ray: 1 CPU actor x 2 threads"
    assert plain["articles"] == ray["articles"]
    assert plain["chunks"] == ray["chunks"]  # ids, texts, pages, contexts, in the same order
    assert any(row[6] == 2 for row in ray["chunks"])  # the PDF's second page is cited as such
    assert plain["manifest"] == ray["manifest"]
    cosine = np.sum(plain["vectors"] * ray["vectors"], axis=1)
    assert cosine.min() >= 1 - 1e-5
    searchers = [Searcher(tmp_path / d, real_embedder) for d in ("plain", "ray")]
    for question in QUESTIONS:
        top = [[h.chunk_id for h in s.search(question, 10)] for s in searchers]
        assert top[0] == top[1] and len(top[0]) == 10, question


def test_a_killed_actor_is_retried_and_the_index_is_the_same(
    local_ray, mixed_corpus, tmp_path, counter
):
    build_index(mixed_corpus, tmp_path / "plain", FakeEmbedder(), counter)
    marks = tmp_path / "marks"  # each encoding call leaves its process id here first
    marks.mkdir()
    killed: list[int] = []
    done = threading.Event()

    def kill_the_first_actor_at_work():
        while not killed and not done.is_set():
            for mark in marks.iterdir():
                os.kill(int(mark.name), signal.SIGKILL)
                killed.append(int(mark.name))
                break
            time.sleep(0.02)

    killer = threading.Thread(target=kill_the_first_actor_at_work)
    killer.start()
    try:
        with RayRunner("auto", actors=2) as runner:
            slow = SlowEmbedder(delay=1.0, marks=marks)
            # batch_size 2: blocks of ten texts, so the killed call is one of several.
            build_index(mixed_corpus, tmp_path / "ray", slow, counter, batch_size=2, runner=runner)
    finally:
        done.set()
        killer.join()
    assert killed and killed[0] != os.getpid()
    with pytest.raises(ProcessLookupError):
        os.kill(killed[0], 0)  # the actor really died mid-call; Ray retried its batch
    plain, ray = dump_index(tmp_path / "plain"), dump_index(tmp_path / "ray")
    assert plain["articles"] == ray["articles"] and plain["chunks"] == ray["chunks"]
    assert np.array_equal(plain["vectors"], ray["vectors"])


def descendants(pid: int) -> list[int]:
    """Process ids below `pid`, read from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [p for p, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_a_lost_cluster_is_one_error_and_the_previous_index_answers(
    small_corpus, tmp_path, counter
):
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, FakeEmbedder(), counter)
    before = dump_index(index_dir)
    question = "How much is Alibaba investing in AI?"
    answer_before = [h.chunk_id for h in Searcher(index_dir, FakeEmbedder()).search(question)]
    write_article(small_corpus, "nvidia.md", "Nvidia record", "Data center revenue hit $41.1B.")
    marks = tmp_path / "marks"
    marks.mkdir()
    env = {
        **os.environ,
        "FAKE_CLI_EMBED_DELAY": "5",
        "FAKE_CLI_SIGNAL": str(marks),
        "RAY_gcs_rpc_server_reconnect_timeout_s": "5",  # Ray gives up on its GCS sooner
    }
    command = [sys.executable, str(ROOT / "tests" / "fake_cli.py"), "index", "--ray", "auto"]
    command += ["--corpus", str(small_corpus), "--index-dir", str(index_dir)]
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    tree: list[int] = []
    try:
        deadline = time.monotonic() + 180
        while not any(marks.iterdir()):  # an actor is encoding
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the Ray build never started encoding"
            time.sleep(0.1)
        tree = descendants(proc.pid)
        gcs = [p for p in tree if "gcs_server" in cmdline(p)]
        assert gcs, "no GCS process found below the build"
        for pid in gcs:
            os.kill(pid, signal.SIGKILL)  # the cluster's head is gone
        out, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in tree:  # whatever Ray left behind, by the ids this test saw
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    lines = err.strip().splitlines()
    assert proc.returncode == 1
    assert len(lines) == 1, lines
    assert lines[0].startswith("investor-qa: error: the Ray build stopped before publishing")
    after = dump_index(index_dir)
    assert after["articles"] == before["articles"] and after["chunks"] == before["chunks"]
    assert [h.chunk_id for h in Searcher(index_dir, FakeEmbedder()).search(question)] == (
        answer_before
    )
