"""Numbers for computed answers: the scale a source states, and results written for people."""

import re

_SCALES = [
    (
        "thousand",
        re.compile(
            r"\bin thousands\b|\(\s*thousands\b|\bthousands of\b|[$€£]\s?'?000s?\b|\b000s\b"
            r"|\bin \$?\s?000s?\b|\(\s*in \$?\s?000s?\s*\)",
            re.I,
        ),
    ),
    (
        "million",
        re.compile(
            r"\bin millions\b|\(\s*millions\b|\bmillions of\b|\b(?:US|S|HK|A|C)?[$€£]\s?(?:m|mn|mil|million)\b"
            r"|\b(?:RMB|USD|EUR|GBP)\s?(?:m|mn|million)\b|\bin (?:\$|€|£)?\s?m\b|\$m\b|€m\b|£m\b",
            re.I,
        ),
    ),
    (
        "billion",
        re.compile(
            r"\bin billions\b|\(\s*billions\b|\bbillions of\b|\b(?:US|S|HK)?[$€£]\s?(?:bn|b|billion)\b",
            re.I,
        ),
    ),
]
SCALE_FACTOR = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


def scale_of(text: str) -> str | None:
    """The scale a table note or caption states (`(In thousands)` → thousand), or None."""
    for name, pattern in _SCALES:
        if pattern.search(text):
            return name
    return None


def format_number(
    value: float, signed: bool = False, percent: bool = False, decimals: int | None = None
) -> str:
    """`5711` → `5,711`; percentages to 3 significant digits at least; `signed` adds `+`."""
    if decimals is None:
        if percent:
            size = abs(value)
            decimals = 1 if size >= 10 else 2 if size >= 1 else 3
        else:
            decimals = 0 if float(value).is_integer() else 2
    text = f"{value:,.{decimals}f}"
    if decimals and "." in text and not percent:
        text = text.rstrip("0").rstrip(".") if decimals > 1 else text
    if text in ("-0", "-0.0", "-0.00"):
        text = text[1:]
    return f"+{text}" if signed and value > 0 else text
