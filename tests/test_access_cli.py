"""The CLI and the walls: ask --channel/--user, access check, stats, index warnings, audit export."""

import csv
import io
import json

import pytest

from bot.cli import main
from tests.helpers import FakeEmbedder, write_article

ACCESS = """\
collections:
  news: {public: true}
  deal-aurora: {channels: [C0DEAL01], users: [U0ANALYST1]}
admins: {deal-aurora: [U0LEAD01]}
"""
QUESTION = "What is the Aurora purchase price?"


@pytest.fixture
def walled(tmp_path, monkeypatch):
    """A corpus with public news, a restricted memo, an unlisted folder; the fake embedder."""
    import index.onnx_encoder  # noqa: F401 - bound to the real model class before the swap

    monkeypatch.setattr(
        "index.embed.SentenceTransformerEmbedder", lambda device="cpu": FakeEmbedder()
    )
    corpus = tmp_path / "corpus"
    for folder in ("news", "deal-aurora", "hr"):
        (corpus / folder).mkdir(parents=True)
    write_article(corpus / "news", "a.md", "Alibaba AI", "Alibaba will invest RMB 380 billion.")
    write_article(
        corpus / "deal-aurora",
        "memo.md",
        "Aurora memo",
        "The Aurora purchase price is USD 417.3 million.",
    )
    write_article(corpus / "hr", "pay.md", "Pay review", "=HYPERLINK pay rises 4% in 2026.")
    (corpus / "access.yml").write_text(ACCESS)
    return ["--corpus", str(corpus), "--index-dir", str(tmp_path / "index")]


def ask(capsys, dirs, *extra) -> dict:
    assert main(["ask", "--json", QUESTION, *dirs, *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_ask_answers_as_a_channel_or_user_would_be_answered(walled, capsys):
    assert "417.3" in ask(capsys, walled)["answer"]  # the operator reads everything
    assert "417.3" in ask(capsys, walled, "--channel", "C0DEAL01")["answer"]
    assert "417.3" in ask(capsys, walled, "--user", "U0ANALYST1")["answer"]
    for outside in (["--channel", "C0PUBLIC"], ["--user", "U0OUTSIDER"], ["--user", "U0LEAD01"]):
        payload = ask(capsys, walled, *outside)
        assert "417.3" not in json.dumps(payload) and "Aurora memo" not in json.dumps(payload)
    # In a channel the channel decides, even when the person may read the memo in a DM.
    payload = ask(capsys, walled, "--channel", "C0PUBLIC", "--user", "U0ANALYST1")
    assert "417.3" not in json.dumps(payload)
    citation = ask(capsys, walled, "--channel", "C0DEAL01")["citations"][0]
    assert set(citation) == {"n", "title", "source", "url", "published", "path", "page"} | {
        "quote",
        "score",
    }


def test_ask_batch_answers_every_line_as_the_channel_would_be_answered(walled, tmp_path, capsys):
    batch = tmp_path / "questions.txt"
    batch.write_text(f'{QUESTION}\n{{"question": "{QUESTION}", "id": 2}}\n')
    assert main(["ask", "--batch", str(batch), *walled, "--channel", "C0PUBLIC"]) == 0
    outside = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(outside) == 2 and outside[1]["id"] == 2
    assert "417.3" not in json.dumps(outside) and "Aurora memo" not in json.dumps(outside)
    assert main(["ask", "--batch", str(batch), *walled, "--channel", "C0DEAL01"]) == 0
    inside = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all("417.3" in answer["answer"] for answer in inside)
    assert main(["audit", "export", "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["acting_as"] for r in rows] == ["channel C0PUBLIC"] * 2 + ["channel C0DEAL01"] * 2
    assert [r["collections_searched"] for r in rows[:2]] == [["news"], ["news"]]


def test_bad_ids_are_usage_errors(walled, capsys):
    for bad in (["--channel", "#deals"], ["--user", "alice"], ["--channel", "c0deal01"]):
        with pytest.raises(SystemExit) as exc:
            main(["ask", QUESTION, *walled, *bad])
        assert exc.value.code == 2
    assert main(["ask", QUESTION, *walled, "--channel", "D0DM"]) == 1
    assert "is a DM: add --user" in capsys.readouterr().err


def test_a_bad_access_file_stops_ask_and_serve_with_one_line(walled, tmp_path, capsys, monkeypatch):
    (tmp_path / "corpus" / "access.yml").write_text(
        "collections:\n  news: {public: true, chanels: [C1]}\n"
    )
    assert main(["ask", QUESTION, *walled]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown key 'collections.news.chanels'" in err
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    from bot.slack.settings import get_bot_settings

    get_bot_settings.cache_clear()
    try:
        assert main(["serve", "--http", *walled]) == 1
    finally:
        get_bot_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "chanels" in err
    assert not (tmp_path / "index").exists()  # stopped before loading or building anything


def test_index_warns_about_unlisted_collections_and_access_check_prints_readers(walled, capsys):
    assert main(["index", *walled]) == 0
    err = capsys.readouterr().err
    assert "collection 'hr' (1 article) is not in" in err and "'news'" not in err
    assert main(["access", "check", *walled]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert set(lines) == {"deal-aurora", "hr", "news"}
    assert "everyone (public)" in lines["news"]
    assert "channels C0DEAL01; users U0ANALYST1 (in DMs)" in lines["deal-aurora"]
    assert "CLI operators only" in lines["hr"]
    assert main(["access", "check", *walled, "--channel", "C0DEAL01"]) == 0
    out = capsys.readouterr().out
    assert "can read" in out.split("deal-aurora")[1].splitlines()[0]
    assert "cannot read" in out.split("\nhr")[1].splitlines()[0]


def test_stats_says_whether_walls_are_up(walled, tmp_path, capsys):
    assert main(["index", *walled]) == 0
    assert main(["stats", *walled]) == 0
    assert "access.yml: 2 collections listed, 1 public" in capsys.readouterr().out
    (tmp_path / "corpus" / "access.yml").unlink()
    assert main(["stats", *walled]) == 0
    assert "no access file" in capsys.readouterr().out.split("access:")[1]


def test_audit_export_writes_one_row_per_answer(walled, tmp_path, capsys):
    ask(capsys, walled, "--channel", "C0PUBLIC")
    ask(capsys, walled, "--user", "U0ANALYST1")
    assert main(["ask", "=HYPERLINK pay rises?", *walled]) == 0
    capsys.readouterr()
    assert main(["audit", "export", "--since", "2020-01-01", "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["user"] for r in rows] == ["cli"] * 3
    assert [r["acting_as"] for r in rows] == ["channel C0PUBLIC", "user U0ANALYST1 (DM)", None]
    assert rows[0]["collections_searched"] == ["news"]
    assert rows[1]["collections_searched"] == ["deal-aurora", "news"] and rows[1]["found"]
    assert rows[1]["citations"][0]["path"] == "deal-aurora/memo.md"
    assert rows[2]["collections_searched"] == ["deal-aurora", "hr", "news"]
    out = tmp_path / "audit.csv"
    assert main(["audit", "export", "--format", "csv", "-o", str(out)]) == 0
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(table) == 3 and table[1]["cited_paths"] == "deal-aurora/memo.md"
    assert table[2]["question"] == "'=HYPERLINK pay rises?"  # never a live formula
    assert main(["audit", "export", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out.strip().count("\n") == 0  # the header only


def test_a_named_access_file_must_exist(walled, tmp_path, capsys, monkeypatch):
    from bot.access.settings import get_access_settings

    rules = tmp_path / "walls.yaml"
    rules.write_text("collections: {news: {public: true}}\n")
    monkeypatch.setenv("INVESTOR_QA_ACCESS_FILE", str(rules))
    get_access_settings.cache_clear()
    try:
        payload = ask(capsys, walled, "--user", "U0ANALYST1")  # deal-aurora is not in walls.yaml
        assert "417.3" not in json.dumps(payload)
        monkeypatch.setenv("INVESTOR_QA_ACCESS_FILE", str(tmp_path / "wals.yaml"))
        get_access_settings.cache_clear()
        assert main(["ask", QUESTION, *walled]) == 1
        assert "INVESTOR_QA_ACCESS_FILE names" in capsys.readouterr().err
    finally:
        get_access_settings.cache_clear()
