"""Stored BM25 impacts: keyword search over them must rank exactly as FTS5 does."""

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from index import impacts
from index.build import build_index
from index.impacts import add_scores
from index.keyword import TermStats, keyword_search
from index.search import Searcher
from index.store import current_version
from index.terms import FtsTokenizer

BUNDLED = Path(__file__).resolve().parents[1] / "corpus"
QUESTIONS = [
    "How much is Alibaba investing in AI and cloud infrastructure?",
    "Tencent capital expenditure 2024",
    "What did Microsoft say about Azure revenue growth in the quarter?",
    "Which companies raised AI spending guidance, and by how many billion dollars?",
    "Nvidia data center revenue",
    "9988.HK share buyback",
    "Did e-commerce sales increase year-over-year?",  # a phrase; "increase" stems unstably
    "Which companies repurchased shares in the second quarter?",
]


@pytest.fixture(scope="module")
def stored_index(tmp_path_factory):
    """The bundled corpus indexed with impacts stored for every term in more than one chunk."""
    from index.tokens import default_counter
    from tests.helpers import FakeEmbedder

    root = tmp_path_factory.mktemp("impacts") / "idx"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impacts, "MIN_DF", 1)
        build_index(BUNDLED, root, FakeEmbedder(), default_counter())
    return Searcher(root, FakeEmbedder())


def _exact(files) -> TermStats:
    stats = TermStats(files)
    stats.impacts.weights = None  # as if nothing were stored: every term goes to FTS5
    return stats


def test_tokenizer_splits_and_stems_like_the_index():
    tokenizer = FtsTokenizer()
    assert tokenizer.tokens("Revenues") == ("revenu",)
    assert tokenizer.tokens("9988.HK") == ("9988", "hk")
    assert tokenizer.tokens("Café, 1,577") == ("cafe", "1", "577")
    assert tokenizer.tokens("") == ()


def test_common_terms_are_stored_and_the_commonest_left_out(stored_index):
    files = stored_index.files
    total = files.manifest.chunks
    stored = stored_index.term_stats.impacts
    tokens = [row[0] for row in files.query("SELECT token FROM term_impacts")]
    assert len(tokens) > 50
    for token in tokens:
        df, rowids, scores = stored.lookup(token)
        assert 1 < df <= 0.5 * total and len(rowids) == df == len(set(rowids.tolist()))
        assert len(scores) == df and (scores > 0).all() and rowids.max() < total
    # "alibaba" is in many chunks; "the" in more than half, never searched, so never stored.
    assert files.query("SELECT 1 FROM term_impacts WHERE token = 'alibaba'")
    assert not files.query("SELECT 1 FROM term_impacts WHERE token = 'the'")
    # Phrases, as `e-commerce` is searched, and stems that stem again ("increas" -> "increa").
    for key in ("e commerc", "second quarter", "increas", "repurchas"):
        assert files.query("SELECT 1 FROM term_impacts WHERE token = ?", (key,)), key


@pytest.mark.parametrize("question", QUESTIONS)
def test_search_over_stored_impacts_ranks_as_fts5_does(stored_index, question):
    files = stored_index.files
    fast = keyword_search(files, question, 1000, None, (1.0, 1.0), TermStats(files), 0.5)
    exact = keyword_search(files, question, 1000, None, (1.0, 1.0), _exact(files), 0.5)
    assert len(fast) > 5
    # Every matching chunk, each with FTS5's own score, in FTS5's order.
    assert dict(fast) == pytest.approx(dict(exact), rel=1e-4)
    assert [s for _, s in fast] == pytest.approx([s for _, s in exact], rel=1e-4)


def test_the_stored_path_is_taken_only_with_the_weights_it_was_stored_for(
    stored_index, monkeypatch
):
    files = stored_index.files
    stats = TermStats(files)
    calls = []
    real = impacts.add_scores
    monkeypatch.setattr("index.keyword.add_scores", lambda *a: calls.append(1) or real(*a))
    keyword_search(files, "Alibaba cloud", 10, None, (1.0, 1.0), stats, 0.5)
    keyword_search(files, "Alibaba cloud", 10, [0, 1, 2, 3], (1.0, 1.0), stats, 0.5)
    assert len(calls) == 2  # default weights, filtered or not: the stored impacts serve
    calls.clear()
    keyword_search(files, "Alibaba cloud", 10, None, (2.0, 1.0), stats, 0.5)
    assert not calls  # other column weights: FTS5 scores every term


@pytest.mark.parametrize("question", QUESTIONS[:4])
def test_a_filter_masks_stored_impacts_exactly(stored_index, question):
    files = stored_index.files
    everything = keyword_search(files, question, 1000, None, (1.0, 1.0), _exact(files), 0.5)
    allowed = sorted(rowid for rowid, _ in everything)[::3]
    fast = keyword_search(files, question, 1000, allowed, (1.0, 1.0), TermStats(files), 0.5)
    exact = keyword_search(files, question, 1000, allowed, (1.0, 1.0), _exact(files), 0.5)
    assert fast and {r for r, _ in fast} <= set(allowed)
    assert dict(fast) == pytest.approx(dict(exact), rel=1e-4)
    assert dict(fast) == pytest.approx({r: s for r, s in everything if r in set(allowed)}, rel=1e-4)


def test_a_small_index_stores_nothing_and_searches_with_fts5(tmp_path, fake_embedder, counter):
    root = tmp_path / "idx"
    build_index(BUNDLED, root, fake_embedder, counter)  # MIN_DF 1000: no term is that common
    files = Searcher(root, fake_embedder).files
    assert files.query("SELECT count(*) FROM term_impacts")[0][0] == 0
    stats = TermStats(files)
    assert stats.stored("alibaba") is None
    assert keyword_search(files, "Alibaba cloud", 5, None, (1.0, 1.0), stats, 0.5)


def test_an_index_written_before_impacts_existed_still_searches(tmp_path, fake_embedder, counter):
    root = tmp_path / "idx"
    build_index(BUNDLED, root, fake_embedder, counter)
    db = sqlite3.connect(current_version(root) / "meta.sqlite")
    db.executescript("DROP TABLE term_impacts; DROP TABLE term_impacts_config;")
    db.close()
    searcher = Searcher(root, fake_embedder)
    assert searcher.term_stats.impacts.min_df is None
    assert searcher.search("How much is Alibaba investing in AI?", 3)


def test_a_missing_impacts_file_means_fts5_scores_everything(tmp_path, fake_embedder, counter):
    root = tmp_path / "idx"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impacts, "MIN_DF", 1)
        build_index(BUNDLED, root, fake_embedder, counter)
    (current_version(root) / impacts.IMPACTS_FILE).unlink()
    files = Searcher(root, fake_embedder).files
    stats = TermStats(files)
    assert not stats.impacts.usable((1.0, 1.0)) and stats.stored("alibaba") is None
    found = keyword_search(files, "Alibaba cloud", 5, None, (1.0, 1.0), stats, 0.5)
    assert found == keyword_search(files, "Alibaba cloud", 5, None, (1.0, 1.0), _exact(files), 0.5)


def test_add_scores_sums_per_row_and_keeps_the_best():
    parts = [
        (np.array([3, 1, 7], dtype=np.int32), np.array([1.0, 2.0, 0.5], dtype=np.float32)),
        (np.array([7, 3]), np.array([2.0, 1.0])),
    ]
    assert add_scores(parts, 10, 2) == [(7, 2.5), (1, 2.0)]  # a tie at the cut: lower rowid
    assert add_scores(parts, 10, 5) == [(7, 2.5), (1, 2.0), (3, 2.0)]
    assert add_scores([], 10, 5) == [] and add_scores(parts, 10, 0) == []
