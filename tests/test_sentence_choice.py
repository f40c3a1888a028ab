"""Which sentences an answer quotes, and in what order: captions, follow-ons said once,
runners-up that cover the rest of the question, cause markers."""

import pytest

from bot.answer.compose import ComposeOptions, _choose, compose_answer
from bot.answer.matching import content_terms
from bot.answer.question import QuestionType, question_type
from bot.answer.sentence_evidence import Scored, lexical_score
from tests.helpers import make_hit


def hit(text, score=0.7, chunk="c1"):
    return make_hit(text, score, chunk)


def test_a_caption_ending_in_a_colon_does_not_lead():
    text = (
        "Activity in the allowance for doubtful accounts was as follows:\n"
        "We determine the allowance based on known troubled accounts and historical experience."
    )
    question = "How does the company determine the allowance for doubtful accounts?"
    answer = compose_answer(question, [hit(text)], 0.3)
    assert answer.answer.startswith("We determine the allowance based on known troubled")


def test_a_caption_scores_below_the_same_words_as_a_statement():
    question = "What was the allowance for doubtful accounts?"
    terms = content_terms(question)
    h = hit("x")
    caption = "The allowance for doubtful accounts was as follows:"
    statement = "The allowance for doubtful accounts was as follows."
    score = lambda s: lexical_score(QuestionType.OTHER, terms, h, s, False, question=question)  # noqa: E731
    assert score(caption) < score(statement)


def test_a_follow_on_sentence_is_not_quoted_a_second_time():
    text = (
        "In 2018, government grants of $0.4 million were included within accruals. "
        "These have been reclassified to government grants. "
        "Government grants have been received to support research into satellite navigation."
    )
    answer = compose_answer("What are the government grants received for?", [hit(text)], 0.3)
    assert answer.answer.count("These have been reclassified") <= 1
    assert "to support research into satellite navigation" in answer.answer


def scored(text, sentences):
    """Scored candidates for each (sentence, score) of `text`, best first."""
    h = hit(text)
    out = []
    for sentence, score in sentences:
        start = text.index(sentence)
        out.append(Scored(score, h, start, start + len(sentence)))
    return sorted(out, key=lambda s: -s.score)


def test_runners_up_that_cover_the_rest_of_the_question_come_first():
    first = "Subscription revenue increased by $54.1 million in 2018."
    again = "Subscription revenue growth came from new customers and upsells in 2018."
    other = "Professional services revenue increased by $4.8 million in 2018."
    candidates = scored(f"{first} {again} {other}", [(first, 1.0), (again, 0.95), (other, 0.9)])
    question = "What was the increase in subscription revenue as well as professional services?"
    chosen = [c.hit.text[c.start : c.end] for c in _choose(candidates, 2, question)]
    assert chosen == [first, other]
    # with nothing left to cover, the order is the score's
    plain = "What was the increase in subscription revenue?"
    assert [c.hit.text[c.start : c.end] for c in _choose(candidates, 2, plain)] == [first, again]


def test_runners_up_stay_within_the_runner_up_share_of_the_best():
    first = "Subscription revenue increased by $54.1 million in 2018."
    other = "Professional services revenue increased by $4.8 million in 2018."
    candidates = scored(f"{first} {other}", [(first, 1.0), (other, 0.5)])
    question = "What was the increase in subscription revenue as well as professional services?"
    assert len(_choose(candidates, 3, question)) == 1


def test_a_runner_up_ending_in_a_chosen_sentence_is_cut_before_it():
    lead = "Non-GAAP measures are not defined by U.S. GAAP."
    best = "We believe these non-GAAP measures help readers evaluate our business."
    text = f"{lead} {best}"
    h = hit(text)
    candidates = [Scored(1.0, h, len(lead) + 1, len(text)), Scored(0.9, h, 0, len(text))]
    chosen = _choose(candidates, 3, "What are the non-GAAP measures used for?")
    assert [text[c.start : c.end] for c in chosen] == [best, lead]


@pytest.mark.parametrize(
    "marker",
    ["partially offset by", "attributable to", "resulting from", "contributing to", "caused by"],
)
def test_cause_markers_count_for_why_questions(marker):
    question = "Why did cable revenue increase in 2018?"
    terms = content_terms(question)
    h = hit("x")
    plain = "Cable revenue increased by 1% in 2018 with higher internet revenue."
    cause = f"Cable revenue increased by 1% in 2018, {marker} higher internet revenue."
    score = lambda s: lexical_score(QuestionType.WHY, terms, h, s, False, question=question)  # noqa: E731
    assert score(cause) > score(plain)


@pytest.mark.parametrize(
    "question",
    [
        "What is the cause of the lower cash flow from operating activities in 2019?",
        "What accounted for the decrease in the share of net earnings?",
        "What contributed to the increase in revenue?",
    ],
)
def test_cause_questions(question):
    assert question_type(question) == QuestionType.WHY


def _passages(deep_text: str) -> list:
    filler = [
        hit(f"Unrelated passage {i} about weather patterns and shipping lanes.", 0.2, f"f{i}")
        for i in range(5)
    ]
    return [*filler, hit(deep_text, 0.7, "deep")]


def test_passages_past_the_first_five_never_make_an_answer_on_their_own():
    question = "Who is the chief financial officer of Northwind?"
    deep = "Northwind named Dana Smith chief financial officer in March."
    options = ComposeOptions(sentence_passages=7)
    # Only the sixth passage says it: not found, as with five passages.
    assert not compose_answer(question, _passages(deep), 0.35, options=options).found
    # Once a top passage answers, the sixth may add its sentence.
    first = hit("Northwind's chief financial officer is Dana Smith, appointed in 2023.", 0.7, "top")
    passages = [first, *_passages(deep)[1:]]
    answer = compose_answer(question, passages, 0.35, options=options)
    assert answer.found and "appointed in 2023" in answer.answer
