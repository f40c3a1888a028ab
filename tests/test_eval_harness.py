"""The eval harness end to end on tiny hand-made data (fake embedder), and its CLI contract."""

import json

from bot.cli import main
from bot.eval.run import run_tatqa
from bot.eval.settings import EvalSettings
from index.fusion import FusionParams
from index.keyword import TermStats
from index.store import IndexFiles
from tests.helpers import FakeEmbedder


def _tatqa(root):
    data = root / "tatqa"
    (data / "qrels").mkdir(parents=True)
    passages = {
        "p1": "Annual revenue | 2019 | 2018\nCloud services | 1,200 | 900",
        "p2": "Annual report: the company adopted Topic 606 using the modified retrospective method.",
        "p3": "Annual report: employees numbered 3,400 at year end.",
    }
    (data / "corpus.jsonl").write_text(
        "\n".join(json.dumps({"_id": k, "title": "", "text": v}) for k, v in passages.items())
    )
    queries = {
        "q1": "What was cloud services revenue in 2019?",
        "q2": "Which method adopted Topic 606?",
    }
    (data / "queries.jsonl").write_text(
        "\n".join(json.dumps({"_id": k, "text": v}) for k, v in queries.items())
    )
    (data / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\tp1\t1\nq2\tp2\t1\n")


def test_tatqa_run_reports_every_system_and_reuses_the_cache(tmp_path, counter):
    _tatqa(tmp_path / "data")
    settings = EvalSettings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    embedder = FakeEmbedder()
    first = run_tatqa(settings, embedder, counter, FusionParams())
    assert set(first) == {"dense", "keyword", "hybrid"}
    for metrics in first.values():
        assert set(metrics) == {"ndcg@10", "recall@10", "mrr@10"}
        assert all(0.0 <= v <= 1.0 for v in metrics.values())
    assert first["keyword"]["mrr@10"] == 1.0  # both questions share rare words with their passage
    encoded = embedder.documents_encoded
    again = FakeEmbedder()
    assert run_tatqa(settings, again, counter, FusionParams()) == first
    assert encoded > 0 and again.documents_encoded == 0


def test_a_cached_index_of_an_older_format_is_rebuilt_from_cached_vectors(tmp_path, counter):
    from index.store import current_version

    _tatqa(tmp_path / "data")
    settings = EvalSettings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    first = run_tatqa(settings, FakeEmbedder(), counter, FusionParams())
    root = tmp_path / "cache" / "tatqa" / "indexes" / "tatqa"
    manifest = current_version(root) / "manifest.json"
    older = json.loads(manifest.read_text()) | {"format_version": 1}
    manifest.write_text(json.dumps(older))
    again = FakeEmbedder()
    assert run_tatqa(settings, again, counter, FusionParams()) == first  # no "old format" error
    assert again.documents_encoded == 0


def test_eval_skips_cleanly_without_data(tmp_path, capsys):
    code = main(["eval", "financebench", "--json", "--data-dir", str(tmp_path / "none")])
    out, err = capsys.readouterr()
    assert code == 0
    assert "skipped" in json.loads(out.strip().splitlines()[-1])
    assert "not found" in err


def test_frequent_terms_are_left_out_of_the_keyword_query(tmp_path, counter):
    _tatqa(tmp_path / "data")
    settings = EvalSettings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    run_tatqa(settings, FakeEmbedder(), counter, FusionParams())
    files = IndexFiles(tmp_path / "cache" / "tatqa" / "indexes" / "tatqa", "fake/bag-of-words", 384)
    stats = TermStats(files)
    # "annual" is in all three chunks, "employees" in one.
    assert stats.selective(["annual", "employees"], 0.5) == ["employees"]
    assert stats.selective(["annual", "employees"], 1.0) == ["annual", "employees"]
    assert stats.selective(["annual"], 0.5, keep_at_least=1) == ["annual"]  # never an empty query
    assert stats.df == {"annual": 3, "employees": 1}


def test_table_puts_systems_side_by_side_with_the_naive_ratio():
    from bot.eval.command import format_table

    table = format_table(
        {
            "hybrid": {"page_hit@4": 0.6, "doc_hit@4": 0.9},
            "naive": {"page_hit@4": 0.3, "doc_hit@4": 0.0},
        }
    ).splitlines()
    assert table[0].split() == ["metric", "hybrid", "naive", "hybrid/naive"]
    assert table[1].split() == ["page_hit@4", "0.600", "0.300", "2.00"]
    assert table[2].split() == ["doc_hit@4", "0.900", "0.000", "-"]


def test_limit_docs_must_be_positive(capsys):
    assert main(["eval", "financebench", "--limit-docs", "0"]) == 2
    assert "--limit-docs" in capsys.readouterr().err
