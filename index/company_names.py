"""Company names as documents write them: find one in running text, tidy it, shorten it.

Filings print the registrant's name in capitals (`THE BOEING COMPANY`), sometimes with
small-caps artefacts (`MGM R ESORTS I NTERNATIONAL`); press releases write it before their
ticker tag (`Johnson & Johnson (NYSE: JNJ)`). These helpers turn such runs into a display
name (`The Boeing Company`) and a short name for matching questions (`Boeing`).
"""

import re
from collections import Counter

# Legal forms that end a company name; dropped from the short name.
LEGAL_SUFFIXES = {
    "inc", "inc.", "incorporated", "corp", "corp.", "corporation", "co", "co.", "company",
    "plc", "ltd", "ltd.", "limited", "llc", "l.p.", "lp", "n.v.", "s.a.", "ag", "se", "sa",
    "nv", "holdings", "group",
}  # fmt: skip
_CONNECTORS = {"&", "and", "of", "de", "the", "la", "du"}
_STOP_TOKENS = {"or", "to", "from", "no.", "number", "file", "commission", "exhibit", "form"}
_NUMBERISH = re.compile(r"^[\d,.\-/():$%]+$")
_NAME_TOKEN = re.compile(r"^[A-Z0-9&][\w.,&'’\-/!]*$")
_SMALL_CAPS_SPLIT = re.compile(r"\b([A-Z]) ([A-Z]{2,})\b")
_KEEP_UPPER = re.compile(r"^[^aeiouy]*$|\d|&", re.IGNORECASE)
_LOWER_WORDS = {"and", "of", "the", "de", "for"}
_LEGAL_CASE = {
    "inc.": "Inc.",
    "inc": "Inc",
    "co.": "Co.",
    "plc": "plc",
    "llc": "LLC",
    "n.v.": "N.V.",
}
# A legal name in running text: up to four capitalised words ending in a legal form.
_LEGAL_NAME = re.compile(
    r"\b((?:The\s+)?(?:[A-Z][\w.&'’\-]*\s+(?:&\s+)?){0,3}[A-Z][\w.&'’\-]*,?\s+"
    r"(?:Inc\.|Incorporated|Corporation|Company|Co\.|plc|PLC|N\.V\.|Ltd\.?|Limited))"
)


def name_before(text: str, end: int, max_tokens: int = 8) -> str | None:
    """The run of name-like words that ends just before `end`, or None."""
    window = re.sub(r"\s+([.,])(?=\s|$)", r"\1", text[max(0, end - 200) : end])  # `Inc .`
    tokens = window.split()
    run: list[str] = []
    for token in reversed(tokens):
        low = token.lower()
        if len(run) == max_tokens or low in _STOP_TOKENS or "_" in token:
            break
        connector = low in _CONNECTORS and run
        if not (connector or _is_name_token(token)):
            break
        run.append(token)
    while run and run[-1].lower() in _CONNECTORS - {"the"}:
        run.pop()
    return tidy_name(" ".join(reversed(run))) if run else None


def name_after(text: str, start: int, max_tokens: int = 6) -> str | None:
    """An all-capitals name run that starts at `start` and ends at its legal form (`3M COMPANY`)."""
    run: list[str] = []
    for token in text[start : start + 200].split():
        if len(run) == max_tokens or not (_NAME_TOKEN.match(token) and token.upper() == token):
            break
        if _NUMBERISH.match(token) and not run:
            continue  # the file number itself
        run.append(token)
        if token.lower().rstrip(",") in LEGAL_SUFFIXES:
            return tidy_name(" ".join(run))
    return None


def frequent_legal_name(text: str) -> str | None:
    """The legal name (`The Coca-Cola Company`) written most often in `text`, if any twice."""
    counts = Counter(" ".join(m.group(1).split()) for m in _LEGAL_NAME.finditer(text))
    for name, count in counts.most_common(5):
        if count >= 2 and short_name(name):
            return tidy_name(name)
    return None


def tidy_name(raw: str) -> str | None:
    """A display name: small-caps splits joined, capitals made title case, punctuation trimmed."""
    name = _SMALL_CAPS_SPLIT.sub(r"\1\2", " ".join(raw.split())).strip(" ,;:-–—")
    if not name or not any(ch.isalpha() for ch in name):
        return None
    letters = [ch for ch in name if ch.isalpha()]
    single_short_word = " " not in name and len(name) <= 5  # `ADBE`, `IBM`: a ticker or acronym
    if sum(ch.isupper() for ch in letters) >= 0.8 * len(letters) and not single_short_word:
        name = " ".join(_title_word(w, i) for i, w in enumerate(name.split()))
    return name


def short_name(name: str | None) -> str | None:
    """The name without `The`, legal forms and `.com`: `The Boeing Company` → `Boeing`."""
    if not name:
        return None
    words = name.replace(",", " ").split()
    if words and words[0].lower() == "the":
        words = words[1:]
    while len(words) > 1 and words[-1].lower() in LEGAL_SUFFIXES:
        words.pop()
    while words and words[-1] in {"&", "and"}:
        words.pop()
    short = " ".join(words)
    short = re.sub(r"\.com$", "", short, flags=re.IGNORECASE)
    return short if any(ch.isalnum() for ch in short) else None


def _is_name_token(token: str) -> bool:
    if token.lower().rstrip(",") in LEGAL_SUFFIXES:
        return True  # `plc`, `inc.` may be written in lower case
    return bool(_NAME_TOKEN.match(token)) and not _NUMBERISH.match(token) and ")" not in token


def _title_word(word: str, position: int) -> str:
    low = word.lower()
    if low in _LEGAL_CASE:
        return _LEGAL_CASE[low]
    if position and low in _LOWER_WORDS:
        return low
    core = low.strip(".,")
    if len(core) <= 3 and _KEEP_UPPER.search(core) and low not in _LOWER_WORDS:
        return word  # CVS, MGM, 3M, AT&T
    return "-".join(part[:1].upper() + part[1:] for part in low.split("-"))
