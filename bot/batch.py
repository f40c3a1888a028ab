"""`investor-qa ask --batch FILE`: many questions, one JSON answer per line, model loaded once.

The file holds one question per line, or JSON Lines whose objects carry `question` (and may
carry `id`, echoed back, and `ticker`/`tickers`, `since`, `until`, `source` filters). `-`
reads standard input. Blank lines and `#` comments are skipped. A line that cannot be asked
(bad JSON, no question) gets an `{"line": n, "error": …}` object in its place, so output
stays aligned with the input, and the command exits 1 once every other line is answered.
"""

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO, TextIO

from pydantic import BaseModel

from bot.answer.models import Answer
from index.filters import SearchFilter

MAX_QUESTION_CHARS = 4000  # a pasted paragraph is fine; a whole file on one line is not


class BatchItem(BaseModel):
    """One question of a batch, with its line number, optional id and filters."""

    line: int
    question: str
    id: str | int | None = None
    filters: SearchFilter = SearchFilter()


class BadLine(BaseModel):
    """A line that could not be turned into a question."""

    line: int
    error: str


def add_batch_argument(parser: argparse.ArgumentParser) -> None:
    """Register `--batch FILE` on the `ask` subcommand."""
    parser.add_argument(
        "--batch",
        metavar="FILE",
        help="answer every question in FILE (one per line, or JSONL with 'question'; - for "
        "stdin), one JSON answer per line",
    )


def read_batch(stream: BinaryIO) -> Iterator[BatchItem | BadLine]:
    """The questions of a batch file, in order; a bad line becomes a BadLine, never a crash."""
    for number, raw in enumerate(stream, start=1):
        try:
            text = raw.decode("utf-8").strip().lstrip("\ufeff")
        except UnicodeDecodeError:
            yield BadLine(line=number, error="not UTF-8 text")
            continue
        if not text or text.startswith("#"):
            continue
        yield parse_line(number, text)


def parse_line(number: int, text: str) -> BatchItem | BadLine:
    """One non-blank line as a question: plain text, or a JSON object with `question`."""
    if not text.startswith(("{", "[")):
        return _item(number, text, {})
    try:
        row = json.loads(text)
    except json.JSONDecodeError as exc:
        return BadLine(line=number, error=f"not valid JSON ({exc.msg})")
    if not isinstance(row, dict):
        return BadLine(line=number, error="a JSON line must be an object with 'question'")
    question = row.get("question")
    if not isinstance(question, str) or not question.strip():
        return BadLine(line=number, error="no 'question' text in this JSON line")
    return _item(number, question, row)


def _item(number: int, question: str, row: dict) -> BatchItem | BadLine:
    question = " ".join(question.split())
    if len(question) > MAX_QUESTION_CHARS:
        return BadLine(line=number, error=f"question longer than {MAX_QUESTION_CHARS} characters")
    ident = row.get("id")
    if ident is not None and not isinstance(ident, str | int):
        ident = json.dumps(ident)
    try:
        filters = _filters(row)
    except ValueError as exc:
        return BadLine(line=number, error=str(exc))
    return BatchItem(line=number, question=question, id=ident, filters=filters)


def _filters(row: dict) -> SearchFilter:
    tickers = row.get("tickers", row.get("ticker")) or []
    sources = row.get("sources", row.get("source")) or []
    tickers = [tickers] if isinstance(tickers, str) else tickers
    sources = [sources] if isinstance(sources, str) else sources
    if not all(isinstance(t, str) for t in [*tickers, *sources]):
        raise ValueError("'ticker' and 'source' must be strings or lists of strings")
    dates = {}
    for key in ("since", "until"):
        value = row.get(key)
        if value in (None, ""):
            continue
        try:
            dates[key] = date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(
                f"'{key}' must be a date (YYYY-MM-DD), got {str(value)[:40]!r}"
            ) from None
    return SearchFilter(tickers=[t.upper() for t in tickers], sources=sources, **dates)


def run_batch(
    ask: Callable[[str, SearchFilter], Answer],
    stream: BinaryIO,
    explicit: SearchFilter,
    out: TextIO | None = None,
) -> int:
    """Answer every question of `stream` with `ask` (question, filters → Answer), printing one
    JSON object per line (to `out`, else the current stdout); 1 if any line failed."""
    from bot.answer.query import merge_filters
    from bot.answer.render import answer_json

    out = out or sys.stdout  # looked up per call: a redirected stdout is honoured
    failed = 0
    for item in read_batch(stream):
        if isinstance(item, BadLine):
            failed += 1
            print(f"investor-qa: line {item.line}: {item.error}", file=sys.stderr)
            out.write(json.dumps(item.model_dump()) + "\n")
        else:
            answer = ask(item.question, merge_filters(explicit, item.filters))
            payload = answer_json(answer)
            if item.id is not None:
                payload = {"id": item.id, **payload}
            out.write(json.dumps(payload, ensure_ascii=False) + "\n")
        out.flush()  # a long batch shows progress, and a crash keeps what was answered
    return 1 if failed else 0


def open_batch(path: str) -> BinaryIO:
    """The batch file (or stdin for `-`) as bytes; lines are decoded one by one."""
    from index.errors import InvestorQAError

    if path == "-":
        return sys.stdin.buffer
    file = Path(path)
    if not file.is_file():
        raise InvestorQAError(f"batch file {path} not found")
    return file.open("rb")
