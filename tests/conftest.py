"""Shared fixtures: a deterministic fake embedder, small corpora, and the real model once."""

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.tokens import default_counter

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


def write_article(corpus: Path, name: str, title: str, body: str, **meta) -> Path:
    """Write a front-matter Markdown article into `corpus`."""
    lines = ["---", f'title: "{title}"'] + [f"{k}: {v}" for k, v in meta.items()] + ["---", body]
    path = corpus / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def counter():
    return default_counter()


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Three short finance articles and one off-topic one."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_article(
        corpus,
        "alibaba.md",
        "Alibaba bets on AI",
        "Alibaba will invest RMB 380 billion ($53 billion) in AI and cloud infrastructure over "
        "three years. Alibaba holds a 36% share of China's cloud market. The company also "
        "repurchased shares.",
        source="Sample Wire",
        url="https://example.com/alibaba",
        published="2025-09-27",
        tickers="[BABA, 9988.HK]",
    )
    write_article(
        corpus,
        "tencent.md",
        "Tencent capex climbs",
        "Tencent spent about RMB 76.8 billion on capital expenditure in 2024. Tencent keeps "
        "building its Hunyuan models.",
        source="Sample Wire",
        published="2025-03-19",
        tickers="[TCEHY]",
    )
    (corpus / "notes.txt").write_text(
        "Microsoft cloud notes\n\nAzure revenue grew 39% in the quarter. Microsoft plans about "
        "$80 billion of AI data center spending.\n",
        encoding="utf-8",
    )
    write_article(
        corpus,
        "bread.md",
        "Baking sourdough",
        "Sourdough needs a lively starter. Let the dough rise slowly overnight in a cool place.",
    )
    return corpus


@pytest.fixture(scope="session")
def real_embedder():
    """The real all-MiniLM-L6-v2, loaded once for the whole test session."""
    from index.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory, real_embedder, counter):
    """The bundled corpus indexed once with the real model."""
    from index.build import build_index

    work = tmp_path_factory.mktemp("bundled")
    corpus = work / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    build_index(corpus, work / "index", real_embedder, counter)
    return work
