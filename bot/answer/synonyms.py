"""Finance abbreviations and the words reports use for them, for choosing answer sentences.

Analysts ask about "capex" and "buybacks"; reports write "capital expenditure" and
"repurchased shares". When an answer sentence is chosen by the words it shares with the
question, each abbreviation counts its written form too. (Expanding the keyword-search query
the same way was measured too: it lost one FinanceBench question of 69, so retrieval does not.)
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
