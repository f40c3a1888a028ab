"""Document match: a question's names and periods against article labels, and its effect on search."""

import pytest

from index.build import build_index
from index.doc_match import DocumentMatcher, article_label, question_cues
from index.fusion import FusionParams, fuse
from index.search import Searcher
from tests.pdf_factory import make_pdf

LABELS = {
    "mmm18": "3M 2018 10-K",
    "mmm22": "3M 2022 10-K",
    "bby22": "BESTBUY 2022 10-K",
    "jnj22": "JOHNSON JOHNSON 2022 10-K",
    "jpm22": "JPMORGAN 2022 Q2 10-Q",
    "amcor8k": "AMCOR 2022 8-K dated-2022-07-01",
    "amcor10k": "AMCOR 2023 10-K",
}


def test_cues_are_names_the_latest_year_quarters_and_forms():
    assert question_cues("What is the FY2018 - FY2020 average margin for Best Buy's stores?") == [
        "Best",
        "Buy",
        "bestbuy",
        "2020",  # a filing also reports the years before it
    ]
    assert question_cues("the key agenda of AMCOR's 8k filing dated 1st July 2022") == [
        "AMCOR",
        "8k",
        "July",
        "2022",
    ]
    assert question_cues("As of Q2'2023, is Pfizer spinning off a segment?") == [
        "q2",
        "Pfizer",
        "2023",
    ]
    # Lower-case words are never cues, so generic title words ("fiscal", "company") cannot match.
    assert question_cues("what was the fiscal revenue of the company?") == []


def test_the_filing_of_the_named_company_and_period_matches_best():
    matcher = DocumentMatcher(LABELS)
    gaps = matcher.gaps("What drove operating margin change as of FY2022 for 3M?", LABELS)
    assert gaps["mmm22"] == 0.0
    assert 0 < gaps["mmm18"] < gaps["bby22"]  # right company, wrong year beats a stranger
    assert "amcor10k" not in gaps  # matches nothing the question names
    assert min(matcher.gaps("the agenda of AMCOR's 8k filing dated July 2022", LABELS).items(),
               key=lambda kv: kv[1])[0] == "amcor8k"  # fmt: skip


def test_joined_names_tickers_and_initials_find_their_filing():
    matcher = DocumentMatcher(LABELS)
    assert _best(matcher, "Are Best Buy's gross margins consistent?") == {"bby22"}
    assert _best(matcher, "In 2022 Q2, which of JPM's segments earned most?") == {"jpm22"}
    assert _best(matcher, "What drove gross margin change for JnJ?") == {"jnj22"}


def test_nothing_named_means_no_scores():
    matcher = DocumentMatcher({**LABELS, "untitled": ""})
    assert matcher.gaps("What was the total revenue?", matcher.ids) == {}
    assert matcher.gaps("How did Tesla do?", matcher.ids) == {}


def test_labels_use_the_pdf_file_name_or_the_title():
    assert article_label("3M_2018_10K.pdf", "", [], paged=True) == "3M 2018 10-K"
    assert article_label("notes/alibaba.md", "Alibaba results", ["BABA"], paged=False) == (
        "Alibaba results BABA"
    )
    assert article_label("table-1f3a", "", [], paged=False) == ""


def test_fusion_is_unchanged_without_gaps_and_lifts_the_matching_article():
    dense = [(1, 0.9), (2, 0.8), (3, 0.7)]
    keyword = [(1, 9.0), (2, 8.0)]
    params = FusionParams(match_weight=4.0)
    plain = fuse(dense, keyword, params.model_copy(update={"match_weight": 0.0}))
    assert fuse(dense, keyword, params, None, {}) == plain
    assert [r for r, _ in fuse(dense, keyword, params, None, {3: 0.0})][0] == 3


def test_search_prefers_the_filing_the_question_names(tmp_path, counter, fake_embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Another company's filing that repeats the question's words; the right one says less.
    (corpus / "GLOBEX_2022_10K.pdf").write_bytes(
        make_pdf([["Results", "Revenue grew. Revenue and operating revenue rose in 2022."]])
    )
    (corpus / "ACME_2018_10K.pdf").write_bytes(make_pdf([["Results", "Revenue was $3 million."]]))
    (corpus / "ACME_2022_10K.pdf").write_bytes(make_pdf([["Results", "Sales were $5 million."]]))
    # Unrelated filings, so that a term in two of the filings above is not in most of the store
    # (keyword search ignores terms in over half the chunks).
    for n, name in enumerate(("INITECH_2020_10K", "UMBRELLA_2019_10K", "HOOLI_2021_10K")):
        page = ["Operations", f"Headcount was {n + 2},000 people across four plants."]
        (corpus / f"{name}.pdf").write_bytes(make_pdf([page]))
    build_index(corpus, tmp_path / "idx", fake_embedder, counter)
    question = "What was Acme's FY2022 revenue growth in 2022?"
    off = Searcher(tmp_path / "idx", fake_embedder, FusionParams(match_weight=0.0))
    assert off.search(question, k=1)[0].path == "GLOBEX_2022_10K.pdf"
    on = Searcher(tmp_path / "idx", fake_embedder, FusionParams(match_weight=4.0))
    assert on.search(question, k=1)[0].path == "ACME_2022_10K.pdf"


def test_search_is_unchanged_when_no_title_matches(small_corpus, tmp_path, counter, fake_embedder):
    build_index(small_corpus, tmp_path / "idx", fake_embedder, counter)
    question = "how much did the cloud business invest in data centres?"
    off = Searcher(tmp_path / "idx", fake_embedder, FusionParams(match_weight=0.0))
    on = Searcher(tmp_path / "idx", fake_embedder, FusionParams(match_weight=8.0))
    assert on.match_gaps(question, list(on.article_of)) == {}
    assert [h.chunk_id for h in on.search(question, k=5)] == [
        h.chunk_id for h in off.search(question, k=5)
    ]


def _best(matcher: DocumentMatcher, question: str) -> set[str]:
    return {
        article
        for article, gap in matcher.gaps(question, matcher.ids).items()
        if gap == pytest.approx(0)
    }
