"""The real model on the bundled corpus: the questions the product is built around."""

import pytest

from bot.answer.compose import compose_answer
from index.search import Searcher
from index.settings import IndexSettings

pytestmark = pytest.mark.integration

OFF_TOPIC = [
    "What is the capital of Australia?",
    "How do I fix a flat bicycle tire?",
    "Who won the 1998 football World Cup?",
    "How many moons does Jupiter have?",
    "What is the plot of Hamlet?",
    "How tall is Mount Everest?",
]


@pytest.fixture(scope="module")
def searcher(bundled_index, real_embedder):
    return Searcher(bundled_index / "index", real_embedder)


def ask(searcher, question):
    return compose_answer(question, searcher.search(question, 5), IndexSettings().min_score)


def test_alibaba_investment(searcher):
    answer = ask(searcher, "How much is Alibaba investing in AI?")
    assert answer.found
    assert "380 billion" in answer.answer or "52.4 billion" in answer.answer
    assert answer.citations[0].path == "alibaba-ai-cloud-investment.md"


def test_alibaba_cloud_share(searcher):
    answer = ask(searcher, "What share of China's cloud market does Alibaba hold?")
    assert "36%" in answer.answer
    assert answer.citations[0].path == "alibaba-ai-cloud-investment.md"


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_is_not_found(searcher, question):
    assert not ask(searcher, question).found
