"""Comparisons (one row per company) and series (dated figures for a chart) through the real
answer pipeline on a small corpus, with the fake embedder."""

import io
import re
from datetime import date

import pytest
from PIL import Image

from bot.answer.answerer import Answerer
from bot.answer.ask import ask
from bot.answer.chart import chart_lines, render_chart
from bot.answer.compose import cited_sentences
from bot.answer.structured import NOT_FOUND_CELL
from index.build import build_index
from index.filters import SearchFilter
from tests.helpers import FakeEmbedder, write_article

ARTICLES = [
    ("alpha-plan.md", "Alpha Corp lays out its AI plan", "2025-06-02", "ALPH",
     "Alpha Corp said it will invest $30 billion in AI data centers over three years. "
     "The plan covers new sites in Texas and Ireland."),
    ("beta-capex.md", "Beta Group spends on AI", "2025-03-20", "BETA",
     "Beta Group's capital expenditure on AI was about RMB 12 billion in 2024. "
     "Beta Group also paid a special dividend."),
    ("gamma-notes.md", "Gamma Inc studies AI", "2025-05-05", "GAMM",
     "Gamma Inc said it is studying AI tools for its factories. It gave no spending figure."),
    ("alpha-q4.md", "Alpha Corp cloud in Q4 2024", "2025-02-10", "ALPH",
     "Alpha Corp cloud revenue rose 9% year over year to $4.6 billion in the fourth quarter "
     "of 2024. Alpha Corp holds a 20% share of the cloud market."),
    ("alpha-q1.md", "Alpha Corp cloud in Q1 2025", "2025-05-08", "ALPH",
     "Alpha Corp cloud revenue rose 12% year over year to $5.0 billion in the first quarter "
     "of 2025."),
    ("alpha-q3.md", "Alpha Corp cloud in Q3 2025", "2025-11-06", "ALPH",
     "Alpha Corp cloud revenue rose 19% year over year to $6.1 billion in the third quarter "
     "of 2025, faster than the 15% growth it reported for the second quarter of 2025."),
    ("alpha-recap.md", "Alpha Corp cloud recap", "2025-11-20", "ALPH",
     "Alpha Corp cloud revenue rose 14% year over year in the second quarter of 2025, "
     "a restated figure."),
    ("beta-cloud.md", "Beta Group cloud", "2025-08-30", "BETA",
     "Beta Group cloud revenue grew 30% year over year in the second quarter of 2025, after "
     "growth of 25% in the first quarter of 2025."),
]  # fmt: skip


@pytest.fixture(scope="module")
def answerer(tmp_path_factory, counter):
    work = tmp_path_factory.mktemp("figures")
    corpus = work / "corpus"
    corpus.mkdir()
    for name, title, published, ticker, body in ARTICLES:
        write_article(corpus, name, title, body, source='"Sample Wire"', published=published,
                      tickers=f"[{ticker}]")  # fmt: skip
    (corpus / "aliases.yml").write_text(
        "Alpha: [ALPH, Alpha Corp]\nBeta: [BETA, Beta Group]\nGamma: [GAMM, Gamma Inc]\n"
    )
    build_index(corpus, work / "index", FakeEmbedder(), counter)
    return Answerer.open(work / "index", FakeEmbedder(), corpus, min_score=0.2)


def assert_cited(answer):
    """Every answer sentence is verbatim in its citation's quote."""
    quotes = {c.n: c.quote for c in answer.citations}
    for sentence, n in cited_sentences(answer):
        assert sentence in quotes[n]


def test_three_companies_three_rows_each_figure_quoted_or_not_found(answerer):
    answer = ask(answerer, "compare AI capex: Alpha, Beta, Gamma")
    rows = {r.company: r for r in answer.table.rows}
    assert list(rows) == ["Alpha", "Beta", "Gamma"]
    assert (rows["Alpha"].figure, rows["Alpha"].period) == ("$30 billion", "over 3 years")
    assert (rows["Beta"].figure, rows["Beta"].period) == ("about RMB 12 billion", "2024")
    assert rows["Beta"].as_of == date(2025, 3, 20)
    assert rows["Gamma"].figure == NOT_FOUND_CELL and rows["Gamma"].citations == []
    quotes = {c.n: c.quote for c in answer.citations}
    for row in (rows["Alpha"], rows["Beta"]):
        assert row.figure.removeprefix("about ") in quotes[row.citations[0]]
    assert_cited(answer)
    # Different periods and currencies are said, never mixed; per year only where both known.
    assert rows["Alpha"].per_year == "US$ 10 bn a year" and "per_year" in answer.table.columns
    notes = " ".join(answer.table.notes)
    assert "different periods" in notes and "nothing is converted" in notes


def test_a_question_naming_two_companies_is_a_comparison(answerer):
    answer = ask(answerer, "How does Alpha Corp's AI capex compare with Beta Group's?")
    assert [r.company for r in answer.table.rows] == ["Alpha", "Beta"]
    assert all(r.citations for r in answer.table.rows)


def test_comparison_honours_the_base_filter(answerer):
    dated = ask(answerer, "compare AI capex: Alpha, Beta", SearchFilter(since=date(2025, 4, 1)))
    rows = {r.company: r.figure for r in dated.table.rows}
    assert rows["Alpha"] == "$30 billion" and rows["Beta"] == NOT_FOUND_CELL  # Beta's is older
    only_alpha = ask(answerer, "compare AI capex: Alpha, Beta", SearchFilter(tickers=["ALPH"]))
    assert [r.figure for r in only_alpha.table.rows] == ["$30 billion", NOT_FOUND_CELL]
    assert any("outside the ticker filter" in n for n in only_alpha.table.notes)


def test_series_points_are_the_cited_figures_in_date_order(answerer):
    answer = ask(answerer, "How has Alpha Corp's cloud revenue growth changed?")
    points = answer.series
    assert [(p.label, p.value, p.unit) for p in points] == [
        ("Q4 2024", 9.0, "% change"),
        ("Q1 2025", 12.0, "% change"),
        ("Q2 2025", 14.0, "% change"),  # the newer article's figure, and the answer says so
        ("Q3 2025", 19.0, "% change"),
    ]
    assert "Sources differ for Q2 2025: 14% (2025-11-20) is drawn, not 15%" in answer.answer
    quotes = {c.n: c.quote for c in answer.citations}
    assert all(p.figure in quotes[p.citation] for p in points)
    assert points[0].date == date(2024, 12, 31)
    assert_cited(answer)
    drawn = chart_lines(points)  # exactly what the plot is handed
    assert [(p.date, p.value) for p in drawn["Alpha"]] == [(p.date, p.value) for p in points]
    png = render_chart(answer)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and 10_000 < len(png) < 1_000_000
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and 900 <= image.width <= 1600 and 500 <= image.height <= 1400


def test_mixed_units_are_never_one_series(answerer):
    amounts = ask(answerer, "chart Alpha Corp cloud revenue")
    assert {p.unit for p in amounts.series} == {"US$ bn"}
    assert [p.value for p in amounts.series] == [4.6, 5.0, 6.1]  # the 20% share is not revenue
    growth = ask(answerer, "Alpha Corp cloud revenue growth trend")
    assert {p.unit for p in growth.series} == {"% change"}


def test_fewer_than_three_points_no_chart_and_the_answer_says_why(answerer):
    answer = ask(answerer, "How has Beta Group's cloud revenue growth changed?")
    assert answer.series is None
    assert "only two dated figures" in answer.answer
    last_two = ask(answerer, "Alpha Corp cloud revenue growth over the last 2 quarters")
    assert last_two.series is None and "only two" in last_two.answer


def test_last_n_quarters_keeps_the_newest(answerer):
    answer = ask(answerer, "Alpha Corp cloud revenue growth over the last 3 quarters")
    assert [p.label for p in answer.series] == ["Q1 2025", "Q2 2025", "Q3 2025"]


def test_unknown_companies_and_off_topic_comparisons_say_not_found(answerer):
    answer = ask(answerer, "compare AI capex: Alpha, Zeta Motors")
    assert [(r.company, r.figure) for r in answer.table.rows] == [
        ("Alpha", "$30 billion"),
        ("Zeta Motors", NOT_FOUND_CELL),
    ]
    nothing = ask(answerer, "compare AI capex: Ford, Shell")
    assert not nothing.found and nothing.citations == []
    assert all(r.figure == NOT_FOUND_CELL for r in nothing.table.rows)


@pytest.mark.parametrize(
    "question",
    ["compare : , , ,", "chart", "chart chart chart", "compare", "trend " * 500,
     "compare AI capex: " + ", ".join(f"Co{i}" for i in range(40)), "How has \x00 changed?"],
)  # fmt: skip
def test_odd_questions_still_get_an_answer(answerer, question):
    answer = ask(answerer, question)
    assert answer.question.strip() == question.strip()
    assert answer.table is None or len(answer.table.rows) <= 12


def test_plain_questions_take_the_usual_path(answerer):
    answer = ask(answerer, "How much will Alpha Corp invest in AI?")
    assert answer.table is None and answer.series is None
    assert re.search(r"\$30 billion", answer.answer)
