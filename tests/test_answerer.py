"""Answerer: the one pipeline from question + filters to a frozen, cited Answer."""

import pydantic
import pytest

from bot.answer.answerer import Answerer
from index.build import build_index
from index.filters import SearchFilter
from tests.helpers import FakeEmbedder, make_hit, write_article


@pytest.fixture
def answerer(small_corpus, tmp_path, counter):
    build_index(small_corpus, tmp_path / "index", FakeEmbedder(), counter)
    return Answerer.open(tmp_path / "index", FakeEmbedder(), small_corpus, min_score=0.2)


def test_answers_are_built_once_with_their_filters(answerer):
    answer = answerer.answer(
        "How much is Tencent spending on capex?", SearchFilter(tickers=["TCEHY"])
    )
    assert answer.found and "76.8" in answer.answer
    assert answer.filters_applied == "ticker TCEHY"
    with pytest.raises(pydantic.ValidationError):
        answer.found = False  # frozen: nothing downstream can rewrite an answer


def test_company_scoping_comes_from_the_corpus_aliases_and_tickers(small_corpus, tmp_path, counter):
    (small_corpus / "aliases.yml").write_text("Alibaba: [BABA, 9988.HK, Alibaba Group]\n")
    build_index(small_corpus, tmp_path / "index", FakeEmbedder(), counter)
    answerer = Answerer.open(tmp_path / "index", FakeEmbedder(), small_corpus, min_score=0.2)
    answer = answerer.answer("How much will Alibaba invest in AI?")
    assert answer.found
    assert answer.filters_applied.startswith("company ")
    assert {c.path for c in answer.citations} == {"alibaba.md"}


def test_a_version_published_by_another_process_is_answered_from(answerer, small_corpus, counter):
    question = "How many nuclear reactors did Acme Power commission?"
    assert not answerer.answer(question).found
    write_article(
        small_corpus,
        "acme.md",
        "Acme Power builds reactors",
        "Acme Power commissioned 4 nuclear reactors in 2025, the utility said.",
    )
    old = answerer.searcher
    build_index(small_corpus, old.files.root, FakeEmbedder(), counter)  # as `investor-qa add` would
    answer = answerer.answer(question)
    assert answer.found and "4 nuclear reactors" in answer.answer
    assert answerer.searcher is not old
    assert answerer.answer(question).found and answerer.searcher is answerer.searcher  # loaded once


def test_articles_appended_by_another_process_are_answered_from(answerer, small_corpus, counter):
    from index.update import index_new_files

    question = "How many wind turbines did Boreal Grid install?"
    assert not answerer.answer(question).found
    write_article(small_corpus, "boreal.md", "Boreal Grid turbines",
                  "Boreal Grid installed 312 wind turbines in 2025, the operator said.")  # fmt: skip
    old = answerer.searcher
    report = index_new_files(small_corpus, old.files.root, ["boreal.md"], FakeEmbedder(), counter)
    assert report.appended  # in place: the version stays, its generation moves on
    answer = answerer.answer(question)
    assert answer.found and "312 wind turbines" in answer.answer
    assert answerer.searcher is not old and answerer.searcher.files.version == old.files.version


def test_an_answer_reads_tables_past_the_passages_it_quotes(answerer, monkeypatch):
    asked = []
    search = answerer.search

    def recording(question, filters=None, k=None):
        asked.append(k)
        return search(question, filters, k)

    monkeypatch.setattr(answerer, "search", recording)
    answerer.answer("How much is Tencent spending on capex?")
    assert asked == [answerer.search_k] and answerer.search_k == 10 > answerer.top_k
    # Composing those passages, sentences come from the first top_k only; tables from all.
    table = "Capex | 2024 | 2023\nTencent | 76.8 | 23.9"
    prose = "Tencent is spending 76.8 billion yuan on capex this year, its filings show."
    late = "Tencent spent 23.9 billion yuan on capex in 2023, its annual report says."
    hits = [make_hit(prose, 0.6, "b", article="b"), make_hit(late, 0.6, "d", article="d"),
            make_hit(table, 0.6, "c", article="c")]  # fmt: skip
    quoted = answerer.compose("How much is Tencent spending on capex in 2023?", hits, sentence_k=1)
    assert quoted.answer.startswith("Tencent, 2023: 23.9 [1]")
    assert [c.path for c in quoted.citations] == ["c.md", "b.md"]
