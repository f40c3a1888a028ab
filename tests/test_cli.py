"""The investor-qa command line: exit codes, error lines, and the --json contract."""

import json
import os
import subprocess
import sys

import pytest

from bot.cli import main
from tests.helpers import ROOT

CITATION_KEYS = {"n", "title", "source", "url", "published", "path", "page", "quote", "score"}


def run_cli(*args, cwd, env=None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_empty_question_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["ask", "  "])
    assert exc.value.code == 2
    assert "question is empty" in capsys.readouterr().err


def test_missing_index_and_corpus_is_one_clear_line(tmp_path, capsys):
    code = main(
        [
            "ask",
            "How much?",
            "--corpus",
            str(tmp_path / "none"),
            "--index-dir",
            str(tmp_path / "idx"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "investor-qa index" in err


def test_stats_without_index(tmp_path, capsys):
    assert main(["stats", "--index-dir", str(tmp_path / "idx")]) == 1
    assert "no index" in capsys.readouterr().err


@pytest.mark.integration
def test_ask_json_contract_and_stats(bundled_index):
    corpus, index_dir = bundled_index / "corpus", bundled_index / "index"
    result = run_cli(
        "ask",
        "--json",
        "How much is Alibaba investing in AI?",
        "--corpus",
        str(corpus),
        "--index-dir",
        str(index_dir),
        cwd=bundled_index,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)  # exactly one JSON object on stdout
    assert set(payload) == {"question", "found", "answer", "citations", "filters_applied"}
    assert payload["found"] is True
    assert "380 billion" in payload["answer"] or "52.4 billion" in payload["answer"]
    for citation in payload["citations"]:
        assert set(citation) == CITATION_KEYS
        assert f"[{citation['n']}]" in payload["answer"]
        assert citation["quote"] in (corpus / citation["path"]).read_text()
    assert payload["citations"][0]["path"] == "alibaba-ai-cloud-investment.md"
    assert payload["citations"][0]["published"] == "2025-09-27"

    stats = run_cli("stats", "--index-dir", str(index_dir), cwd=bundled_index)
    assert stats.returncode == 0 and "articles:" in stats.stdout


@pytest.mark.integration
def test_ask_json_off_topic_is_not_found(bundled_index):
    result = run_cli(
        "ask",
        "--json",
        "Who painted the Mona Lisa?",
        "--corpus",
        str(bundled_index / "corpus"),
        "--index-dir",
        str(bundled_index / "index"),
        cwd=bundled_index,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload == {
        "question": "Who painted the Mona Lisa?",
        "found": False,
        "answer": "I couldn't find that in the indexed articles.",
        "citations": [],
        "filters_applied": None,
    }
