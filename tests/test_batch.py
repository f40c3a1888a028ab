"""`ask --batch`: one JSON answer per input line, bad lines reported in place, model loaded once."""

import io
import json
import os
import subprocess
import sys

from bot.batch import BadLine, BatchItem, read_batch
from tests.helpers import ROOT


def run_fake_cli(*args, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fake_cli.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_read_batch_plain_jsonl_comments_and_bad_lines():
    raw = (
        b"How much is Alibaba investing?\n\n# a comment\n"
        b'{"question": "Tencent capex?", "id": "q2", "ticker": "tcehy", "since": "2025-01-01"}\n'
        b"{not json\n"
        b'{"id": 4}\n'
        b'{"question": "x", "since": "yesterday"}\n'
        b'["a list"]\n'
    ) + b"\xff\xfe broken\n"
    items = list(read_batch(io.BytesIO(raw)))
    assert isinstance(items[0], BatchItem) and items[0].line == 1
    second = items[1]
    assert second.id == "q2" and second.filters.tickers == ["TCEHY"]
    assert second.filters.since.isoformat() == "2025-01-01"
    errors = {i.line: i.error for i in items if isinstance(i, BadLine)}
    assert set(errors) == {5, 6, 7, 8, 9}
    assert "JSON" in errors[5] and "question" in errors[6] and "since" in errors[7]
    assert "UTF-8" in errors[9]


def test_ask_batch_answers_every_line_in_order(small_corpus, tmp_path):
    batch = tmp_path / "questions.jsonl"
    batch.write_text(
        "How much will Alibaba invest in AI?\n"
        '{"question": "How much did Tencent spend on capital expenditure?", "id": 2}\n'
        "{broken\n"
        "Who painted the Mona Lisa?\n",
        encoding="utf-8",
    )
    index_dir = tmp_path / "index"
    result = run_fake_cli(
        "ask", "--batch", str(batch), "--corpus", str(small_corpus), "--index-dir", str(index_dir)
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1  # one line could not be asked; the others were answered
    assert len(lines) == 4
    assert lines[0]["found"] and "380 billion" in lines[0]["answer"]
    assert lines[1]["id"] == 2 and "76.8 billion" in lines[1]["answer"]
    assert lines[2] == {"line": 3, "error": lines[2]["error"]} and "JSON" in lines[2]["error"]
    assert lines[3]["found"] is False
    assert "line 3" in result.stderr and "Traceback" not in result.stderr

    stdin = run_fake_cli(
        "ask", "--batch", "-", "--corpus", str(small_corpus), "--index-dir", str(index_dir),
        stdin="How much will Alibaba invest in AI?\n",
    )  # fmt: skip
    assert stdin.returncode == 0 and len(stdin.stdout.splitlines()) == 1


def test_missing_batch_file_is_one_clear_line(tmp_path):
    result = run_fake_cli("ask", "--batch", str(tmp_path / "nope.txt"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "not found" in result.stderr
