"""Answer one question across several companies: the same question scoped to each company in
turn through the Answerer, one table row each, every cell quoted and cited.

A row holds the company's figure exactly as its cited sentence writes it, with the period it
covers and the article's date; a company whose articles do not state the measure gets
"not found in the articles" and the other rows still answer. Figures are never converted or
mixed: a per-year column appears only where a figure's unit and its period's length are both
known, in the figure's own currency.
"""

import re
from datetime import date
from typing import NamedTuple

from bot.answer.citing import Citer
from bot.answer.compose import NOT_FOUND, Answer, Citation, cited_sentences
from bot.answer.evidence import citation_of, figures_of
from bot.answer.measures import Measure
from bot.answer.periods import Period, find_periods
from bot.answer.quantities import Quantity
from bot.answer.structured import NOT_FOUND_CELL, Table, TableRow
from bot.answer.subjects import Mention, Subject
from bot.answer.table_notes import caveats, per_year, with_per_year
from index.filters import SearchFilter
from index.models import Hit

MAX_COMPANIES = 12  # a comparison of every company the index knows stops here
DEPTH = 2  # passages read per company, in answers' worth: one article can fill a single answer
MAX_UNION_HITS = 60
_COMPARE = re.compile(r"\b(?:compar\w*|versus|vs\.?|against|relative to)\b", re.I)
_ACROSS = re.compile(r"\b(?:across|between|among)\b", re.I)


class Pick(NamedTuple):
    """The sentence a row is read from, its citation, its figure and the figure's period."""

    sentence: str
    citation: Citation
    quantity: Quantity
    period: Period | None


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
    everyone = answerer.visible_companies(base)  # those the asker's collections cover
    mentions = subject.mentions or [Mention(name=c.name, company=c) for c in everyone]
    notes = []
    if len(mentions) > MAX_COMPANIES:
        notes.append(f"Only the first {MAX_COMPANIES} of {len(mentions)} companies are compared.")
        mentions = mentions[:MAX_COMPANIES]
    citer, rows, found = Citer(), [], []
    picks = _picks(answerer, question, mentions, subject.measure, base)
    for mention in mentions:
        pick = picks.get(mention.name)
        if scoped(base, mention) is None:
            notes.append(f"{mention.name} is outside the ticker filter ({base.describe()}).")
        if pick is None:
            rows.append(TableRow(company=mention.name, figure=NOT_FOUND_CELL))
            continue
        sentence, citation, quantity, period = pick
        n = citer.cite(citation)
        found.append(f"{sentence} [{n}]")
        rows.append(TableRow(company=mention.name, figure=quantity.written,
                             period=period.label if period else None, as_of=citation.published,
                             citations=[n], per_year=per_year(quantity, period)))  # fmt: skip
    rows, columns = with_per_year(rows)
    table = Table(measure=subject.measure.text, columns=columns, rows=rows,
                  notes=notes + caveats(rows))  # fmt: skip
    return Answer(question=question, found=bool(found), answer=" ".join(found) or NOT_FOUND,
                  citations=citer.citations, filters_applied=describe_scope(mentions, base), table=table)  # fmt: skip


def _picks(
    answerer, question: str, mentions: list[Mention], measure: Measure, base: SearchFilter
) -> dict[str, Pick | None]:
    """Each company's row sentence. One search over all the companies' articles answers most
    rows (a single question's cost, not one per company): the row comes from the answer
    composed from the company's share of the passages, else from any of those passages that
    states the measure. A company still without a row gets a search of its own."""
    picks: dict[str, Pick | None] = {}
    scopes = {m.name: scoped(base, m) for m in mentions}
    known = [(m, m.company, f) for m in mentions if m.company and (f := scopes[m.name])]
    if len(known) > 1:
        tickers = list(dict.fromkeys(t for _, _, f in known for t in f.tickers))
        union = base.model_copy(update={"tickers": tickers, "include_untagged": True})
        k = min(DEPTH * answerer.top_k * len(known), MAX_UNION_HITS)
        hits = answerer.search(question, union, k).hits
        for m, company, _ in known:
            own = [h for h in hits if set(h.tickers) & set(company.tickers) or not h.tickers]
            picks[m.name] = _pick(answerer, own, m, measure)
    for m in mentions:
        flt = scopes[m.name]
        if picks.get(m.name) is None and flt is not None:
            hits = answerer.search(
                company_question(measure, m.name), flt, DEPTH * answerer.top_k
            ).hits
            picks[m.name] = _pick(answerer, hits, m, measure)
    return picks


def _pick(answerer, hits: list[Hit], mention: Mention, measure: Measure) -> Pick | None:
    """The row's sentence: the most recent (by the period's end, else the article's date) of
    the sentences that state the measure for this company, in the answer composed from `hits`
    or in the passages themselves; on a tie, the composed answer's."""
    composed = answerer.compose(company_question(measure, mention.name), hits)
    by_n = {c.n: c for c in composed.citations}
    found = []
    for sentence, n in cited_sentences(composed) if composed.found else []:
        hit = next((h for h in hits if h.path == by_n[n].path and sentence in h.text), None)
        for f in figures_of([hit] if hit else [], mention, measure, answerer.min_score):
            if f.sentence == sentence:
                found.append(Pick(sentence, by_n[n], f.quantity, f.period))
                break
    quoted = {p.sentence for p in found}
    found += [Pick(f.sentence, citation_of(f.hit, f.sentence), f.quantity, f.period)
              for f in figures_of(hits, mention, measure, answerer.min_score)
              if f.sentence not in quoted]  # fmt: skip
    wanted = {p.label for p in find_periods(measure.text)}
    found = [p for p in found if not wanted or (p.period and p.period.label in wanted)]
    recency = [(p.period.ends if p.period and p.period.ends else p.citation.published) or date.min
               for p in found]  # fmt: skip
    return max(zip(recency, found, strict=True), key=lambda rf: rf[0])[1] if found else None


def describe_scope(mentions: list[Mention], base: SearchFilter) -> str:
    """In words, how each company's search was limited: `company Alibaba (BABA/9988.HK), ...`."""
    who = ", ".join(
        f"{m.name} ({'/'.join(m.company.tickers)})" if m.company else f"{m.name} (by name)"
        for m in mentions
    )
    rest = base.describe()
    return f"each company's own articles plus untagged ones: {who}" + (f"; {rest}" if rest else "")
