"""Passage expansion: a hit cut mid-sentence is completed from its article, within limits."""

from bot.answer.compose import compose_answer
from bot.eval.answers import top_hits
from bot.eval.ranking import Rankings
from index.build import build_index
from index.expand import (
    MAX_EXTRA,
    expand_hits,
    needs_expansion,
    pdf_header_start,
    starts_in_pdf_rows,
    table_start,
)
from index.fusion import FusionParams
from index.search import Searcher
from tests.helpers import write_article
from tests.pdf_factory import make_pdf


def test_needs_expansion_only_when_cut():
    assert needs_expansion("Revenue rose to $5 billion in")
    assert needs_expansion("Capital expenditures (1,577) (1,373)")
    assert not needs_expansion("Revenue rose 5%.")
    assert not needs_expansion("It said: “done.”")


def test_cut_sentence_is_completed_from_the_next_chunk(tmp_path, fake_embedder, counter):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # One sentence far longer than the 256-token window: the chunker must cut it.
    words = " ".join(f"segment{i} grew" for i in range(160))
    body = f"Cainiao volumes {words} strongly overall. A second sentence follows here."
    write_article(corpus, "long.md", "Long", body)
    build_index(corpus, tmp_path / "idx", fake_embedder, counter)
    searcher = Searcher(tmp_path / "idx", fake_embedder)
    text = (corpus / "long.md").read_text()
    first = searcher.hits_for([(0, 1.0)])[0]
    assert needs_expansion(first.text)
    hit = next(
        h for h in searcher.search("Cainiao volumes segment0", k=3) if h.start == first.start
    )
    assert hit.end > first.end
    assert hit.end - first.end <= MAX_EXTRA
    assert hit.text == text[text.index("Cainiao") :][: len(hit.text)]
    assert hit.text.startswith(first.text)


def test_table_start_finds_the_first_line_of_the_table_the_text_ends_in():
    before = "Intro sentence.\nSegment | 2024 | 2023\nCloud | 1 | 2\nAds | 3 | 4\n"
    assert before[table_start(before) :] == "Segment | 2024 | 2023\nCloud | 1 | 2\nAds | 3 | 4\n"
    assert table_start("Intro.\nSegment | 2024 | 2023\nCloud ") == len("Intro.\n")  # mid-row
    assert table_start("Intro sentence.\n") is None  # no table just before the hit
    assert table_start("Cloud | 1 | 2\n\n") is None  # a blank line ends the table
    assert table_start("Cloud | 1 | 2\nAds | 3 | 4\n") is None  # its header is out of reach


def test_a_hit_starting_mid_table_is_taken_back_to_the_header(tmp_path, fake_embedder, counter):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = "\n".join(f"Product line {i} revenue | {1000 + i} | {900 + i}" for i in range(40))
    body = f"Revenue by product line, in thousands.\n\nProduct | 2024 | 2023\n{rows}\n"
    write_article(corpus, "table.md", "Product revenue", body)
    build_index(corpus, tmp_path / "idx", fake_embedder, counter)
    searcher = Searcher(tmp_path / "idx", fake_embedder)
    text = searcher.files.query("SELECT text FROM articles")[0][0]
    chunks = searcher.hits_for([(rowid, 1.0) for rowid in range(4)])
    later = next(h for h in chunks if h.start > text.index("Product line 1 "))
    assert not later.text.startswith("Product |")  # the chunker cut the table: no header
    hit = next(h for h in expand_hits(searcher.files, [later]))
    assert hit.text.startswith("Product | 2024 | 2023\n")
    assert hit.text.endswith(later.text) and hit.end == later.end
    assert text[hit.start : hit.end] == hit.text  # still one verbatim span
    row = later.text.split("\n")[1]
    label, now, _ = (c.strip() for c in row.split("|"))
    answer = compose_answer(f"What was {label} in 2024?", [hit], 0.0)
    assert f"{label}, 2024: {now} [1]" in answer.answer
    assert "Product | 2024 | 2023" in answer.citations[0].quote


def test_the_eval_composes_hits_expanded_as_search_gives_them(tmp_path, fake_embedder, counter):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = "\n".join(f"Store {i} sales | {2000 + i} | {1900 + i}" for i in range(40))
    write_article(
        corpus, "stores.md", "Store sales", f"Sales by store.\n\nStore | 2024 | 2023\n{rows}\n"
    )
    build_index(corpus, tmp_path / "idx", fake_embedder, counter)
    searcher = Searcher(tmp_path / "idx", fake_embedder)
    rowids = list(range(len(searcher.hits_for([(r, 1.0) for r in range(8)]))))
    ranking = Rankings(dense=[(r, 1.0 - 0.1 * r) for r in rowids], keyword=[])
    vector = fake_embedder.encode_query("store sales")
    hits = top_hits(searcher, ranking, vector, FusionParams(), {r: "a" for r in rowids})
    assert [h.text for h in hits] == [h.text for h in expand_hits(searcher.files, hits)]
    assert all("Store | 2024 | 2023" in h.text for h in hits if "|" in h.text)


def test_pdf_rows_without_their_period_line_are_found():
    rows = "Additions to property, plant and equipment (1,119) (1,028)\nOther, net 12 (3)\n"
    assert starts_in_pdf_rows(rows)
    assert starts_in_pdf_rows("Investing activities:\n" + rows)  # a section label first
    assert not starts_in_pdf_rows("(Dollars in millions) 2019 2018\n" + rows)  # has its header
    assert not starts_in_pdf_rows("Revenue grew in the year, as the table shows.\n" + rows)


def test_pdf_header_start_finds_the_period_line_above_the_rows():
    before = (
        "Liquidity was strong.\nNORTHWIND, INC.\n(In millions) 2019 2018\nSales 10 9\nCost 4 3\n"
    )
    assert before[pdf_header_start(before) :].startswith("(In millions) 2019 2018\n")
    # A prose line between the rows and the period line: the rows belong to another table.
    prose = "(In millions) 2019 2018\nSales 10 9\nThe following table shows our costs, as noted.\n"
    assert pdf_header_start(prose) is None
    assert pdf_header_start("Sales 10 9\nCost 4 3\n") is None  # no period line at all


def test_a_pdf_hit_cut_from_its_period_line_is_taken_back_to_it(tmp_path, fake_embedder, counter):
    rows = [f"Line item number {i} of the statement {100 + i} {90 + i}" for i in range(70)]
    page = ["NORTHWIND TRADERS, INC.", "CONSOLIDATED STATEMENTS OF CASH FLOWS"]
    page += ["(In millions) 2019 2018", *rows]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "0000011111-19-000001.pdf").write_bytes(make_pdf([["An opening page."], page]))
    build_index(corpus, tmp_path / "idx", fake_embedder, counter)
    searcher = Searcher(tmp_path / "idx", fake_embedder)
    text = searcher.files.query("SELECT text FROM articles")[0][0]
    chunks = searcher.hits_for([(rowid, 1.0) for rowid in searcher.article_of])
    later = [h for h in chunks if h.page == 2 and h.text.startswith("Line item")]
    assert later, "the statement page must span several chunks for this test"
    expanded = expand_hits(searcher.files, later)
    for hit, cut in zip(expanded, later, strict=True):
        assert hit.text.startswith("(In millions) 2019 2018")
        assert hit.text.endswith(cut.text)
        assert text[hit.start : hit.end] == hit.text  # still one verbatim span
    # An opening page's period line is never borrowed: the search stops at the page start.
    assert all(h.start >= text.index("NORTHWIND") for h in expanded)
