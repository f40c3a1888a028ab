"""A PDF answer cites its 1-based page in the CLI text and in the JSON `page` field."""

import json

from bot.cli import main
from tests.helpers import FakeEmbedder
from tests.pdf_factory import make_pdf


def test_pdf_citation_shows_its_page(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        "index.embed.SentenceTransformerEmbedder", lambda device="cpu": FakeEmbedder()
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pages = [
        ["Globex annual report 2024", "Globex sells industrial pumps in forty countries."],
        ["Chairman letter", "The board thanks employees for a demanding year."],
        ["Capital spending", "Globex capital expenditure was $740 million in 2024."],
    ]
    (corpus / "globex-10k.pdf").write_bytes(make_pdf(pages, title="Globex 10-K 2024"))
    dirs = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "index")]
    question = "What was Globex capital expenditure in 2024?"
    assert main(["ask", "--json", question, *dirs]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["found"] is True
    [citation] = payload["citations"]
    assert citation["page"] == 3 and "$740 million" in citation["quote"]
    assert main(["ask", question, *dirs]) == 0
    assert "[1] Globex 10-K 2024 — p. 3 — globex-10k.pdf" in capsys.readouterr().out
