"""The vector index factory: type choice, IVF recall, memory-mapped reload, filters, manifest."""

import faiss
import numpy as np
import pytest

from index import ann
from index.build import build_index
from index.filters import SearchFilter
from index.search import Searcher
from index.store import current_version, read_manifest


def clustered(n: int, dim: int = 32, clusters: int = 40, seed: int = 1) -> np.ndarray:
    """Normalised vectors around random centres: neighbour structure like real embeddings."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    x = centres[rng.integers(0, clusters, n)] + 0.35 * rng.normal(size=(n, dim))
    x = x.astype(np.float32)
    faiss.normalize_L2(x)
    return x


def test_index_type_grows_with_the_corpus():
    assert ann.choose_index_type(10) == "flat"
    assert ann.choose_index_type(ann.EXACT_MAX) == "flat"
    assert ann.choose_index_type(ann.EXACT_MAX + 1) == "sq8"
    assert ann.choose_index_type(ann.SCAN_MAX) == "sq8"
    assert ann.choose_index_type(ann.SCAN_MAX + 1).startswith("ivf")
    assert ann.choose_index_type(1_000_000) == "ivf1024_sq8"


def test_sq8_scan_is_near_exact_and_four_times_smaller(tmp_path):
    x = clustered(3000)
    exact, _ = ann.build_ann(x, 32, "flat")
    sq8, kind = ann.build_ann(x, 32, "sq8")
    faiss.write_index(sq8, str(tmp_path / "v.faiss"))
    loaded = ann.read_ann(tmp_path / "v.faiss")
    _, truth = exact.search(x[:50], 10)
    _, got = ann.search(loaded, x[:50], 10)
    assert np.mean([len(set(t) & set(g)) / 10 for t, g in zip(truth, got, strict=True)]) >= 0.95
    assert ann.vector_bytes(loaded) * 4 == ann.vector_bytes(exact)


def test_ivf_recall_against_exact_and_mmap_reload(tmp_path):
    x = clustered(4000)
    queries = x[:50] + 0.05
    exact, _ = ann.build_ann(x, 32, "flat")
    ivf, kind = ann.build_ann(x, 32, "ivf32_sq8")
    assert kind == "ivf32_sq8" and ivf.nprobe == ann.MIN_NPROBE
    _, truth = exact.search(queries, 10)
    _, got = ivf.search(queries, 10)
    recall = np.mean([len(set(t) & set(g)) / 10 for t, g in zip(truth, got, strict=True)])
    assert recall >= 0.95
    faiss.write_index(ivf, str(tmp_path / "v.faiss"))
    loaded = ann.read_ann(tmp_path / "v.faiss")
    assert loaded.nprobe == ivf.nprobe
    assert np.array_equal(loaded.search(queries, 10)[1], got)
    assert ann.vector_bytes(loaded) < ann.vector_bytes(exact) / 3


@pytest.mark.parametrize("kind", ["flat", "sq8", "ivf32_sq8"])
def test_adding_in_shards_builds_the_same_index(kind, monkeypatch):
    x = clustered(4000)
    whole, _ = ann.build_ann(x, 32, kind)
    monkeypatch.setattr(ann, "ADD_SHARD", 333)  # 13 shards, the last one short
    sharded, _ = ann.build_ann(x, 32, kind)
    assert sharded.ntotal == len(x)
    assert np.array_equal(faiss.serialize_index(sharded), faiss.serialize_index(whole))


def test_shards_added_apart_merge_into_the_same_ivf_index():
    x = clustered(4000)
    whole, _ = ann.build_ann(x, 32, "ivf32_sq8")
    trained = ann.trained_ann(x, 32, "ivf32_sq8")
    shards = [faiss.clone_index(trained) for _ in range(3)]  # as three workers would fill them
    for shard, part in zip(shards, np.array_split(x, 3), strict=True):
        shard.add(part)
    for shard in shards:
        trained.merge_from(shard, trained.ntotal)  # ids continue where the last shard ended
    assert np.array_equal(faiss.serialize_index(trained), faiss.serialize_index(whole))


@pytest.mark.parametrize("kind", ["flat", "sq8", "ivf32_sq8"])
def test_filtered_search_finds_only_and_all_allowed_neighbours(kind):
    x = clustered(4000)
    index, _ = ann.build_ann(x, 32, kind)
    allowed = np.arange(100, 4000, 97)  # 41 scattered rows, about 1% of the index
    _, ids = index.search(x[:5], 5, params=ann.search_params(index, allowed))
    for query, row in zip(x[:5], ids, strict=True):
        assert set(row) <= set(allowed)
        best = allowed[np.argsort(-(x[allowed] @ query))[:5]]
        assert set(row) == set(best)  # a selective filter probes every list it needs


def test_unknown_type_and_too_few_vectors_are_refused():
    with pytest.raises(ValueError, match="unknown index type"):
        ann.build_ann(clustered(10), 32, "hnsw")
    with pytest.raises(ValueError, match="at least 64"):
        ann.build_ann(clustered(10), 32, "ivf64_sq8")


def test_manifest_records_the_chosen_type(small_corpus, tmp_path, fake_embedder, counter):
    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    assert read_manifest(tmp_path / "idx").index_type == "flat"
    assert (current_version(tmp_path / "idx") / "vectors.faiss").is_file()


def test_searcher_filters_work_on_an_ivf_index(
    small_corpus, tmp_path, fake_embedder, counter, monkeypatch
):
    monkeypatch.setattr(ann, "choose_index_type", lambda n: "ivf2_sq8")
    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    searcher = Searcher(tmp_path / "idx", fake_embedder)
    assert searcher.manifest.index_type == "ivf2_sq8"
    hits = searcher.search("Alibaba AI cloud", k=1, filters=SearchFilter(tickers=["tcehy"]))
    assert [h.path for h in hits] == ["tencent.md"]
    assert searcher.search("Alibaba cloud", k=1)[0].path == "alibaba.md"


@pytest.mark.parametrize("kind", ["flat", "sq8", "ivf16_sq8"])
def test_similarities_score_rows_as_a_search_does(tmp_path, kind):
    x = clustered(2000)
    index, _ = ann.build_ann(x, 32, kind)
    faiss.write_index(index, str(tmp_path / "v.faiss"))
    loaded = ann.read_ann(tmp_path / "v.faiss")  # memory-mapped, as a Searcher loads it
    query = x[7]
    scores, ids = ann.search(loaded, query.reshape(1, -1), 20)
    assert ann.similarities(loaded, query, ids[0]) == pytest.approx(scores[0], abs=1e-5)
    far = np.array([1999, 3])  # rows the search did not return get their score too
    assert ann.similarities(loaded, query, far) == pytest.approx(x[far] @ query, abs=0.02)
    assert len(ann.similarities(loaded, query, np.array([], dtype=np.int64))) == 0
