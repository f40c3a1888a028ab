"""Read a document's first pages as the SEC forms and press releases lay them out.

- 10-K / 10-Q / 8-K covers: `FORM 10-K`, `For the fiscal year ended December 31, 2018`,
  `For the quarterly period ended …`, `Date of Report (Date of earliest event reported): …`,
  the registrant's name above `(Exact name of registrant as specified in its charter)` (or after
  the Commission file number), and the trading symbols of the Section 12(b) table.
- Earnings releases: the `(NYSE: XYZ)` tag and the name before it, the dateline date, and the
  quarter and year of the headline (`Fourth Quarter Fiscal 2022 Results`, `2022 Fourth-Quarter`).

Each reader returns only what it found, as {field: value}; index/identity.py merges them.
"""

import re
from datetime import date

from index.company_names import name_after, name_before

MONTHS = {
    m: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for m in names
}  # fmt: skip
DATE = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(\d{1,2})\s*,?\s*((?:19|20)\d\d)"
_DATE = re.compile(DATE, re.IGNORECASE)
_SEC = re.compile(r"securities\s+and\s+exchange\s+commission\W+washington", re.IGNORECASE)
_FORM = re.compile(
    r"\bform\s+(10-?K|10-?Q|8-?K|20-?F|40-?F|6-?K|11-?K)(?:\s*/\s*A)?\b", re.IGNORECASE
)
_REPORT_KIND = [
    (re.compile(r"annual\s+report\s+pursuant\s+to\s+section\s+13", re.I), "10-K"),
    (re.compile(r"quarterly\s+report\s+pursuant\s+to\s+section\s+13", re.I), "10-Q"),
    (re.compile(r"current\s+report\s+pursuant\s+to\s+section\s+13", re.I), "8-K"),
]
_FISCAL_YEAR_ENDED = re.compile(r"for\s+the\s+fiscal\s+year\s+ended\s*:?\s*" + DATE, re.I)
_QUARTER_ENDED = re.compile(
    r"for\s+the\s+quarterly\s+period\s+ended\W+(?:[A-Za-z]+\W+){0,2}?" + DATE, re.I
)
_EVENT_DATE = re.compile(
    r"date\s+of\s+(?:report|earliest\s+event\s+reported)[^:]{0,60}:\s*" + DATE, re.I
)
_EXACT_NAME = re.compile(r"\(\s*exact\s+name\s+of\s+(?:the\s+)?registrant", re.IGNORECASE)
_FILE_NUMBER = re.compile(r"commission\s+file\s+(?:number|no\.?)\s*:?\s*[\d-]+\.?", re.IGNORECASE)
_SECTION_12B = re.compile(
    r"section\s+12\s*\(\s*b\s*\)(.{0,1500}?)(?:section\s+12\s*\(\s*g|indicate\s+by)", re.I | re.S
)
_EXCHANGE = (
    r"(?:The\s+)?(?:New\s+York\s+Stock\s+Exchange|NYSE|Nasdaq|NASDAQ|Chicago\s+Stock\s+Exchange)"
)
_SYMBOL = re.compile(r"(?<![\w$.])([A-Z]{1,5}(?:\.[A-Z])?)\s+" + _EXCHANGE)
_NOT_SYMBOLS = {
    "NYSE",
    "LLC",
    "INC",
    "THE",
    "USD",
    "PAR",
    "N",
    "A",
    "ADS",
    "LP",
    "PLC",
    "NOTES",
    "DUE",
}
_TAG = re.compile(
    r"\(\s*(?:NYSE(?:\s+American)?|NASDAQ|Nasdaq|NasdaqGS|NASDAQ/NGS|TSX|LSE|ASX)\s*:\s*"
    r"([A-Z]{1,5}(?:\.[A-Z])?)\s*(?:[;,][^)]{0,40})?\)"
)
_RESULTS = re.compile(
    r"\b(?:reports?|reported|announces?|announced|posts?|delivers?)\b[^.]{0,120}?\bresults\b", re.I
)
_HEADLINE = re.compile(r"^(.{2,80}?)\s+(?:reports?|announces?|posts?|delivers?)\b", re.I)
_ORDINAL = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
_Q = r"(first|second|third|fourth|1st|2nd|3rd|4th)"
_QUARTER_YEAR = [
    re.compile(
        _Q + r"[\s-]+quarter(?:\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?'?((?:19|20)\d\d))?", re.I
    ),
    re.compile(r"((?:19|20)\d\d)\s+" + _Q + r"[\s-]+quarter", re.I),
    re.compile(r"\bQ([1-4])\s*(?:FY)?\s*'?((?:19|20)?\d\d)\b"),
    re.compile(r"\b([1-4])Q\s*(?:FY)?\s*'?((?:19|20)?\d\d)\b"),
]
_FULL_YEAR = re.compile(r"(?:full[\s-]+year|fiscal(?:\s+year)?)\s+'?((?:19|20)\d\d)\b", re.I)
_SYMBOL_SENTENCE = re.compile(
    r"(?:under\s+the\s+(?:ticker\s+|trading\s+)?symbol|(?:ticker|trading)\s+symbol\s+is)\s+"
    r"[“\"'‘]?([A-Z]{1,5}(?:\.[A-Z])?)(?![A-Za-z])"
)
SYMBOL_CHARS = 400_000  # Item 5 of a 10-K, where the listing is described
COVER_CHARS = 6000
RELEASE_CHARS = 2500


def parse_date(match: re.Match, first_group: int = 1) -> date | None:
    """A date from a `DATE` match's month, day and year groups."""
    month = MONTHS.get(match.group(first_group).lower().rstrip("."))
    try:
        return date(
            int(match.group(first_group + 2)), month or 0, int(match.group(first_group + 1))
        )
    except (TypeError, ValueError):
        return None


def read_cover(head: str) -> dict:
    """Form, period end or report date, registrant and trading symbols from an SEC cover page."""
    sec = _SEC.search(head[:COVER_CHARS])
    if not sec:
        return {}
    cover = head[sec.start() : sec.start() + COVER_CHARS]
    found: dict = {}
    form = _FORM.search(cover[:600])
    if form:
        found["form"] = normal_form(form.group(1))
    else:
        found["form"] = next(
            (f for pattern, f in _REPORT_KIND if pattern.search(cover[:1500])), None
        )
    for pattern, field in ((_FISCAL_YEAR_ENDED, "period_end"), (_QUARTER_ENDED, "period_end"),
                           (_EVENT_DATE, "report_date")):  # fmt: skip
        match = pattern.search(cover[:2500])
        if match and field not in found:
            found[field] = parse_date(match)
            if pattern is _FISCAL_YEAR_ENDED and not found.get("form"):
                found["form"] = "10-K"
    exact = _EXACT_NAME.search(cover)
    company = name_before(cover, exact.start()) if exact else None
    if not company:
        number = _FILE_NUMBER.search(cover)
        company = name_after(cover, number.end()) if number else None
    found["company"] = company
    table = _SECTION_12B.search(cover)
    if table:
        symbols = [s for s in _SYMBOL.findall(table.group(1)) if s not in _NOT_SYMBOLS]
        # One-letter symbols after the first are preferred-share series (`JPM PR D`).
        symbols = [s for n, s in enumerate(symbols) if n == 0 or len(s) > 1]
        found["tickers"] = list(dict.fromkeys(symbols))[:4]
    return {k: v for k, v in found.items() if v}


def read_release(head: str) -> dict:
    """Company, ticker, release date, quarter and year from an earnings or news release."""
    text = head[:RELEASE_CHARS]
    found: dict = {}
    tag = _TAG.search(text)
    if tag:
        found["tickers"] = [tag.group(1)]
        found["company"] = name_before(text, tag.start())
    results = _RESULTS.search(text)
    if results:
        found["form"] = "earnings release"
        headline = _HEADLINE.match(text)
        if headline and "company" not in found:
            found["company"] = name_before(headline.group(1), len(headline.group(1)))
        quarter, year = quarter_and_year(text)
        full = _FULL_YEAR.search(text[max(0, results.start() - 300) : results.end() + 300])
        if year is None and full:
            year = int(full.group(1))
        if quarter is None and full:
            quarter = 4  # full-year results come with the fourth quarter's
        found.update({"fiscal_quarter": quarter, "fiscal_year": year})
        dated = _DATE.search(text)
        found["report_date"] = parse_date(dated) if dated else None
    return {k: v for k, v in found.items() if v}


def stated_symbol(text: str) -> str | None:
    """The ticker a filing states in words: `trades under the symbol BA`, `ticker symbol is MMM`."""
    match = _SYMBOL_SENTENCE.search(text[:SYMBOL_CHARS])
    return match.group(1) if match else None


def quarter_and_year(text: str) -> tuple[int | None, int | None]:
    """The first quarter named with its year in `text` (`Fourth Quarter Fiscal 2022`, `Q2'23`,
    `4Q 2023`), else the first quarter named without one."""
    found: list[tuple[bool, int, int, int | None]] = []  # (no year, position, quarter, year)
    for n, pattern in enumerate(_QUARTER_YEAR):
        for match in pattern.finditer(text):
            groups = match.groups()[::-1] if n == 1 else match.groups()
            quarter = _ORDINAL.get(groups[0].lower()) or int(groups[0])
            year = _year(groups[1]) if groups[1] else None
            found.append((year is None, match.start(), quarter, year))
    if not found:
        return None, None
    _, _, quarter, year = min(found)
    return quarter, year


def normal_form(raw: str) -> str:
    """`10K`, `10-k` → `10-K`."""
    raw = raw.upper().replace("-", "")
    return f"{raw[:-1]}-{raw[-1]}"


def _year(raw: str) -> int:
    return int(raw) if len(raw) == 4 else 2000 + int(raw)
