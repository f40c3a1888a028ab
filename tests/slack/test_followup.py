"""Follow-ups in a thread: the root question supplies what the follow-up leaves out."""

import pytest

from bot.answer.followup import combine_follow_up, names_in

ROOT = "How much is Alibaba investing in AI?"


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [
        ("and Tencent?", "How much is Tencent investing in AI?"),
        ("What about Microsoft Azure?", "How much is Microsoft Azure investing in AI?"),
        ("Tencent?", "How much is Tencent investing in AI?"),
        ("and in 2024?", "How much is Alibaba investing in AI in 2024?"),
        (
            "what is its share of the cloud market?",
            "Alibaba: what is its share of the cloud market?",
        ),
        (
            "How much did Tencent spend on buybacks in 2024?",
            "How much did Tencent spend on buybacks in 2024?",
        ),
        (ROOT, ROOT),
    ],
)
def test_follow_up_borrows_from_the_root(follow_up, expected):
    assert combine_follow_up(ROOT, follow_up) == expected


def test_without_a_root_the_follow_up_stands_alone():
    assert combine_follow_up("", "and Tencent?") == "and Tencent?"


def test_a_root_without_names_is_kept_as_context():
    assert combine_follow_up("how big is the capex?", "for the whole year please") == (
        "how big is the capex? for the whole year please"
    )


def test_names_skip_question_words_and_generic_acronyms():
    question = "What did Google Cloud, Eddie Wu and NVIDIA say about AI GPUs in Q2?"
    assert names_in(question) == ["Google Cloud", "Eddie Wu", "NVIDIA"]
