"""Small updates append in place: what a full rebuild would give, at the cost of what changed."""

import shutil

import pytest

from index import append, impacts
from index.build import build_index, ensure_index
from index.keyword import TermStats, keyword_search
from index.live import article_generations
from index.search import Searcher
from index.store import current_version
from index.update import index_new_files
from tests.helpers import BUNDLED_CORPUS, FakeEmbedder, kill_cli_at, write_article

QUESTIONS = [
    "How much is Alibaba investing in AI and cloud infrastructure?",
    "Tencent capital expenditure 2024",
    "Nvidia data center revenue in the quarter",
    "Which companies raised AI spending guidance?",
    "Zephyrine turbine orders",  # only in the appended articles
]


def new_articles(corpus):
    write_article(
        corpus,
        "zephyr-orders.md",
        "Zephyrine turbine orders jump",
        "Zephyrine booked turbine orders of $4.2 billion in the quarter. Alibaba cloud revenue "
        "grew 26% as AI demand rose. Capital expenditure reached $1.1 billion.",
        source="Sample Wire",
        published="2025-11-02",
        tickers="[ZPHR]",
    )
    write_article(
        corpus,
        "nvidia-update.md",
        "Nvidia data center update",
        "Nvidia said data center revenue reached $41.1 billion in the quarter, and AI spending "
        "by cloud providers kept rising.",
        source="Other Wire",
        published="2025-11-20",
        tickers="[NVDA]",
    )
    return ["zephyr-orders.md", "nvidia-update.md"]


@pytest.fixture
def corpus(tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, target)
    return target


def by_chunk(searcher, ranked):
    ids = {r["rowid"]: r["id"] for r in searcher.files.query("SELECT rowid, id FROM chunks")}
    return [(ids[rowid], score) for rowid, score in ranked]


@pytest.mark.parametrize("min_df", [1, 1000])  # postings for nearly every term, or none
def test_an_append_searches_exactly_as_a_full_rebuild(corpus, tmp_path, counter, min_df):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impacts, "MIN_DF", min_df)
        build_index(corpus, tmp_path / "appended", FakeEmbedder(), counter)
        paths = new_articles(corpus)
        report = index_new_files(corpus, tmp_path / "appended", paths, FakeEmbedder(), counter)
        build_index(corpus, tmp_path / "rebuilt", FakeEmbedder(), counter)
    assert report.appended and not report.merged and report.changes.added == 2
    appended = Searcher(tmp_path / "appended", FakeEmbedder())
    rebuilt = Searcher(tmp_path / "rebuilt", FakeEmbedder())
    assert appended.manifest.chunks == rebuilt.manifest.chunks > appended.files.base_rows
    for question in QUESTIONS:
        got = keyword_search(
            appended.files, question, 200, None, (1.0, 1.0), appended.term_stats, 0.5
        )
        want = keyword_search(
            rebuilt.files, question, 200, None, (1.0, 1.0), rebuilt.term_stats, 0.5
        )
        assert dict(by_chunk(appended, got)) == pytest.approx(
            dict(by_chunk(rebuilt, want)), rel=1e-5
        )
        assert appended.term_stats.frequency("cloud") == rebuilt.term_stats.frequency("cloud")
        # Dense (exact at this size): the same scores in the same order, and the same
        # passages wherever a score is not tied (the fake embedder scores many chunks 0.0,
        # and ties go by rowid, which differs: appended rows come last).
        query = FakeEmbedder().encode_query(question)
        got_dense = by_chunk(appended, appended.dense_ranked(query, 50))
        want_dense = by_chunk(rebuilt, rebuilt.dense_ranked(query, 50))
        assert [s for _, s in got_dense] == pytest.approx([s for _, s in want_dense], abs=1e-6)
        scores = [round(s, 6) for _, s in want_dense]
        untied = [i for i, s in enumerate(scores) if scores.count(s) == 1]
        assert [got_dense[i][0] for i in untied] == [want_dense[i][0] for i in untied]
        assert appended.search(question, 1)[0].chunk_id == rebuilt.search(question, 1)[0].chunk_id
    assert ensure_index(corpus, tmp_path / "appended", FakeEmbedder(), counter) is None  # fresh


def test_stored_postings_score_the_appended_rows_with_live_statistics(corpus, tmp_path, counter):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impacts, "MIN_DF", 1)
        build_index(corpus, tmp_path / "idx", FakeEmbedder(), counter)
        index_new_files(corpus, tmp_path / "idx", new_articles(corpus), FakeEmbedder(), counter)
    files = Searcher(tmp_path / "idx", FakeEmbedder()).files
    stats = TermStats(files)
    exact = TermStats(files)
    exact.impacts.weights = None  # everything through FTS5 on the live table
    for question in QUESTIONS[:4]:
        fast = keyword_search(files, question, 500, None, (1.0, 1.0), stats, 0.5)
        slow = keyword_search(files, question, 500, None, (1.0, 1.0), exact, 0.5)
        assert any(rowid >= files.base_rows for rowid, _ in fast), question
        assert dict(fast) == pytest.approx(dict(slow), rel=1e-5)


def test_a_reader_keeps_its_snapshot_until_it_reloads(corpus, tmp_path, counter):
    build_index(corpus, tmp_path / "idx", FakeEmbedder(), counter)
    old = Searcher(tmp_path / "idx", FakeEmbedder())
    before = old.manifest.model_dump()
    index_new_files(corpus, tmp_path / "idx", new_articles(corpus), FakeEmbedder(), counter)
    assert old.manifest.model_dump() == before
    assert old.files.query("SELECT count(*) FROM chunks")[0][0] == before["chunks"]
    assert all("zephyr" not in h.path for h in old.search("Zephyrine turbine orders", 5))
    fresh = Searcher(tmp_path / "idx", FakeEmbedder())
    assert fresh.manifest.generation == old.manifest.generation + 1
    assert fresh.search("Zephyrine turbine orders", 1)[0].path == "zephyr-orders.md"
    assert current_version(tmp_path / "idx") == old.files.version  # in place: same version


def test_generations_count_updates_and_survive_a_merge(corpus, tmp_path, counter, monkeypatch):
    build_index(corpus, tmp_path / "idx", FakeEmbedder(), counter)
    first = Searcher(tmp_path / "idx", FakeEmbedder()).manifest.generation
    index_new_files(corpus, tmp_path / "idx", new_articles(corpus)[:1], FakeEmbedder(), counter)
    monkeypatch.setattr(append, "MERGE_MIN_ROWS", 0)  # the next append passes the threshold
    monkeypatch.setattr(append, "MERGE_SHARE", 0.0)
    report = index_new_files(
        corpus, tmp_path / "idx", ["nvidia-update.md"], FakeEmbedder(), counter
    )
    assert report.appended and report.merged
    merged = Searcher(tmp_path / "idx", FakeEmbedder())
    assert merged.files.base_rows == merged.manifest.chunks  # folded into a new version
    ids = {r["path"]: r["id"] for r in merged.files.query("SELECT id, path FROM articles")}
    generations = article_generations(merged.files.query, list(ids.values()))
    assert generations[ids["zephyr-orders.md"]] == first + 1
    assert generations[ids["alibaba-ai-cloud-investment.md"]] == first
    assert generations[ids["nvidia-update.md"]] >= first + 2
    assert merged.manifest.generation == report.generation >= first + 3


def test_a_file_already_indexed_or_a_duplicate_text(corpus, tmp_path, counter):
    build_index(corpus, tmp_path / "idx", FakeEmbedder(), counter)
    (corpus / "copy.md").write_text((corpus / "tencent-ai-capex-2024.md").read_text())
    report = index_new_files(corpus, tmp_path / "idx", ["copy.md"], FakeEmbedder(), counter)
    assert report.appended and report.changes.added == 0
    assert any("copy.md: same text as tencent-ai-capex-2024.md" in w for w in report.warnings)
    # A path the index has is a change, not an append: a full build takes it.
    path = corpus / "tencent-ai-capex-2024.md"
    path.write_text(path.read_text() + "\nTencent added a note.\n")
    report = index_new_files(
        corpus, tmp_path / "idx", ["tencent-ai-capex-2024.md"], FakeEmbedder(), counter
    )
    assert not report.appended and report.changes.updated == 1


@pytest.mark.parametrize("step", ["append-rows", "append-state", "append-done"])
def test_kill_9_mid_append_leaves_a_loadable_index(step, corpus, tmp_path, counter):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, FakeEmbedder(), counter)
    before = Searcher(index_dir, FakeEmbedder()).manifest.chunks
    source = tmp_path / "incoming.md"
    write_article(tmp_path, "incoming.md", "Zephyrine orders", "Zephyrine booked $4.2 billion.")
    signal = tmp_path / "paused"
    kill_cli_at(
        step, ["add", str(source), "--corpus", str(corpus), "--index-dir", str(index_dir)], signal
    )
    searcher = Searcher(index_dir, FakeEmbedder())  # loads, whatever the step
    found = "incoming.md" in {r["path"] for r in searcher.files.query("SELECT path FROM articles")}
    assert found == (step == "append-done")
    assert searcher.manifest.chunks == before + (1 if found else 0)
    assert searcher.search("Zephyrine orders", 1)
    # The next look at the corpus brings the index up to date either way.
    ensure_index(corpus, index_dir, FakeEmbedder(), counter)
    paths = {
        r["path"]
        for r in Searcher(index_dir, FakeEmbedder()).files.query("SELECT path FROM articles")
    }
    assert "incoming.md" in paths
