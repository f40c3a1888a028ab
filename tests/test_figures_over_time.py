"""Reading figures for tables and charts: periods, quantities (unit, change or level), measures
and the companies a question names. Pure functions, no index."""

from datetime import date

import pytest

from bot.answer.measures import fits, measure_of, states_measure
from bot.answer.periods import find_periods
from bot.answer.quantities import dated_quantities, quantities_in
from bot.answer.subjects import in_segment, subject_of
from index.scope import Company

COMPANIES = [
    Company(name="Alibaba", tickers=["9988.HK", "BABA"], names=["Alibaba", "Alibaba Cloud"]),
    Company(name="Tencent", tickers=["0700.HK", "TCEHY"], names=["Tencent", "Tencent Holdings"]),
    Company(name="Baidu", tickers=["BIDU"], names=["Baidu"]),
]


@pytest.mark.parametrize(
    ("text", "label", "ends", "years"),
    [
        ("in the quarter ended June 30, 2025", "Q2 2025", date(2025, 6, 30), 0.25),
        ("for the three months ended September 30, 2025", "Q3 2025", date(2025, 9, 30), 0.25),
        ("in the second quarter of 2025", "Q2 2025", date(2025, 6, 30), 0.25),
        ("in Q4 2024", "Q4 2024", date(2024, 12, 31), 0.25),
        ("in Q3'25", "Q3 2025", date(2025, 9, 30), 0.25),
        ("in the first half of 2024", "H1 2024", date(2024, 6, 30), 0.5),
        ("for full year 2024", "2024", date(2024, 12, 31), 1.0),
        ("for fiscal year 2025", "FY2025", None, 1.0),  # fiscal years end in any month
        ("in the fourth quarter of fiscal year 2025", "FQ4 2025", None, 0.25),
        ("over three years", "over 3 years", None, 3.0),
        ("since it launched ERNIE in March 2023", "since March 2023", None, None),
    ],
)
def test_periods_have_labels_lengths_and_calendar_ends(text, label, ends, years):
    (period,) = find_periods(text)
    assert (period.label, period.ends, period.years) == (label, ends, years)


def test_amounts_in_a_year_or_with_a_scale_are_not_periods():
    assert find_periods("It spent RMB 2025 million.") == []
    assert [p.label for p in find_periods("Sales in 2024 rose.")] == ["2024"]


def test_quantities_know_unit_scale_change_and_sign():
    text = (
        "Baidu's revenue for the second quarter of 2025 fell 4% year over year to about "
        "RMB 32.7 billion, while a 36% share and 0.25x leverage are levels."
    )
    found = {q.text: q for q in quantities_in(text)}
    assert found["4%"].change and found["4%"].value == -4.0
    assert found["RMB 32.7 billion"].unit == "RMB" and not found["RMB 32.7 billion"].change
    assert found["RMB 32.7 billion"].measure_unit == "RMB bn"
    assert found["RMB 32.7 billion"].written == "about RMB 32.7 billion"
    assert not found["36%"].change and found["0.25x"].unit == "x"


def test_days_of_dates_are_not_figures_and_each_figure_gets_its_own_period():
    text = (
        "Cloud revenue rose 26% to RMB 33.40 billion in the quarter ended June 30, 2025, faster "
        "than the 18% growth it reported for the quarter ended March 31, 2025."
    )
    pairs = [(q.text, p.label) for q, p in dated_quantities(text)]
    assert pairs == [("26%", "Q2 2025"), ("RMB 33.40 billion", "Q2 2025"), ("18%", "Q1 2025")]
    listed = "It spent RMB 19.1 billion in Q2 2025 and RMB 27.5 billion in Q1 2025."
    assert [p.label for _, p in dated_quantities(listed)] == ["Q2 2025", "Q1 2025"]
    clause = "Capex for the whole of 2024 was RMB 76.8 billion, and in March 2025 it guided higher."
    assert [p.label for _, p in dated_quantities(clause)] == ["2024"]


def test_measures_have_a_head_qualifiers_and_the_kind_of_number_wanted():
    capex = measure_of("How much AI capex?")
    assert (capex.head, capex.qualifiers, capex.want) == ("spending", ["ai"], "amount")
    assert states_measure("Baidu has invested more than RMB 100 billion in AI.", capex)
    assert not states_measure("AI Cloud revenue rose 27% to RMB 6.5 billion.", capex)  # no spend
    assert not states_measure("Capital expenditure was RMB 13 billion.", capex)  # not about AI
    growth = measure_of("cloud revenue growth")
    assert growth.want == "change" and growth.qualifiers == ["cloud"]
    (rise, amount) = quantities_in("Cloud revenue rose 13% to RMB 31.74 billion.")
    assert fits(rise, growth) and not fits(amount, growth)
    assert not states_measure("Group revenue rose 5% to RMB 247.8 billion.", growth)


def test_subject_lists_companies_in_order_with_segments_and_unknown_names():
    subject = subject_of("How does Alibaba's AI spending compare with Tencent's?", COMPANIES)
    assert [m.name for m in subject.mentions] == ["Alibaba", "Tencent"]
    assert subject.measure.text == "AI spending"
    explicit = subject_of("compare AI capex: Baidu, Alibaba and ByteDance", COMPANIES)
    assert explicit.explicit and explicit.measure.text == "AI capex"
    assert [(m.name, m.company is None) for m in explicit.mentions] == [
        ("Baidu", False),
        ("Alibaba", False),
        ("ByteDance", True),
    ]
    segment = subject_of("How has Alibaba Cloud's growth changed?", COMPANIES).mentions[0]
    assert segment.name == "Alibaba Cloud" and segment.company.name == "Alibaba"
    assert in_segment("Alibaba Cloud revenue rose 13%.", segment)
    assert not in_segment("Alibaba's revenue rose 5%.", segment)
