"""Document identity: which company, form and period a document is, read from the document.

Sources, most trusted first: the SEC cover page or the release's own first lines
(index/cover.py), the PDF metadata title and subject (`Form 10-K filed on 2023-02-10 for the
period ending 2022-12-31`), legal names written in the text, and last the file name, only when
it carries words (`ADBE 10-K FY22.pdf`; never an accession number, a hash or `final(2)`).
Every field records where it came from. The fiscal year follows the document's own naming:
a year ended January 1, 2023 is fiscal 2022; for years ending in January or early February
(retailers name them either way) the text's own `fiscal 2023` mentions decide.
"""

import re
from datetime import date, timedelta
from pathlib import PurePosixPath

from index.company_names import frequent_legal_name, short_name, tidy_name
from index.cover import (
    COVER_CHARS,
    normal_form,
    quarter_and_year,
    read_cover,
    read_release,
    stated_symbol,
)
from index.models import Article, DocumentIdentity

HEAD_CHARS = 12_000  # covers and release headlines sit on the first pages
MAX_DATE_MENTIONS = 300  # of the period's end date, when the fiscal year's name is looked up
FIELDS = (
    "company", "tickers", "form", "fiscal_year", "fiscal_quarter", "period_end", "report_date",
    "filed",
)  # fmt: skip
_META_FORM = re.compile(r"(?<![\w-])(10-?K|10-?Q|8-?K|20-?F)(?![\w-])", re.IGNORECASE)
_META_FILED = re.compile(r"filed(?:\s+on)?\s+(\d{4}-\d\d-\d\d|\d\d/\d\d/\d{4})", re.IGNORECASE)
_META_FORM_DATE = re.compile(r"^\s*(?:10-?K|10-?Q|8-?K)\s+-\s+(\d\d/\d\d/\d{4})\s+-\s+(.+)$", re.I)
_META_PERIOD = re.compile(r"period\s+ending\s+(\d{4}-\d\d-\d\d)", re.IGNORECASE)
_META_COMPANY = re.compile(r"^form\s+\S+\s+for\s+(.+?)\s+filed\b", re.IGNORECASE)
_FY_SHORT = re.compile(r"\bFY\s*'?((?:19|20)?\d\d)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_JUNK_WORDS = {
    "final", "draft", "copy", "scan", "scanned", "document", "doc", "docs", "file", "untitled",
    "new", "pdf", "dated", "exhibit", "version", "rev", "report", "annual", "quarterly", "form",
    "earnings", "results", "release", "press", "filing", "download", "downloads", "and", "the",
}  # fmt: skip
_NOT_A_NAME = re.compile(
    r"(?:10|8|6|20|40|11)[kqf]|[qh][1-4]|[1-4]q|fy\d*|(?:19|20)\d\dq[1-4]|v\d+|"
    r"img|dsc|scan\d*|pxl|doc\d*|file\d*|page\d*|part\d*|copy\d*"
)
_NAME_PERIOD = re.compile(r"(?:fy)?'?((?:19|20)\d\d)(?:q([1-4]))?|fy(\d\d)|q([1-4])")
_NAME_FORMS = {
    "10k": "10-K",
    "10q": "10-Q",
    "8k": "8-K",
    "20f": "20-F",
    "earnings": "earnings release",
}
_WEEKS = {"thirteen": 1, "13": 1, "twenty-six": 2, "26": 2, "thirty-nine": 3, "39": 3}
_MONTHS_ENDED = re.compile(
    r"\b(three|six|nine|thirteen|twenty-six|thirty-nine|13|26|39)[\s-]+(?:months|weeks)\s+ended",
    re.I,
)
_MONTHS_N = {"three": 1, "six": 2, "nine": 3}


def identify(article: Article, metadata: dict | None = None) -> Article:
    """`article` with its identity read and the identity's tickers added to its own.

    Only paged documents (PDFs) are read as releases and named by their file name: a news
    article saying "Alibaba reported results" is not Alibaba's earnings release, and its file
    name is a slug of its title. Any article with an SEC cover (an EDGAR .htm) is read as a filing.
    """
    paged = bool(article.page_starts)
    identity = identify_document(
        article.text, article.path if paged else "", metadata or {}, releases=paged
    )
    tickers = list(dict.fromkeys([*article.tickers, *identity.tickers]))
    return article.model_copy(update={"identity": identity, "tickers": tickers})


def identify_document(
    text: str, path: str, metadata: dict, releases: bool = True
) -> DocumentIdentity:
    """Company, tickers, form, fiscal period, period end and filing date, each with its source.

    `path` '' reads no file name; `releases` False reads no press-release layout.
    """
    head = " ".join(text[:HEAD_CHARS].split())
    readings = [
        ("cover page", read_cover(head)),
        ("press release", read_release(head) if releases else {}),
        ("PDF metadata title", read_metadata(str(metadata.get("Title") or ""))),
        ("PDF metadata subject", read_metadata(str(metadata.get("Subject") or ""))),
        ("file name", read_file_name(path) if path else {}),
    ]
    values: dict = {}
    sources: dict[str, str] = {}
    for source, found in readings:
        for field in FIELDS:
            if found.get(field) and field not in values:
                values[field], sources[field] = found[field], source
    if values.get("form") and not values.get("tickers") and (symbol := stated_symbol(text)):
        values["tickers"], sources["tickers"] = [symbol], "text"
    if values.get("form") and sources.get("company") in (None, "file name"):
        # A filing whose cover shows its name only as a logo: the legal name its text repeats.
        written = frequent_legal_name(head[: COVER_CHARS * 2])
        if written:
            values["company"], sources["company"] = written, "text"
    if values.get("period_end") and values.get("form") in ("10-K", "10-Q", "20-F"):
        quarter = _quarter_of(text, values) if values["form"] == "10-Q" else None
        year = _fiscal_year(text, values["period_end"], quarter)
        values["fiscal_year"], sources["fiscal_year"] = year, sources["period_end"]
        values.pop("fiscal_quarter", None)
        if quarter:
            values["fiscal_quarter"], sources["fiscal_quarter"] = quarter, sources["period_end"]
    dated = "report_date" if values.get("report_date") else "filed"
    if not values.get("fiscal_year") and values.get(dated) and values.get("form") == "8-K":
        values["fiscal_year"], sources["fiscal_year"] = values[dated].year, sources[dated]
    company = tidy_name(values["company"]) if values.get("company") else None
    return DocumentIdentity(
        **{**values, "company": company}, short_name=short_name(company), sources=sources
    )


def read_metadata(title: str) -> dict:
    """What a PDF metadata title or subject says: form, filing date, period end, company."""
    title = " ".join(title.split())
    if not carries_words(title):
        return {}
    found: dict = {}
    form = _META_FORM.search(title)
    found["form"] = normal_form(form.group(1)) if form else None
    filed = _META_FILED.search(title) or _META_FORM_DATE.search(title)
    found["filed"] = _iso_or_us(filed.group(1)) if filed else None
    period = _META_PERIOD.search(title)
    found["period_end"] = _iso_or_us(period.group(1)) if period else None
    company = _META_COMPANY.search(title) or _META_FORM_DATE.search(title)
    found["company"] = company.group(company.lastindex or 0) if company else None
    quarter, year = quarter_and_year(title)
    short_fy = _FY_SHORT.search(title)
    found["fiscal_year"] = year or (_full_year(short_fy.group(1)) if short_fy else None)
    found["fiscal_quarter"] = quarter
    return found


def read_file_name(path: str) -> dict:
    """Company words, form, year and quarter of a file name that carries words, else {}."""
    stem = PurePosixPath(path).stem
    if not carries_words(stem):
        return {}
    found: dict = {}
    words: list[str] = []
    stem = re.sub(r"(?<![0-9])(10|8|6|20)-([KQFkqf])(?![A-Za-z])", r"\1\2", stem)
    for token in re.split(r"[_\s.()\[\]]+|(?<=\D)-|-(?=\D)", stem):
        low = token.lower().replace("-", "")
        if not token:
            continue
        if low in _NAME_FORMS:
            found.setdefault("form", _NAME_FORMS[low])
        elif m := _NAME_PERIOD.fullmatch(low):
            year = m.group(1) or (f"20{m.group(3)}" if m.group(3) else None)
            if year:
                found.setdefault("fiscal_year", int(year))
            if m.group(2) or m.group(4):
                found.setdefault("fiscal_quarter", int(m.group(2) or m.group(4)))
        elif token.isalnum() and carries_words(token):
            words.append(token)
    # Words name the company only beside a form or a period (`ADBE 10-K FY22`), not in `notes.pdf`.
    found["company"] = " ".join(words) if words and found else None
    return found


def carries_words(name: str) -> bool:
    """True when a name holds a word that can name something: not an accession number, a hash,
    a form or period alone (`10-K`, `Q4`), or `final(2)`."""
    for token in re.findall(r"[A-Za-z0-9]+", name):
        low = token.lower()
        letters = sum(ch.isalpha() for ch in low)
        if not letters or low in _JUNK_WORDS or _NOT_A_NAME.fullmatch(low):
            continue
        if re.fullmatch(r"[0-9a-f]+", low) and (len(low) >= 8 or letters < len(low)):
            continue  # a piece of a hash or uuid: `9b012500`, `471a`
        if letters >= 2 or len(low) >= 2:
            return True
    return False


def _quarter_of(text: str, values: dict) -> int | None:
    """The fiscal quarter of a 10-Q: its longest `… months ended` (six months: Q2)."""
    head = text[: HEAD_CHARS * 4]
    counts = [_MONTHS_N.get(m.group(1).lower()) or _WEEKS[m.group(1).lower()]
              for m in _MONTHS_ENDED.finditer(head)]  # fmt: skip
    if counts:
        return max(counts)
    return (values["period_end"].month - 1) // 3 + 1  # a calendar fiscal year


def _fiscal_year(text: str, period_end: date, quarter: int | None) -> int:
    """The fiscal year a period ending on `period_end` belongs to, as the document names it."""
    year_end = period_end + timedelta(days=91 * (4 - quarter)) if quarter else period_end
    if year_end.month == 1 and year_end.day <= 7:
        return year_end.year - 1  # 52/53-week years that end on the Sunday nearest Dec 31
    if not (year_end.month == 1 or (year_end.month == 2 and year_end.day <= 10)):
        return year_end.year
    later, earlier = year_end.year, year_end.year - 1
    near = _years_near_date(text, period_end, (later, earlier))
    if near[later] != near[earlier]:
        return later if near[later] > near[earlier] else earlier
    counts = {y: len(re.findall(rf"\bfiscal\s+(?:year\s+)?{y}\b", text, re.I)) for y in near}
    return earlier if counts[earlier] > counts[later] else later


def _years_near_date(text: str, day: date, years: tuple[int, ...]) -> dict[int, int]:
    """How often each of `years` is called `fiscal YYYY` within 150 characters of `day`."""
    month = day.strftime("%B")
    pattern = rf"(?:{month}|{month[:3]}\.?)\s+{day.day},?\s+{day.year}"
    counts = dict.fromkeys(years, 0)
    for n, match in enumerate(re.finditer(pattern, text, re.IGNORECASE)):
        if n == MAX_DATE_MENTIONS:
            break
        window = text[max(0, match.start() - 150) : match.end() + 150]
        for found in re.findall(r"\bfiscal\s+(?:year\s+)?((?:19|20)\d\d)\b", window, re.I):
            if int(found) in counts:
                counts[int(found)] += 1
    return counts


def _iso_or_us(raw: str) -> date | None:
    try:
        if "-" in raw:
            return date.fromisoformat(raw)
        month, day, year = (int(p) for p in raw.split("/"))
        return date(year, month, day)
    except ValueError:
        return None


def _full_year(raw: str) -> int:
    return int(raw) if len(raw) == 4 else 2000 + int(raw)
