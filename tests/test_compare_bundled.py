"""The real model on the bundled corpus: a three-company comparison and a chart series."""

import pytest

from bot.answer.answerer import Answerer
from bot.answer.ask import ask
from bot.answer.structured import NOT_FOUND_CELL
from index.settings import IndexSettings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def answerer(bundled_index, real_embedder):
    return Answerer.open(bundled_index / "index", real_embedder, bundled_index / "corpus",
                         min_score=IndexSettings().min_score)  # fmt: skip


def test_ai_capex_of_alibaba_tencent_and_baidu(answerer):
    answer = ask(answerer, "compare AI capex: Alibaba, Tencent, Baidu")
    rows = {r.company: r for r in answer.table.rows}
    assert "380 billion" in rows["Alibaba"].figure and rows["Alibaba"].period == "over 3 years"
    # Tencent's newest AI capex figure (its 2024 total is older), as written, with its quarter.
    assert (
        rows["Tencent"].figure == "about RMB 13.0 billion" and rows["Tencent"].period == "Q3 2025"
    )
    assert "100 billion" in rows["Baidu"].figure and rows["Baidu"].period == "since March 2023"
    quotes = {c.n: c.quote for c in answer.citations}
    for row in rows.values():
        assert row.figure.split(" ", 1)[-1] in quotes[row.citations[0]]
    assert any("different periods" in n for n in answer.table.notes)


def test_a_company_without_the_figure_gets_not_found_and_the_others_still_answer(answerer):
    answer = ask(answerer, "How does Alibaba's AI capex compare with Tencent's and Apple's?")
    figures = {r.company: r.figure for r in answer.table.rows}
    assert figures["Apple"] == NOT_FOUND_CELL
    assert "380 billion" in figures["Alibaba"] and "RMB" in figures["Tencent"]


def test_alibaba_cloud_growth_over_the_last_year_is_a_four_point_series(answerer):
    answer = ask(answerer, "How has Alibaba Cloud's growth changed over the last year?")
    assert [(p.label, p.value) for p in answer.series] == [
        ("Q4 2024", 13.0), ("Q1 2025", 18.0), ("Q2 2025", 26.0), ("Q3 2025", 34.0),
    ]  # fmt: skip
    quotes = {c.n: c.quote for c in answer.citations}
    assert all(p.figure in quotes[p.citation] for p in answer.series)
