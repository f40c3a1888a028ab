"""Finance abbreviations and the words filings use for them, for keyword search and answers.

Analysts ask about "capex" and "buybacks"; reports write "capital expenditure" and
"repurchased shares". A keyword match needs the written words, so each abbreviation brings them.
"""

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "capex": ("capital", "expenditure"),
    "opex": ("operating", "expenses"),
    "fcf": ("free", "cash", "flow"),
    "eps": ("earnings", "per", "share"),
    "buyback": ("repurchase",),
    "buybacks": ("repurchase",),
    "ppe": ("property", "equipment"),
    "pp&e": ("property", "equipment"),
    "r&d": ("research", "development"),
    "m&a": ("acquisitions",),
}


def expand_terms(words: list[str]) -> list[str]:
    """`words` (lower-cased) followed by the written forms of any abbreviation among them."""
    extra = [w for word in words for w in ABBREVIATIONS.get(word, ())]
    return list(dict.fromkeys([*words, *extra]))
