"""Sentence spans: abbreviations and decimals do not split; blocks do."""

from index.sentences import split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_decimals_and_abbreviations_stay_whole():
    text = "Alibaba Group Inc. said revenue rose 5.86% to RMB 996.35 billion. Mr. Wu spoke in the U.S. today."
    assert sentences(text) == [
        "Alibaba Group Inc. said revenue rose 5.86% to RMB 996.35 billion.",
        "Mr. Wu spoke in the U.S. today.",
    ]


def test_headings_lists_and_tables_are_separate():
    text = "# Heading\nFirst para line\ncontinues here.\n\n- item one\n- item two\n| a | b |\n| 1 | 2 |"
    assert sentences(text) == [
        "# Heading",
        "First para line\ncontinues here.",
        "- item one",
        "- item two",
        "| a | b |",
        "| 1 | 2 |",
    ]


def test_offsets_are_exact_with_an_offset_window():
    text = "  One.  Two!   Three?  "
    spans = split_sentences(text, 2, len(text))
    assert [text[s:e] for s, e in spans] == ["One.", "Two!", "Three?"]
