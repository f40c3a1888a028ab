"""Classify what a question asks for, so sentence selection can look for the right kind of answer."""

import re
from enum import StrEnum

from index.names import has_inner_capital, name_runs


class QuestionType(StrEnum):
    """The kind of answer a question wants."""

    HOW_MUCH = "how_much"  # an amount of money (or another quantity with a unit)
    HOW_MANY = "how_many"  # a count
    SHARE = "share"  # a percentage, share, rate or margin
    WHEN = "when"
    WHO = "who"
    WHY = "why"
    YES_NO = "yes_no"
    OTHER = "other"


_RULES: list[tuple[QuestionType, re.Pattern]] = [
    (  # asked for a cause: "What was the reason for the increase in finance costs?"
        QuestionType.WHY,
        re.compile(
            r"\breasons? (?:for|why|behind)\b|\battribut\w* to\s*\?|\bcauses? of\b"
            r"|\bwhat (?:contributed to|accounted for)\b",
            re.I,
        ),
    ),
    (
        QuestionType.SHARE,
        re.compile(
            r"\b(what|which) (share|percentage|percent|portion|proportion|fraction|rate|margin)"
            r"|\bhow fast\b|\bby how much\b|\b(growth|margin|ratio) (rate )?(of|was|is|in)\b"
            r"|\bin percent|\bas a percentage\b",
            re.I,
        ),
    ),
    (QuestionType.HOW_MANY, re.compile(r"\bhow many\b|\bnumber of\b|\bcount of\b", re.I)),
    (
        QuestionType.HOW_MUCH,
        re.compile(
            r"\bhow (much|large|big)\b|\bwhat (was|is|were|are) (the )?(amount|value|size|cost|price)"
            r"|\b(usd|dollars?|rmb|eur|in (usd )?(millions|billions|thousands))\b"
            r"|\bwhat (was|is|were|are) (the |its |their )?[\w\s'-]{0,40}"
            r"(revenue|income|profit|sales|capex|expenditure|spend|spending|buyback|dividend|eps|"
            r"cost|costs|earnings|cash|debt|assets|liabilities|ebitda|ebita)s?\b",
            re.I,
        ),
    ),
    (
        QuestionType.WHEN,
        re.compile(
            r"^\s*when\b|\bwhat (date|year|day|month|quarter)\b|\bin which (year|quarter)\b", re.I
        ),
    ),
    (
        QuestionType.WHO,
        re.compile(r"^\s*who(m|se)?\b|\bwhich (company|person|firm|executive)\b", re.I),
    ),
    (
        QuestionType.WHY,
        re.compile(r"^\s*why\b|\bwhat (drove|caused|explains|led to)\b|\breason", re.I),
    ),
    (
        QuestionType.YES_NO,
        re.compile(r"^\s*(is|are|was|were|does|do|did|has|have|had|can|will|should)\b", re.I),
    ),
]


def question_type(question: str) -> QuestionType:
    """The first matching type; figure types win over wording like "is" or "what"."""
    for kind, pattern in _RULES:
        if pattern.search(question):
            return kind
    return QuestionType.OTHER


FIGURE_TYPES = frozenset({QuestionType.HOW_MUCH, QuestionType.HOW_MANY, QuestionType.SHARE})


def question_names(question: str) -> list[str]:
    """Names the question is about (`Alibaba`, `3M`, `AWS`), lower-cased; sentence starts skipped
    unless they are clearly names (`AWS`, `3M`)."""
    names = [
        word.text.lower()
        for run in name_runs(question)
        for word in run
        if not word.sentence_start or has_inner_capital(word.text)
    ]
    return list(dict.fromkeys(names))


def mentions_enough(names: list[str], haystack: str) -> bool:
    """True when at least half the names (rounded up) occur as words in `haystack`."""
    return 2 * _found(names, haystack) >= len(names)


def mentions_all(names: list[str], haystack: str) -> bool:
    """True when every name occurs as a word in `haystack`."""
    return _found(names, haystack) == len(names)


def _found(names: list[str], haystack: str) -> int:
    text = re.sub(r"[_/\\]", " ", haystack.lower())
    if len(names) > 1 and "".join(names) in text.replace(" ", ""):
        return len(names)  # "American Express" in AMERICANEXPRESS_2022_10K.pdf
    return sum(bool(re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", text)) for n in names)


_WORDS_QUESTION = re.compile(
    r"^\s*how (?:does|do|did|is|are|was|were|can|could|should|will|would)\b(?!.*\b(?:much|many)\b)"
    r"|^\s*what (?:does|do|did) .+ (?:do|mean|stand for|represent|include)\??\s*$"
    r"|^\s*(?:describe|explain|define)\b",
    re.I,
)


def wants_words(question: str, kind: QuestionType) -> bool:
    """True when the answer is words (a cause, a date, a method, a meaning), never a table cell."""
    return kind in (QuestionType.WHY, QuestionType.WHEN, QuestionType.YES_NO) or bool(
        _WORDS_QUESTION.search(question)
    )
