"""Who and what a question is about: the companies it names (as written) and the measure left
once their names are taken out.

"How does Alibaba Cloud's revenue growth compare with Tencent's?" names Alibaba (written as
"Alibaba Cloud", a segment: its sentences must say "cloud") and Tencent, and measures "revenue
growth". An explicit list, "compare AI capex: Alibaba, Tencent, Baidu", is read the same way,
and a name the index does not know stays in the list as written.
"""

import re

from pydantic import BaseModel

from bot.answer.measures import Measure, measure_of
from index.scope import Company

_FILLER = frozenset(
    ["group", "holdings", "inc", "corp", "corporation", "co", "ltd", "limited", "plc", "platforms"]
)
_EXPLICIT = re.compile(
    r"^\s*(?:compare|comparison of|chart|plot)\b(?P<what>[^:]*):(?P<who>.+)$", re.I
)
_LIST_SPLIT = re.compile(r"\s*(?:,|;|/|\band\b|\bor\b|\bvs\.?|\bversus\b|&)\s*", re.I)


class Mention(BaseModel):
    """A company as the question names it."""

    name: str  # shown in tables and charts: the display name, or a segment as written
    company: Company | None = None  # None: a name the index does not know
    segment: list[str] = []  # e.g. ["alibaba cloud", "cloud"]: a sentence must hold one of them

    def words(self) -> frozenset[str]:
        """Lower-case words of its names and segment: they may narrow a measure's head."""
        return frozenset(w for n in [*self.names(), *self.segment] for w in n.lower().split())

    def names(self) -> list[str]:
        """Names and tickers a sentence may use for this company."""
        if self.company is None:
            return [self.name]
        return list(dict.fromkeys([self.company.name, *self.company.names, *self.company.tickers]))


class Subject(BaseModel):
    """The companies a question names, in order, and what it measures."""

    mentions: list[Mention]
    measure: Measure
    explicit: bool = False  # the companies came as a list after a colon


def subject_of(question: str, companies: list[Company]) -> Subject:
    """Read the companies and the measure from `question`."""
    explicit = _EXPLICIT.match(question)
    if explicit:
        entries = [e.strip(" .?!") for e in _LIST_SPLIT.split(explicit["who"]) if e.strip(" .?!")]
        mentions = [_mention(entry, companies) for entry in entries]
        rest = explicit["what"]
        for m in mentions:
            rest = _strip(rest, m)[0]
        return Subject(mentions=_unique(mentions), measure=measure_of(rest), explicit=True)
    found = []
    for company in companies:
        spans = _spans(question, company)
        if spans:
            found.append((spans[0][0], _from_spans(question, company, spans)))
    mentions = [m for _, m in sorted(found, key=lambda item: item[0])]
    rest = question
    for m in mentions:
        rest = _strip(rest, m)[0]
    return Subject(mentions=mentions, measure=measure_of(rest))


def _mention(entry: str, companies: list[Company]) -> Mention:
    for company in companies:
        spans = _spans(entry, company)
        if spans:
            return _from_spans(entry, company, spans)
    return Mention(name=" ".join(entry.split())[:60])


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in mentions:
        key = m.name.lower()
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _spans(text: str, company: Company) -> list[tuple[int, int, str]]:
    """Where `text` names the company: (start, end, name as matched), longest names first."""
    spans: list[tuple[int, int, str]] = []
    terms = [(t, False) for t in company.tickers] + [(n, True) for n in company.names]
    for term, ignore_case in sorted(terms, key=lambda t: -len(t[0])):
        flags = re.IGNORECASE if ignore_case else 0
        for m in re.finditer(rf"(?<![\w.]){re.escape(term)}(?![\w])", text, flags):
            if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), term))
    return sorted(spans)


def _from_spans(text: str, company: Company, spans: list[tuple[int, int, str]]) -> Mention:
    single = {n.lower() for n in [company.name, *company.names] if " " not in n}
    segment: list[str] = []
    name = company.name
    for start, end, term in spans:
        words = term.lower().split()
        rest = [w for w in words if w not in single and w not in _FILLER]
        if len(words) > 1 and len(rest) < len(words) and rest:  # "Alibaba Cloud" → "cloud"
            segment, name = [term.lower(), " ".join(rest)], " ".join(text[start:end].split())
            break
    return Mention(name=name, company=company, segment=segment)


def in_segment(sentence: str, mention: Mention) -> bool:
    """True when the mention has no segment, or the sentence names it ("cloud")."""
    lowered = sentence.lower()
    return not mention.segment or any(
        re.search(rf"(?<![\w]){re.escape(s)}(?![\w])", lowered) for s in mention.segment
    )


def _strip(text: str, mention: Mention) -> tuple[str, int]:
    """`text` without the mention's names and their possessive `'s`."""
    if mention.company is None:
        pattern = re.escape(mention.name)
        return re.subn(rf"(?<![\w.]){pattern}(?:['’]s?)?(?![\w])", " ", text, flags=re.I)
    spans = _spans(text, mention.company)
    for start, end, _ in reversed(spans):
        tail = re.match(r"['’]s?", text[end:])
        text = f"{text[:start]} {text[end + (tail.end() if tail else 0) :]}"
    return text, len(spans)
