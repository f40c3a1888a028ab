"""'What are the respective X of the Ys?': the named column's entry for every row, quoted."""

from bot.answer.columns import answer_each_row
from bot.answer.compose import compose_answer
from tests.helpers import make_hit

OFFICERS = """Name | Age | Position
Jane Roe | 58 | Chief Executive Officer since 2015.
Ann Poe | 47 | Chief Financial Officer since 2019.
Raj Iyer | 52 | General Counsel and Secretary since 2012."""


def test_every_rows_entry_in_the_named_column():
    answer = compose_answer(
        "What are the respective ages of the executive officers?", [make_hit(OFFICERS)], 0.3
    )
    assert answer.answer.startswith("Jane Roe, Age: 58; Ann Poe, Age: 47; Raj Iyer, Age: 52 [1]")
    quote = answer.citations[0].quote
    assert quote.startswith("Name | Age | Position") and quote.endswith("since 2012.")


def test_a_text_column_is_listed_too():
    segments = answer_each_row(
        "What is the respective position of each officer?", [make_hit(OFFICERS)]
    )
    assert segments is not None
    assert "Ann Poe, Position: Chief Financial Officer since 2019." in segments[0].text


def test_questions_naming_rows_or_years_are_left_to_the_cell_lookup():
    revenue = "| 2019 | 2018\nProducts | 10 | 9\nServices | 5 | 4"
    hits = [make_hit(revenue)]
    assert answer_each_row("What are the respective products and services revenue?", hits) is None
    assert answer_each_row("What are the respective revenues in 2019 and 2018?", hits) is None
    assert (
        answer_each_row("What are the ages of the executive officers?", [make_hit(OFFICERS)])
        is None
    )


def test_a_column_the_question_does_not_name_is_not_listed():
    hits = [make_hit(OFFICERS)]
    assert (
        answer_each_row("What are the respective salaries of the executive officers?", hits) is None
    )


def test_a_table_about_something_else_is_not_listed():
    pets = "Name | Age | Breed\nRex | 3 | Collie\nFido | 5 | Beagle"
    question = "What are the respective ages of the executive officers?"
    assert answer_each_row(question, [make_hit(pets)]) is None
