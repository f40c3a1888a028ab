"""Regexes that read untrusted text (articles, questions) stay linear on their worst inputs.

Each bound is generous: it guards against catastrophic backtracking (seconds to hours on these
inputs before the fix), not against a slow machine.
"""

import time

import pytest

from bot.answer.figures import figure_fit
from bot.answer.question import question_type
from bot.slack.replies import question_text
from index.expand import pdf_header_start, starts_in_pdf_rows
from index.sentences import split_sentences
from index.statements import page_statement, question_statements
from index.textfile import clean_text, first_heading

CASES = {
    "a run of digits in a sentence": lambda: figure_fit("How much did it spend?", "1" * 20_000),
    "a percent after a long number": lambda: figure_fit("What share?", "1" * 20_000 + "!"),
    "thousands groups without end": lambda: figure_fit("What share?", "1" + ",111" * 10_000),
    "a line of dots": lambda: split_sentences("." * 50_000 + "x"),
    "a heading padded with spaces": lambda: first_heading("# a" + " " * 50_000 + "b"),
    "web-copy junk lines": lambda: clean_text(("Related: " + " " * 20_000 + "x\n") * 3),
    "a Slack message of repeated phrases": lambda: question_type("what is the " * 2_000),
    "a question of statement words": lambda: question_statements("statement of " * 5_000),
    "a page top of statement words": lambda: page_statement(
        ("Consolidated statement of " * 2_000 + "\n") * 20
    ),
    "a PDF line of years that ends in a word": lambda: starts_in_pdf_rows(
        "1 2\n3 4\n" + "2019 " * 20_000 + "x 1"
    ),
    "a page of year lines above a hit": lambda: pdf_header_start(("2019 " * 800 + "x\n") * 5),
    "a Slack message of brackets": lambda: question_text("<" * 20_000 + "&amp;" * 5_000),
}


@pytest.mark.parametrize("case", list(CASES))
def test_worst_inputs_take_well_under_a_second(case):
    started = time.perf_counter()
    CASES[case]()
    assert time.perf_counter() - started < 1.0
