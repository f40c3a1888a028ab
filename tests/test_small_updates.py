"""Small index updates are encoded by the ONNX export: same vectors, and torch never loads."""

import numpy as np
import pytest

from index.build import build_index
from index.onnx_encoder import ONNX_DIR
from index.search import Searcher
from index.small_updates import SmallUpdateEmbedder
from tests.helpers import write_article

pytestmark = pytest.mark.integration


class NoFullModel:
    """Stands in for sentence-transformers and fails if a small update reaches it."""

    def __init__(self, real):
        self.name, self.dim = real.name, real.dim
        self.loaded = False

    def load(self):
        self.loaded = True

    def encode_documents(self, texts, batch_size=32, progress=None):
        raise AssertionError(f"the full model was asked to encode {len(texts)} texts")

    def encode_query(self, text):
        raise AssertionError("the full model was asked to encode a query")


def test_one_new_article_is_encoded_without_the_full_model(
    tmp_path, small_corpus, real_embedder, counter
):
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, real_embedder, counter)  # also exports the ONNX model
    assert (index_dir / ONNX_DIR / "model.onnx").is_file()
    text = "Baidu said its AI Cloud revenue rose 27% in the second quarter of 2025."
    write_article(small_corpus, "baidu.md", "Baidu AI Cloud", text)
    guard = NoFullModel(real_embedder)
    report = build_index(small_corpus, index_dir, SmallUpdateEmbedder(guard, index_dir), counter)
    assert report.encoded >= 1 and not guard.loaded
    hit = Searcher(index_dir, real_embedder).search("Baidu AI Cloud revenue growth", k=1)[0]
    assert hit.path == "baidu.md"
    (expected,) = real_embedder.encode_documents([f"Baidu AI Cloud\n{text}"])
    got = SmallUpdateEmbedder(guard, index_dir).encode_documents([f"Baidu AI Cloud\n{text}"])[0]
    assert float(np.dot(expected, got)) >= 0.9999


def test_large_batches_and_missing_exports_use_the_full_model(tmp_path, fake_embedder):
    embedder = SmallUpdateEmbedder(fake_embedder, tmp_path / "no-index", small=2)
    embedder.encode_documents(["one text"])  # no export here: the full model encodes
    assert fake_embedder.documents_encoded == 1
    embedder.encode_documents(["a", "b", "c"])
    assert fake_embedder.documents_encoded == 4
