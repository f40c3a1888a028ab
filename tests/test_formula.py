"""A question that defines what it asks for is computed by that definition, every input cited."""

import pytest

from bot.answer.compose import compose_answer
from bot.answer.formula import definition_of
from tests.helpers import make_hit

BALANCE_SHEET = (
    "Consolidated Balance Sheets (in millions)\n"
    "| | December 31, 2021 | December 31, 2020 |\n|---|---|---|\n"
    "| Total current assets | 19,815 | 19,378 |\n"
    "| Property, plant and equipment, net | 7,597 | 7,213 |\n"
    "| Total assets | 50,873 | 50,710 |\n"
    "| Total current liabilities | 13,997 | 13,933 |\n"
)
EARNINGS = (
    "Consolidated Statements of Earnings (in millions)\n"
    "| | 2021 | 2020 |\n|---|---|---|\n"
    "| Net sales | 67,044 | 65,398 |\n"
    "| Net earnings | 6,315 | 6,833 |\n"
)


def hits():
    filing = {"title": "Northwind Corp 10-K FY2021", "context": "Northwind Corp 10-K FY2021"}
    return [
        make_hit(BALANCE_SHEET, 0.7, "bs", article="nw", **filing),
        make_hit(EARNINGS, 0.65, "is", article="nw", **filing),
    ]


@pytest.mark.parametrize(
    ("question", "operation", "left", "right"),
    [
        (
            "What is Northwind's FY2021 net working capital? Define net working capital as total "
            "current assets less total current liabilities. Answer in USD millions.",
            "difference",
            ("total current assets", ["2021"]),
            ("total current liabilities", ["2021"]),
        ),
        (
            "What is FY2020 free cash flow? FCF here is defined as: (cash from operations - capex).",
            "difference",
            ("cash from operations", ["2020"]),
            ("capex", ["2020"]),
        ),
        (
            "What is the FY2021 asset turnover? It is defined as: FY2021 net sales / (average "
            "total assets between FY2020 and FY2021). Round to two decimals.",
            "ratio",
            ("net sales", ["2021"]),
            ("total assets", ["2020", "2021"]),
        ),
        (
            "What is the current ratio, calculated as current assets divided by current "
            "liabilities in 2020?",
            "ratio",
            ("current assets", ["2020"]),
            ("current liabilities", ["2020"]),
        ),
    ],
)
def test_definitions_are_read(question, operation, left, right):
    definition = definition_of(question)
    assert definition is not None and definition.operation == operation
    assert (definition.left.item, definition.left.years) == left
    assert (definition.right.item, definition.right.years) == right


@pytest.mark.parametrize(
    "question",
    [
        "What was debt-to-equity in 2021?",  # a hyphen is not a minus
        "CCC is defined as: DIO + DSO - DPO. What was it in 2021?",  # three terms
        "DPO is defined as: 365 * (average accounts payable between FY2020 and FY2021) / (FY2021 "
        "COGS + change in inventory between FY2020 and FY2021).",
        "What was revenue in 2021?",
    ],
)
def test_what_is_not_a_two_term_definition_is_left_alone(question):
    assert definition_of(question) is None


def test_a_difference_is_computed_from_cited_cells():
    answer = compose_answer(
        "What is Northwind's FY2021 net working capital? Define net working capital as total "
        "current assets less total current liabilities. Answer in USD millions.",
        hits(),
        0.35,
    )
    assert answer.computed is not None and answer.computed.value == 5818
    assert answer.answer.startswith("Total current assets, 2021: 19,815 [1]")
    assert "Total current liabilities, 2021: 13,997 [1]" in answer.answer
    assert "= 19,815 − 13,997 = 5,818 (computed; figures in millions)." in answer.answer


def test_an_average_inside_a_ratio_takes_both_years_each_cited():
    answer = compose_answer(
        "What is Northwind's FY2021 asset turnover ratio? Asset turnover ratio is defined as: "
        "FY2021 net sales / (average total assets between FY2020 and FY2021).",
        hits(),
        0.35,
    )
    computed = answer.computed
    assert computed is not None and computed.unit == "" and computed.scale is None
    assert round(computed.value, 4) == round(67044 / ((50873 + 50710) / 2), 4)
    assert [i.label for i in computed.inputs] == [
        "Net sales, 2021",
        "Total assets, 2020",
        "Total assets, 2021",
    ]
    assert [i.n for i in computed.inputs] == [1, 2, 2]  # each where it was read, in order
    assert "67,044 / ((50,710 + 50,873) / 2) = 1.32 (computed)." in answer.answer


def test_a_missing_input_is_named_and_nothing_is_computed():
    answer = compose_answer(
        "What is Northwind's FY2021 free cash flow? FCF is defined as: (cash from operations - capex).",
        hits(),
        0.35,
    )
    assert answer.computed is None or answer.computed.value is None
    assert "not found" in answer.answer and "so (cash from operations - capex)" in answer.answer


def test_a_row_much_more_specific_than_the_item_named_is_not_used():
    cash_flow = (
        "Cash flows (in millions)\n| | 2021 | 2020 |\n|---|---|---|\n"
        "| Net cash provided by operating activities | 9,221 | 8,183 |\n"
    )
    answer = compose_answer(
        "What is Northwind's FY2021 cash ratio? It is defined as: cash / total current "
        "liabilities.",
        [*hits(), make_hit(cash_flow, 0.6, "cf", article="nw", title="Northwind Corp 10-K FY2021")],
        0.35,
    )
    # "cash" is not "Net cash provided by operating activities": named missing, not computed.
    assert answer.computed is None or answer.computed.value is None
    assert "not found: cash, 2021" in answer.answer and "9,221" not in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "defined as " + "(" * 5000 + "revenue / cost" + ")" * 10,  # unbalanced, deep
        "Define " + "x " * 50_000 + "as revenue / cost",  # the name runs past what is read
        "defined as: " + "revenue - " * 20_000 + "cost",  # many operators: not two terms
        "defined as",  # nothing after it
        "What is FY2021 margin? defined as: / ",  # an operator with no terms
    ],
)
def test_hostile_definitions_are_refused_not_computed(question):
    assert definition_of(question) is None
    answer = compose_answer(question, hits(), 0.35)
    assert answer.computed is None or answer.computed.operation != "ratio"
