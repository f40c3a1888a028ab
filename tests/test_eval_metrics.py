"""Ranking metrics, figure matching and page-number conversion of the evaluation harness."""

import math

import pytest

from bot.eval.figure_match import figure_matches, main_number, numbers_in
from bot.eval.financebench import page_of
from bot.eval.financebench_data import gold_page_key, page_key
from bot.eval.metrics import dedupe, hit_at, mrr_at, ndcg_at, recall_at
from bot.eval.ranking import is_dev


def test_hit_and_mrr_on_a_hand_made_ranking():
    ranked = ["a", "b", "c", "d"]
    assert hit_at(ranked, {"c"}, 2) == 0.0
    assert hit_at(ranked, {"c"}, 3) == 1.0
    assert mrr_at(ranked, {"c", "d"}) == pytest.approx(1 / 3)
    assert mrr_at(ranked, {"d"}, 3) == 0.0
    assert mrr_at(ranked, {"z"}) == 0.0


def test_ndcg_perfect_partial_and_empty():
    assert ndcg_at(["a", "b", "x"], {"a", "b"}, 10) == pytest.approx(1.0)
    # One of two relevant at rank 2: (1/log2 3) / (1 + 1/log2 3).
    expected = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert ndcg_at(["x", "a", "y"], {"a", "b"}, 10) == pytest.approx(expected)
    assert ndcg_at(["x", "y"], {"a"}, 10) == 0.0
    assert ndcg_at(["a"], set(), 10) == 0.0


def test_duplicates_count_once_for_recall_and_ndcg():
    assert dedupe(["a", "a", "b", "a"]) == ["a", "b"]
    assert recall_at(["a", "a", "a", "b"], {"a", "b"}, 2) == 1.0
    assert ndcg_at(["a", "a"], {"a"}, 10) == pytest.approx(1.0)


def test_gold_pages_are_zero_indexed_and_ours_one_indexed():
    # FinanceBench's evidence_page_num 59 is the 60th page, which our chunks call page 60.
    assert gold_page_key("3M_2018_10K", 59) == "3M_2018_10K#p60"
    assert page_of(("3M_2018_10K.pdf", 60)) == gold_page_key("3M_2018_10K", 59)
    assert page_of(("sub/3M_2018_10K.pdf", 59)) != gold_page_key("3M_2018_10K", 59)
    assert page_key("X", 1) == "X#p1"


def test_numbers_apply_scale_words_and_separators():
    assert numbers_in("capex of $1,577 million and 12.5%") == [1.577e9, 12.5]
    assert numbers_in("RMB 380 billion ($53 bn)") == [380e9, 53e9]
    assert main_number("$1577.00") == 1577.0
    assert main_number("No, it is not capital intensive.") is None


@pytest.mark.parametrize(
    ("gold", "ours", "match"),
    [
        ("$1577.00", "Purchases of PP&E (1,577) (1,373) (1,420)", True),
        ("$8.70", "Property, plant and equipment — net 8,738 8,866", True),  # billions vs millions
        ("$1.6 billion", "capital spending was $1,600 million", True),
        ("24.5%", "gross margin of 24.5 %", True),
        ("24.5%", "gross margin of 42.5%", False),
        ("$1577.00", "Purchases of PP&E (1,373)", False),
        ("Yes", "Yes, 2018 was strong", False),
    ],
)
def test_figure_match(gold, ours, match):
    assert figure_matches(gold, ours) is match


def test_dev_split_is_stable_and_about_a_third():
    ids = [f"q{i}" for i in range(3000)]
    dev = [i for i in ids if is_dev(i)]
    assert [i for i in ids if is_dev(i)] == dev
    assert 800 < len(dev) < 1200
