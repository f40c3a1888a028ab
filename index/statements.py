"""Financial statements: which one a question names, and which one a page is.

Analysts point at a statement ("using the cash flow statement", "per the balance sheet"), and
in a filing that statement is one or two pages out of a hundred-odd that all share its words:
"cash", "flows", "capital expenditures" appear in the MD&A, the notes and the segment tables
too. The page *is* the statement only where its title heads the page, so the title is read
from the top lines (`page_statement`), written into the page's heading (index/pdf_context.py),
and a question naming that statement lifts those pages in the fusion (index/fusion.py).

Titles are matched with all whitespace removed and case ignored, because PDF text breaks them
oddly (`Consolidated Balance Shee t`, or one word per line); a title must end its line (a
trailing parenthesis such as `(Unaudited)` aside), with at most a company name and
"consolidated" before it, and before the page's first figures, so neither a sentence that
mentions a statement nor a column header broken over lines is taken for its title.
"""

import re

# kind → (question pattern, page-title pattern over lower-case text with whitespace removed,
# the title written into the heading when the page's own heading does not carry it).
_STATEMENTS = {
    "cash flows": (
        r"\bcash[ -]?flows?\s+statements?\b|\bstatements?\s+of\s+(consolidated\s+)?cash[ -]?flows?",
        r"statements?of(consolidated)?cashflows?",
        "Statement of Cash Flows",
    ),
    "balance sheet": (
        r"\bbalance\s+sheets?\b|\bstatements?\s+of\s+(consolidated\s+)?financial\s+"
        r"(position|condition)\b",
        r"balancesheets?|statements?of(consolidated)?financial(position|condition)",
        "Balance Sheet",
    ),
    "income statement": (
        r"\bincome\s+statements?\b|\bstatements?\s+of\s+(consolidated\s+)?"
        r"(income|operations|earnings)\b|\bp\s?&\s?l\b|\bprofit\s+(and|&)\s+loss\b",
        r"incomestatements?|statements?of(consolidated)?(net)?(income|operations|earnings)"
        r"(\(loss\))?",
        "Statement of Income",
    ),
    "comprehensive income": (
        r"\bstatements?\s+of\s+(consolidated\s+)?comprehensive\s+(income|loss)\b",
        r"statements?of(consolidated)?comprehensive(income|loss|earnings)(\(loss\))?",
        "Statement of Comprehensive Income",
    ),
    "equity": (
        r"\bstatements?\s+of\s+(consolidated\s+)?(changes\s+in\s+)?(stockholders|shareholders|"
        r"shareowners)['’]?\s+equity\b|\bequity\s+statements?\b",
        r"statements?of(consolidated)?(changesin)?(stockholders|shareholders|shareowners)"
        r"['’]?(equity|investment)",
        "Statement of Shareholders' Equity",
    ),
}
_QUESTION = {kind: re.compile(q, re.IGNORECASE) for kind, (q, _, _) in _STATEMENTS.items()}
# A title line, squeezed: a company name may come first (ending the way company names end),
# then "consolidated", "condensed" and the like, then the title, then parentheses at most.
_COMPANY = r"(?:[^.]{0,60}?(?:inc\.?|corp\.?|corporation|co\.|company|ltd\.?|plc|subsidiaries))?"
_TITLE = {
    kind: re.compile(
        rf"^{_COMPANY}(?:condensed|consolidated|consolidating|combined)*(?:{t})"
        r"(?:\([^()]{0,60}\))*$"
    )
    for kind, (_, t, _) in _STATEMENTS.items()
}
_ANY_TITLE = re.compile(r"statement|balancesheet")
_NAMED = {kind: re.compile(t) for kind, (_, t, _) in _STATEMENTS.items()}
# A statement's title comes before its figures: the scan stops at the first line with a year or
# a thousands group (a column header broken over lines is then never read as a title).
_FIGURES = re.compile(r"\b(?:19|20)\d\d\b|\d,\d{3}")
TOP_LINES = 14  # a statement's title is in the first lines of its page
MAX_WINDOW = 5  # a title broken over up to this many lines (`CONSOLIDATED / BALANCE / SHEETS`)
MAX_TITLE_CHARS = 120  # longer runs of text are sentences, not titles


def question_statements(question: str) -> frozenset[str]:
    """The statements a question names (`"… using the cash flow statement"` → cash flows)."""
    return frozenset(kind for kind, pattern in _QUESTION.items() if pattern.search(question))


def without_statements(question: str) -> str:
    """The question with the statements it names blanked out: "using the cash flow statement"
    says where to look (the statement match has found its page), not which row to read."""
    for pattern in _QUESTION.values():
        question = pattern.sub(" ", question)
    return question


def page_statement(page_text: str) -> str | None:
    """The statement whose title heads this page (its kind), or None for any other page."""
    lines: list[str] = []
    for raw in page_text.splitlines()[:TOP_LINES]:
        if _FIGURES.search(raw):
            break
        if raw.strip():
            lines.append(raw.strip())
    if not _ANY_TITLE.search(_squeeze("".join(lines))):
        return None  # most pages: no statement word at the top at all
    for start in range(len(lines)):
        window = ""
        for line in lines[start : start + MAX_WINDOW]:
            window += line
            if len(window) > MAX_TITLE_CHARS:
                break
            squeezed = _squeeze(window)
            for kind, pattern in _TITLE.items():
                if pattern.search(squeezed):
                    return kind
    return None


def statement_title(kind: str) -> str:
    """The title written into a page heading for a statement kind."""
    return _STATEMENTS[kind][2]


def named_statements(heading: str) -> frozenset[str]:
    """The statements a page heading or chunk context names."""
    squeezed = _squeeze(heading)
    return frozenset(kind for kind, pattern in _NAMED.items() if pattern.search(squeezed))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()
