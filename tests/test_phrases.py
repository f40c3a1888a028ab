"""The phrase match: a passage holding a run of the question's words verbatim is lifted."""

from bot.eval.ranking import rank_questions
from index.build import build_index
from index.fusion import FusionParams, fuse, fuse_with_phrases
from index.phrases import MAX_QUESTION_WORDS, folded, phrase_lengths, question_phrases
from index.search import Searcher
from tests.helpers import write_article


def test_phrases_count_content_words_and_skip_years_and_question_words():
    phrases = dict(question_phrases("What was the equity in net earnings of affiliates in 2019?"))
    assert phrases[" equity in net earning of affiliate "] == 4
    assert phrases[" net earning "] == 2
    # A run must start and end on a content word; years and question scaffolding are not.
    assert not any(p.startswith((" what ", " the ")) or p.endswith(" 2019 ") for p in phrases)
    assert question_phrases("What was it in 2019?") == []
    assert folded("Expenses’ FY19 R&D year-over-year") == " expense fy19 r&d year-over-year "


def test_the_longest_phrase_a_text_holds_is_counted():
    phrases = question_phrases("What was the equity in net earnings of affiliates in 2019?")
    texts = {
        1: "| 2019 | 2018\nEquity in net earnings of affiliates | 1,204 | 988",
        2: "Equity rose. Earnings were net of charges, and affiliates paid dividends.",
        3: "Our net earnings were higher.",
        4: "Nothing relevant here.",
    }
    assert phrase_lengths(phrases, texts) == {1: 4, 3: 2}
    # Plural and singular meet: "expenses" in the question, "expense" in the table.
    expense = question_phrases("How much were research and development expenses?")
    assert phrase_lengths(expense, {1: "Research and development expense | 7,051"}) == {1: 3}


def test_a_pasted_paragraph_is_read_from_its_start_only():
    long = " ".join(f"word{i}" for i in range(5000))
    phrases = question_phrases(long)
    assert max(n for _, n in phrases) == 12  # MAX_PHRASE_WORDS
    assert {w for p, _ in phrases for w in p.split()} == {
        f"word{i}" for i in range(MAX_QUESTION_WORDS)
    }


def test_fusion_lifts_phrase_rows_by_their_length_unless_a_document_matched():
    dense = [(1, 0.9), (2, 0.8), (3, 0.7)]
    keyword = [(1, 9.0), (2, 8.0), (3, 7.0)]
    params = FusionParams(article_weight=0.0, phrase_weight=1.0)
    order = [r for r, _ in fuse(dense, keyword, params)]
    assert order == [1, 2, 3]
    lifted = fuse(dense, keyword, params, None, None, None, None, {3: 3, 2: 2})
    assert [r for r, _ in lifted] == [3, 2, 1]
    scores = dict(fuse(dense, keyword, params))
    assert dict(lifted)[2] == scores[2] * 2 and dict(lifted)[3] == scores[3] * 3
    # Past phrase_cap content words a phrase counts no more.
    capped = params.model_copy(update={"phrase_cap": 1})
    assert dict(fuse(dense, keyword, capped, None, None, None, None, {3: 5}))[3] == scores[3] * 2
    # With the document match active, matched_phrase_weight (0 by default) applies.
    gaps = {1: 0.0, 2: 0.0, 3: 0.0}
    matched = fuse(dense, keyword, params, None, gaps)
    assert fuse(dense, keyword, params, None, gaps, None, None, {3: 4}) == matched
    # fuse_with_phrases looks up only the first phrase_depth rowids.
    asked: list[list[int]] = []
    shallow = params.model_copy(update={"phrase_depth": 2})

    def lookup(rowids):
        asked.append(rowids)
        return {}

    fuse_with_phrases(dense, keyword, shallow, None, None, None, None, lookup)
    assert asked == [[1, 2]]


def _corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_article(
        corpus,
        "prose.md",
        "Affiliates and equity",
        "In 2019 equity holders watched the affiliates closely. Net results of affiliates and their "
        "earnings were discussed, and equity in affiliates was revalued. The earnings of "
        "affiliates and net equity rose as affiliates grew their earnings.",
        published="2025-03-01",
    )
    write_article(
        corpus,
        "table.md",
        "Other income",
        "| | 2019 | 2018 |\n| --- | --- | --- |\n| Interest income | 310 | 295 |\n"
        "| Equity in net earnings of affiliates | 1,204 | 988 |\n| Other, net | 12 | 40 |\n"
        "| Foreign exchange gains | 77 | 61 |\n| Dividend income | 19 | 23 |\n"
        "| Gains on disposals of property | 5 | 102 |\n| Pension credits | 31 | 28 |",
        published="2025-03-01",
    )
    return corpus


def test_the_table_naming_the_line_item_comes_first(tmp_path, counter, fake_embedder):
    build_index(_corpus(tmp_path), tmp_path / "idx", fake_embedder, counter)
    searcher = Searcher(tmp_path / "idx", fake_embedder)
    question = "What was the equity in net earnings of affiliates in 2019?"
    assert searcher.search(question, k=2)[0].title == "Other income"
    # Without the phrase match the prose, richer in the question's single words, comes first.
    searcher.fusion = FusionParams(phrase_weight=0.0)
    assert searcher.search(question, k=2)[0].title == "Affiliates and equity"
    # The eval's stored rankings fuse the same way as the searcher.
    searcher.fusion = FusionParams()
    vector = fake_embedder.encode_query(question)[None, :]
    ranking = rank_questions(searcher, [question], vector)[0]
    article_of = searcher.article_of
    expected = [h.chunk_id for h in searcher.search(question, k=2)]
    got = searcher.hits_for(
        [(r, 0.0) for r in ranking.ranked("hybrid", FusionParams(), 2, article_of)]
    )
    assert [h.chunk_id for h in got] == expected
