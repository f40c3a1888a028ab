"""Financial statements named in questions and read from page tops lift their pages."""

import pytest

from index.build import build_index
from index.fusion import FusionParams, fuse
from index.pdf_context import page_heading
from index.search import Searcher
from index.statements import (
    named_statements,
    page_statement,
    question_statements,
    without_statements,
)
from tests.pdf_factory import make_pdf
from tests.test_identity_search import _cover


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Using the cash flow statement, what was FY2018 capex?", {"cash flows"}),
        ("Per the statement of cash flows, how much was paid?", {"cash flows"}),
        ("Considering the data in the balance sheet, what is inventory?", {"balance sheet"}),
        ("What does the statement of financial position say?", {"balance sheet"}),
        ("Taking the income statement, what is COGS?", {"income statement"}),
        ("From the P&L, what was revenue?", {"income statement"}),
        ("In the consolidated statements of operations, what is EPS?", {"income statement"}),
        (
            "Using the balance sheet and the income statement, what is ROA?",
            {"balance sheet", "income statement"},
        ),
        ("What is in the statement of comprehensive income?", {"comprehensive income"}),
        ("What does the statement of stockholders' equity show?", {"equity"}),
        ("How much operating cash flow did it generate?", set()),
        ("What was the balance of the revolver?", set()),
        ("What was income before taxes?", set()),
    ],
)
def test_questions_name_statements(question, kinds):
    assert question_statements(question) == kinds


@pytest.mark.parametrize(
    ("top", "kind"),
    [
        (
            "Table of Contents\n3M Company and Subsidiaries\nConsolidated Statement of Cash Flows\n"
            "Years ended December 31\n(Millions) 2018 2017",
            "cash flows",
        ),
        (
            "NORTHWIND, INC.\nCONSOLIDATED BALANCE SHEETS\n(In thousands)\nDecember 31, 2020 2019",
            "balance sheet",
        ),
        ("Acme Co. and Subsidiaries\nConsolidated Balance Shee t\nAt December 31", "balance sheet"),
        (
            "SQUARE,\nINC.\nCONSOLIDATED\nSTATEMENTS\nOF\nOPERATIONS\n(In thousands)",
            "income statement",
        ),
        (
            "Tailspin Toys Corporation\nCondensed Consolidated Statements of Earnings (Unaudited)\n"
            "Three months ended June 30, 2023",
            "income statement",
        ),
        (
            "Contoso Ltd.\nConsolidated Statements of Comprehensive Income\n2022 2021",
            "comprehensive income",
        ),
        ("Consolidated statements of changes in stockholders’ equity (unaudited)\n2023", "equity"),
    ],
)
def test_statement_pages_are_known_by_their_titles(top, kind):
    assert page_statement(top + "\nNet income $ 5,363 $ 4,869") == kind


@pytest.mark.parametrize(
    "top",
    [
        # a sentence that ends with a statement's name is not its title
        "As of June 30, the following amounts were recorded on the Consolidated balance sheets",
        "Management's Discussion and Analysis\nLiquidity\nWe focus on the balance sheet",
        # a column header broken over lines, below the year line, is not a title either
        "June 30, 2022 December 31, 2021\n(in millions)\nAmounts netted\non the\nConsolidated\n"
        "balance sheet",
        "Notes to Consolidated Financial Statements\nNote 1. Summary of policies",
        "Item 8. Financial Statements and Supplementary Data",
        "",
    ],
)
def test_other_pages_are_not_statements(top):
    assert page_statement(top) is None


def test_a_statement_page_heading_names_its_statement():
    # The heading reader stops at `NIKE, INC.` (it ends with a full stop) and misses the title.
    nike = "Table of Contents\nNIKE, INC.\nCONSOLIDATED BALANCE SHEETS\nMAY 31, 2019 2018\nASSETS"
    assert page_heading(nike) == "Balance Sheet"
    assert named_statements(page_heading(nike)) == {"balance sheet"}
    # A heading that already names its statement is left as it was.
    walmart = "Consolidated Statements of Income\nFiscal Years Ended January 31,\nRevenues 2018"
    assert page_heading(walmart) == "Consolidated Statements of Income"
    prose = "Liquidity and Capital Resources\nOur cash flows from operations were strong."
    assert page_heading(prose) == "Liquidity and Capital Resources"


def test_fusion_lifts_statement_rows_only():
    dense = [(1, 0.9), (2, 0.8)]
    keyword = [(1, 9.0), (2, 8.0)]
    params = FusionParams(article_weight=0.0)
    assert [r for r, _ in fuse(dense, keyword, params)] == [1, 2]
    assert [r for r, _ in fuse(dense, keyword, params, None, None, None, {2})] == [2, 1]
    off = params.model_copy(update={"statement_weight": 0.0})
    assert fuse(dense, keyword, off, None, None, None, {2}) == fuse(dense, keyword, off)
    assert fuse(dense, keyword, params, None, None, None, set()) == fuse(dense, keyword, params)


def test_a_question_naming_the_statement_finds_its_page(tmp_path, counter, fake_embedder):
    mdna = [
        "Liquidity and Capital Resources",
        "As the cash flow statement shows, purchases of property and equipment were funded",
        "by cash flows from operations. The statement of cash flows also shows purchases of",
        "property and equipment growing, and the cash flow statement shows what we expect.",
    ]
    statement = [
        "NORTHWIND TRADERS, INC.",
        "CONSOLIDATED STATEMENTS OF CASH FLOWS",
        "Year ended December 31, 2018",
        "Net cash provided by operating activities 2,410",
        "Purchases of property and equipment (1,577)",
    ]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "0000011111-19-000001.pdf").write_bytes(
        make_pdf([_cover("NORTHWIND TRADERS INC.", "NWT", 2018), mdna, statement])
    )
    build_index(corpus, tmp_path / "idx", fake_embedder, counter)
    searcher = Searcher(tmp_path / "idx", fake_embedder)
    question = "Using the cash flow statement, what were purchases of property and equipment?"

    hits = searcher.search(question, k=3)
    assert hits[0].page == 3
    assert hits[0].context.endswith("— Statement of Cash Flows")
    # Without the statement match the prose page, richer in the question's words, comes first.
    searcher.fusion = FusionParams(statement_weight=0.0)
    assert searcher.search(question, k=3)[0].page == 2
    # A question that names no statement gets no lift at all.
    searcher.fusion = FusionParams()
    plain = "What were purchases of property and equipment?"
    assert searcher.statement_rows(plain, list(searcher.article_of)) == set()
    named = searcher.statement_rows(question, list(searcher.article_of))
    assert named and {h.page for h in searcher.hits_for([(r, 0.0) for r in named])} == {3}


def test_without_statements_leaves_what_to_read():
    question = "Using the cash flow statement, what were capital expenditures in FY2019?"
    assert without_statements(question).split() == [
        "Using",
        "the",
        ",",
        "what",
        "were",
        "capital",
        "expenditures",
        "in",
        "FY2019?",
    ]
    assert without_statements("What was the cash flow from operations?") == (
        "What was the cash flow from operations?"
    )
