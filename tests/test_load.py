"""Loading .md front matter and messy .txt files into Articles."""

from datetime import date

from index.load import load_corpus
from index.sentences import split_sentences
from tests.helpers import BUNDLED_CORPUS, write_article


def test_front_matter_fields(small_corpus):
    result = load_corpus(small_corpus)
    by_path = {a.path: a for a in result.articles}
    alibaba = by_path["alibaba.md"]
    assert alibaba.title == "Alibaba bets on AI"
    assert alibaba.source == "Sample Wire"
    assert alibaba.url == "https://example.com/alibaba"
    assert alibaba.published == date(2025, 9, 27)
    assert alibaba.tickers == ["BABA", "9988.HK"]
    assert alibaba.text.startswith("Alibaba will invest")
    assert result.warnings == []


def test_txt_first_line_is_title(small_corpus):
    notes = {a.path: a for a in load_corpus(small_corpus).articles}["notes.txt"]
    assert notes.title == "Microsoft cloud notes"
    assert notes.source is None and notes.published is None
    assert notes.text.startswith("Azure revenue grew 39%")


def test_malformed_front_matter_warns_and_keeps_text(tmp_path):
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\nRevenue rose 10% this year.\n")
    (tmp_path / "open.md").write_text("---\ntitle: never closed\nRevenue fell.\n")
    result = load_corpus(tmp_path)
    texts = {a.path: a.text for a in result.articles}
    assert "Revenue rose 10% this year." in texts["bad.md"]
    assert "Revenue fell." in texts["open.md"]
    assert len(result.warnings) == 2
    assert all("malformed front matter" in w for w in result.warnings)


def test_bad_date_warns_but_loads(tmp_path):
    write_article(tmp_path, "a.md", "Dated", "Body text here.", published="last Tuesday")
    result = load_corpus(tmp_path)
    assert result.articles[0].published is None
    assert "published date" in result.warnings[0]


def test_unsupported_and_empty_files_are_skipped_with_a_warning(tmp_path):
    (tmp_path / "deck.pptx").write_bytes(b"\x00\x01")
    (tmp_path / "empty.md").write_text("")
    write_article(tmp_path, "ok.md", "Fine", "Body.")
    result = load_corpus(tmp_path)
    assert [a.path for a in result.articles] == ["ok.md"]
    assert any("deck.pptx" in w and "unsupported" in w for w in result.warnings)
    assert any("empty.md" in w for w in result.warnings)


def test_messy_txt_loses_its_junk():
    art = {a.path: a for a in load_corpus(BUNDLED_CORPUS).articles}["tencent-results-notes.txt"]
    for junk in ("[1]", "Company filing", "Share this", "Comments", "reader_88", "By the"):
        assert junk not in art.text
    assert "RMB 184.5 billion." in art.text


def test_readme_is_not_an_article():
    paths = [a.path for a in load_corpus(BUNDLED_CORPUS).articles]
    assert "README.md" not in paths
    assert len(paths) >= 12


def test_glued_reference_titles_are_cut_where_the_sentence_ends(tmp_path):
    (tmp_path / "scraped.txt").write_text(
        "Acme in Q1\n\nAcme cut delivery times by integrating logistics into e-commerce "
        "operationsAcme accelerates AI-driven growth in Q1 - by CIW Team[3]. Meanwhile, its "
        "cloud unit grew 26%. PayPal and eBay integrations also launched this quarter[4].\n",
        encoding="utf-8",
    )
    text = load_corpus(tmp_path).articles[0].text
    assert "e-commerce operations. Meanwhile, its cloud unit grew 26%." in text
    assert "CIW Team" not in text and "[3]" not in text
    assert "PayPal and eBay integrations also launched this quarter." in text  # brands kept
    assert [text[s:e] for s, e in split_sentences(text)][0].endswith("e-commerce operations.")


def test_one_paragraph_txt_is_indexed_whole(tmp_path):
    (tmp_path / "one-liner.txt").write_text(
        "Nvidia's data center revenue rose 56% year over year to $41.1 billion.\n", encoding="utf-8"
    )
    (tmp_path / "wrapped.txt").write_text(
        "Apple authorised a $100 billion buyback, the largest\nin its history, in May 2025.\n",
        encoding="utf-8",
    )
    articles = {a.path: a for a in load_corpus(tmp_path).articles}
    one = articles["one-liner.txt"]
    assert one.text.startswith("Nvidia's data center revenue rose 56%") and one.title == "one liner"
    assert articles["wrapped.txt"].text.startswith("Apple authorised a $100 billion buyback")
