"""Filters from the CLI and from inline tokens, and automatic company scoping."""

import json
from datetime import date

import pytest

from bot.answer.query import parse_inline_filters, scoped_search
from bot.cli import main
from index.build import build_index
from index.filters import SearchFilter
from index.scope import companies_in, company_filter, known_companies
from index.search import Searcher
from tests.helpers import FakeEmbedder, write_article


def test_inline_tokens_are_parsed_out_of_the_question():
    parsed = parse_inline_filters(
        'What did ticker:baba say since:2025-06-01 source:"Sample Wire" until:2025-12-31 about AI?'
    )
    assert parsed.text == "What did say about AI?"
    assert parsed.filters == SearchFilter(
        tickers=["BABA"], since=date(2025, 6, 1), until=date(2025, 12, 31), sources=["Sample Wire"]
    )
    assert parsed.problems == []


def test_inline_tokens_edge_cases():
    parsed = parse_inline_filters("capex tickers:BABA,9988.hk since:June http://x.com/a:b")
    assert parsed.filters.tickers == ["BABA", "9988.HK"]
    assert parsed.filters.since is None
    assert parsed.problems == ["ignored since:June (expected YYYY-MM-DD)"]
    assert parsed.text == "capex http://x.com/a:b"
    plain = parse_inline_filters("What is Alibaba's capex?")
    assert plain.text == "What is Alibaba's capex?" and plain.filters.is_empty()


@pytest.fixture
def scoped_index(small_corpus, tmp_path, counter):
    write_article(
        small_corpus,
        "untagged.md",
        "Cloud pricing notes",
        "Cloud providers in China cut prices for AI model access this year.",
    )
    (small_corpus / "aliases.yml").write_text(
        "Alibaba: [BABA, 9988.HK, Alibaba Group, Ali Cloud]\nTencent: [TCEHY, 0700.HK]\n"
        "Nvidia: [NVDA]  # not in the corpus: never scopes\n"
    )
    build_index(small_corpus, tmp_path / "index", FakeEmbedder(), counter)
    return Searcher(tmp_path / "index", FakeEmbedder()), small_corpus / "aliases.yml"


def test_known_companies_merge_corpus_tickers_and_aliases(scoped_index):
    searcher, aliases = scoped_index
    companies = {c.name: c for c in known_companies(searcher.files, aliases)}
    assert set(companies) == {"Alibaba", "Tencent"}
    assert companies["Alibaba"].tickers == ["9988.HK", "BABA"]
    assert companies["Alibaba"].names == ["Alibaba", "Alibaba Group", "Ali Cloud"]
    found = companies_in
    all_ = list(companies.values())
    assert [c.name for c in found("How much is alibaba's capex?", all_)] == ["Alibaba"]
    assert [c.name for c in found("Compare 9988.HK and TCEHY", all_)] == ["Alibaba", "Tencent"]
    assert found("What does baba mean?", all_) == []  # tickers match in upper case only
    assert found("Nvidia revenue?", all_) == []


def test_company_scoping_restricts_and_says_so(scoped_index):
    searcher, aliases = scoped_index
    companies = known_companies(searcher.files, aliases)
    result = scoped_search(searcher, "Alibaba cloud spending", 10, SearchFilter(), companies)
    # Tencent is tagged to another company, so it is out; untagged articles stay in.
    assert {h.path for h in result.hits} == {"alibaba.md", "untagged.md", "notes.txt", "bread.md"}
    assert result.filters_applied.startswith("company Alibaba (9988.HK/BABA), plus untagged")
    flt = company_filter([c for c in companies if c.name == "Alibaba"])
    assert flt.include_untagged and flt.tickers == ["9988.HK", "BABA"]


def test_explicit_ticker_wins_over_scoping_and_dates_apply(scoped_index):
    searcher, aliases = scoped_index
    companies = known_companies(searcher.files, aliases)
    result = scoped_search(
        searcher, "Alibaba capex ticker:TCEHY", 10, SearchFilter(since=date(2025, 1, 1)), companies
    )
    assert {h.path for h in result.hits} == {"tencent.md"}
    assert result.question == "Alibaba capex"
    assert result.filters_applied == "ticker TCEHY, since 2025-01-01"
    unscoped = scoped_search(searcher, "sourdough starter", 10, SearchFilter(), companies)
    assert unscoped.filters_applied is None and len(unscoped.hits) == 5


def test_filter_inside_retrieval_keeps_the_right_passage_at_k_1(scoped_index):
    searcher, _ = scoped_index
    # The bread article is the best match overall; with the filter, k=1 still finds Tencent.
    assert searcher.search("sourdough starter dough", 1)[0].path == "bread.md"
    hits = searcher.search("sourdough starter dough", 1, SearchFilter(tickers=["TCEHY"]))
    assert [h.path for h in hits] == ["tencent.md"]


def test_cli_filters_and_json_key(scoped_index, tmp_path, monkeypatch, capsys):
    searcher, aliases = scoped_index
    monkeypatch.setattr(
        "index.embed.SentenceTransformerEmbedder", lambda device="cpu": FakeEmbedder()
    )
    dirs = ["--corpus", str(aliases.parent), "--index-dir", str(tmp_path / "index")]
    code = main(["ask", "--json", "How much did Tencent spend?", "--ticker", "tcehy",
                 "--since", "2025-01-01", "--source", "Sample Wire", *dirs])  # fmt: skip
    payload = json.loads(capsys.readouterr().out)
    assert code == 0
    assert payload["filters_applied"] == "ticker TCEHY, since 2025-01-01, source Sample Wire"
    assert all(c["path"] == "tencent.md" for c in payload["citations"])
    assert main(["ask", "What about BABA capex?", *dirs]) == 0
    assert "(Filtered: company Alibaba (9988.HK/BABA)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["ask", "x", "--since", "yesterday", *dirs])
