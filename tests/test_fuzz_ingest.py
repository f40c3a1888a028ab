"""Fuzzing each format: random and mutated bytes never abort loading or chunking, and the good
article beside them is always indexed. Examples are few and small, so this stays fast."""

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.build import build_index
from index.chunk import ChunkerSettings, chunk_article
from index.load import load_corpus
from index.search import Searcher
from tests.helpers import FakeEmbedder, write_article
from tests.pdf_factory import make_pdf
from tests.test_hostile_files import GOOD

SEEDS = {
    ".md": b"---\ntitle: 'Nu Mining output'\ntickers: [NUM]\npublished: 2025-02-03\n---\n"
    b"# Output\nNu Mining produced 1.2 million tonnes, up 4%. [1]\n\n- copper\n- zinc\n",
    ".txt": b"Nu Mining output\nBy A. Writer\nNu Mining produced 1.2 million tonnes, up 4%.\n"
    b"Comments (3)\nnice\n",
    ".html": b'<html><head><meta property="og:title" content="Nu Mining output">'
    b'<script type="application/ld+json">{"@graph": [{"datePublished": "2025-02-03"}]}</script>'
    b"</head><body><nav>Home</nav><article><h1>Output</h1><p>Nu Mining produced 1.2 million "
    b"tonnes in the quarter, up 4% from a year earlier.</p></article></body></html>",
    ".pdf": make_pdf([["Nu Mining output", "Production rose 4% to 1.2 million tonnes."]] * 2),
    ".jsonl": b'{"title": "Nu Mining", "text": "Output rose 4%.", "published": "2025-02-03"}\n'
    b'{"title": ["x"], "body": {"a": 1}}\n[1, 2]\n{"text": "Second record, 1.2 million."}\n',
    ".csv": b'title,text,tickers\nNu Mining,"Output rose 4%, to 1.2 million.",NUM\n,"",\n',
}
FUZZ = settings(
    max_examples=20,
    deadline=None,  # a PDF example may start a fresh worker process
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def mutate(seed: bytes, rng_seed: int) -> bytes:
    """`seed` with random bytes flipped, inserted, deleted, repeated or cut off."""
    rng = random.Random(rng_seed)
    data = bytearray(seed)
    for _ in range(rng.randint(1, 12)):
        pos = rng.randrange(len(data) + 1)
        op = rng.choice(["flip", "insert", "delete", "repeat", "cut"])
        if op == "flip" and pos < len(data):
            data[pos] = rng.randrange(256)
        elif op == "insert":  # NUL, newline, quote, #, [, {, 0xff
            noise = [rng.choice(b'\x00\n"#[{\xff') for _ in range(rng.randint(1, 40))]
            data[pos:pos] = bytes(noise)
        elif op == "delete":
            del data[pos : pos + rng.randint(1, 40)]
        elif op == "repeat":
            data[pos:pos] = data[pos : pos + rng.randint(1, 30)] * rng.randint(2, 200)
        elif op == "cut":
            del data[pos:]
    return bytes(data)


def mutated(seed: bytes):
    return st.integers(0, 2**32).map(lambda n: mutate(seed, n))


def hostile(suffix: str):
    return st.one_of(st.binary(max_size=3000), mutated(SEEDS[suffix]))


def load_and_chunk(suffix: str, blob: bytes, counter) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        write_article(corpus, "good.md", "Kappa outlook", GOOD)
        (corpus / f"hostile{suffix}").write_bytes(blob)
        loaded = load_corpus(corpus)  # must not raise, whatever the bytes
        assert "good.md" in {a.path for a in loaded.articles}
        for article in loaded.articles:
            chunks = chunk_article(article, counter, ChunkerSettings())
            assert all(article.text[c.start : c.end] == c.text for c in chunks)


@pytest.mark.parametrize("suffix", list(SEEDS))
def test_every_seed_is_a_good_article(suffix, counter):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / f"seed{suffix}").write_bytes(SEEDS[suffix])
        assert load_corpus(Path(tmp)).articles  # so mutations start from something real


@FUZZ
@given(blob=hostile(".md"))
def test_fuzz_markdown(blob, counter):
    load_and_chunk(".md", blob, counter)


@FUZZ
@given(blob=hostile(".txt"))
def test_fuzz_plain_text(blob, counter):
    load_and_chunk(".txt", blob, counter)


@FUZZ
@given(blob=hostile(".html"))
def test_fuzz_html(blob, counter):
    load_and_chunk(".html", blob, counter)


@FUZZ
@given(blob=hostile(".pdf"))
def test_fuzz_pdf(blob, counter):
    load_and_chunk(".pdf", blob, counter)


@FUZZ
@given(blob=hostile(".jsonl"))
def test_fuzz_jsonl(blob, counter):
    load_and_chunk(".jsonl", blob, counter)


@FUZZ
@given(blob=hostile(".csv"))
def test_fuzz_csv(blob, counter):
    load_and_chunk(".csv", blob, counter)


def test_a_build_over_a_corpus_of_mangled_files_completes(tmp_path, counter):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_article(corpus, "good.md", "Kappa outlook", GOOD)
    for suffix, seed in SEEDS.items():
        for n in range(4):
            (corpus / f"mangled-{n}{suffix}").write_bytes(mutate(seed, n))
    report = build_index(corpus, tmp_path / "index", FakeEmbedder(), counter)
    assert report.articles >= 1 and report.chunks >= 1
    paths = {r["path"] for r in Searcher(tmp_path / "index", FakeEmbedder()).files.query(
        "SELECT path FROM articles")}  # fmt: skip
    assert "good.md" in paths
