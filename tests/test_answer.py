"""compose_answer: verbatim, cited, figure-aware, and honest when evidence is weak."""

import re

from bot.answer.compose import NOT_FOUND, compose_answer
from bot.answer.render import render_text
from index.build import build_index
from index.search import Searcher
from tests.helpers import make_hit

hit = make_hit


def assert_verbatim(answer):
    """Every answer sentence appears verbatim in the citation its marker points to."""
    quotes = {c.n: c.quote for c in answer.citations}
    parts = re.findall(r"(.+?) \[(\d+)\](?: |$)", answer.answer)
    assert parts, answer.answer
    for sentence, n in parts:
        assert sentence in quotes[int(n)]


def test_figure_sentence_wins_for_how_much():
    text = (
        "Alibaba is investing heavily in AI across its businesses. "
        "Alibaba is investing RMB 380 billion ($53 billion) in AI infrastructure over three years. "
        "Analysts debate what investing in AI means for margins."
    )
    answer = compose_answer("How much is Alibaba investing in AI?", [hit(text)], min_score=0.3)
    assert answer.found
    assert answer.answer.startswith("Alibaba is investing RMB 380 billion ($53 billion)")
    assert_verbatim(answer)


def test_percent_question_prefers_percent_figure():
    text = "Alibaba made RMB 31.74 billion in cloud revenue. Alibaba holds a 36% share of China's cloud market."
    answer = compose_answer(
        "What share of China's cloud market does Alibaba hold?", [hit(text)], 0.3
    )
    assert answer.answer.startswith("Alibaba holds a 36% share")


def test_weak_evidence_is_not_found():
    answer = compose_answer(
        "What is the capital of Australia?", [hit("Revenue rose 5%.", score=0.2)], 0.35
    )
    assert not answer.found and answer.answer == NOT_FOUND and answer.citations == []
    assert not compose_answer("anything", [], 0.35).found


def test_unrelated_sentence_is_not_passed_off_as_an_answer():
    text = "Let the bread cool completely before slicing it on a board."
    answer = compose_answer(
        "What is the best recipe for banana bread?", [hit(text, score=0.41)], 0.35
    )
    assert not answer.found


def test_citations_are_numbered_by_first_use_and_duplicates_dropped():
    a = hit("Tencent spent RMB 76.8 billion on capex in 2024. Tencent builds AI models.", chunk="a")
    b = hit(
        "Tencent spent RMB 76.8 billion on capex in 2024. Other text follows here.",
        chunk="b",
        score=0.69,
    )
    answer = compose_answer("How much did Tencent spend on capex?", [a, b], 0.3)
    assert answer.answer.count("RMB 76.8 billion") == 1
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert_verbatim(answer)


def test_render_lists_sources():
    text = "Alibaba holds a 36% share of China's cloud market."
    answer = compose_answer(
        "What share of the cloud market does Alibaba hold?",
        [hit(text, url="https://x.test/a", source="Wire")],
        0.3,
    )
    out = render_text(answer)
    assert "Sources" in out and "[1] T — Wire — https://x.test/a" in out
    assert "\033[1m36%\033[0m" in render_text(answer, color=True)


def test_answers_from_a_built_index_are_verbatim(small_corpus, tmp_path, fake_embedder, counter):
    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    searcher = Searcher(tmp_path / "idx", fake_embedder)
    for question in (
        "How much will Alibaba invest in AI?",
        "How much did Tencent spend on capital expenditure?",
    ):
        answer = compose_answer(question, searcher.search(question, 5), min_score=0.2)
        assert answer.found
        assert_verbatim(answer)
        for citation in answer.citations:
            assert citation.quote in (small_corpus / citation.path).read_text()


def test_bold_figures_leaves_citation_markers_alone():
    from bot.answer.figures import bold_figures

    out = bold_figures("Alibaba holds a 36% share [1] and spent $1.3 billion. [2]", "*", "*")
    assert out == "Alibaba holds a *36%* share [1] and spent *$1.3 billion*. [2]"
