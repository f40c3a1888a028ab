"""A figure over time: the dated figures of one measure, in one unit and one kind of period,
read from the passages about a company (or several: one line each), for a chart.

"Cloud revenue growth %" and "cloud revenue in RMB" are two series, and so are quarterly and
yearly figures: points are grouped by unit and period length and never mixed. A point is
dated by the period its sentence names (the end of "Q2 2025"), else by its article's date.
With fewer than three points that agree there is no chart, and the answer says why.
"""

import re
from datetime import date, timedelta
from typing import NamedTuple

from bot.answer.citing import Citer
from bot.answer.compare import describe_scope, scoped
from bot.answer.compose import Answer
from bot.answer.evidence import citation_of, figures_of
from bot.answer.measures import Measure
from bot.answer.periods import Period
from bot.answer.quantities import Quantity
from bot.answer.structured import SeriesPoint
from bot.answer.subjects import Mention, Subject
from index.filters import SearchFilter
from index.models import Hit

MIN_POINTS = 3
SEARCH_K = 24  # passages read per company: a series needs more than one answer's worth
_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10, "twelve": 12}
_NUMBER = r"\d{1,2}|" + "|".join(_WORDS)
_TREND = re.compile(
    r"\bhow (?:has|have)\b.{0,80}?\b(?:chang|evolv|develop|trend|mov|grown|shift|progress|fare|"
    r"risen|fallen)\w*|\bhow (?:did|does|do)\b.{0,80}?\b(?:chang|evolv|develop|trend|shift)\w*"
    rf"|\btrend\w*|\bover (?:the )?(?:last|past) (?:(?:{_NUMBER}) )?"
    r"(?:quarters?|years?|months?)\b|\bover time\b|\b(?:quarter|year)[- ](?:by|on|over)[- ]"
    r"(?:quarter|year)\b|\bhistory of\b|\btrajectory\b|\bchart\b",
    re.I,
)
_WINDOW = re.compile(
    rf"\b(?:last|past) (?:(?P<n>{_NUMBER}) )?(?P<unit>quarter|year|month)s?\b", re.I
)
_DAYS = {"quarter": 92, "year": 366, "month": 31}
_GRAIN = {"quarter": "by quarter", "half": "by half-year", "year": "by year", "month": "by month",
          "as of": "by article date"}  # fmt: skip


class Candidate(NamedTuple):
    """A figure that could be a point, with where it came from."""

    company: str | None
    when: date
    label: str
    quantity: Quantity
    grain: str  # quarter | half | year | month | as of
    hit: Hit
    sentence: str


def wants_series(question: str) -> bool:
    """True for "how has … changed", "trend", "over the last N quarters", "chart …"."""
    return bool(_TREND.search(question))


def answer_series(answerer, question: str, subject: Subject, base: SearchFilter) -> Answer:
    """Points and their cited sentences in date order; else the usual answer saying why not."""
    measure = subject.measure
    found: list[Candidate] = []
    targets: list[Mention | None] = [*subject.mentions] or [None]
    for mention in targets:
        flt = scoped(base, mention) if mention else base
        if flt is None:
            continue
        query = f"{mention.name} {measure.text}" if mention and len(targets) > 1 else question
        hits = answerer.search(query, flt, SEARCH_K).hits
        found += candidates(hits, mention, measure, answerer.min_score)
    lines, notes = choose_lines(found, question)
    if not lines:
        fallback = answerer.answer(question, base)
        return fallback.model_copy(update={"answer": f"{fallback.answer} {notes[0]}".strip()})
    citer, points, parts = Citer(), [], dict[int, str]()
    for c in sorted((c for line in lines for c in line), key=lambda c: c.when):
        n = citer.cite(citation_of(c.hit, c.sentence))
        parts.setdefault(n, f"{c.sentence} [{n}]")
        points.append(_point(c, n, measure))
    text = " ".join([*parts.values(), *notes])
    mentions = subject.mentions
    applied = describe_scope(mentions, base) if mentions else base.describe() or None
    return Answer(question=question, found=True, answer=text, citations=citer.citations,
                  filters_applied=applied, series=points)  # fmt: skip


def candidates(
    hits: list[Hit], mention: Mention | None, measure: Measure, min_score: float
) -> list[Candidate]:
    """Every dated figure of the measure in `hits` that is about the company asked for."""
    found = [_candidate(mention, f.quantity, f.period, f.hit, f.sentence)
             for f in figures_of(hits, mention, measure, min_score)]  # fmt: skip
    return [c for c in found if c]


def choose_lines(found: list[Candidate], question: str) -> tuple[list[list[Candidate]], list[str]]:
    """The lines to draw (one per company, same unit and period length), and notes on the rest."""
    groups: dict[tuple, list[Candidate]] = {}
    for c in found:
        groups.setdefault((c.quantity.measure_unit, c.grain, c.company), []).append(c)
    differ: dict[tuple, list[str]] = {}
    groups = {key: _window(_one_per_date(group, differ.setdefault(key, [])), question)
              for key, group in groups.items()}  # fmt: skip
    by_kind: dict[tuple, list[list[Candidate]]] = {}
    for (unit, grain, _), group in groups.items():
        by_kind.setdefault((unit, grain), []).append(group)
    if not by_kind:
        return [], ["No chart: no dated figures of this measure were found."]
    kind, lines = max(by_kind.items(), key=lambda kv: (max(len(g) for g in kv[1]), len(kv[1])))
    drawn = [g for g in lines if len(g) >= MIN_POINTS]
    notes = [f"No chart for {g[0].company}: only {_count(len(g))} dated figures." for g in lines
             if len(g) < MIN_POINTS and drawn and g[0].company]  # fmt: skip
    if not drawn:
        best = max(len(g) for g in lines)
        return [], [f"No chart: only {_count(best)} dated {'figure' if best == 1 else 'figures'} "
                    f"({kind[0]} {_GRAIN.get(kind[1], kind[1])}) found; a chart needs "
                    f"{MIN_POINTS}."]  # fmt: skip
    notes += [n for g in drawn for n in differ[(*kind, g[0].company)]]
    others = sorted({f"{u} {_GRAIN.get(g, g)}" for (u, g) in by_kind if (u, g) != kind})
    if others:
        notes.append(f"Figures in other units or periods ({'; '.join(others)}) are not drawn.")
    return drawn, notes


def _candidate(
    mention: Mention | None, quantity: Quantity, period: Period | None, hit: Hit, sentence: str
) -> Candidate | None:
    if period is not None and period.kind in ("years", "since"):
        return None  # a total over several years is not a point in time
    when = period.ends if period and period.ends else hit.published
    if when is None:
        return None
    label = period.label if period else f"as of {when.isoformat()}"
    grain = period.kind if period else "as of"
    return Candidate(mention.name if mention else None, when, label, quantity, grain, hit, sentence)


def _one_per_date(group: list[Candidate], differ: list[str]) -> list[Candidate]:
    """One point per date: the same figure twice is one point; where sources differ, the
    newest article's figure is drawn and `differ` gets a note saying so."""
    best: dict[date, Candidate] = {}
    for c in group:
        kept = best.get(c.when)
        if kept is None or c.quantity.value == kept.quantity.value:
            best.setdefault(c.when, c)
            continue
        newer = (c.hit.published or date.min) > (kept.hit.published or date.min)
        old, new = (kept, c) if newer else (c, kept)
        differ.append(f"Sources differ for {c.label}: {new.quantity.written} "
                      f"({new.hit.published}) is drawn, not {old.quantity.written} "
                      f"({old.hit.published}).")  # fmt: skip
        best[c.when] = new
    return sorted(best.values(), key=lambda c: c.when)


def _window(group: list[Candidate], question: str) -> list[Candidate]:
    """Only the points "over the last N quarters/years" asks for, counted back from the newest."""
    m = _WINDOW.search(question)
    if not m or not group:
        return group
    n = m["n"] or "1"
    n = int(n) if n.isdigit() else _WORDS.get(n.lower(), 1)
    if m["unit"].lower() == "quarter" and group[0].grain == "quarter":
        return group[-n:]
    newest = group[-1].when
    return [c for c in group if c.when > newest - timedelta(days=_DAYS[m["unit"].lower()] * n)]


def _point(c: Candidate, n: int, measure: Measure) -> SeriesPoint:
    q = c.quantity
    return SeriesPoint(date=c.when, value=round(q.scaled, 6), unit=q.measure_unit, citation=n, label=c.label,
                       figure=q.text, company=c.company, measure=measure.text)  # fmt: skip


def _count(n: int) -> str:
    return {0: "no", 1: "one", 2: "two"}.get(n, str(n))
