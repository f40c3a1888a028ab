"""Table answers: pipe, Markdown, HTML-as-text and PDF tables; cells quoted with row and header."""

import time

import pytest

from bot.answer.compose import compose_answer
from bot.answer.lookup import best_cells
from bot.answer.operations import operation_of
from bot.answer.tables import cell_value, find_tables
from index.textfile import clean_text
from tests.helpers import make_hit

PIPE = (
    "Current assets | As Reported | Adjustments | Balances without Adoption of Topic 606\n"
    "Receivables, less allowance for doubtful accounts | $831.7 | $8.7 | $840.4\n"
    "Inventories . | 1,571.7 | (3.1) | 1,568.6\n"
    "Current liabilities |  |  | \n"
    "Other accrued liabilities | 691.6 | (1.1) | 690.5"
)
MARKDOWN = (
    "Segment results for the year, in millions:\n\n"
    "| Segment | 2024 | 2023 |\n|---|---:|---:|\n"
    "| Cloud | 1,204 | 980 |\n| Advertising | 3,410 | 3,122 |\n| Total revenue | 4,614 | 4,102 |\n"
)
PDF = (
    "Revenues by customer location consisted of the following:\n"
    "Years ended December 31, 2022 2021 2020\n"
    "Asia $8,393 $5,845 $5,931\n"
    "Europe 7,916 8,967 7,961\n"
    "Estimated potential concessions and other considerations to 737 MAX\n"
    "customers 16 14 (498)\n"
    "Total revenues $66,608 $62,286 $58,158\n"
    "Revenues from the U.S. government represented 40% of consolidated revenues."
)


hit = make_hit


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("$831.7", 831.7),
        ("(1,402)", -1402.0),
        ("$(20,597)", -20597.0),
        ("34%", 34.0),
        ("+3.6%", 3.6),  # a reported change
        ("(8.9%)", -8.9),
        ("(8.9)%", -8.9),
    ],
)
def test_cell_values(cell, value):
    assert cell_value(cell) == value


def test_cell_value_of_words_and_dashes_is_none():
    assert cell_value("—") is None and cell_value("Level 1") is None


def test_pipe_table_columns_rows_and_sections():
    (table,) = find_tables(PIPE)
    assert table.columns == ["As Reported", "Adjustments", "Balances without Adoption of Topic 606"]
    rows = {r.label: r for r in table.rows}
    assert rows["Inventories ."].cells == ["1,571.7", "(3.1)", "1,568.6"]
    assert rows["Other accrued liabilities"].section == "Current liabilities"


def test_markdown_table_drops_outer_pipes_and_separator():
    (table,) = find_tables(MARKDOWN)
    assert table.columns == ["2024", "2023"]
    assert [r.label for r in table.rows] == ["Cloud", "Advertising", "Total revenue"]


def test_pdf_rows_under_a_year_header_and_wrapped_labels():
    (table,) = find_tables(PDF)
    assert table.columns == ["2022", "2021", "2020"]
    rows = {r.label: r.cells for r in table.rows}
    assert rows["Asia"] == ["$8,393", "$5,845", "$5,931"]
    wrapped = "Estimated potential concessions and other considerations to 737 MAX customers"
    assert rows[wrapped] == ["16", "14", "(498)"]
    assert "Revenues from the U.S. government represented" not in " ".join(rows)


def test_a_sentence_ending_in_a_figure_is_not_a_table():
    assert find_tables("Revenue rose to $5.2 billion in 2024.\nMargins held at 31%.") == []


def test_cell_answer_names_row_and_column_and_quotes_them_verbatim():
    question = "What was the balance without adoption of Topic 606 of inventories?"
    answer = compose_answer(question, [hit(PIPE)], 0.35)
    assert answer.found
    assert answer.answer.startswith(
        "Inventories ., Balances without Adoption of Topic 606: 1,568.6 [1]"
    )
    quote = answer.citations[0].quote
    assert quote in PIPE
    assert "Current assets | As Reported" in quote and "Inventories . | 1,571.7" in quote


def test_respectively_gives_every_value_in_order():
    question = (
        "What are the balances (without Adoption of Topic 606, in millions) of inventories "
        "and other accrued liabilities, respectively?"
    )
    (cells,) = best_cells(question, [hit(PIPE)])
    assert [c.text for c in cells] == ["1,568.6", "690.5"]


def test_two_years_of_one_row_follow_the_question_order():
    (cells,) = best_cells("What was cloud revenue in 2023 and 2024 respectively?", [hit(MARKDOWN)])
    assert [c.text for c in cells] == ["980", "1,204"]


def test_markdown_and_pdf_cells_answer_with_year_column():
    answer = compose_answer("What was Advertising revenue in 2023?", [hit(MARKDOWN)], 0.35)
    assert answer.answer.startswith("Advertising, 2023: 3,122 [1]")
    answer = compose_answer("What were total revenues in 2021?", [hit(PDF)], 0.35)
    assert answer.answer.startswith("Total revenues, 2021: $62,286 [1]")
    assert "Years ended December 31, 2022 2021 2020" in answer.citations[0].quote


def test_which_years_does_the_table_cover():
    answer = compose_answer(
        "Which years does the table provide information for revenues by customer location?",
        [hit(PDF)],
        0.35,
    )
    assert "2022, 2021 and 2020" in answer.answer


def test_in_which_year_was_a_row_largest():
    answer = compose_answer("In which year was Europe revenue the largest?", [hit(PDF)], 0.35)
    assert answer.answer.startswith("Europe was largest in 2021")
    assert "(compared)" in answer.answer


DIRECTORS = (
    "Name | Sitting fees for committee meetings | Commission | Total\n"
    "A. Mehta | 4.80 | 315.00 | 319.80\n"
    "O. Bhatt | 7.50 | 215.00 | 222.50\n"
    "R. Sommer | 5.10 | 220.00 | 225.10\n"
    "Total | 17.40 | 750.00 | 767.40"
)
RECONCILIATION = (
    "Reconciliation of adjusted revenue (in thousands):\n"
    "| | 2018 | 2017 |\n|---|---|---|\n"
    "| Total net revenue | 3,298,177 | 2,214,253 |\n"
    "| Less: transaction-based costs | 1,558,562 | 1,230,290 |\n"
    "| Less: bitcoin costs | 164,827 | — |\n"
    "| Adjusted revenue | 1,574,788 | 983,963 |\n"
)


def test_which_row_has_the_highest_value_in_the_column_asked_for():
    answer = compose_answer("Which director had the highest commission?", [hit(DIRECTORS)], 0.35)
    assert answer.answer.startswith("A. Mehta had the highest Commission: 315.00 [1] (compared).")
    lowest = compose_answer("Which director had the lowest commission?", [hit(DIRECTORS)], 0.35)
    assert lowest.answer.startswith("O. Bhatt had the lowest Commission: 215.00")


def test_components_are_the_rows_between_the_two_named():
    answer = compose_answer(
        "What items are deducted from total net revenue to get adjusted revenue?",
        [hit(RECONCILIATION)],
        0.35,
    )
    assert answer.answer.startswith(
        "The table lists: Less: transaction-based costs; Less: bitcoin costs [1]"
    )


def test_method_questions_get_sentences_not_cells():
    text = (
        "We determine the allowance based on known troubled accounts and historical experience.\n"
        "Allowance | 2019 | 2018\nAllowance for doubtful accounts | (265) | (277)"
    )
    answer = compose_answer("How does the company determine the allowance?", [hit(text)], 0.35)
    assert answer.answer.startswith("We determine the allowance based on known troubled accounts")


def test_two_tables_that_fit_alike_and_disagree_are_both_shown():
    other = MARKDOWN.replace("| Cloud | 1,204 | 980 |", "| Cloud | 1,250 | 990 |")
    answer = compose_answer(
        "What was Cloud revenue in 2024?", [hit(MARKDOWN), hit(other, chunk="c2")], 0.35
    )
    assert answer.answer.startswith("Cloud, 2024: 1,204 [1] Cloud, 2024: 1,250 [2]")


CHANGE = (
    "Retail subscribers |  |  | \n(millions) | 2019 | 2018 | Change\n"
    "Wireless | 9.96 | 9.61 | +3.6%\nTelephone lines | 2.70 | 2.96 | (8.9%)\n"
    "Total | 12.66 | 12.57 | +0.7%"
)


def test_a_signed_or_bracketed_change_the_table_reports_is_quoted_not_computed():
    answer = compose_answer("What is the percentage change in subscribers for Wireless?",
                            [hit(CHANGE)], 0.35)  # fmt: skip
    assert answer.answer.startswith("Wireless, Change: +3.6% [1] (as reported).")
    assert answer.computed is None
    answer = compose_answer(
        "What is the percentage change in telephone lines?", [hit(CHANGE)], 0.35
    )
    assert answer.answer.startswith("Telephone lines, Change: (8.9%) [1]")


SECTIONS = (
    "|  | Pension | \n | 2019 | 2018\nNet periodic benefit cost: |  | \n"
    "Discount rate | 2.2% | 2.1%\nRate of compensation increase | 4.4% | 3.3%\n"
    "Projected benefit obligation: |  | \nDiscount rate | 1.7% | 2.2%\n"
    "Rate of compensation increase | 4.3% | 4.4%"
)


def test_one_row_under_two_sections_gives_both_unless_the_question_names_one():
    answer = compose_answer("What was the rate of compensation increase in 2019?",
                            [hit(SECTIONS)], 0.35)  # fmt: skip
    assert answer.answer.startswith(
        "Rate of compensation increase (Net periodic benefit cost), 2019: 4.4% [1]; "
        "Rate of compensation increase (Projected benefit obligation), 2019: 4.3% [1]"
    )
    quote = answer.citations[0].quote
    assert quote in SECTIONS and "Projected benefit obligation" in quote
    named = compose_answer(
        "What was the rate of compensation increase for the projected benefit obligation in 2019?",
        [hit(SECTIONS)],
        0.35,
    )
    assert named.answer.startswith("Rate of compensation increase, 2019: 4.3% [1]")
    assert "4.4%" not in named.answer.split("[1]")[0]


def test_a_total_row_answers_when_the_question_names_no_part():
    table = (
        "| 2019 | 2018 | 2017\nSubscription revenue | $542,968 | $473,052 | $396,764\n"
        "Professional services revenue | $33,555 | $64,839 | $85,221\n"
        "Total revenue | $576,523 | 537,891 | 481,985"
    )
    assert compose_answer("What was revenue in 2017?", [hit(table)], 0.35).answer.startswith(
        "Total revenue, 2017: 481,985 [1]"
    )
    part = compose_answer("What was subscription revenue in 2017?", [hit(table)], 0.35)
    assert part.answer.startswith("Subscription revenue, 2017: $396,764 [1]")


def test_a_date_in_a_text_cell_names_the_period_not_the_row():
    table = (
        "Details | Date | Shares | $'000\n"
        "Balance | 1 July 2017 | 130,215,813 | 125,177\n"
        "Shares issued | 23 February 2018 | 69,129 | 458\n"
        "Balance | 30 June 2018 | 130,284,942 | 125,635\n"
        "Balance | 30 June 2019 | 130,511,522 | 126,058"
    )
    answer = compose_answer(
        "What is the total ordinary shares balance on 30 June 2018?", [hit(table)], 0.35
    )
    assert answer.answer.startswith("Balance, Shares: 130,284,942 [1]")


@pytest.mark.parametrize(
    "worst",
    [
        lambda: find_tables(("Revenue " + "1,234 " * 3000 + "\n") * 3),
        lambda: find_tables(("a | " * 2000 + "\n") * 20),
        lambda: cell_value("$" + "1" * 20_000 + "%"),
        lambda: operation_of("difference in " * 300 + " between " * 300 + " and " * 10),
        lambda: operation_of("change " * 600),
        lambda: clean_text("operations" + "Acme " * 5000 + "[3]"),
    ],
)
def test_worst_inputs_stay_linear(worst):
    started = time.perf_counter()
    worst()
    assert time.perf_counter() - started < 1.0


STACKED = (
    " |  | Year ended June 30, 2024 |  | \n"
    " | Games | Music | Total\n"
    "Net sales | $410 | $220 | $630\n"
    "Operating income | $95 | $41 | $136\n"
    " |  | Year ended June 30, 2023 |  | \n"
    " | Games | Music | Total\n"
    "Net sales | $380 | $260 | $640\n"
    "Operating income | $70 | $58 | $128"
)


def test_a_pipe_block_stacking_two_periods_is_two_tables():
    tables = find_tables(STACKED)
    assert len(tables) == 2
    assert [len(t.rows) for t in tables] == [2, 2]
    assert "2023" in tables[1].note and "2024" not in tables[1].note
    answer = compose_answer("What was the operating income of Music in 2023?", [hit(STACKED)], 0.35)
    assert answer.answer.startswith("Operating income, Music: $58 [1]")


def test_a_row_sharing_one_word_with_the_question_is_not_named_by_it():
    text = (
        "Reconciliation | 2024 | 2023\n"
        "Net income | 98.0 | 91.5\n"
        "Net cash from operations | 142.9 | 147.7\n"
        "Lease payments | (3.1) | (13.0)\n"
        "Net capital expenditure | (22.2) | (21.1)\n"
        "Free cash flow | 117.6 | 113.6"
    )
    answer = compose_answer(
        "What components are deducted from net cash from operations to get free cash flow?",
        [hit(text)],
        0.35,
    )
    assert answer.answer.startswith("The table lists: Lease payments; Net capital expenditure [1]")


def test_a_unit_column_does_not_count_as_words_of_the_row():
    text = (
        " | Unit | 2024 | 2023\n"
        "Copper | Lb. | $ 3.10 | $ 2.95\n"
        "Platinum | Troy oz. | 905 | 960\n"
        "Palladium | Troy oz. | 1,010 | 1,340"
    )
    answer = compose_answer("What was the price of palladium in 2024?", [hit(text)], 0.35)
    assert answer.answer.startswith("Palladium, 2024: 1,010 [1]")
    compared = compose_answer(
        "In which year was the average price of platinum larger?", [hit(text)], 0.35
    )
    assert compared.answer.startswith(
        "Platinum was largest in 2023: 960 (2023) [1], 905 (2024) [1]"
    )


CASH_FLOWS = (
    "Cash provided by operations 5,903 4,955 3,846\n"
    "Cash provided (used) by investing activities:\n"
    "Additions to property, plant and equipment (1,119) (1,028) (1,105)\n"
    "Interest, net of capitalized interest 153 125 98\n"
    "Non-cash additions to property, plant and equipment 160 294 266\n"
    "Cash used by financing activities (5,293) (4,835) (2,148)"
)


def test_a_statement_named_in_the_question_is_where_to_look_not_a_row_to_read():
    header = "(Dollars in millions) 2019 2018 2017\n"
    statement = hit(
        header + CASH_FLOWS, page=55, context="Northwind 10-K FY2019 — Statement of Cash Flows"
    )
    answer = compose_answer(
        "Using the cash flow statement, what were Northwind's capital expenditures in FY2019?",
        [statement],
        0.35,
    )
    # "capital expenditures" is the capex row, not "capitalized interest" (the same stem), and
    # "cash flow statement" is neither "Non-cash additions" nor "Cash used by financing".
    assert answer.answer.startswith("Additions to property, plant and equipment, 2019: (1,119) [1]")
    assert "Cash used by financing" not in answer.answer.split("[1]")[0]


def test_a_pdf_table_is_read_with_its_page_context():
    # The page context (company, statement) covers question words no row repeats: without it
    # "Netflix" is a word of the question the table does not hold, and the cell is not taken.
    table = hit(
        "(In millions) 2019 2018\nTotal current liabilities 5,466 4,686\nTotal 14,681 12,000"
    )
    question = "What were Netflix's total current liabilities in 2019?"
    assert not compose_answer(question, [table], 0.35).found
    paged = table.model_copy(update={"page": 40, "context": "Netflix 10-K FY2019 — Balance Sheet"})
    answer = compose_answer(question, [paged], 0.35)
    assert answer.answer.startswith("Total current liabilities, 2019: 5,466 [1]")
