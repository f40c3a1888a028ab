"""Computed figures: each input cited, the result labelled computed, scale kept, gaps named."""

import pytest

from bot.answer.compose import compose_answer
from bot.answer.numbers import format_number, scale_of
from bot.answer.operations import operation_of
from bot.answer.render import answer_json
from tests.helpers import make_hit

TABLE = (
    "Results of operations (in thousands):\n"
    "| | 2019 | 2018 | 2017 |\n|---|---|---|---|\n"
    "| Revenue | 26,120 | 20,409 | 18,200 |\n"
    "| Cost of revenue | 9,000 | 8,100 | 7,450 |\n"
    "| Gross margin | 34.5% | 39.7% | 40.9% |\n"
)
REPORTED = (
    " | 2019 | 2018 | % Change\n"
    "Subscription revenue | $542,968 | $473,052 | 14.8%\n"
    "Services revenue | 33,555 | 64,839 | (48.2)%"
)


def hit(text, chunk="c1", score=0.7):
    return make_hit(text, score, chunk)


@pytest.mark.parametrize(
    ("question", "operation"),
    [
        ("What was the change in revenue from 2018 to 2019?", "change"),
        ("What was the percentage change in revenue from 2018 to 2019?", "percent_change"),
        ("What is the average cost of revenue in 2018 and 2019?", "average"),
        ("What is the total revenue in 2018 and 2019?", "sum"),
        ("What are the 2018 and 2019 total revenue respectively?", None),  # each value
        ("What is the ratio of cost of revenue to revenue in 2019?", "ratio"),
        ("What was cost of revenue as a percentage of revenue in 2019?", "percent_of"),
        ("What was revenue in 2019?", None),
        ("What was the weighted average exercise price in 2019?", None),
        ("What was the reason for the change in revenue from 2018 to 2019?", None),
    ],
)
def test_operations(question, operation):
    assert operation_of(question) == operation


def test_change_cites_both_inputs_and_is_labelled_computed():
    answer = compose_answer("What was the change in revenue from 2018 to 2019?", [hit(TABLE)], 0.35)
    assert answer.answer.startswith(
        "Revenue rose from 20,409 [1] (2018) to 26,120 [1] (2019): +5,711, or +28.0% "
        "(computed; figures in thousands)."
    )
    computed = answer.computed
    assert computed.operation == "change" and computed.value == 5711
    assert computed.scale == "thousand" and computed.formula == "26,120 − 20,409"
    assert [(i.text, i.n) for i in computed.inputs] == [("20,409", 1), ("26,120", 1)]
    assert "| Revenue | 26,120 | 20,409" in answer.citations[0].quote


def test_percentage_change_leads_with_the_percentage():
    answer = compose_answer(
        "What was the percentage change in revenue from 2018 to 2019?", [hit(TABLE)], 0.35
    )
    assert answer.computed.unit == "%" and round(answer.computed.value, 2) == 27.98
    assert ": +28.0%, or +5,711 (computed)" in answer.answer


def test_average_sum_ratio_and_share():
    hits = [hit(TABLE)]
    average = compose_answer("What is the average cost of revenue in 2018 and 2019?", hits, 0.35)
    assert average.computed.value == 8550 and "= 8,550 (computed" in average.answer
    ratio = compose_answer("What is the ratio of cost of revenue to revenue in 2019?", hits, 0.35)
    assert round(ratio.computed.value, 4) == round(9000 / 26120, 4)
    share = compose_answer(
        "What was cost of revenue as a percentage of revenue in 2019?", hits, 0.35
    )
    assert share.computed.unit == "%" and "34.5%" in share.answer


def test_a_change_the_table_reports_is_quoted_not_computed():
    answer = compose_answer(
        "What was the percentage change in services revenue from 2018 to 2019?",
        [hit(REPORTED)],
        0.35,
    )
    assert answer.answer.startswith("Services revenue, % Change: (48.2)% [1] (as reported).")
    assert answer.computed is None


def test_a_missing_input_is_named_not_guessed():
    answer = compose_answer("What was the change in revenue from 2016 to 2019?", [hit(TABLE)], 0.35)
    assert answer.computed.value is None
    assert answer.computed.missing == ["Revenue, 2016"]
    assert "not found: Revenue, 2016, so the change is not computed" in answer.answer


def test_computed_json_appears_only_when_computed():
    plain = compose_answer("What was revenue in 2019?", [hit(TABLE)], 0.35)
    assert "computed" not in answer_json(plain)
    change = compose_answer("What was the change in revenue from 2018 to 2019?", [hit(TABLE)], 0.35)
    assert answer_json(change)["computed"]["inputs"][0]["n"] == 1


def test_scales_and_number_format():
    assert scale_of("(In thousands, except per share data)") == "thousand"
    assert scale_of("($ in millions)") == "million" and scale_of("S$ Mil") == "million"
    assert scale_of("Revenue by region") is None
    assert format_number(5711, signed=True) == "+5,711"
    assert (
        format_number(2.0625, percent=True) == "2.06"
        and format_number(448.26, percent=True) == "448.3"
    )


def test_how_many_years_counts_and_cites_every_year():
    answer = compose_answer("How many years did cost of revenue exceed 8,000?", [hit(TABLE)], 0.35)
    assert answer.computed.operation == "count" and answer.computed.value == 2
    assert answer.answer.startswith(
        "2 of 3 years had Cost of revenue above 8,000: 7,450 (2017) [1]"
    )
    assert "(counted)." in answer.answer


@pytest.mark.parametrize(
    "span", ["FY2017 - FY2019", "fiscal 2017 through fiscal 2019", "2017-2019", "FY2017 to FY2019"]
)
def test_an_average_over_a_fiscal_year_range_takes_every_year_in_it(span):
    question = f"What is the {span} 3 year average of revenue?"
    average = compose_answer(question, [hit(TABLE)], 0.35)
    # (18,200 + 20,409 + 26,120) / 3, not the two ends alone.
    assert average.computed is not None and round(average.computed.value, 1) == 21576.3
    assert "over 3" in average.answer and "(2018)" in average.answer
