"""Answer one question across several companies: the same question scoped to each company in
turn through the Answerer, one table row each, every cell quoted and cited.

A row holds the company's figure exactly as its cited sentence writes it, with the period it
covers and the article's date; a company whose articles do not state the measure gets
"not found in the articles" and the other rows still answer. Figures are never converted or
mixed: a per-year column appears only where a figure's unit and its period's length are both
known, in the figure's own currency.
"""

import re

from bot.answer.citing import Citer
from bot.answer.compose import NOT_FOUND, Answer, cited_sentences
from bot.answer.measures import Measure, fits, states_measure
from bot.answer.periods import find_periods
from bot.answer.quantities import Quantity, dated_quantities, quantities_in
from bot.answer.structured import NOT_FOUND_CELL, Table, TableRow
from bot.answer.subjects import Mention, Subject, in_segment
from index.filters import SearchFilter

MAX_COMPANIES = 12  # a comparison of every company the index knows stops here
_COMPARE = re.compile(r"\b(?:compar\w*|versus|vs\.?|against|relative to)\b", re.I)
_ACROSS = re.compile(r"\b(?:across|between|among)\b", re.I)
COLUMNS = ["company", "figure", "period", "as_of", "citations"]


def wants_comparison(question: str, subject: Subject) -> bool:
    """Two or more companies named, an explicit list, or "compare … across/between" alone."""
    if subject.explicit or len(subject.mentions) >= 2:
        return bool(subject.mentions)
    return not subject.mentions and bool(_COMPARE.search(question) and _ACROSS.search(question))


def company_question(measure: Measure, name: str) -> str:
    """The question asked of each company, worded so the answer looks for the right number."""
    text = measure.text
    if measure.want == "change":
        what = (
            re.sub(r"\b(?:growth(?: rate)?|grow\w*)\b", "", text, flags=re.I).strip() or "revenue"
        )
        return f"By how much did {name}'s {what} grow?"
    if measure.want == "percent":
        return f"What is {name}'s {text} in percent?"
    if measure.want == "count":
        return f"How many {text} does {name} have?"
    return f"How much is {name}'s {text}?"


def scoped(base: SearchFilter, mention: Mention) -> SearchFilter | None:
    """`base` (dates, sources, access) narrowed to one company's articles plus untagged ones;
    None when an explicit ticker filter in `base` leaves none of the company's tickers."""
    if mention.company is None:
        return base  # a name the index does not know: its sentences must name it instead
    tickers = mention.company.tickers
    if base.tickers:
        allowed = {t.upper() for t in base.tickers}
        tickers = [t for t in tickers if t.upper() in allowed]
        if not tickers:
            return None
    return base.model_copy(update={"tickers": tickers, "include_untagged": True})


def answer_comparison(answerer, question: str, subject: Subject, base: SearchFilter) -> Answer:
    """One row per company named (all known ones, up to MAX_COMPANIES, when none is)."""
    mentions = subject.mentions or [Mention(name=c.name, company=c) for c in answerer.companies]
    notes = []
    if len(mentions) > MAX_COMPANIES:
        notes.append(f"Only the first {MAX_COMPANIES} of {len(mentions)} companies are compared.")
        mentions = mentions[:MAX_COMPANIES]
    citer, rows, found = Citer(), [], []
    for mention in mentions:
        flt = scoped(base, mention)
        if flt is None:
            notes.append(f"{mention.name} is outside the ticker filter ({base.describe()}).")
            pick = None
        else:
            answer = answerer.answer(company_question(subject.measure, mention.name), flt)
            pick = _pick(answer, mention, subject.measure, answerer)
        if pick is None:
            rows.append(TableRow(company=mention.name, figure=NOT_FOUND_CELL))
            continue
        sentence, citation, quantity, period = pick
        n = citer.cite(citation)
        found.append(f"{sentence} [{n}]")
        rows.append(TableRow(company=mention.name, figure=quantity.written,
                             period=period.label if period else None, as_of=citation.published,
                             citations=[n], per_year=_per_year(quantity, period)))  # fmt: skip
    rows, columns = _with_per_year(rows)
    table = Table(measure=subject.measure.text, columns=columns, rows=rows,
                  notes=notes + _caveats(rows))  # fmt: skip
    return Answer(question=question, found=bool(found), answer=" ".join(found) or NOT_FOUND,
                  citations=citer.citations, filters_applied=describe_scope(mentions, base), table=table)  # fmt: skip


def describe_scope(mentions: list[Mention], base: SearchFilter) -> str:
    """In words, how each company's search was limited: `company Alibaba (BABA/9988.HK), ...`."""
    who = ", ".join(
        f"{m.name} ({'/'.join(m.company.tickers)})" if m.company else f"{m.name} (by name)"
        for m in mentions
    )
    rest = base.describe()
    return f"each company's own articles plus untagged ones: {who}" + (f"; {rest}" if rest else "")


def _pick(answer: Answer, mention: Mention, measure: Measure, answerer):
    """The first cited sentence that states the measure for this company, and its figure."""
    if not answer.found:
        return None
    by_n = {c.n: c for c in answer.citations}
    wanted_periods = {p.label for p in find_periods(measure.text)}
    for sentence, n in cited_sentences(answer):
        citation = by_n.get(n)
        if citation is None or not states_measure(sentence, measure):
            continue
        if not in_segment(sentence, mention) or not _about(sentence, citation, mention, answerer):
            continue
        for quantity, period in dated_quantities(sentence):
            if not fits(quantity, measure):
                continue
            if wanted_periods and (period is None or period.label not in wanted_periods):
                continue
            return sentence, citation, quantity, period
    return None


def _about(sentence: str, citation, mention: Mention, answerer) -> bool:
    """The sentence is about this company: it names it, or its article is tagged with it."""
    text = f"{sentence} {citation.title}"
    if any(re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", text, re.I) for n in mention.names()):
        return True
    if mention.company is None:
        return False
    tags = answerer.searcher.files.query(
        "SELECT tickers FROM articles WHERE path = ?", (citation.path,)
    )
    return any(t in (row[0] or "") for row in tags for t in mention.company.tickers)


def _per_year(quantity: Quantity, period) -> str | None:
    """The figure per year when it is money over a known whole number of years, else None."""
    if quantity.unit in ("%", "pp", "x", "") or quantity.change or period is None:
        return None
    if period.years is None or period.years < 1:
        return None  # a quarter is not annualised: that would be an estimate, not a figure
    per_year = quantity.model_copy(update={"value": quantity.value / period.years})
    return f"{quantity.hedge} {per_year.display()} a year".strip()


def _with_per_year(rows: list[TableRow]) -> tuple[list[TableRow], list[str]]:
    """Keep the per-year column only when at least two rows have one."""
    if sum(r.per_year is not None for r in rows) >= 2:
        return rows, [*COLUMNS[:3], "per_year", *COLUMNS[3:]]
    return [r.model_copy(update={"per_year": None}) for r in rows], list(COLUMNS)


def _caveats(rows: list[TableRow]) -> list[str]:
    """Say when the figures cover different periods or units, instead of mixing them silently."""
    notes = []
    periods = sorted({r.period or "no period stated" for r in rows if r.citations})
    if len(periods) > 1:
        notes.append(f"The figures cover different periods ({', '.join(periods)}); "
                     "they are shown as written, not adjusted.")  # fmt: skip
    units = sorted({_currency(r.figure) for r in rows if r.citations} - {""})
    if len(units) > 1:
        notes.append(f"The figures are in different currencies ({', '.join(units)}); "
                     "no exchange rate is in the articles, so nothing is converted.")  # fmt: skip
    if any(r.per_year for r in rows):
        notes.append("Per year: the figure divided by the years it covers, in its own currency; "
                     "quarters are not annualised.")  # fmt: skip
    return notes


def _currency(figure: str) -> str:
    found = quantities_in(figure)
    return found[0].unit if found and found[0].unit not in ("%", "pp", "x") else ""
