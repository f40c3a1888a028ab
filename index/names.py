"""Capitalised names in a question: the one place that decides which words name something.

Answer selection (is this passage about what the question names?), thread follow-ups ("and
Tencent?") and the document match (does this filing's label fit?) all read names the same way:
runs of adjacent capitalised words (`Google Cloud`, `3M`, `JnJ`, `Best Buy`), leaving out
question words, periods (`FY2018`, `Q2`) and capitalised words that name no company (`USD`, `AI`).
"""

import re
from typing import NamedTuple

from index.terms import STOPWORDS

# Capitalised words a question uses that name no company: units, currencies, generic acronyms.
GENERIC = frozenset(
    [
        "usd",
        "rmb",
        "eur",
        "gbp",
        "jpy",
        "hkd",
        "cny",
        "ai",
        "ml",
        "llm",
        "ceo",
        "cfo",
        "cto",
        "coo",
        "eps",
        "gaap",
        "ebitda",
        "ebita",
        "ebit",
        "capex",
        "opex",
        "roe",
        "roa",
        "roi",
        "yoy",
        "qoq",
        "ttm",
        "ipo",
        "etf",
        "esg",
        "kpi",
        "us",
        "uk",
        "eu",
        "api",
        "gpu",
        "gpus",
        "cpu",
        "cpus",
        "fy",
        "h1",
        "h2",
    ]
)
NOT_NAMES = (
    STOPWORDS
    | GENERIC
    | frozenset(["is", "are", "does", "did", "do", "can", "could", "will", "would"])
)
_WORD = re.compile(r"[A-Za-z0-9][\w&.'’-]*[A-Za-z0-9]|[A-Za-z0-9]")
# Periods and forms: FY2018, Q2'2023, 2023Q4, H1, 10-K, 8k.
_PERIOD = re.compile(
    r"^(?:fy|q[1-4]|h[12])?'?\d*$|^(?:19|20)\d\d(?:q[1-4]|h[12])$|^(?:10|8|6|20)-?[kq]$", re.I
)
_SENTENCE_END = re.compile(r"[.?!]")


class NameWord(NamedTuple):
    """One word of a name as written (possessive `'s` removed), and whether it starts a sentence."""

    text: str
    sentence_start: bool
    start: int  # offset in the text


def name_runs(text: str) -> list[list[NameWord]]:
    """Runs of adjacent capitalised words that can name something, in order of appearance."""
    runs: list[list[NameWord]] = []
    run: list[NameWord] = []
    last_end = 0
    for match in _WORD.finditer(text):
        between = text[last_end : match.start()]
        starts = last_end == 0 or bool(_SENTENCE_END.search(between))
        word = re.sub(r"['’]s$", "", match.group(0))
        if run and (between.strip() or not is_name_word(word)):
            runs.append(run)
            run = []
        if is_name_word(word):
            run.append(NameWord(word, starts, match.start()))
        last_end = match.end()
    if run:
        runs.append(run)
    return runs


def is_name_word(word: str) -> bool:
    """True for a capitalised word that can be part of a name (`Alibaba`, `3M`, `AWS`, `JnJ`)."""
    if not any(ch.isupper() for ch in word):
        return False
    low = word.lower()
    return low not in NOT_NAMES and not _PERIOD.match(low)


def has_inner_capital(word: str) -> bool:
    """True when a capital follows the first character (`3M`, `AWS`, `PepsiCo`), so even a
    sentence's first word is a name rather than a capitalised ordinary word."""
    return any(ch.isupper() for ch in word[1:])
