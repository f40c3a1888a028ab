"""The embedding cache: identical texts are encoded once, across builds and processes."""

import numpy as np

from index.embed_cache import EmbeddingCache, encode_with_cache


def test_cache_encodes_each_text_once(tmp_path, fake_embedder):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    texts = ["alpha beta", "gamma delta", "alpha beta"]
    first = encode_with_cache(fake_embedder, texts, cache)
    assert fake_embedder.documents_encoded == 2
    again = encode_with_cache(
        fake_embedder, texts + ["new text"], EmbeddingCache(tmp_path / "cache.sqlite")
    )
    assert fake_embedder.documents_encoded == 3
    np.testing.assert_allclose(again[:3], first)
    assert again.dtype == np.float32 and again.shape == (4, fake_embedder.dim)


def test_cache_is_per_model(tmp_path, fake_embedder):
    from tests.helpers import FakeEmbedder

    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    encode_with_cache(fake_embedder, ["same text"], cache)
    other = FakeEmbedder(name="other/model")
    encode_with_cache(other, ["same text"], cache)
    assert other.documents_encoded == 1
