"""Collections in the index: derived from the top folder, stored, and masked exactly in search."""

import sqlite3

import numpy as np
import pytest

from index.ann import similarities
from index.build import build_index
from index.collections import collection_overview
from index.filters import SearchFilter, allowed_rowids
from index.load import collection_of, load_corpus
from index.scope import known_companies
from index.search import Searcher
from index.store import current_version
from tests.helpers import FakeEmbedder, write_article

MEMO = "Project Aurora values the target at exactly 417.3 million dollars in cash."


@pytest.fixture
def walled_corpus(tmp_path):
    """Public news, root articles (default) and one restricted memo with a unique figure."""
    corpus = tmp_path / "corpus"
    (corpus / "news").mkdir(parents=True)
    (corpus / "deal-aurora" / "notes").mkdir(parents=True)
    for i in range(12):
        write_article(
            corpus / "news",
            f"n{i}.md",
            f"Cloud revenue note {i}",
            f"Cloud revenue grew {10 + i}% at company {i}. The target price was raised.",
            tickers="[NEWS]",
        )
    write_article(corpus, "root.md", "Root article", "The target was acquired for 12 million.")
    write_article(
        corpus / "deal-aurora",
        "memo.md",
        "Aurora deal memo",
        MEMO,
        tickers="[AURX]",
        collection="news",  # front matter cannot move an article out of its folder
    )
    write_article(
        corpus / "deal-aurora" / "notes", "call.md", "Expert call", "The target has 40 staff."
    )
    return corpus


@pytest.fixture
def walled_index(walled_corpus, tmp_path, counter):
    build_index(walled_corpus, tmp_path / "index", FakeEmbedder(), counter)
    return Searcher(tmp_path / "index", FakeEmbedder())


def test_collection_is_the_top_folder_never_front_matter(walled_corpus):
    by_path = {a.path: a.collection for a in load_corpus(walled_corpus).articles}
    assert by_path["deal-aurora/memo.md"] == "deal-aurora"
    assert by_path["deal-aurora/notes/call.md"] == "deal-aurora"
    assert by_path["news/n0.md"] == "news" and by_path["root.md"] == "default"
    assert collection_of("x.jsonl#L3") == "default"
    assert collection_of("deal/x.jsonl#L3") == "deal"


def test_the_access_file_is_never_an_article(walled_corpus):
    (walled_corpus / "access.yml").write_text("collections: {news: {public: true}}\n")
    result = load_corpus(walled_corpus)
    assert all("access" not in a.path for a in result.articles) and result.warnings == []


def test_the_same_text_is_kept_once_per_collection(tmp_path):
    corpus = tmp_path / "c"
    (corpus / "a").mkdir(parents=True)
    (corpus / "b").mkdir()
    for folder in ("a", "b"):
        write_article(corpus / folder, "x.md", "Same", "Revenue rose 5% this year.")
    write_article(corpus / "a", "y.md", "Same again", "Revenue rose 5% this year.")
    result = load_corpus(corpus)
    assert sorted(a.path for a in result.articles) == ["a/x.md", "b/x.md"]
    assert result.warnings == ["a/y.md: same text as a/x.md, indexed once (kept a/x.md)"]


def test_collections_are_stored_on_articles_and_chunks(walled_index):
    files = walled_index.files
    articles = dict(files.query("SELECT path, collection FROM articles"))
    assert articles["deal-aurora/memo.md"] == "deal-aurora"
    mismatched = files.query(
        "SELECT count(*) FROM chunks c JOIN articles a ON a.id = c.article_id"
        " WHERE c.collection != a.collection"
    )
    assert mismatched[0][0] == 0
    hit = walled_index.search(MEMO, k=1)[0]
    assert hit.collection == "deal-aurora"


def test_a_masked_search_never_returns_another_collection_and_is_never_empty(walled_index):
    public = SearchFilter(collections=frozenset({"news", "default"}))
    for k in (1, 3, 13):  # 13 public passages in all
        hits = walled_index.search(MEMO, k=k, filters=public)
        assert len(hits) == k and all(h.collection != "deal-aurora" for h in hits)
    assert walled_index.search("417.3 million", k=5, filters=public)  # still answers something
    assert walled_index.search(MEMO, k=5, filters=SearchFilter(collections=frozenset())) == []


def test_a_masked_dense_search_equals_brute_force_over_the_collection(walled_index):
    query = FakeEmbedder().encode_query("what is the target worth")
    allowed = walled_index.allowed(SearchFilter(collections=frozenset({"deal-aurora"})))
    scores = similarities(walled_index.files.vectors, query, allowed)
    expected = [int(allowed[i]) for i in np.argsort(-scores, kind="stable")[:2]]
    got = [r for r, _ in walled_index.dense_ranked(query, 2, allowed)]
    assert got == expected


def test_the_memory_mask_matches_the_sql_filter(walled_index):
    for readable in ({"news"}, {"deal-aurora", "default"}, set(), {"missing"}):
        flt = SearchFilter(collections=frozenset(readable))
        from_memory = walled_index.allowed(flt)
        from_sql = allowed_rowids(walled_index.files, flt)
        assert sorted(from_memory.tolist()) == sorted(from_sql.tolist())
    everything = SearchFilter(collections=frozenset({"news", "default", "deal-aurora"}))
    assert walled_index.allowed(everything) is None  # nothing to mask: full speed


def test_collection_and_ticker_filters_combine(walled_index):
    flt = SearchFilter(tickers=["AURX"], collections=frozenset({"news"}))
    assert walled_index.search(MEMO, k=5, filters=flt) == []
    flt = SearchFilter(tickers=["AURX"], collections=frozenset({"deal-aurora"}))
    assert [h.path for h in walled_index.search(MEMO, k=5, filters=flt)] == ["deal-aurora/memo.md"]


def test_companies_and_overview_only_count_readable_collections(walled_index):
    files = walled_index.files
    public = frozenset({"news", "default"})
    assert [c.tickers for c in known_companies(files, None, public)] == [["NEWS"]]
    assert {"AURX", "NEWS"} == {t for c in known_companies(files, None) for t in c.tickers}
    overview = collection_overview(files, public)
    assert overview["tickers"] == ["NEWS"] and overview["articles"] == 13
    assert overview["collections"] == {"default": 1, "news": 12}
    assert collection_overview(files, None)["collections"]["deal-aurora"] == 2


def test_an_index_from_before_collections_reads_them_from_the_path(walled_index, tmp_path):
    db = current_version(tmp_path / "index") / "meta.sqlite"
    walled_index.files.close()
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE articles DROP COLUMN collection")
    old = Searcher(tmp_path / "index", FakeEmbedder())
    assert old.files.collection_sql != "a.collection"
    hits = old.search(MEMO, k=20, filters=SearchFilter(collections=frozenset({"news"})))
    assert hits and {h.collection for h in hits} == {"news"}
    assert old.search(MEMO, k=1)[0].collection == "deal-aurora"


def test_the_mask_is_right_when_an_articles_chunks_are_not_one_run(tmp_path):
    from index.collections import CollectionMask
    from index.models import Article, Chunk
    from index.store import IndexFiles, Manifest, publish, write_version

    articles = [
        Article(id=f"a{i}", path=f"{name}/{i}.md", title=name, text="x", collection=name)
        for i, name in enumerate(["news", "deal", "news"])
    ]
    order = ["a0", "a1", "a0", "a2", "a1", "a1"]  # rowids 0..5, interleaved
    chunks = [
        Chunk(id=f"c{i}", article_id=a, ordinal=i, start=0, end=1, text="x", n_tokens=3)
        for i, a in enumerate(order)
    ]
    vectors = np.eye(6, 8, dtype=np.float32)
    manifest = Manifest(model_name="m", dim=8, chunker={}, articles=3, chunks=6,
                        corpus_fingerprint="f", built_at="-", build_seconds=0.0)  # fmt: skip
    publish(tmp_path, write_version(tmp_path, articles, chunks, vectors, manifest))
    mask = CollectionMask(IndexFiles(tmp_path, "m", 8))
    assert mask.rowids(frozenset({"deal"})).tolist() == [1, 4, 5]
    assert mask.rowids(frozenset({"news"})).tolist() == [0, 2, 3]
    assert mask.rowids(frozenset({"news", "deal"})) is None
