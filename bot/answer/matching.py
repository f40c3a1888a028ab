"""Words for matching a question to sentences, table rows and headers; never used in quotes.

Matching sees through the ways reports and analysts word the same thing: a hyphenated
compound counts whole and as its parts (`debt-to-equity` also gives `debt`, `equity`), words
are cut to a 5-letter stem (invest/investing/investment), and finance paraphrases add one
shared concept term (`buy back`, `repurchased shares` → `~repurchase`; `losses narrowed`,
`slashed … losses` → `~loss-down`). Quotes always come from the stored text, unchanged.
"""

import re
from functools import lru_cache

from bot.answer.synonyms import expand_terms
from index.terms import STOPWORDS

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.'&-]*[A-Za-z0-9]|[A-Za-z0-9]")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
# How questions ask for size; they say nothing about what the answer is about.
ASKING = frozenset({"big", "large", "size", "fast", "quickly", "respectively", "respective"})
# Kept for matching table rows: "Total revenues" is not "Revenues from services".
ROW_WORDS = frozenset({"total", "other", "net", "amount"})

_LOSS = r"(?:loss|losses|deficit)"
_DOWN = r"(?:narrow\w*|shr[aiu]nk\w*|cut\w*|slash\w*|reduc\w*|decreas\w*|fell|fall\w*|declin\w*|lower\w*|trim\w*)"
_UP = r"(?:rose|rise\w*|grow\w*|grew|increas\w*|jump\w*|surg\w*|climb\w*|higher|up)"
PARAPHRASES: list[tuple[str, re.Pattern]] = [
    (
        "~repurchase",
        re.compile(r"\bbuy[- ]?backs?\b|\brepurchas\w*|\bbought back\b|\bbuying back\b", re.I),
    ),
    (
        "~capex",
        re.compile(
            r"\bcapex\b|\bcapital (?:expenditures?|spending|investments?)\b|\bpurchases? of "
            r"property,? plant,? and equipment\b|\b(?:property,? plant,? and equipment|pp&e) "
            r"additions\b|\badditions to property\b",
            re.I,
        ),
    ),
    ("~leverage", re.compile(r"\bleverage\b|\bdebt[- ]to[- ]equity\b|\bgearing\b", re.I)),
    (
        "~loss-down",
        re.compile(
            rf"\b{_LOSS}\s+(?:\w+\s+){{0,2}}{_DOWN}|\b{_DOWN}\s+(?:[\w$%.-]+\s+){{0,4}}{_LOSS}\b",
            re.I,
        ),
    ),
    (
        "~loss-up",
        re.compile(
            rf"\b{_LOSS}\s+(?:\w+\s+){{0,2}}{_UP}|\b(?:widen\w*)\s+(?:\w+\s+){{0,4}}{_LOSS}\b|\b{_LOSS}\s+widen\w*",
            re.I,
        ),
    ),
    ("~revenue", re.compile(r"\brevenues?\b|\bnet sales\b|\btotal sales\b|\bturnover\b", re.I)),
    (
        "~net-income",
        re.compile(r"\bnet (?:income|profit|earnings)\b|\bprofit attributable\b", re.I),
    ),
    (
        "~cogs",
        re.compile(r"\bcogs\b|\bcost of (?:goods sold|sales|revenues?|products sold)\b", re.I),
    ),
    (
        "~operating-income",
        re.compile(
            r"\boperating (?:income|profit)\b|\b(?:income|profit) from operations\b|\bebit\b", re.I
        ),
    ),
    (
        "~ppe",
        re.compile(
            r"\bpp&e\b|\bppne\b|\bproperty,? plant,? and equipment\b|\bfixed assets\b", re.I
        ),
    ),
    (
        "~operating-cash",
        re.compile(
            r"\bcash (?:flows? )?(?:from|provided by) operati\w*|\boperating cash flows?\b", re.I
        ),
    ),
    ("~headcount", re.compile(r"\bheadcount\b|\bemployees\b|\bstaff\b|\bworkforce\b", re.I)),
    ("~dividend", re.compile(r"\bdividends?\b|\bpayouts?\b", re.I)),
]


def words(text: str) -> list[str]:
    """Lower-cased words of `text`, possessives and edge dots removed."""
    return [re.sub(r"['’]s$", "", w.lower()).strip(".'") for w in _WORD.findall(text)]


def content_terms(text: str, keep: frozenset[str] = frozenset()) -> set[str]:
    """Stemmed content words, hyphen parts, abbreviations and paraphrase concepts of `text`.

    `keep` names stopwords that still count (ROW_WORDS when matching table row labels).
    """
    terms: set[str] = set()
    found = words(text)
    parts = [p for w in found if "-" in w for p in w.split("-") if p]
    for lowered in expand_terms(found + parts):  # "capex" also counts as "capital expenditure"
        if lowered and (lowered not in STOPWORDS or lowered in keep) and lowered not in ASKING:
            terms.add(stem(lowered) if lowered.isalpha() else lowered)
            if re.fullmatch(r"fy(\d{4})", lowered):  # "FY2022" is written "fiscal 2022"
                terms.add(lowered[2:])
    terms.update(concepts(text))
    return terms


def matched(question: str, terms: set[str], keep: frozenset[str] = frozenset()) -> set[str]:
    """The question's terms that `terms` (a sentence's or a row's) matches.

    A shared paraphrase concept also matches the question words that named it: "buy back"
    against "repurchases" is a match for all of "buy", "back" and `~repurchase`.
    """
    own, by_concept = _question_terms(question, keep)
    found = own & terms
    for name in found & by_concept.keys():
        found |= by_concept[name]
    return set(found)


@lru_cache(maxsize=256)
def _question_terms(
    question: str, keep: frozenset[str]
) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """A question's terms, and for each concept it names the terms of the words that named it."""
    own = frozenset(content_terms(question, keep))
    by_concept = {
        name: own & frozenset().union(*(content_terms(m.group(0), keep) for m in found))
        for name, pattern in PARAPHRASES
        if (found := list(pattern.finditer(question)))
    }
    return own, by_concept


def concept_words(question: str, keep: frozenset[str] = frozenset()) -> dict[str, frozenset[str]]:
    """Each paraphrase concept `question` names, with the terms of the words that named it."""
    return _question_terms(question, keep)[1]


def stem(word: str) -> str:
    """A word's first five letters, once a plural ending is off: fees/fee, taxes/tax, sales/sale."""
    if len(word) > 3 and not word.endswith(("ss", "us", "is")):
        if word.endswith("ies"):
            word = word[:-3] + "y"
        elif re.search(r"(?:[sxz]|ch|sh)es$", word):
            word = word[:-2]
        elif word.endswith("s"):
            word = word[:-1]
    return word[:5]


def concepts(text: str) -> set[str]:
    """The paraphrase concepts named in `text` (`~repurchase`, `~capex`, …)."""
    return {name for name, pattern in PARAPHRASES if pattern.search(text)}


def years_in(text: str) -> list[str]:
    """Four-digit years in `text` (`FY2019` and `fiscal 2019` give `2019`), in order, once each."""
    found = re.findall(r"(?<![\d.$])(?:FY\s?'?)?((?:19|20)\d{2})(?![\d%]|,\d|\.\d)", text, re.I)
    short = re.findall(r"\bFY\s?'?(\d{2})\b", text, re.I)
    return list(dict.fromkeys(found + [f"20{y}" for y in short]))


def is_year(term: str) -> bool:
    """True for a four-digit year term."""
    return bool(_YEAR.match(term))
