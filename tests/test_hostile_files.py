"""Files built to break ingestion: each costs one warning, and the files beside it are indexed."""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.build import build_index
from index.chunk import ChunkerSettings, chunk_article
from index.ingest import add_files
from index.load import load_corpus
from index.scope import read_aliases
from index.search import Searcher
from index.settings import IndexSettings
from tests.helpers import ROOT, FakeEmbedder, write_article

GOOD = "Kappa Foods raised its outlook to 7% sales growth after a strong snacks quarter."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_article(folder, "good.md", "Kappa outlook", GOOD)
    return folder


def indexed(index_dir: Path) -> dict[str, str]:
    files = Searcher(index_dir, FakeEmbedder()).files
    return {row["path"]: row["title"] for row in files.query("SELECT path, title FROM articles")}


def page(json_ld: str, title: str) -> str:
    return (
        f"<html><head><title>{title}</title>"
        f'<script type="application/ld+json">{json_ld}</script></head><body><article>'
        f"<p>{title} reported revenue of $4.2 billion, up 9% from a year earlier, and raised "
        "its dividend by 5% for the coming year.</p></article></body></html>"
    )


JSON_LD = {
    "null.html": "null",
    "graph-number.html": '{"@graph": 1}',
    "graph-items.html": '{"@graph": [null, 1, "x", {"datePublished": 5, "author": {"name": 7}}]}',
    "number.html": "42",
    "nested.html": "[" * 100_000,
    "author-list.html": '[{"datePublished": "2025-04-01", "author": [null]}]',
}


def test_hostile_json_ld_never_stops_a_build(corpus, tmp_path, counter):
    for name, json_ld in JSON_LD.items():
        (corpus / name).write_text(page(json_ld, name.split(".")[0].title()))
    report = build_index(corpus, tmp_path / "index", FakeEmbedder(), counter)
    assert set(indexed(tmp_path / "index")) == {"good.md", *JSON_LD}  # the pages are fine
    assert report.warnings == []


@pytest.mark.parametrize(
    ("line", "bound_s"),
    [
        ("# a" + " " * 20_000 + "b", 1.0),  # cubic in the old heading regex: hours
        ("." * 10_000 + "x", 3.0),  # quadratic in the old sentence-end regex: ~40 s here
    ],
    ids=["heading", "dots"],
)
def test_lines_that_made_regexes_backtrack_are_indexed_at_once(corpus, counter, line, bound_s):
    (corpus / "lines.md").write_text(f"{line}\n\nKappa Foods sold more snacks.\n{line}\n")
    (corpus / "plain.txt").write_text(f"Title\n{line}\nKappa Foods sold more snacks.\n")
    started = time.perf_counter()
    loaded = load_corpus(corpus)
    chunks = [c for a in loaded.articles for c in chunk_article(a, counter, ChunkerSettings())]
    # A correctness bound, not a benchmark (most of the time left is tokenizing the line).
    assert time.perf_counter() - started < bound_s
    assert {a.path for a in loaded.articles} == {"good.md", "lines.md", "plain.txt"}
    assert any("Kappa Foods sold more snacks." in c.text for c in chunks)


BOMB = "\n".join(
    [f'l0: &l0 ["{"x" * 8}", "{"x" * 8}", "{"x" * 8}", "{"x" * 8}"]']
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
)


def test_a_yaml_alias_bomb_in_front_matter_is_refused_with_a_warning(corpus):
    (corpus / "bomb.md").write_text(f"---\n{BOMB}\ntitle: *l9\n---\nKappa Foods bombs.\n")
    started = time.perf_counter()
    loaded = load_corpus(corpus)
    assert time.perf_counter() - started < 5  # never expanded: 9^9 lists of strings
    article = next(a for a in loaded.articles if a.path == "bomb.md")
    assert article.title == "bomb" and article.text == "Kappa Foods bombs."
    (warning,) = [w for w in loaded.warnings if w.startswith("bomb.md")]
    assert "anchors and aliases" in warning


def test_lists_and_mappings_where_one_value_belongs_are_ignored_with_a_warning(corpus):
    front = "title: {text: Kappa}\nsource: [A, B]\ntickers: [[KAP]]\npublished: 2025-03-01"
    (corpus / "odd.md").write_text(f"---\n{front}\n---\n# Kappa heading\nKappa Foods text.\n")
    loaded = load_corpus(corpus)
    article = next(a for a in loaded.articles if a.path == "odd.md")
    assert (article.title, article.source, article.tickers) == ("Kappa heading", None, [])
    assert article.published.isoformat() == "2025-03-01"
    (warning,) = [w for w in loaded.warnings if w.startswith("odd.md")]
    assert "ignored title, source, tickers (not a single value)" in warning


def test_an_alias_file_with_anchors_or_nested_values_is_refused(tmp_path, caplog):
    bombed, nested = tmp_path / "bombed.yml", tmp_path / "nested.yml"
    bombed.write_text(f"{BOMB}\nKappa: *l9\n")
    nested.write_text("Kappa: [KAP, [nested]]\nLambda: [LMB, Lambda Corp]\n")
    with caplog.at_level(logging.WARNING):
        assert read_aliases(bombed) == {}
        assert read_aliases(nested) == {"Lambda": ["LMB", "Lambda Corp"]}
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "anchors and aliases" in messages and "ignored Kappa" in messages


def test_links_leading_out_of_the_corpus_are_not_followed(corpus, tmp_path, counter):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\nThe payroll file says 42.\n")
    (corpus / "secret.md").symlink_to(outside / "secret.md")
    (corpus / "folder").symlink_to(outside, target_is_directory=True)
    (corpus / "inner.md").write_text("# Inner\nKappa Foods opened a plant.\n")
    (corpus / "inner-link.md").symlink_to(corpus / "inner.md")
    report = build_index(corpus, tmp_path / "index", FakeEmbedder(), counter)
    assert set(indexed(tmp_path / "index")) == {"good.md", "inner-link.md"}
    by_file = {w.split(":")[0]: w for w in report.warnings}
    assert "a link leading outside the corpus" in by_file["secret.md"]
    assert "not followed" in by_file["folder"]
    assert "same text as inner-link.md" in by_file["inner.md"]  # inside: followed


def test_add_never_writes_through_a_dangling_link(corpus, tmp_path):
    target = tmp_path / "elsewhere" / "planted.md"
    target.parent.mkdir()
    (corpus / "report.md").symlink_to(target)  # dangling: planted.md does not exist
    new = tmp_path / "inbox" / "report.md"
    new.parent.mkdir()
    new.write_text("# Kappa report\nKappa Foods doubled its snack capacity.\n")
    settings = IndexSettings(corpus_dir=corpus, index_dir=tmp_path / "index")
    report = add_files([new], settings, FakeEmbedder())
    assert [a.path for a in report.added] == ["report-2.md"]
    assert not target.exists() and (corpus / "report.md").is_symlink()


def run_add(corpus: Path, index_dir: Path, article: Path, **env) -> subprocess.Popen:
    args = [sys.executable, str(ROOT / "tests" / "fake_cli.py"), "add", str(article)]
    args += ["--corpus", str(corpus), "--index-dir", str(index_dir)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_builds_at_once_keep_both_articles(corpus, tmp_path, counter):
    build_index(corpus, tmp_path / "index", FakeEmbedder(), counter)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first = write_article(
        inbox, "lambda.md", "Lambda capex", "Lambda Corp doubled capex to $3 billion."
    )
    second = write_article(
        inbox, "mu.md", "Mu buyback", "Mu Holdings announced a $2 billion buyback."
    )
    signal, go = tmp_path / "embedding", tmp_path / "go"
    slow = run_add(corpus, tmp_path / "index", first, FAKE_CLI_PAUSE_AT="slow-embed",
                   FAKE_CLI_SIGNAL=str(signal), FAKE_CLI_SLOW_S="1.5")  # fmt: skip
    fast = run_add(corpus, tmp_path / "index", second, FAKE_CLI_WAIT_FOR=str(go))
    deadline = time.monotonic() + 60
    while not signal.exists() and slow.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert signal.exists(), slow.communicate()
    go.write_text("now")  # the second add starts while the first one embeds
    for process in (slow, fast):
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert {"lambda.md", "mu.md"} <= set(indexed(tmp_path / "index"))
    assert not list((tmp_path / "index").glob(".tmp-*"))
