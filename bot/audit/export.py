"""Write the audit trail for compliance: CSV (one row per answer) or JSON Lines (one object each).

CSV cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) get a leading apostrophe: questions come from users and must stay text.
"""

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from bot.audit.entry import AuditEntry

CSV_COLUMNS = [
    "at",
    "surface",
    "via",
    "team",
    "channel",
    "user",
    "acting_as",
    "question",
    "resolved_question",
    "outcome",
    "reason",
    "found",
    "collections_searched",
    "cited_paths",
    "cited_pages",
    "cited_chunk_ids",
    "cited_collections",
    "index_version",
    "filters_applied",
    "answer",
    "answer_id",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_jsonl(entries: Iterable[AuditEntry], out: TextIO) -> int:
    """One JSON object per line; returns how many."""
    n = 0
    for n, entry in enumerate(entries, start=1):  # noqa: B007 - n is the count
        out.write(json.dumps(entry.model_dump(mode="json"), ensure_ascii=False) + "\n")
    return n


def write_csv(entries: Iterable[AuditEntry], out: TextIO) -> int:
    """A header and one row per entry; lists are joined with `; `. Returns how many rows."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for n, entry in enumerate(entries, start=1):  # noqa: B007 - n is the count
        writer.writerow({k: _cell(v) for k, v in csv_row(entry).items()})
    return n


def csv_row(entry: AuditEntry) -> dict:
    """The CSV columns of one entry (lists flattened, citations in `[n]` order)."""
    row = entry.model_dump(mode="json", exclude={"citations", "collections_searched"})
    cited = sorted(entry.citations, key=lambda c: c.n)
    row.update(
        found="yes" if entry.found else "no",
        collections_searched="; ".join(entry.collections_searched),
        cited_paths="; ".join(c.path for c in cited),
        cited_pages="; ".join("" if c.page is None else str(c.page) for c in cited),
        cited_chunk_ids="; ".join(c.chunk_id or "" for c in cited),
        cited_collections="; ".join(c.collection or "" for c in cited),
    )
    return row


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
