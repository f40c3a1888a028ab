"""What a comparison or a chart measures, and whether a sentence states that measure.

"AI capex", "cloud revenue growth", "operating margin": a measure has a head (the kind of
figure: spending, revenue, margin, ...; reports write "capital expenditure" or "invested" for
"capex", so each head is a small family of words), qualifiers that must also be there ("AI",
"cloud"), and the kind of number that answers it: a change in percent, a percent level, an
amount of money or a count. A sentence that lacks the head, or most qualifiers, does not state
the measure, however close its figures look.
"""

import re

from pydantic import BaseModel

from bot.answer.quantities import Quantity
from index.terms import STOPWORDS

# Head families: the words reports use for each kind of figure (regexes, case-insensitive).
HEADS: dict[str, str] = {
    "spending": r"capex|capital (?:expenditure|spending|investment)s?|spen[dt]\w*|invest\w*|"
    r"expenditures?|outlays?",
    "revenue": r"revenues?|sales|turnover",
    "profit": r"(?:net |operating )?(?:income|profits?|earnings)|ebita?d?a?",
    "margin": r"margins?",
    "share": r"(?:market )?share(?! (?:repurchase|buyback|count))",
    "buyback": r"buy-?backs?|repurchas\w*",
    "dividend": r"dividends?",
    "cash flow": r"(?:free )?cash flows?|fcf",
    "users": r"users?|customers?|subscribers?|accounts?",
    "employees": r"employees|headcount|staff|workforce",
    "debt": r"debt|borrowings?",
}
_PERCENT_LEVEL = {"margin", "share"}
_COUNTS = {"users", "employees"}
_GROWTH = re.compile(
    r"\b(?:growth(?: rate)?|grow(?:ing|n|s)?|increase[sd]?|pace|how fast|rate of change|"
    r"year[- ](?:over|on)[- ]year|yoy|change(?:d|s)? in percent)\b",
    re.I,
)
_PERCENT_WORDS = re.compile(r"\b(?:percent(?:age)?|ratio|rate)\b|%", re.I)
# Words that frame a question rather than name what is measured.
_FRAMING_WORDS = """compare comparison compared comparing versus across between among against which who whose
    biggest largest smallest highest lowest more less most least bigger larger smaller higher
    lower better worse trend trends trending changed change changes evolved evolve evolution
    developed moved chart plot graph time last past next recent quarters quarter years year
    months month over since figure figures number numbers level levels companies firms each
    group holdings inc corp corporation co ltd limited plc platforms sa ag nv"""
_FRAMING = frozenset(_FRAMING_WORDS.split())
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'’-]*|\d+(?:\.\d+)?")


class Measure(BaseModel):
    """What is being measured, as read from a question."""

    text: str  # the measure as asked, e.g. "AI capex"
    head: str | None = None  # a key of HEADS, or None when the question names no known head
    qualifiers: list[str] = []  # other content words, 5-letter stems
    want: str | None = None  # "change" | "percent" | "amount" | "count" | None (any)

    def label(self) -> str:
        """For a chart title or a note: the measure and the kind of number."""
        kind = {"change": " (% change)", "percent": " (%)"}.get(self.want or "", "")
        return f"{self.text}{kind}"


def measure_of(text: str) -> Measure:
    """The measure named in `text` (company names and periods already taken out)."""
    words = [w.lower().strip("'’-") for w in _WORD.findall(text)]
    lowered = " ".join(words)
    head = next((name for name, p in HEADS.items() if re.search(rf"\b(?:{p})\b", lowered)), None)
    implied = head is None and bool(_GROWTH.search(text))
    if implied:
        head = "revenue"  # "Alibaba Cloud's growth": growth of what it sells
    head_words = set(re.findall(rf"\b(?:{HEADS[head]})\b", lowered)) if head else set()
    head_words = {w for phrase in head_words for w in phrase.split()}
    qualifiers = []
    for word in words:
        if (word in STOPWORDS or word in _FRAMING or word in head_words or word.isdigit()
                or _GROWTH.fullmatch(word) or _PERCENT_WORDS.fullmatch(word)):  # fmt: skip
            continue
        qualifiers.append(_stem(word))
    if _GROWTH.search(text):
        want = "change"
    elif head in _PERCENT_LEVEL or _PERCENT_WORDS.search(text):
        want = "percent"
    elif head in _COUNTS:
        want = "count"
    elif head:
        want = "amount"
    else:
        want = None
    phrase = _phrase(text) or " ".join(text.split())
    return Measure(
        text=f"revenue {phrase}" if implied and phrase.lower() == "growth" else phrase,
        head=head,
        qualifiers=list(dict.fromkeys(qualifiers)),
        want=want,
    )


def states_measure(sentence: str, measure: Measure, own: frozenset[str] = frozenset()) -> bool:
    """True when `sentence` names the measure's head and at least half its qualifiers; `own`
    holds words that may narrow the head without making it another measure (the segment or
    company asked about: "Alibaba Cloud revenue" when Alibaba Cloud was asked)."""
    lowered = sentence.lower()
    heads = list(re.finditer(rf"\b(?:{HEADS[measure.head]})\b", lowered)) if measure.head else []
    if measure.head and not heads:
        return False
    if measure.head and not measure.qualifiers and all(_segment_of(lowered, h, own) for h in heads):
        return False  # "revenue" asked: "AI Cloud revenue" is a segment's, not the company's
    stems = {_stem(w.lower().strip("'’-")) for w in _WORD.findall(sentence)}
    present = sum(q in stems for q in measure.qualifiers)
    if measure.head is None:  # an unknown measure: every word of it must be there
        return bool(measure.qualifiers) and present == len(measure.qualifiers)
    return 2 * present >= len(measure.qualifiers)


# Words that may stand before a head without making it a segment's figure.
_WHOLE_WORDS = """total overall group consolidated net annual quarterly full-year yearly its
    their the a an company's group's reported adjusted gaap non-gaap headline core cash gross
    record heavy large larger higher lower new additional planned expected estimated guided
    combined cumulative quarter's year's"""
_WHOLE = frozenset(_WHOLE_WORDS.split())


def _segment_of(lowered: str, head: re.Match, own: frozenset[str]) -> bool:
    """True when the word before the head narrows it to a segment ("cloud revenue")."""
    before = re.findall(r"[\w'’&.-]+", lowered[: head.start()][-40:])
    if not before:
        return False
    word = before[-1]
    return not (word in _WHOLE or word in own or word in STOPWORDS or
                re.search(r"['’]s?$", word) or word.isdigit())  # fmt: skip


def fits(quantity: Quantity, measure: Measure) -> bool:
    """True when the figure is the kind of number the measure asks for."""
    if measure.want == "change":
        return quantity.unit == "%" and quantity.change
    if measure.want == "percent":
        return quantity.unit in ("%", "pp") and not quantity.change
    if measure.want == "amount":
        return quantity.unit not in ("%", "pp", "x", "") and not quantity.change
    if measure.want == "count":
        return quantity.unit == "" and not quantity.change
    return True


def _phrase(text: str) -> str:
    """The measure as a short phrase: framing words out, function words trimmed at both ends."""
    tokens = [t for t in re.findall(r"[\w$%&'’.-]+", text) if t.lower().strip(".") not in _FRAMING]
    tokens = [t.strip(".") for t in tokens if t.strip(".")]
    while tokens and tokens[0].lower() in STOPWORDS:
        tokens.pop(0)
    while tokens and tokens[-1].lower() in STOPWORDS:
        tokens.pop()
    return " ".join(tokens)


def _stem(word: str) -> str:
    word = re.sub(r"['’]s$", "", word)
    return word[:5] if word.isalpha() else word
