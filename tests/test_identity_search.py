"""Identity in use: filings named by accession numbers are labelled, scoped, cited and shown."""

import json

from bot.answer.compose import Citation
from bot.answer.query import scoped_search
from bot.answer.render import source_line
from bot.cli import main
from bot.slack.blocks import source_line as slack_source_line
from index.build import build_index
from index.doc_match import DocumentMatcher
from index.filters import SearchFilter
from index.fusion import FusionParams, fuse
from index.scope import companies_in, known_companies
from index.search import Searcher
from tests.pdf_factory import make_pdf

ALIASES_NONE = None


def _cover(company: str, symbol: str, year: int) -> list[str]:
    return [
        "UNITED STATES",
        "SECURITIES AND EXCHANGE COMMISSION",
        "Washington, D.C. 20549",
        "FORM 10-K",
        "ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934",
        f"For the fiscal year ended December 31, {year}",
        "Commission File Number 001-00001",
        company,
        "(Exact name of registrant as specified in its charter)",
        "Securities registered pursuant to Section 12(b) of the Act:",
        f"Common Stock, par value $0.01 per share {symbol} New York Stock Exchange",
        "Securities registered pursuant to Section 12(g) of the Act: None",
    ]


def _corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    cash = ["Consolidated Statement of Cash Flows", "Purchases of property and equipment"]
    (corpus / "0000011111-19-000001.pdf").write_bytes(
        make_pdf([_cover("NORTHWIND TRADERS INC.", "NWT", 2018), [*cash, "were $1,577 million."]])
    )
    (corpus / "0000022222-19-000002.pdf").write_bytes(
        make_pdf([_cover("TAILSPIN TOYS CORPORATION", "TSPN", 2018), [*cash, "were $912 million."]])
    )
    return corpus


def test_accession_named_filings_are_known_by_their_covers(
    tmp_path, counter, fake_embedder, capsys
):
    corpus = _corpus(tmp_path)
    build_index(corpus, tmp_path / "idx", fake_embedder, counter)
    searcher = Searcher(tmp_path / "idx", fake_embedder)

    hits = searcher.search("Tailspin Toys capital expenditure 2018 cash flow", k=4)
    page_two = next(h for h in hits if h.page == 2)
    assert page_two.identity is not None and page_two.identity.company
    # whose and which year's table it is, read from the cover, not the accession-number name
    assert page_two.context.startswith("Tailspin Toys 10-K FY2018 — ")

    companies = known_companies(searcher.files, ALIASES_NONE)  # no alias file at all
    assert {c.name for c in companies} == {"Northwind Traders", "Tailspin Toys"}
    named = companies_in("What were Northwind Traders's capital expenditures?", companies)
    assert [c.tickers for c in named] == [["NWT"]]
    by_name = scoped_search(
        searcher, "Northwind Traders's capex in 2018?", 4, SearchFilter(), companies
    )
    assert {h.path for h in by_name.hits} == {"0000011111-19-000001.pdf"}
    by_ticker = scoped_search(searcher, "ticker:TSPN capex in 2018?", 4, SearchFilter(), companies)
    assert {h.path for h in by_ticker.hits} == {"0000022222-19-000002.pdf"}

    code = main(["show", "0000022222-19-000002.pdf", "--corpus", str(corpus),
                 "--index-dir", str(tmp_path / "idx")])  # fmt: skip
    shown = capsys.readouterr().out
    assert code == 0
    assert "Tailspin Toys Corporation  (cover page)" in shown
    assert "FY2018  (cover page)" in shown
    assert "cited as:      Tailspin Toys Corporation · 10-K · FY2018" in shown
    main(["show", str(corpus / "0000011111-19-000001.pdf"), "--json", "--corpus", str(corpus),
          "--index-dir", str(tmp_path / "idx")])  # fmt: skip
    payload = json.loads(capsys.readouterr().out)
    assert payload["identity"]["tickers"] == ["NWT"]
    assert main(["show", "missing.pdf", "--corpus", str(corpus),
                 "--index-dir", str(tmp_path / "idx")]) == 1  # fmt: skip
    assert "is not in the index" in capsys.readouterr().err


def test_citation_lines_name_the_document():
    citation = Citation(n=1, title="0000011111-19-000001", source=None, url=None, published=None,
                        path="0000011111-19-000001.pdf", page=52, quote="q", score=0.5,
                        document="Northwind Traders Inc. · 10-K · FY2018")  # fmt: skip
    assert source_line(citation) == (
        "[1] Northwind Traders Inc. · 10-K · FY2018 · p. 52 — 0000011111-19-000001.pdf"
    )
    assert slack_source_line(citation) == "[1] Northwind Traders Inc. · 10-K · FY2018 · p. 52"


def test_unlabeled_articles_are_neither_pushed_down_nor_given_a_bonus():
    matcher = DocumentMatcher({"a": "Acme Corp 10-K 2018", "b": "Globex 10-K 2018", "c": ""})
    gaps = matcher.gaps("What was Acme's 2018 revenue?", ["a", "b", "c"])
    assert gaps["a"] == 0.0 and gaps["c"] == 0.0  # unknown: maybe the right one
    assert gaps["b"] > 0.0
    assert matcher.gaps("What was the revenue?", ["a", "b", "c"]) == {}  # nothing named
    dense, keyword = [(1, 0.9), (2, 0.8), (3, 0.7)], [(3, 5.0)]
    article_of = {1: "c", 2: "c", 3: "b"}
    params = FusionParams(match_weight=0.0)
    plain = dict(fuse(dense, keyword, params.model_copy(update={"article_weight": 0.0})))
    fused = dict(fuse(dense, keyword, params, article_of, None, unlabeled={1, 2}))
    assert fused[1] == plain[1] and fused[2] == plain[2]  # no bonus from unlabeled siblings
