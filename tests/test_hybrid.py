"""Keyword query building, rank fusion and the hybrid Searcher (fake embedder)."""

import sqlite3

import pytest

from index.build import build_index
from index.filters import SearchFilter
from index.fusion import FusionParams, fuse
from index.keyword import build_fts_query
from index.search import Searcher
from index.terms import fts_terms
from tests.helpers import FakeEmbedder, write_article


def test_terms_drop_question_words_and_keep_tickers_and_figures():
    terms = fts_terms(
        "How much did Alibaba's EBITA grow at 9988.HK, and what's Cainiao's $1,577.5?"
    )
    assert terms == ["alibaba", "ebita", "grow", "9988.hk", "cainiao", "1,577.5"]


def test_fiscal_years_also_search_the_plain_year():
    assert fts_terms("FY2018 capex for 3M") == ["fy2018", "2018", "capex", "3m"]
    assert fts_terms("Adobe FY22 revenue") == ["adobe", "fy22", "2022", "revenue"]


def test_query_escapes_fts_syntax_and_runs_in_sqlite():
    query = build_fts_query('revenue "NEAR" OR -loss: AND (EBITA*) col:x "')
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(context, text, tokenize='porter unicode61')")
    db.execute("INSERT INTO t VALUES ('Alibaba', 'EBITA near the loss of revenue')")
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (query,)).fetchone()[0] == 1
    assert build_fts_query("what is the?") is None


def test_fusion_rewards_agreement_and_weights_shift_the_order():
    dense = [(1, 0.9), (2, 0.8), (3, 0.7)]
    keyword = [(3, 12.0), (4, 9.0)]
    assert [r for r, _ in fuse(dense, keyword, FusionParams(rrf_k=1, dense_weight=1.0))][:2] == [
        3,
        1,
    ]
    heavy_dense = FusionParams(rrf_k=1, dense_weight=3.0)
    assert [r for r, _ in fuse(dense, keyword, heavy_dense)][:3] == [1, 3, 2]
    assert [r for r, _ in fuse(dense, [], FusionParams())] == [1, 2, 3]


def test_article_weight_lifts_chunks_whose_article_has_other_good_chunks():
    dense = [(1, 0.9), (2, 0.8), (3, 0.7)]
    keyword = [(1, 9.0), (3, 8.0), (2, 7.0)]
    article_of = {1: "lone", 2: "filing", 3: "filing"}
    plain = FusionParams(rrf_k=1, dense_weight=1.0, article_weight=0.0)
    assert [r for r, _ in fuse(dense, keyword, plain, article_of)][0] == 1
    lifted = plain.model_copy(update={"article_weight": 1.0})
    assert [r for r, _ in fuse(dense, keyword, lifted, article_of)] == [2, 3, 1]
    # A one-chunk article gets nothing from its (absent) siblings: the scores are unchanged.
    alone = {1: "a", 2: "b", 3: "c"}
    assert fuse(dense, keyword, lifted, alone) == fuse(dense, keyword, plain, alone)


def _index(tmp_path, embedder, counter):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_article(
        corpus,
        "cainiao.md",
        "Logistics unit update",
        "Cainiao narrowed its losses in the quarter as parcel volumes rose.",
        published="2025-05-01",
        tickers="[BABA]",
    )
    for i in range(3):
        write_article(
            corpus,
            f"other{i}.md",
            f"Logistics losses {i}",
            f"This is what a logistics company said to investors about its deficit, item {i}.",
            published="2025-06-01",
            tickers="[XYZ]",
        )
    build_index(corpus, tmp_path / "idx", embedder, counter)
    return Searcher(tmp_path / "idx", embedder)


def test_keyword_side_rescues_a_name_the_dense_side_misses(tmp_path, counter):
    # A fake model that cannot see the word "Cainiao" at all, like MiniLM blurring rare names.
    class BlindEmbedder(FakeEmbedder):
        def _vector(self, text):
            return super()._vector(text.replace("Cainiao", ""))

    searcher = _index(tmp_path, BlindEmbedder(), counter)
    question = "What happened to Cainiao?"
    query = searcher.embedder.encode_query(question)
    dense = searcher.dense_ranked(query, 10)
    assert searcher.hits_for(dense[:1])[0].path != "cainiao.md"
    hits = searcher.search(question, k=1)
    assert hits[0].path == "cainiao.md"
    assert hits[0].context == "Logistics unit update"
    # The hit keeps its dense cosine (what answer gating is calibrated on), not the fused score.
    assert hits[0].score == pytest.approx(dict(dense)[0], abs=1e-6)


def test_filters_restrict_the_keyword_side_too(tmp_path, counter, fake_embedder):
    searcher = _index(tmp_path, fake_embedder, counter)
    hits = searcher.search("What happened to Cainiao?", k=3, filters=SearchFilter(tickers=["XYZ"]))
    assert hits and all(h.tickers == ["XYZ"] for h in hits)
    keyword = searcher.keyword_ranked(
        "Cainiao", 10, searcher.allowed(SearchFilter(tickers=["XYZ"]))
    )
    assert keyword == []
    assert searcher.keyword_ranked("Cainiao", 10) != []


def test_filtered_keyword_search_equals_filtering_the_full_ranking(
    small_corpus, tmp_path, fake_embedder, counter
):
    from index.build import build_index
    from index.keyword import keyword_search
    from index.search import Searcher

    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    files = Searcher(tmp_path / "idx", fake_embedder).files
    everything = keyword_search(files, "Tencent Alibaba capital expenditure cloud", 100)
    allowed = sorted(rowid for rowid, _ in everything)[::2]
    filtered = keyword_search(
        files, "Tencent Alibaba capital expenditure cloud", 100, allowed=allowed
    )
    assert filtered == [pair for pair in everything if pair[0] in set(allowed)]
    assert filtered and len(filtered) < len(everything)


def test_dense_weighs_more_once_the_document_match_has_chosen_the_filing():
    # Two chunks of the one matching filing: dense puts 1 first, keyword puts 2 first.
    dense = [(1, 0.9), (2, 0.8)]
    keyword = [(2, 9.0), (1, 8.0)]
    params = FusionParams(rrf_k=1, dense_weight=0.5, matched_dense_weight=2.0, article_weight=0.0)
    # No match: the light dense weight, keyword's order wins.
    assert [r for r, _ in fuse(dense, keyword, params)] == [2, 1]
    # Both chunks' filing matches the question: the matched dense weight, dense's order wins.
    assert [r for r, _ in fuse(dense, keyword, params, None, {1: 0.0, 2: 0.0})] == [1, 2]
    # Without a match weight there is no document match, so the plain weight applies.
    off = params.model_copy(update={"match_weight": 0.0})
    assert [r for r, _ in fuse(dense, keyword, off, None, {1: 0.0, 2: 0.0})] == [2, 1]
