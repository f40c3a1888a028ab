"""Compose a short extractive answer with numbered citations from retrieved passages."""

import re
from datetime import date
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from bot.answer.figures import figure_fit, figures_in
from bot.answer.question import (
    FIGURE_TYPES,
    QuestionType,
    mentions_all,
    mentions_enough,
    question_names,
    question_type,
)
from bot.answer.structured import SeriesPoint, Table
from bot.answer.synonyms import expand_terms
from bot.answer.timeline import LABEL, Part, arrange
from index.labels import citation_label
from index.models import Hit
from index.sentences import split_sentences
from index.terms import STOPWORDS

NOT_FOUND = "I couldn't find that in the indexed articles."
MAX_SENTENCES = 3
# Below this dense score a passage needs a shared keyword with the question to count as evidence.
KEYWORD_FREE_SCORE = 0.6
MIN_OVERLAP = 0.34  # share of the question's content words a sentence must contain
OVERLAP_CAP = 6  # ... counting at most this many of them
RUNNER_UP = 0.9  # extra sentences must score within this fraction of the best

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.'&-]*[A-Za-z0-9]|[A-Za-z0-9]")
# Another article's figure sentence scoring within this share of the best also answers.
RECENCY_FLOOR = 0.85
NAMED_SCORE = 0.5  # share of min_score enough for a passage that names all the question names
MAX_ARTICLES = 3
_WHEN = re.compile(
    r"\b(?:(?:19|20)\d{2}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bQ[1-4]\b", re.I
)
_WHY = re.compile(
    r"\b(because|due to|driven by|as a result|owing to|reflect(s|ed|ing)?|primarily|mainly|led by)\b",
    re.I,
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)+")


class Citation(BaseModel):
    """One cited source, numbered as referenced by `[n]` in the answer."""

    model_config = ConfigDict(frozen=True)

    n: int
    title: str
    source: str | None
    url: str | None
    published: date | None
    path: str
    page: int | None
    quote: str  # verbatim from the article
    score: float
    chunk_id: str | None = None  # the passage quoted, for the audit trail
    collection: str | None = None  # who may read it (bot/access); None in answers saved before
    # Which document, as read from it (index/labels.py): `3M Company · 10-K · FY2018`; None: unknown.
    document: str | None = None

    def where(self) -> list[str]:
        """Publisher, date and page, those known, for a source line."""
        date_text = self.published.isoformat() if self.published else None
        page = f"p. {self.page}" if self.page else None
        return [part for part in (self.source, date_text, page) if part]


class Answer(BaseModel):
    """A cited answer, or `found=False` when the evidence is too weak; built once, never changed."""

    model_config = ConfigDict(frozen=True)

    question: str
    found: bool
    answer: str
    citations: list[Citation]
    filters_applied: str | None = None  # e.g. "ticker BABA, since 2025-06-01"; None: unfiltered
    table: Table | None = None  # a comparison across companies (bot/answer/compare.py)
    series: list[SeriesPoint] | None = None  # dated figures a chart draws (bot/answer/series.py)


class Scored(NamedTuple):
    """A candidate answer sentence: its score and where it is in a retrieved passage."""

    score: float
    hit: Hit
    start: int
    end: int


def content_terms(text: str) -> set[str]:
    """Lower-cased content words, cut to a 5-letter stem so invest/investing/investment match."""
    terms = set()
    words = [re.sub(r"['’]s$", "", w.lower()).strip(".'") for w in _WORD.findall(text)]
    for lowered in expand_terms(words):  # "capex" also counts as "capital expenditure"
        if lowered and lowered not in STOPWORDS:
            terms.add(lowered[:5] if lowered.isalpha() else lowered)
            if re.fullmatch(r"fy(\d{4})", lowered):  # "FY2022" is written "fiscal 2022"
                terms.add(lowered[2:])
    return terms


def compose_answer(
    question: str, hits: list[Hit], min_score: float, filters_applied: str | None = None
) -> Answer:
    """Pick the sentences from `hits` that best answer `question`, and cite them."""
    names = question_names(question)
    candidates = [h for h in hits if _is_evidence(h, names, min_score)]
    if not candidates:
        return not_found(question, filters_applied)
    kind = question_type(question)
    q_terms = content_terms(question)
    scored: list[Scored] = []
    for rank, hit in enumerate(candidates):
        for start, end in split_sentences(hit.text):
            score = sentence_score(kind, q_terms, hit, hit.text[start:end])
            if score is not None:
                scored.append(Scored(score - 0.02 * rank, hit, start, end))
    scored.sort(key=lambda item: -item.score)
    chosen = _choose(scored)
    if not chosen:
        return not_found(question, filters_applied)
    parts = [Part("", hit, start, end) for _, hit, start, end in chosen]
    if kind in FIGURE_TYPES:
        parts = _across_articles(scored, chosen[0].score) or parts
    return _cite(question, parts, filters_applied)


def sentence_score(kind: QuestionType, q_terms: set[str], hit: Hit, sentence: str) -> float | None:
    """Score one sentence as an answer, or None when it cannot be one."""
    if sentence.lstrip().startswith(("#", "|")) or len(sentence.split()) < 4:
        return None
    # Long questions (filings analysts paste in) cannot expect one sentence to hold every term.
    overlap = len(q_terms & content_terms(sentence)) / max(min(len(q_terms), OVERLAP_CAP), 1)
    if overlap < MIN_OVERLAP and hit.score < KEYWORD_FREE_SCORE:
        return None
    score = hit.score + 0.6 * overlap
    if kind in FIGURE_TYPES:
        score += 0.3 * figure_fit(kind, sentence)
    elif kind == QuestionType.WHEN:
        score += 0.3 * bool(_WHEN.search(sentence))
    elif kind == QuestionType.WHY:
        score += 0.3 * bool(_WHY.search(sentence))
    elif kind == QuestionType.WHO:
        score += 0.15 * bool(_NAME.search(sentence))
    return score


def cited_sentences(answer: Answer) -> list[tuple[str, int]]:
    """The (verbatim sentence, citation number) pairs of an answer, framing labels removed."""
    pairs = re.findall(r"(.+?) \[(\d+)\](?: |$)", answer.answer)
    return [(LABEL.sub("", sentence), int(n)) for sentence, n in pairs]


def _is_evidence(hit: Hit, names: list[str], min_score: float) -> bool:
    """Similar enough and about what the question names.

    A passage that never names the company asked about is not evidence, however similar.
    One that names everything asked about may be less similar: MiniLM scores rare names
    ("Cainiao") low, which is why keyword search found the passage in the first place.
    """
    about = " ".join([hit.title, hit.path, hit.context, " ".join(hit.tickers), hit.text])
    if hit.score >= min_score:
        return mentions_enough(names, about)
    return bool(names) and hit.score >= NAMED_SCORE * min_score and mentions_all(names, about)


def _across_articles(scored: list[Scored], best: float) -> list[Part] | None:
    """Figure sentences from several articles arranged by date, or None when only one answers."""
    picks: dict[str, tuple[Hit, int, int]] = {}
    for score, hit, start, end in scored:
        if score < RECENCY_FLOOR * best or len(picks) == MAX_ARTICLES:
            break
        if hit.article_id not in picks and figures_in(hit.text[start:end]):
            picks[hit.article_id] = (hit, start, end)
    if len(picks) < 2:
        return None
    parts = arrange(list(picks.values()))
    return parts if len(parts) > 1 else None


def not_found(question: str, filters_applied: str | None = None) -> Answer:
    """The honest answer when nothing indexed answers the question."""
    return Answer(
        question=question,
        found=False,
        answer=NOT_FOUND,
        citations=[],
        filters_applied=filters_applied,
    )


def _choose(scored: list[Scored]) -> list[Scored]:
    """The best sentence, plus close runners-up that add something new."""
    chosen: list[Scored] = []
    seen: set[str] = set()
    for candidate in scored:
        key = (
            re.sub(r"\W+", " ", candidate.hit.text[candidate.start : candidate.end]).strip().lower()
        )
        if key in seen:
            continue  # overlapping chunks repeat sentences
        if chosen and candidate.score < RUNNER_UP * chosen[0].score:
            break
        seen.add(key)
        chosen.append(candidate)
        if len(chosen) == MAX_SENTENCES:
            break
    return chosen


def _cite(question: str, chosen: list[Part], filters_applied: str | None) -> Answer:
    """Number the sources in order of first use and quote each one's cited span."""
    numbers: dict[str, int] = {}
    spans: dict[str, list] = {}
    parts = []
    for label, hit, start, end in chosen:
        n = numbers.setdefault(hit.chunk_id, len(numbers) + 1)
        spans.setdefault(hit.chunk_id, [hit, start, end])
        span = spans[hit.chunk_id]
        span[1], span[2] = min(span[1], start), max(span[2], end)
        parts.append(f"{label}{hit.text[start:end]} [{n}]")
    citations = [
        Citation(
            n=numbers[chunk_id],
            title=hit.title,
            source=hit.source,
            url=hit.url,
            published=hit.published,
            path=hit.path,
            page=hit.page,
            quote=hit.text[start:end],
            score=round(hit.score, 4),
            chunk_id=chunk_id,
            collection=hit.collection,
            document=citation_label(hit.identity),
        )
        for chunk_id, (hit, start, end) in spans.items()
    ]
    return Answer(
        question=question,
        found=True,
        answer=" ".join(parts),
        citations=citations,
        filters_applied=filters_applied,
    )
