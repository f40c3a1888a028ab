"""Document identity read from cover pages, releases, metadata and names (texts written here)."""

from datetime import date

import pytest

from index.company_names import short_name, tidy_name
from index.identity import carries_words, identify_document, read_file_name, read_metadata
from index.labels import citation_label, context_label, match_label

ANNUAL_COVER = """UNITED STATES
SECURITIES AND EXCHANGE COMMISSION
Washington, D.C. 20549
FORM 10-K
(Mark One)
[X] ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934
For the fiscal year ended December 31, 2021
OR
[ ] TRANSITION REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934
For the transition period from ______ to ______
Commission File Number 001-12345
______________ NORTHWIND TRADERS HOLDINGS, INC.
(Exact name of registrant as specified in its charter)
Delaware 12-3456789
(State or other jurisdiction of incorporation) (I.R.S. Employer Identification No.)
Securities registered pursuant to Section 12(b) of the Act:
Title of each class Trading Symbol(s) Name of each exchange on which registered
Common Stock, $0.01 par value NWT New York Stock Exchange
2.125% Notes due 2030 NWT30 New York Stock Exchange
Securities registered pursuant to Section 12(g) of the Act: None
Indicate by check mark if the registrant is a well-known seasoned issuer. Yes [X] No [ ]
"""

QUARTERLY_COVER = """UNITED STATES SECURITIES AND EXCHANGE COMMISSION
WASHINGTON, D.C. 20549
FORM 10-Q
QUARTERLY REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934
For the quarterly period ended Commission file
December 31, 2022 number 1-9999
Tailspin Packaging plc
(Exact name of registrant as specified in its charter)
"""

CURRENT_REPORT = """UNITED STATES
SECURITIES AND EXCHANGE COMMISSION
Washington, D.C. 20549
FORM 8-K
CURRENT REPORT
Pursuant to Section 13 or 15(d) of the Securities Exchange Act of 1934
Date of Report (Date of earliest event reported): May 4, 2023
Fabrikam Beverages, Inc.
(Exact name of registrant as specified in its charter)
Item 5.07 Submission of Matters to a Vote of Security Holders.
"""

EARNINGS_RELEASE = """FOR IMMEDIATE RELEASE
Contoso Retail Announces Third Quarter Fiscal 2023 Results
Comparable sales increased 4.1%
DENVER, Colo. (November 30, 2023) - Contoso Retail, Inc. (NASDAQ: CTSO) today announced
financial results for the thirteen-week period ended October 28, 2023.
"""


def test_annual_report_cover():
    identity = identify_document(ANNUAL_COVER + "Revenue grew.", "0000123456-22-000042.pdf", {})
    assert identity.company == "Northwind Traders Holdings, Inc."
    assert identity.short_name == "Northwind Traders"
    assert identity.tickers == ["NWT"]  # the notes' symbol (NWT30) is not a ticker
    assert (identity.form, identity.fiscal_year, identity.fiscal_quarter) == ("10-K", 2021, None)
    assert identity.period_end == date(2021, 12, 31)
    assert identity.sources["company"] == identity.sources["fiscal_year"] == "cover page"
    assert citation_label(identity) == "Northwind Traders Holdings, Inc. · 10-K · FY2021"
    # Short: every token of a prefix shared by all of a company's chunks blurs their own text.
    assert context_label(identity) == "Northwind Traders 10-K FY2021"


def test_a_year_ending_in_the_first_days_of_january_is_the_year_before():
    cover = ANNUAL_COVER.replace("December 31, 2021", "January 2, 2022")
    assert identify_document(cover, "x.pdf", {}).fiscal_year == 2021


@pytest.mark.parametrize(
    ("naming", "expected"),
    [("Fiscal 2023 (ended January 28, 2023) was a 52-week year.", 2023),
     ("Our fiscal 2022 ended January 28, 2023 and included 52 weeks.", 2022)],
)  # fmt: skip
def test_retail_years_ending_in_late_january_follow_the_documents_naming(naming, expected):
    cover = ANNUAL_COVER.replace("December 31, 2021", "January 28, 2023")
    assert identify_document(cover + naming, "x.pdf", {}).fiscal_year == expected


def test_quarterly_report_quarter_from_its_longest_period():
    text = (
        QUARTERLY_COVER + "Net sales for the three months ended and six months ended December 31."
    )
    identity = identify_document(text, "x.pdf", {})
    assert (identity.company, identity.form) == ("Tailspin Packaging plc", "10-Q")
    # Six months ended December 31: a fiscal year that ends in June, so Q2 of fiscal 2023.
    assert identity.fiscal_period == "Q2 FY2023"
    assert identity.period_end == date(2022, 12, 31)


def test_current_report_date_and_period():
    identity = identify_document(CURRENT_REPORT, "x.pdf", {})
    assert (identity.company, identity.form, identity.report_date) == (
        "Fabrikam Beverages, Inc.",
        "8-K",
        date(2023, 5, 4),
    )
    assert citation_label(identity) == "Fabrikam Beverages, Inc. · 8-K · 2023-05-04"
    assert "dated May 4, 2023" in context_label(identity)


def test_earnings_release_headline_tag_and_dateline():
    identity = identify_document(EARNINGS_RELEASE, "9f3c2a1b7e6d5c4b.pdf", {})
    assert (identity.company, identity.tickers) == ("Contoso Retail, Inc.", ["CTSO"])
    assert identity.form == "earnings release"
    assert identity.fiscal_period == "Q3 FY2023"
    assert identity.report_date == date(2023, 11, 30)
    assert identity.sources["tickers"] == "press release"


def test_a_news_article_is_not_read_as_a_release():
    identity = identify_document(EARNINGS_RELEASE, "", {}, releases=False)
    assert identity.is_empty()


def test_metadata_title_and_subject():
    assert read_metadata("Form 10-K filed on 2023-02-10 for the period ending 2022-12-31") == {
        "form": "10-K",
        "filed": date(2023, 2, 10),
        "period_end": date(2022, 12, 31),
        "company": None,
        "fiscal_year": None,
        "fiscal_quarter": None,
    }
    found = read_metadata("Form 8-K for Fabrikam Beverages INC filed 05/05/2023")
    assert (found["company"], found["form"], found["filed"]) == (
        "Fabrikam Beverages INC",
        "8-K",
        date(2023, 5, 5),
    )
    assert read_metadata("0001234567-23-000006") == {}


def test_metadata_fills_what_the_text_does_not_say():
    meta = {"Title": "Form 10-K for Northwind Corp filed 02/16/2023"}
    identity = identify_document("Page one of a filing without its cover.", "a.pdf", meta)
    assert (identity.company, identity.form) == ("Northwind Corp", "10-K")
    assert identity.sources["company"] == "PDF metadata title"


def test_file_names_count_only_when_they_carry_words():
    assert read_file_name("ADBE 10-K FY22.pdf") == {
        "form": "10-K",
        "fiscal_year": 2022,
        "company": "ADBE",
    }
    assert read_file_name("3M_2018_10K.pdf")["company"] == "3M"
    for name in ("0001558370-16-003162.pdf", "10-K.pdf", "annual_report_final(2).pdf",
                 "9b012500-471a-4df9-93fc-6cee2b420678.pdf", "scan0001.pdf"):  # fmt: skip
        assert not carries_words(name.removesuffix(".pdf")), name
        assert not read_file_name(name).get("company"), name
    # The cover outranks the file name: a misleading name cannot rename a filing.
    identity = identify_document(ANNUAL_COVER, "GLOBEX_2019_10Q.pdf", {})
    assert (identity.company, identity.form, identity.fiscal_year) == (
        "Northwind Traders Holdings, Inc.",
        "10-K",
        2021,
    )


def test_names_are_tidied_and_shortened():
    assert tidy_name("MGM R ESORTS I NTERNATIONAL") == "MGM Resorts International"
    assert tidy_name("THE BOEING COMPANY") == "The Boeing Company"
    assert tidy_name("CVS HEALTH CORPORATION") == "CVS Health Corporation"
    assert short_name("The Boeing Company") == "Boeing"
    assert short_name("JPMorgan Chase & Co.") == "JPMorgan Chase"
    assert short_name("Amazon.com, Inc.") == "Amazon"


def test_match_label_and_unknown_identity():
    identity = identify_document(ANNUAL_COVER, "x.pdf", {})
    assert match_label(identity) == (
        "Northwind Traders Holdings, Inc. Northwind Traders 10-K NWT 2021"
    )
    unknown = identify_document("Some text with no cover at all.", "0001-23-456.pdf", {})
    assert unknown.is_empty()
    assert (citation_label(unknown), context_label(unknown), match_label(unknown)) == (None, "", "")


def test_a_company_known_only_from_the_file_name_is_not_cited_as_read():
    identity = identify_document("Chairman letter. A demanding year.", "ADBE 10-K FY22.pdf", {})
    assert (identity.company, identity.form, identity.fiscal_year) == ("ADBE", "10-K", 2022)
    assert identity.sources["company"] == "file name"
    assert citation_label(identity) is None  # the citation keeps the document's title
    assert context_label(identity) == "ADBE 10-K FY2022"  # still a useful context


def test_detached_punctuation_in_a_cover_name():
    cover = ANNUAL_COVER.replace("NORTHWIND TRADERS HOLDINGS, INC.", "NORTHWIND, Inc .")
    assert identify_document(cover, "x.pdf", {}).company == "Northwind, Inc."
