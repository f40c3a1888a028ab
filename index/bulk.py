"""Bulk exports: one article per JSON Lines record or CSV row, read as a stream.

Each record becomes an Article whose path is `<file>#L<line>` (the line the record starts
on, 1-based), so citations point at the record and ids stay stable while the file only
grows at the end. Fields: title, text (or body/content), url, source, published, tickers.
"""

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from index.errors import BadArticle
from index.models import Article
from index.textfile import article_from, scalar_meta

TEXT_FIELDS = ("text", "body", "content")
MAX_LISTED = 5  # per-record problems named in a file's warning line before "and N more"


def load_bulk(path: Path, rel: str, max_chars: int) -> tuple[list[Article], list[str]]:
    """Every record with text in a .jsonl or .csv export, plus one summary of what was skipped."""
    articles: list[Article] = []
    problems: list[str] = []
    records = _jsonl_records if path.suffix.lower() == ".jsonl" else _csv_records
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            for line, record in records(fh, max_chars):
                if isinstance(record, str):
                    problems.append(f"line {line}: {record}")
                    continue
                try:
                    article, warning = record_article(record, f"{rel}#L{line}", max_chars)
                except BadArticle:
                    problems.append(f"line {line}: no text, skipped")
                    continue
                articles.append(article)
                if warning:
                    problems.append(f"line {line}: {warning}")
    except (OSError, csv.Error) as exc:
        raise BadArticle(f"{rel}: unreadable export ({exc}), skipped") from exc
    if not articles:
        detail = f" ({_summary(problems)})" if problems else ""
        raise BadArticle(f"{rel}: skipped, no record with text{detail}")
    return articles, [_summary(problems)] if problems else []


def record_article(record: dict, rel: str, max_chars: int) -> tuple[Article, str | None]:
    """One export record as an Article (BadArticle when it has no text)."""
    fields = {str(k).strip().lower(): v for k, v in record.items() if k is not None}
    fields, warning = scalar_meta(fields)
    text = next((str(fields[f]) for f in TEXT_FIELDS if fields.get(f)), "")
    if len(text) > max_chars:
        cut = f"text cut to its first {max_chars:,} characters"
        text, warning = text[:max_chars], "; ".join(w for w in (warning, cut) if w)
    title = str(fields.get("title") or "").strip() or text.strip().split("\n", 1)[0][:120]
    article, date_warning = article_from(rel, fields, title, text)
    return article, "; ".join(w for w in (warning, date_warning) if w) or None


def _jsonl_records(fh, max_chars: int) -> Iterator[tuple[int, dict | str]]:
    for line_no, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            yield line_no, "not valid JSON, skipped"
            continue
        yield line_no, record if isinstance(record, dict) else "not a JSON object, skipped"


def _csv_records(fh, max_chars: int) -> Iterator[tuple[int, dict | str]]:
    csv.field_size_limit(max(max_chars, 1 << 17))  # a long article is one big quoted field
    reader = csv.reader(fh)
    header = next(reader, None)
    if not header:
        return
    names = [h.strip().lower() for h in header]
    start = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            yield start, dict(zip(names, row, strict=False))
        start = reader.line_num + 1


def _summary(problems: list[str]) -> str:
    listed = "; ".join(problems[:MAX_LISTED])
    more = f"; and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
    return listed + more
