"""The audit trail: rows written and read back, day ranges, retention, exports, failure."""

import csv
import io
import json
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.audit.entry import AuditCitation, AuditEntry
from bot.audit.errors import AuditUnavailable
from bot.audit.export import write_csv, write_jsonl
from bot.audit.settings import AuditSettings
from bot.audit.store import open_audit
from bot.state.settings import StateSettings
from bot.state.store import open_state


def entry(question: str, at: datetime, **extra) -> AuditEntry:
    return AuditEntry(
        at=at, surface="slack", via="mention", channel="C1", user="U1", question=question,
        outcome="answered", found=True, collections_searched=["news"], answer="A [1]",
        citations=[AuditCitation(n=1, path="news/a.md", page=3, chunk_id="c1", collection="news")],
        **extra,
    )  # fmt: skip


def test_rows_come_back_whole_in_order_and_by_day(state_settings):
    audit = open_audit(open_state(state_settings))  # SQLite and PostgreSQL
    days = [datetime(2026, 1, d, 23, 59, 59, tzinfo=UTC) for d in (1, 2, 3)]
    for i, at in enumerate(days):
        audit.record(entry(f"q{i}", at))
    assert [e.question for e in audit.entries()] == ["q0", "q1", "q2"]
    assert list(audit.entries())[0] == entry("q0", days[0])
    picked = audit.entries(since=date(2026, 1, 2), until=date(2026, 1, 2))
    assert [e.question for e in picked] == ["q1"]  # the last second of the day is in it
    assert [e.question for e in audit.entries(since=date(2026, 1, 3))] == ["q2"]


def test_retention_prunes_older_rows_and_keeps_the_rest(state_settings):
    now = datetime.now(UTC)
    audit = open_audit(open_state(state_settings))
    audit.record(entry("old", now - timedelta(days=40)))
    audit.record(entry("new", now - timedelta(days=2)))
    assert audit.count() == 2  # no retention configured: keep everything
    pruned = open_audit(open_state(state_settings), AuditSettings(retention_days=30))  # prunes
    assert [e.question for e in pruned.entries()] == ["new"]
    with pytest.raises(ValueError):
        AuditSettings(retention_days=0)


def test_retention_is_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INVESTOR_QA_AUDIT_RETENTION_DAYS", "90")
    assert AuditSettings().retention_days == 90


def test_exports_keep_user_text_as_text(tmp_path):
    rows = [entry("=cmd|'/c calc'!A1", datetime(2026, 2, 1, tzinfo=UTC), reason="+1")]
    out = io.StringIO()
    assert write_csv(rows, out) == 1
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["question"] == "'=cmd|'/c calc'!A1" and row["reason"] == "'+1"
    assert row["cited_paths"] == "news/a.md" and row["cited_pages"] == "3"
    assert row["collections_searched"] == "news" and row["found"] == "yes"
    out = io.StringIO()
    assert write_jsonl(rows, out) == 1
    assert json.loads(out.getvalue())["question"] == "=cmd|'/c calc'!A1"  # JSON needs no escape


def test_an_unwritable_trail_withholds_the_answer(tmp_path):
    audit = open_audit(open_state(StateSettings(data_dir=tmp_path)))
    with sqlite3.connect(tmp_path / "state.sqlite") as db:  # the table is gone: writes fail
        db.execute("DROP TABLE audit_log")
    with pytest.raises(AuditUnavailable, match="won't give it"):
        audit.record(entry("q", datetime.now(UTC)))
