"""The ONNX question encoder: same vectors as torch, no torch on the ask path, safe fallback."""

import json
import logging
import shutil
import subprocess
import sys

import numpy as np
import pytest

from index.embed import SentenceTransformerEmbedder
from index.load import load_corpus
from index.onnx_encoder import ONNX_DIR, OnnxEmbedder, ensure_onnx_export, query_embedder
from index.sentences import split_sentences
from tests.helpers import BUNDLED_CORPUS, ROOT, FakeEmbedder


@pytest.fixture(scope="module")
def export_dir(bundled_index):
    """The export that building the bundled index wrote beside its versions."""
    return bundled_index / "index" / ONNX_DIR


def hundred_texts(counter) -> list[str]:
    """Questions, short phrases and full-window chunks of the bundled corpus."""
    from index.chunk import ChunkerSettings, chunk_article

    articles = load_corpus(BUNDLED_CORPUS).articles
    chunks = [c.embed_text for a in articles for c in chunk_article(a, counter, ChunkerSettings())]
    short = [
        "Nvidia",
        "What did TSMC say about capex?",
        "净利润增长 12%",
        "",
        "Q3 FY2025 EPS $1.23",
    ]
    overflow = ["revenue " * 400]  # past the 256-token window: both must truncate alike
    titles = [f"What does {a.title!r} report?" for a in articles]
    sentences = [a.text[s:e] for a in articles for s, e in split_sentences(a.text)]
    return (short + overflow + chunks + titles + sentences)[:100]


@pytest.mark.integration
def test_onnx_and_torch_encoders_agree(export_dir, real_embedder, counter):
    texts = hundred_texts(counter)
    assert len(texts) == 100
    onnx = OnnxEmbedder(export_dir)
    assert (onnx.name, onnx.dim) == (real_embedder.name, real_embedder.dim)
    got = onnx.encode_documents(texts, batch_size=16)
    want = real_embedder.encode_documents(texts)
    cosines = np.sum(got * want, axis=1)
    assert cosines.min() >= 0.9999, cosines.min()
    question = "How much is Alibaba investing in AI?"
    assert float(onnx.encode_query(question) @ real_embedder.encode_query(question)) >= 0.9999


@pytest.mark.integration
def test_ask_does_not_import_torch(bundled_index):
    script = (
        "import sys; from bot.cli import main; "
        f"code = main(['ask', '--json', 'How much is Alibaba investing in AI?', "
        f"'--corpus', {str(bundled_index / 'corpus')!r}, "
        f"'--index-dir', {str(bundled_index / 'index')!r}]); "
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    answer_line, modules_line = result.stdout.strip().splitlines()
    assert json.loads(answer_line)["found"]
    assert modules_line == "False False"


def damage_probe(path):
    meta = json.loads((path / "probe.json").read_text())
    meta["vector"] = list(reversed(meta["vector"]))
    (path / "probe.json").write_text(json.dumps(meta))


def damage_model(path):
    (path / "model.onnx").write_bytes(b"not a model")


@pytest.mark.integration
@pytest.mark.parametrize("damage", [damage_probe, damage_model])
def test_a_damaged_export_falls_back_to_torch(export_dir, tmp_path, damage, caplog):
    index_dir = tmp_path / "idx"
    shutil.copytree(export_dir, index_dir / ONNX_DIR)
    damage(index_dir / ONNX_DIR)
    with caplog.at_level(logging.WARNING):
        embedder = query_embedder(index_dir, SentenceTransformerEmbedder())
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert "unusable" in caplog.text


def test_a_missing_export_falls_back_to_torch(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        embedder = query_embedder(tmp_path, SentenceTransformerEmbedder())
    assert isinstance(embedder, SentenceTransformerEmbedder)  # lazy: no model loaded here
    assert "unusable" in caplog.text


def test_only_sentence_transformers_models_are_exported(tmp_path):
    assert ensure_onnx_export(tmp_path, FakeEmbedder()) is None
    assert not (tmp_path / ONNX_DIR).exists()


@pytest.mark.integration
def test_index_command_restores_a_missing_export(bundled_index, tmp_path):
    from bot.cli import main

    index_dir = tmp_path / "idx"
    shutil.copytree(bundled_index / "index", index_dir)
    shutil.rmtree(index_dir / ONNX_DIR)
    where = ["--corpus", str(bundled_index / "corpus"), "--index-dir", str(index_dir)]
    assert main(["index", *where]) == 0
    assert isinstance(query_embedder(index_dir, SentenceTransformerEmbedder()), OnnxEmbedder)
