"""Find the periods a sentence names ("Q2 2025", "quarter ended June 30, 2025", "over three
years", "since March 2023") with what a chart or a table needs: a label, a length and, when the
calendar allows, the date the period ends.

Fiscal periods ("FY2025", "fiscal second quarter") keep their label but get no end date: a
company's fiscal year may end in any month, and guessing it would misplace the point.
"""

import calendar
import re
from collections.abc import Callable
from datetime import date

from pydantic import BaseModel

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3}
_ORDINAL |= {"4th": 4}
_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_COUNT |= {"nine": 9, "ten": 10}
_YEAR = r"(?:19|20)\d{2}"
_FY = r"(?:FY|fiscal(?: year)?)\s?'?(\d{4}|\d{2})"


class Period(BaseModel):
    """One period named in a text, with where it was found."""

    start: int
    end: int
    text: str  # as written
    label: str  # e.g. "Q2 2025", "FY2025", "2024", "3 years"
    kind: str  # quarter | half | year | month | years | since | date
    years: float | None = None  # length in years; None when open-ended ("since 2023")
    ends: date | None = None  # calendar end date when known
    fiscal: bool = False


def _quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _ended(m: re.Match) -> dict:
    month, year = _MONTHS[m["month"].lower().rstrip(".")[:3]], int(m["year"])
    ends = date(year, month, min(int(m["day"] or 31), calendar.monthrange(year, month)[1]))
    length = {"three": 0.25, "six": 0.5, "nine": 0.75, "twelve": 1.0}.get(
        (m["months"] or "").lower(), 1.0 if (m["unit"] or "").lower() == "year" else 0.25
    )
    kind = "quarter" if length == 0.25 else "half" if length == 0.5 else "year"
    if kind == "quarter":
        label = f"Q{(month - 1) // 3 + 1} {year}" if month % 3 == 0 else f"quarter to {ends}"
    else:
        label = f"{kind} to {ends.isoformat()}"
    return {"kind": kind, "years": length, "ends": ends, "label": label}


def _calendar_quarter(m: re.Match) -> dict:
    q = int(m["q"]) if m["q"] else _ORDINAL[m["ord"].lower()]
    fiscal = bool(m["fiscal"] or m["fy"] or m["fy_word"])
    year = _year(m["year"] or m["fy"])
    return {"kind": "quarter", "years": 0.25, "fiscal": fiscal, "label": ("FQ" if fiscal else "Q")
            + f"{q} {year}", "ends": None if fiscal else _quarter_end(year, q)}  # fmt: skip


def _named_quarter(m: re.Match, text: str) -> dict:
    """ "June quarter", "September 2025 quarter": the year may sit elsewhere in the sentence."""
    year = m["year"] or m["year2"]
    if not year:
        years = set(re.findall(_YEAR, text))
        if len(years) != 1:
            return {}
        year = years.pop()
    month = _MONTHS[m["month"].lower().rstrip(".")[:3]]
    if month % 3:
        return {}
    return {"kind": "quarter", "years": 0.25, "ends": _month_end(int(year), month),
            "label": f"Q{month // 3} {year}"}  # fmt: skip


def _half(m: re.Match) -> dict:
    h = int(m["h"]) if m["h"] else _ORDINAL[m["ord"].lower()]
    fiscal = bool(m["fiscal"])
    year = _year(m["year"])
    ends = None if fiscal else _month_end(year, 6 * h)
    return {"kind": "half", "years": 0.5, "fiscal": fiscal, "ends": ends,
            "label": ("FH" if fiscal else "H") + f"{h} {year}"}  # fmt: skip


def _fiscal_year(m: re.Match) -> dict:
    year = _year(m[1])
    return {"kind": "year", "years": 1.0, "fiscal": True, "label": f"FY{year}"}


def _calendar_year(m: re.Match) -> dict:
    year = int(m["year"])
    return {"kind": "year", "years": 1.0, "ends": date(year, 12, 31), "label": str(year)}


def _many_years(m: re.Match) -> dict:
    written = m["n"] or m["n2"]
    n = int(written) if written.isdigit() else _COUNT[written.lower()]
    return {"kind": "years", "years": float(n), "label": f"over {n} years"}


def _since(m: re.Match) -> dict:
    label = f"since {m['month'] + ' ' if m['month'] else ''}{m['year']}"
    return {"kind": "since", "years": None, "label": label}


def _month(m: re.Match) -> dict:
    month, year = _MONTHS[m["month"].lower().rstrip(".")[:3]], int(m["year"])
    return {"kind": "month", "years": 1 / 12, "ends": _month_end(year, month),
            "label": f"{calendar.month_abbr[month]} {year}"}  # fmt: skip


# Most specific first: a span taken by one pattern is not matched again by a later one.
_PATTERNS: list[tuple[re.Pattern, Callable]] = [
    (
        re.compile(
            rf"\b(?:(?P<months>three|six|nine|twelve) months|(?P<unit>quarter|year|half|period))"
            rf" end(?:ed|ing)\s+(?:on\s+)?(?P<month>{_MONTH})\s+(?:(?P<day>\d{{1,2}}),?\s+)?"
            rf"(?P<year>{_YEAR})\b",
            re.I,
        ),
        _ended,
    ),  # fmt: skip
    (
        re.compile(
            rf"\b(?:(?P<fiscal>fiscal )?(?:Q(?P<q>[1-4])|(?P<ord>first|second|third|fourth|"
            rf"1st|2nd|3rd|4th) quarter)(?: of)?(?: (?:its |the )?(?P<fy_word>fiscal)(?: year)?)?[\s,']*"
            rf"(?:(?P<year>{_YEAR}|\d{{2}}\b)|FY\s?'?(?P<fy>\d{{4}}|\d{{2}})))",
            re.I,
        ),
        _calendar_quarter,
    ),  # fmt: skip
    (
        re.compile(
            rf"\b(?P<month>{_MONTH})(?: (?P<year>{_YEAR}))? quarter(?: of (?P<year2>{_YEAR}))?",
            re.I,
        ),
        _named_quarter,
    ),  # fmt: skip
    (
        re.compile(
            rf"\b(?P<fiscal>fiscal )?(?:H(?P<h>[12])|(?P<ord>first|second) half)(?: of)?"
            rf"(?: fiscal(?: year)?)?[\s,']*(?P<year>{_YEAR}|\d{{2}}\b)",
            re.I,
        ),
        _half,
    ),
    (re.compile(rf"\b{_FY}\b", re.I), _fiscal_year),
    (
        re.compile(
            rf"\bsince\s+(?:[\w'’-]+\s+){{0,6}}?(?:(?P<month>{_MONTH})\s+)?(?P<year>{_YEAR})\b",
            re.I,
        ),
        _since,
    ),
    (
        re.compile(
            r"\bover (?:the )?(?:next |past |last |coming )?(?P<n>\d{1,2}|two|three|four|"
            r"five|six|seven|eight|nine|ten) years\b|\b(?P<n2>\d{1,2}|two|three|four|five|six|seven|"
            r"eight|nine|ten)-year\b",
            re.I,
        ),
        _many_years,
    ),  # fmt: skip
    (re.compile(rf"\b(?P<month>{_MONTH}) (?P<year>{_YEAR})\b"), _month),
    (
        re.compile(
            rf"(?<![\w.,$])(?:(?:full|calendar|financial) year |the year )?(?P<year>{_YEAR})"
            r"(?![\w%]|[.,]\d|\s?(?:billion|million|bn|m)\b)",
            re.I,
        ),
        _calendar_year,
    ),  # fmt: skip
]


def find_periods(text: str) -> list[Period]:
    """Every period `text` names, in order of position; overlapping mentions are merged."""
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for pattern, build in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            fields = build(m, text) if build is _named_quarter else build(m)
            if not fields:
                continue
            taken.append((m.start(), m.end()))
            found.append(Period(start=m.start(), end=m.end(), text=m.group(0), **fields))
    return sorted(found, key=lambda p: p.start)
