"""What a question asks to compute: the operation, the periods, and the two sides of a ratio.

"What was the percentage change in revenue from 2018 to 2019?" → `percent_change` over 2018
and 2019; "What is the ratio of cost of revenue to revenue in 2019?" → `ratio` of "cost of
revenue" to "revenue". A question that asks for a cause ("the reason for the change") or a
reported figure gets no operation.
"""

import re

from bot.answer.matching import years_in

_PERCENT_CHANGE = re.compile(
    r"percent(?:age)?\s+(?:change|increase|decrease|growth|decline|rise|drop|fall|movement)"
    r"|%\s*(?:change|increase|decrease|growth)|\bgrowth rate\b|\brate of (?:change|growth|increase|decrease)"
    r"|\b(?:change|increase|decrease|growth|variance|movement)\b[^?]*\b(?:in|as a) (?:units of )?percent",
    re.I,
)
_PERCENT_OF = re.compile(
    r"\bas an? (?:percentage|percent|%|proportion|share) of\b|\b(?:percentage|proportion|percent|fraction|%) of\b",
    re.I,
)
_RATIO = re.compile(r"\bratio\b", re.I)
_AVERAGE = re.compile(r"(?<!weighted )(?<!weighted-)\baverage\b|\bmean\b", re.I)
_CHANGE = re.compile(
    r"\bchang(?:e|ed|es)\b|\bdifference\b|\bincreas(?:e|ed)\b|\bdecreas(?:e|ed)\b|\bdeclined?\b"
    r"|\bmovement\b|\bvariance\b|\bgrowth\b|\bhow much (?:more|less|higher|lower)\b",
    re.I,
)
_CAUSE = re.compile(
    r"\bwhy\b|\breasons?\b|\bcaus\w+|\battribut\w+|\bdriven\b|\bdue to\b|\bexplain", re.I
)
ASKED = re.compile(
    r"\b(?:percentage|percent|per cent|changes?|increases?|decreases?|difference|average|mean|"
    r"variance|movement|growth rate|growth|ratio|proportion|year[- ](?:on|over)[- ]year|annual|"
    r"from the (?:prior|previous) year)\b",
    re.I,
)
_DIFFERENCE = re.compile(r"\bdifference (?:in .+ )?between .+ and ", re.I)
_COUNT_YEARS = re.compile(
    r"^\s*how many (?:fiscal |financial )?(?:years|periods|quarters)\b.*\b(?:exceed\w*|above|over|"
    r"more than|greater than|higher than|larger than|below|under|less than|lower than|smaller than)",
    re.I,
)
_SUM = re.compile(r"\btotal\b|\bsum\b|\bcombined\b|\baltogether\b|\btogether\b", re.I)
_EACH = re.compile(r"\brespectively\b", re.I)  # "total revenue in 2018 and 2019, respectively"
_RANGE = re.compile(  # 2017-2019, FY2017 - FY2019, fiscal 2017 through fiscal 2019
    r"(?<![\w.$])(?:FY\s?|fiscal\s+)?((?:19|20)\d{2})\s*(?:-|–|to|through)\s*"
    r"(?:FY\s?|fiscal\s+)?((?:19|20)\d{2})\b",
    re.I,
)
_YOY = re.compile(r"year[- ](?:on|over)[- ]year|\byoy\b|(?:prior|previous|last) year", re.I)
_TWO_SIDES = re.compile(r"\s+(?:to|and|over|divided by|versus|vs\.?|against)\s+", re.I)
_LEAD = re.compile(
    r"^(?:(?:what|how|is|was|were|are|the|a|an|of|for|between|company'?s?|its|their|ratio|"
    r"percentage|percent|proportion|fraction)\b\s*)+",
    re.I,
)
_PERIOD = re.compile(
    r"\b(?:in|for|during|at|as of|as at)\s+(?:fiscal\s+|FY\s?)?(?:19|20)\d{2}\b", re.I
)


def operation_of(question: str) -> str | None:
    """The computation a question asks for, or None when it asks for a reported figure."""
    years = periods_asked(question)
    if _CAUSE.search(question):
        return None  # "what was the reason for the change": words, not a number
    if _COUNT_YEARS.search(question):
        return "count"
    if _PERCENT_CHANGE.search(question):
        return "percent_change"
    if _RATIO.search(question):
        return "ratio"
    if _AVERAGE.search(question) and len(years) != 1:
        return "average"
    if _PERCENT_OF.search(question) and not _CHANGE.search(question):
        return "percent_of"
    if _DIFFERENCE.search(question) and len(years) < 2:
        return "difference"
    if _CHANGE.search(question) and (len(years) > 1 or _YOY.search(question)):
        return "change"
    if _SUM.search(question) and len(years) > 1 and not _EACH.search(question):
        return "sum"
    return None


def periods_asked(question: str) -> list[str]:
    """The years a question names, a range such as 2017-2019 spelled out."""
    span = _RANGE.search(question)
    if span and int(span.group(1)) < int(span.group(2)) <= int(span.group(1)) + 10:
        return [str(y) for y in range(int(span.group(1)), int(span.group(2)) + 1)]
    return years_in(question)


def sides_of(question: str, operation: str) -> tuple[str, str] | None:
    """(first phrase, second phrase) of a ratio, share or difference question."""
    text = _PERIOD.sub(" ", re.sub(r"\?.*$", "", question.strip(), flags=re.S))
    if operation == "percent_of":
        match = re.search(
            r"(.+?)\bas an? (?:percentage|percent|%|proportion|share) of\b(.+)", text, re.I
        )
        if not match:
            match = re.search(
                r"(?:percentage|proportion|percent|fraction|%) of\s+(.+?)\s+(?:in|of|to|from|within|"
                r"out of|relative to|compared to)\s+(?:the\s+)?(.+)",
                text,
                re.I,
            )
        return (_clean(match.group(1)), _clean(match.group(2))) if match else None
    if operation == "difference":
        match = re.search(r"\bbetween\s+(.+?)\s+and\s+(.+)", text, re.I)
        return (_clean(match.group(1)), _clean(match.group(2))) if match else None
    match = re.search(r"ratio (?:of|between)\s+(.+)", text, re.I)
    body = match.group(1) if match else _LEAD.sub("", text)
    parts = _TWO_SIDES.split(body, maxsplit=1)
    return (_clean(parts[0]), _clean(parts[1])) if len(parts) == 2 else None


def _clean(phrase: str) -> str:
    return _LEAD.sub("", re.sub(r"\s+", " ", phrase).strip(" ,.?")).strip(" ,.?")
