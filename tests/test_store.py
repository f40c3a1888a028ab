"""Index round trip, validation on load, and atomic replacement of a good index."""

import pytest

from index.build import build_index, ensure_index
from index.errors import CorruptIndex, EmptyCorpus, IndexNotBuilt, ModelMismatch
from index.search import Searcher
from index.store import current_version
from tests.helpers import FakeEmbedder, write_article


def test_round_trip(small_corpus, tmp_path, fake_embedder, counter):
    report = build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    assert report.articles == 4 and report.chunks >= 4
    searcher = Searcher(tmp_path / "idx", fake_embedder)
    hits = searcher.search("Tencent capital expenditure", k=3)
    assert hits[0].path == "tencent.md"
    assert hits[0].published.isoformat() == "2025-03-19"
    assert all(h.text in (small_corpus / h.path).read_text() for h in hits)
    assert searcher.manifest.model_name == fake_embedder.name
    assert searcher.stats()["articles"] == 4


def test_k_larger_than_index_drops_missing_ids(small_corpus, tmp_path, fake_embedder, counter):
    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    hits = Searcher(tmp_path / "idx", fake_embedder).search("Alibaba", k=500)
    assert 0 < len(hits) < 500
    assert len({h.chunk_id for h in hits}) == len(hits)


def test_model_mismatch(small_corpus, tmp_path, fake_embedder, counter):
    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    with pytest.raises(ModelMismatch, match="investor-qa index"):
        Searcher(tmp_path / "idx", FakeEmbedder(name="other/model"))
    with pytest.raises(ModelMismatch):
        Searcher(tmp_path / "idx", FakeEmbedder(dim=128))


def test_missing_index_is_a_clear_error(tmp_path, fake_embedder):
    with pytest.raises(IndexNotBuilt, match=str(tmp_path / "nothing")):
        Searcher(tmp_path / "nothing", fake_embedder)


@pytest.mark.parametrize("victim", ["manifest.json", "vectors.faiss", "meta.sqlite"])
def test_corrupt_index_names_the_directory_and_the_fix(
    small_corpus, tmp_path, fake_embedder, counter, victim
):
    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    (current_version(tmp_path / "idx") / victim).write_bytes(b"garbage")
    with pytest.raises(CorruptIndex) as err:
        Searcher(tmp_path / "idx", fake_embedder)
    assert str(tmp_path / "idx") in str(err.value)
    assert "investor-qa index" in str(err.value)


def test_misaligned_rows_are_detected(small_corpus, tmp_path, fake_embedder, counter):
    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    manifest = current_version(tmp_path / "idx") / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"chunks": ', '"chunks": 1'))
    with pytest.raises(CorruptIndex, match="vectors"):
        Searcher(tmp_path / "idx", fake_embedder)


class ExplodingEmbedder(FakeEmbedder):
    def encode_documents(self, texts, batch_size=32, progress=None):
        raise RuntimeError("killed mid-embed")


def test_failed_build_leaves_the_old_index(small_corpus, tmp_path, fake_embedder, counter):
    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    before = current_version(tmp_path / "idx")
    write_article(small_corpus, "new.md", "New", "Brand new text about Nvidia.")
    with pytest.raises(RuntimeError):
        build_index(small_corpus, tmp_path / "idx", ExplodingEmbedder(), counter)
    assert current_version(tmp_path / "idx") == before
    hits = Searcher(tmp_path / "idx", fake_embedder).search("Alibaba cloud", k=2)
    assert hits and hits[0].path == "alibaba.md"


def test_failed_write_leaves_no_partial_version(
    small_corpus, tmp_path, fake_embedder, counter, monkeypatch
):
    import index.store as store

    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    before = sorted(p.name for p in (tmp_path / "idx").iterdir())

    def broken_write(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store.faiss, "write_index", broken_write)
    with pytest.raises(OSError):
        build_index(small_corpus, tmp_path / "idx", fake_embedder, counter, batch_size=7)
    assert sorted(p.name for p in (tmp_path / "idx").iterdir()) == before
    assert Searcher(tmp_path / "idx", fake_embedder).search("Tencent", k=1)


def test_ensure_index_rebuilds_only_when_the_corpus_changes(
    small_corpus, tmp_path, fake_embedder, counter
):
    assert ensure_index(small_corpus, tmp_path / "idx", fake_embedder, counter) is not None
    assert ensure_index(small_corpus, tmp_path / "idx", fake_embedder, counter) is None
    write_article(small_corpus, "new.md", "New", "Nvidia data center revenue rose.")
    report = ensure_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    assert report is not None and report.articles == 5


def test_empty_corpus(tmp_path, fake_embedder, counter):
    (tmp_path / "c").mkdir()
    with pytest.raises(EmptyCorpus):
        build_index(tmp_path / "c", tmp_path / "idx", fake_embedder, counter)


def test_filters_apply_inside_the_search(small_corpus, tmp_path, fake_embedder, counter):
    from datetime import date

    from index.filters import SearchFilter

    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    searcher = Searcher(tmp_path / "idx", fake_embedder)
    # k=1 and a question that matches Alibaba best: the filter must still find Tencent's passage.
    hits = searcher.search("Alibaba AI cloud", k=1, filters=SearchFilter(tickers=["tcehy"]))
    assert [h.path for h in hits] == ["tencent.md"]
    assert searcher.search("Alibaba", k=5, filters=SearchFilter(since=date(2026, 1, 1))) == []
    recent = searcher.search("cloud", k=5, filters=SearchFilter(since=date(2025, 6, 1)))
    assert {h.path for h in recent} == {"alibaba.md"}
    by_source = searcher.search("cloud", k=5, filters=SearchFilter(sources=["sample wire"]))
    assert {h.path for h in by_source} == {"alibaba.md", "tencent.md"}


def test_rebuild_reencodes_only_new_text(small_corpus, tmp_path, fake_embedder, counter):
    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    first = fake_embedder.documents_encoded
    write_article(small_corpus, "new.md", "New", "Nvidia data center revenue rose.")
    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    assert fake_embedder.documents_encoded == first + 1
