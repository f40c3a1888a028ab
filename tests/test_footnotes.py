"""A question about what a table row stands for is answered by the row's footnote, quoted."""

import pytest

from bot.answer.compose import cited_sentences, compose_answer
from bot.answer.footnotes import answer_footnote, mark_of
from tests.helpers import make_hit

TABLE = """| FY19 | FY18 | Change
 | $M | $M | %
Shareholder distributions – dividends1 | 23.9 | 21.8 | 10%
Total employee expenditure2 | 370.1 | 361.9 | 2%"""
NOTES = """1 Represents dividends paid in each financial year.
2 Includes wages and salaries, social security costs and pension costs."""


def hit(text, chunk, article, score=0.7):
    return make_hit(text, score, chunk, article=article)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Shareholder distributions – dividends1", ("Shareholder distributions – dividends", "1")),
        (
            "Acquisition of Commercialization Rights (1)",
            ("Acquisition of Commercialization Rights", "1"),
        ),
        ("Other charges (b)", ("Other charges", "b")),
        ("Legal fees*", ("Legal fees", "*")),
        ("Level 3", None),
        ("Revenue", None),
        ("FY2019", None),
        ("Q4", None),
    ],
)
def test_footnote_marks(label, expected):
    assert mark_of(label) == expected


def test_the_rows_own_footnote_answers_what_it_represents():
    hits = [hit(f"{TABLE}\n\n{NOTES}", "c1", "a")]
    question = "What does shareholder distributions - dividends in the table represent?"
    answer = compose_answer(question, hits, 0.3)
    assert answer.answer.startswith(
        "Shareholder distributions – dividends1 [1] 1 Represents dividends paid in each "
        "financial year."
    )
    assert "Includes wages" not in answer.answer.split("[1]")[1]
    quotes = {c.n: c.quote for c in answer.citations}
    pairs = cited_sentences(answer)
    assert len(pairs) >= 2
    for sentence, n in pairs:
        assert sentence in quotes[n]  # the row and its note, each verbatim


def test_the_second_rows_note_for_the_second_row():
    segments = answer_footnote(
        "What does total employee expenditure include?", [hit(f"{TABLE}\n\n{NOTES}", "c1", "a")]
    )
    assert segments is not None
    assert (
        segments[1].text
        == " 2 Includes wages and salaries, social security costs and pension costs."
    )


def test_a_note_in_another_passage_must_speak_of_the_same_thing():
    question = "What does shareholder distributions - dividends in the table represent?"
    table = hit(TABLE, "c1", "a")
    unrelated = hit("1 Excludes restructuring charges recorded in the fourth quarter.", "c2", "b")
    assert answer_footnote(question, [table, unrelated]) is None
    related = hit("1 Represents dividends paid in each financial year.", "c3", "c")
    segments = answer_footnote(question, [table, unrelated, related])
    assert segments is not None and segments[1].source.hit.chunk_id == "c3"


def test_no_footnote_answer_without_a_mark_or_a_note():
    question = "What does total revenue in the table represent?"
    plain = "| 2019 | 2018\nTotal revenue | 10 | 9"
    assert answer_footnote(question, [hit(plain, "c1", "a")]) is None
    marked = "| 2019 | 2018\nTotal revenue1 | 10 | 9"
    assert answer_footnote(question, [hit(marked, "c1", "a")]) is None  # its note is not there


def test_figure_questions_are_not_footnote_questions():
    hits = [hit(f"{TABLE}\n\n{NOTES}", "c1", "a")]
    assert answer_footnote("What were shareholder distributions - dividends in FY19?", hits) is None
