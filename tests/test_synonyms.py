"""Finance abbreviations reach the words filings use, in keyword search and answer selection."""

from bot.answer.compose import compose_answer, content_terms
from index.models import Hit


def test_answer_terms_match_abbreviation_and_written_form():
    assert {"capit", "expen"} <= content_terms("What was Meta's capex?")
    assert "capex" not in content_terms("capital expenditure rose")


def test_capex_question_picks_the_capital_expenditure_sentence():
    text = (
        "Tencent repurchased about HK$112 billion of its own shares during 2024. "
        "Tencent's capital expenditure for 2024 was about RMB 76.8 billion."
    )
    hit = Hit(chunk_id="c", article_id="a", text=text, score=0.55, start=0, end=len(text),
              title="Tencent", path="t.md")  # fmt: skip
    answer = compose_answer("How much was Tencent's capex in 2024?", [hit], min_score=0.3)
    assert answer.answer.startswith("Tencent's capital expenditure for 2024")
