"""Recognise figures (money, percentages, counts) in text and judge how well they fit a question."""

import re

from bot.answer.question import QuestionType, question_type

_CURRENCY = r"(?:US\$|\$|€|£|¥|RMB|CNY|HK\$|USD|EUR|GBP|JPY|yuan|dollars?)"
_SCALE = r"(?:trillion|billion|million|thousand|bn|mn|[kKmMbB](?![a-zA-Z]))"
# At most 12 thousands groups: "1,234,…" is tried from each group, so an unbounded `+` would
# scan a run of 10,000 of them from each (quadratic); 12 groups is 10^39.
_NUMBER = r"\d{1,3}(?:,\d{3}){1,12}(?:\.\d+)?|\d+(?:\.\d+)?"
FIGURE = re.compile(
    # Not inside a word or code: "Qwen3", "A100" and "9988.HK" hold no figure.
    rf"(?<![A-Za-z0-9_.])(?:{_CURRENCY}\s?)?(?:{_NUMBER})(?!\.[A-Za-z])(?=[^\w]|$|{_SCALE}|x\b)(?:\s?%|\s?percent|\s?per cent)?"
    rf"(?:\s?{_SCALE})?(?:\s?{_CURRENCY})?(?:\s?\((?:{_CURRENCY}\s?)?(?:{_NUMBER})(?:\s?{_SCALE})?\))?"
    r"x?",
    re.IGNORECASE,
)
# A number starts where a run of digits starts (`(?<!\d)`): otherwise a 10,000-digit run is
# tried from each of its digits, and every try scans to its end (quadratic).
_MONEY = re.compile(rf"{_CURRENCY}\s?(?:{_NUMBER})|(?<!\d)(?:{_NUMBER})\s?{_SCALE}", re.IGNORECASE)
_PERCENT = re.compile(rf"(?<!\d)(?:{_NUMBER})\s?(?:%|percent|per cent)", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d{2}$")

_PERCENT_QUESTION = re.compile(
    r"\b(share|percent|percentage|proportion|fraction|rate|margin|grow|growth)", re.I
)


def figures_in(text: str) -> list[str]:
    """Figures mentioned in `text`, leaving out bare years such as 2025."""
    found = []
    for match in FIGURE.finditer(text):
        value = match.group(0).strip()
        if value and not _YEAR.match(value) and any(ch.isdigit() for ch in value):
            found.append(value)
    return found


def figure_fit(question: str | QuestionType, sentence: str) -> float:
    """How well the sentence's figures fit the unit the question asks for (0 to 1)."""
    figures = figures_in(sentence)
    if not figures:
        return 0.0
    kind = question if isinstance(question, QuestionType) else question_type(question)
    has_percent = bool(_PERCENT.search(sentence))
    has_money = bool(_MONEY.search(sentence))
    if kind == QuestionType.SHARE or (
        kind not in (QuestionType.HOW_MUCH, QuestionType.HOW_MANY)
        and isinstance(question, str)
        and _PERCENT_QUESTION.search(question)
    ):
        return 1.0 if has_percent else 0.4
    if kind == QuestionType.HOW_MANY:
        counts = [f for f in figures if not _PERCENT.search(f) and not _CURRENCY_AT.search(f)]
        return 1.0 if counts else 0.3
    return 1.0 if has_money else 0.5


_CURRENCY_AT = re.compile(_CURRENCY, re.IGNORECASE)
_VALUE = re.compile(
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(trillion|billion|million|thousand|bn|mn|[kmb]\b)?",
    re.IGNORECASE,
)
_SCALE_VALUE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9}
_SCALE_VALUE |= {"bn": 1e9, "b": 1e9, "trillion": 1e12}


def figure_values(text: str) -> list[float]:
    """Every number in `text` as a value, scale words applied (`$1.2 billion` → 1.2e9)."""
    values = []
    for match in _VALUE.finditer(text):
        value = float(match.group(1).replace(",", ""))
        values.append(value * _SCALE_VALUE.get((match.group(2) or "").lower(), 1.0))
    return values


_MARKER = re.compile(r"(\[\d+\])")


def bold_figures(text: str, before: str, after: str) -> str:
    """Wrap every figure in `text` with the given markers (e.g. `*` for Slack mrkdwn)."""

    def wrap(match: re.Match) -> str:
        value = match.group(0)
        stripped = value.rstrip()
        if _YEAR.match(stripped.strip()) or not any(ch.isdigit() for ch in stripped):
            return value
        return f"{before}{stripped}{after}{value[len(stripped) :]}"

    # Citation markers like [2] are references, not figures: leave them as they are.
    parts = _MARKER.split(text)
    return "".join(p if _MARKER.fullmatch(p) else FIGURE.sub(wrap, p) for p in parts)
