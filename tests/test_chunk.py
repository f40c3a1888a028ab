"""The chunker: token budget with the real tokenizer, exact offsets, stable ids, odd input."""

import pytest

from index.chunk import ChunkerSettings, chunk_article
from index.load import load_corpus
from index.models import Article
from index.tokens import SPECIAL_TOKENS
from tests.helpers import BUNDLED_CORPUS


def article(text: str, title: str = "A title") -> Article:
    return Article(id="a1", path="a.md", title=title, text=text)


def check(chunks, art, counter, max_tokens=256):
    for chunk in chunks:
        assert art.text[chunk.start : chunk.end] == chunk.text
        real = counter.count(chunk.embed_text) + SPECIAL_TOKENS
        assert real == chunk.n_tokens
        assert real <= max_tokens


def test_bundled_corpus_chunks_fit_the_window(counter):
    settings = ChunkerSettings()
    for art in load_corpus(BUNDLED_CORPUS).articles:
        chunks = chunk_article(art, counter, settings)
        assert chunks, art.path
        check(chunks, art, counter)


@pytest.mark.parametrize("max_tokens", [64, 128, 256])
def test_long_text_respects_smaller_budgets(counter, max_tokens):
    text = " ".join(
        f"Sentence number {i} reports revenue of RMB {i}.5 billion." for i in range(200)
    )
    art = article(text)
    chunks = chunk_article(art, counter, ChunkerSettings(max_tokens=max_tokens))
    check(chunks, art, counter, max_tokens)
    assert len(chunks) > 3


def test_overlap_is_one_sentence(counter):
    text = " ".join(f"Fact {i} is stated here in a sentence of moderate length." for i in range(60))
    chunks = chunk_article(article(text), counter, ChunkerSettings(max_tokens=64))
    for first, second in zip(chunks, chunks[1:], strict=False):
        last_sentence = first.text.rsplit(". ", 1)[-1]
        assert second.text.startswith(last_sentence)


def test_ids_are_deterministic(counter):
    text = "Alibaba invests in AI. Cloud revenue grew 13%. " * 40
    a = chunk_article(article(text), counter, ChunkerSettings())
    b = chunk_article(article(text), counter, ChunkerSettings())
    assert [c.id for c in a] == [c.id for c in b]
    assert len({c.id for c in a}) == len(a)


def test_empty_text_gives_no_chunks(counter):
    assert chunk_article(article(""), counter, ChunkerSettings()) == []
    assert chunk_article(article("   \n\n  "), counter, ChunkerSettings()) == []


def test_one_giant_sentence_is_split_at_words(counter):
    text = "revenue " * 2000 + "grew."
    art = article(text)
    chunks = chunk_article(art, counter, ChunkerSettings())
    check(chunks, art, counter)
    assert len(chunks) > 5
    for chunk in chunks:  # cuts fall between words
        assert chunk.text.split()[0] in {"revenue", "grew."}


def test_text_without_punctuation_or_spaces(counter):
    art = article("x" * 5000)
    chunks = chunk_article(art, counter, ChunkerSettings())
    check(chunks, art, counter)
    assert "".join(c.text for c in chunks) == art.text


def test_unicode_text(counter):
    text = (
        "阿里巴巴将在三年内投入3800亿元人民币用于人工智能。 Émile a dit: « 5,86 % » — ça monte. 🚀 "
        * 30
    )
    art = article(text, title="Ünïcödé tïtle")
    chunks = chunk_article(art, counter, ChunkerSettings())
    check(chunks, art, counter)


def test_headings_become_context(counter):
    art = article("# Results\nRevenue rose 5%.\n\n## Outlook\nMargins should widen.", title="T")
    chunks = chunk_article(art, counter, ChunkerSettings())
    assert chunks[-1].context == "T — Outlook"
    check(chunks, art, counter)


def test_absurd_title_cannot_overflow(counter):
    art = article("Short body sentence here. " * 50, title="Very long title " * 200)
    chunks = chunk_article(art, counter, ChunkerSettings())
    check(chunks, art, counter)


def sectioned(n_sections: int = 4, sentences: int = 26) -> Article:
    body = "\n\n".join(
        f"## Part {s}\n"
        + " ".join(f"In part {s} item {i} grew {i}% on strong demand." for i in range(sentences))
        for s in range(n_sections)
    )
    return article(body, title="Quarterly note")


def test_a_long_sections_tail_runs_into_the_next_section(counter):
    art = sectioned()
    packed = chunk_article(art, counter, ChunkerSettings())
    apart = chunk_article(art, counter, ChunkerSettings(cross_sections=False))
    check(packed, art, counter)
    check(apart, art, counter)
    assert len(packed) < len(apart)
    fill = sum(c.n_tokens for c in packed) / len(packed)
    assert fill > sum(c.n_tokens for c in apart) / len(apart)
    crossing = [c for c in packed if "## Part" in c.text and not c.text.startswith("## Part")]
    assert crossing and all(c.context == "Quarterly note" for c in crossing)
    for chunk in apart:  # without packing, no chunk holds a heading after its start
        assert "## Part" not in chunk.text[1:]
        assert chunk.context.startswith("Quarterly note — Part ")


def test_a_short_section_keeps_its_heading_as_context(counter):
    art = sectioned(n_sections=3, sentences=2)  # each section far below half the window
    chunks = chunk_article(art, counter, ChunkerSettings())
    assert [c.context for c in chunks] == [f"Quarterly note — Part {s}" for s in range(3)]


def test_chunks_never_span_two_pdf_pages(counter):
    from index.pdf import join_pages

    pages = [f"Page {n} says revenue was {n} billion. Costs fell {n}%." for n in range(1, 6)]
    text, starts = join_pages(pages)
    art = Article(id="p", path="r.pdf", title="Report", text=text, page_starts=starts)
    chunks = chunk_article(art, counter, ChunkerSettings())
    check(chunks, art, counter)
    assert [c.page for c in chunks] == [1, 2, 3, 4, 5]
    for chunk in chunks:
        assert chunk.text.startswith(f"Page {chunk.page} ")


def test_packing_across_sections_still_stops_at_pages(counter):
    from index.pdf import join_pages

    body = " ".join(f"Item {i} grew {i}% on strong demand this quarter." for i in range(30))
    text, starts = join_pages([f"## Part {n}\n{body}" for n in range(1, 4)])
    art = Article(id="p", path="r.pdf", title="Report", text=text, page_starts=starts)
    chunks = chunk_article(art, counter, ChunkerSettings())
    check(chunks, art, counter)
    for chunk in chunks:
        assert art.page_at(chunk.end - 1) == chunk.page


def test_a_filings_chunks_carry_its_identity_in_few_tokens(counter):
    """The identity prefix is shared by every chunk of a company's filings; the embedder averages
    over all tokens, so a long prefix would blur what each chunk's own text says."""
    from index.models import DocumentIdentity
    from index.pdf import join_pages

    pages = ["Consolidated Statement of Cash Flows\nNet cash from operations was 4.2 billion."]
    text, starts = join_pages(pages)
    identity = DocumentIdentity(
        company="Northwind Traders Holdings, Inc.",
        short_name="Northwind Traders",
        tickers=["NWT"],
        form="10-K",
        fiscal_year=2021,
    )
    art = Article(
        id="p", path="0000123456-22-000042.pdf", title="", text=text, page_starts=starts,
        identity=identity,
    )  # fmt: skip
    [chunk] = chunk_article(art, counter, ChunkerSettings())
    assert chunk.context == "Northwind Traders 10-K FY2021 — Consolidated Statement of Cash Flows"
    assert counter.count("Northwind Traders 10-K FY2021") <= 12
