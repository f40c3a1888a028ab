"""Sentence-level evidence, matching that sees through paraphrase, and near-topic questions."""

import numpy as np

from bot.answer.compose import compose_answer
from bot.answer.matching import content_terms
from bot.answer.question import question_type
from bot.answer.sentence_evidence import SENTENCE_SCORE, gather_evidence
from tests.helpers import make_hit

LONG = (
    "Alibaba's quarter covered many topics. Taobao and Tmall customer management revenue grew "
    "10%. The international commerce unit expanded in Europe. Cloud revenue rose 26% on AI "
    "demand. Cainiao slashed adjusted EBITA losses by 55% after integrating logistics into "
    "e-commerce operations. Local services orders grew in lower-tier cities."
)


def hit(text, score, chunk="c1", title="Alibaba results"):
    return make_hit(text, score, chunk, article=chunk, title=title)


class KeyedEncoder:
    """Vectors by content: texts about Cainiao's losses point one way, everything else another."""

    name, dim = "keyed", 2

    def __init__(self):
        self.calls = 0

    def encode_documents(self, texts, batch_size=32, progress=None):
        self.calls += 1
        return np.array([[1.0, 0.0] if "losses" in t else [0.0, 1.0] for t in texts])


def test_one_sentence_of_a_long_passage_is_evidence_on_its_own():
    question = "How did Cainiao's losses narrow?"
    weak = [hit(LONG, score=0.15)]  # the whole passage is far from the question
    assert not compose_answer(question, weak, 0.35).found
    encoder = KeyedEncoder()
    answer = compose_answer(question, weak, 0.35, encoder=encoder)
    assert answer.found and encoder.calls == 1  # one batched call
    assert answer.answer.startswith("Cainiao slashed adjusted EBITA losses by 55%")
    assert answer.citations[0].quote in LONG


def test_only_the_first_passages_may_pass_on_one_sentence():
    question = "How did Cainiao's losses narrow?"
    evidence = gather_evidence(
        question, question_type(question), [hit(LONG, 0.15)], 0.35, KeyedEncoder()
    )
    assert evidence.hits  # the weak passage passes on its Cainiao sentence
    # As the sixth passage of an answer that reads sentences from seven, it may not: it
    # would cost an encoded sentence to add to an answer only, never to make one.
    deep = gather_evidence(
        question, question_type(question), [hit(LONG, 0.15)], 0.35, KeyedEncoder(), None, 0
    )
    assert not deep.hits


def test_a_dissimilar_sentence_does_not_open_the_gate():
    class Far(KeyedEncoder):
        def encode_documents(self, texts, batch_size=32, progress=None):
            return np.array([[1.0, 0.0]] + [[0.5, 0.866]] * (len(texts) - 1))

    assert SENTENCE_SCORE > 0.5
    answer = compose_answer(
        "How did Cainiao's losses narrow?", [hit(LONG, 0.15)], 0.35, encoder=Far()
    )
    assert not answer.found


def test_matching_sees_hyphens_and_paraphrases():
    assert {"debt-to-equity", "debt", "equit"} <= content_terms("What is the debt-to-equity ratio?")
    assert {"e-commerce", "comme"} <= content_terms("e-commerce operations")
    assert "~leverage" in content_terms("debt to equity") & content_terms("debt-to-equity")
    assert "~repurchase" in content_terms("Will they buy back stock?") & content_terms(
        "share repurchases of $10 billion"
    )
    assert "~loss-down" in content_terms("Did losses narrow?") & content_terms(
        "Cainiao slashed adjusted EBITA losses by 55%"
    )
    assert "~capex" in content_terms("FY2018 capex") & content_terms(
        "Purchases of property, plant and equipment (PP&E)"
    )


def test_paraphrased_question_finds_its_sentence():
    text = (
        "Alibaba reported results for the quarter. The board approved share repurchases of "
        "$10 billion over two years. Revenue grew 5%."
    )
    answer = compose_answer("How big is Alibaba's buy back?", [hit(text, 0.5)], 0.35)
    assert answer.answer.startswith("The board approved share repurchases of $10 billion")


def test_near_topic_question_about_a_known_company_is_not_found():
    text = (
        "Amazon's net sales for the second quarter rose 13% to $167.7 billion. AWS is the main "
        "source of Amazon's operating income, though a smaller share of its sales."
    )
    passages = [hit(text, 0.56, title="Amazon results")]
    assert not compose_answer("What is Amazon's dividend per share?", passages, 0.35).found
    assert compose_answer("What were Amazon's net sales?", passages, 0.35).found
