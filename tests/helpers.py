"""Test helpers shared by tests and benchmarks: a deterministic fake embedder and article files."""

import hashlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from index.models import Hit

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_CORPUS = ROOT / "corpus"


class FakeEmbedder:
    """Hashes 5-letter word stems into a normalised bag-of-words vector: deterministic and fast."""

    dim = 384

    def __init__(self, name: str = "fake/bag-of-words", dim: int = 384):
        self.name, self.dim = name, dim
        self.documents_encoded = 0

    def load(self) -> None:
        pass

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            digest = hashlib.md5(word[:5].encode()).digest()
            vec[int.from_bytes(digest[:4], "little") % self.dim] += 1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def encode_documents(self, texts, batch_size=32, progress=None):
        self.documents_encoded += len(texts)
        if progress:
            progress(len(texts))
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim))

    def encode_query(self, text):
        return self._vector(text)


class SlowEmbedder(FakeEmbedder):
    """A FakeEmbedder that takes `delay` seconds a call and, as it starts one, leaves a file named
    for its process id in `marks`: tests kill that process, or its Ray cluster, mid-build."""

    def __init__(self, delay: float, marks: Path):
        super().__init__()
        self.delay, self.marks = delay, str(marks)

    def encode_documents(self, texts, batch_size=32, progress=None):
        Path(self.marks, str(os.getpid())).touch()
        time.sleep(self.delay)
        return super().encode_documents(texts, batch_size, progress)


def write_article(corpus: Path, name: str, title: str, body: str, **meta) -> Path:
    """Write a front-matter Markdown article into `corpus`."""
    lines = ["---", f'title: "{title}"'] + [f"{k}: {v}" for k, v in meta.items()] + ["---", body]
    path = corpus / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def dump_index(index_dir: Path) -> dict:
    """Everything a build decides, from the live version: articles, chunks (in rowid order),
    vectors, and the manifest without the fields that differ between any two builds."""
    import json
    import sqlite3

    from index.ann import read_ann

    version = index_dir / (index_dir / "CURRENT").read_text().strip()
    db = sqlite3.connect(version / "meta.sqlite")
    try:
        articles = db.execute("SELECT * FROM articles ORDER BY rowid").fetchall()
        chunks = db.execute("SELECT * FROM chunks ORDER BY rowid").fetchall()
    finally:
        db.close()
    ann = read_ann(version / "vectors.faiss")
    manifest = json.loads((version / "manifest.json").read_text())
    volatile = {k: manifest.pop(k) for k in ("built_at", "build_seconds", "build_method")}
    return {
        "articles": articles,
        "chunks": chunks,
        "vectors": ann.reconstruct_n(0, ann.ntotal),
        "manifest": manifest,
        "build_method": volatile["build_method"],
    }


def make_hit(
    text: str, score: float = 0.7, chunk: str = "c1", *, article: str = "a", **fields
) -> Hit:
    """A search hit covering the whole of `text`, as compose tests hand to the composer."""
    fields.setdefault("title", "T")
    fields.setdefault("path", f"{chunk}.md")
    return Hit(
        chunk_id=chunk, article_id=article, text=text, score=score, start=0, end=len(text), **fields
    )


def kill_cli_at(step: str, args: list[str], signal: Path) -> None:
    """Run tests/fake_cli.py with `args`, wait until it pauses at `step` (it then creates
    `signal`), and SIGKILL it there: no cleanup handler runs, as after a power cut."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "fake_cli.py"), *args],
        env={**os.environ, "FAKE_CLI_PAUSE_AT": step, "FAKE_CLI_SIGNAL": str(signal)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not signal.exists():
            assert proc.poll() is None, f"{args[0]} ended before reaching the pause point"
            assert time.monotonic() < deadline, f"{args[0]} never reached the pause point"
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait()
