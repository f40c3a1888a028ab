"""Compose a short extractive answer with numbered citations from retrieved passages."""

import re
from datetime import date

from pydantic import BaseModel

from bot.figures import figure_fit, is_quantity_question
from index.models import Hit
from index.sentences import split_sentences

NOT_FOUND = "I couldn't find that in the indexed articles."
MAX_SENTENCES = 3
# Below this dense score a passage needs a shared keyword with the question to count as evidence.
KEYWORD_FREE_SCORE = 0.6
MIN_OVERLAP = 0.34  # share of the question's content words a sentence must contain
RUNNER_UP = 0.9  # extra sentences must score within this fraction of the best

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.'&-]*[A-Za-z0-9]|[A-Za-z0-9]")
_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "how",
        "much",
        "many",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "will",
        "would",
        "can",
        "could",
        "should",
        "its",
        "it",
        "this",
        "that",
        "these",
        "those",
        "their",
        "there",
        "they",
        "them",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "she",
        "his",
        "her",
        "about",
        "into",
        "over",
        "under",
        "than",
        "then",
        "as",
        "so",
        "if",
        "not",
        "no",
        "yes",
        "any",
        "all",
        "some",
        "more",
        "most",
        "per",
        "vs",
        "via",
        "up",
        "tell",
        "give",
        "show",
        "say",
        "said",
        "please",
        "know",
        "latest",
        "recent",
        "current",
        "currently",
    }
)


class Citation(BaseModel):
    """One cited source, numbered as referenced by `[n]` in the answer."""

    n: int
    title: str
    source: str | None
    url: str | None
    published: date | None
    path: str
    page: int | None
    quote: str  # verbatim from the article
    score: float


class Answer(BaseModel):
    """A cited answer, or `found=False` when the evidence is too weak."""

    question: str
    found: bool
    answer: str
    citations: list[Citation]
    filters_applied: str | None = None  # e.g. "ticker BABA, since 2025-06-01"; None: unfiltered


def content_terms(text: str) -> set[str]:
    """Lower-cased content words, cut to a 5-letter stem so invest/investing/investment match."""
    terms = set()
    for word in _WORD.findall(text):
        lowered = word.lower().strip(".'")
        if lowered and lowered not in _STOPWORDS:
            terms.add(lowered[:5] if lowered.isalpha() else lowered)
    return terms


def compose_answer(question: str, hits: list[Hit], min_score: float) -> Answer:
    """Pick the one to three sentences from `hits` that best answer `question`, and cite them."""
    candidates = [h for h in hits if h.score >= min_score]
    if not candidates:
        return not_found(question)
    q_terms = content_terms(question)
    quantity = is_quantity_question(question)
    scored = []
    for rank, hit in enumerate(candidates):
        for start, end in split_sentences(hit.text):
            sentence = hit.text[start:end]
            score = sentence_score(question, q_terms, quantity, hit, sentence)
            if score is not None:
                scored.append((score - 0.02 * rank, hit, start, end))
    scored.sort(key=lambda item: -item[0])
    chosen = _choose(scored)
    if not chosen:
        return not_found(question)
    return _cite(question, chosen)


def sentence_score(question: str, q_terms: set[str], quantity: bool, hit: Hit, sentence: str):
    """Score one sentence as an answer, or None when it cannot be one."""
    if sentence.lstrip().startswith(("#", "|")) or len(sentence.split()) < 4:
        return None
    overlap = len(q_terms & content_terms(sentence)) / max(len(q_terms), 1)
    if overlap < MIN_OVERLAP and hit.score < KEYWORD_FREE_SCORE:
        return None
    score = hit.score + 0.6 * overlap
    if quantity:
        score += 0.3 * figure_fit(question, sentence)
    return score


def not_found(question: str) -> Answer:
    """The honest answer when nothing indexed answers the question."""
    return Answer(question=question, found=False, answer=NOT_FOUND, citations=[])


def _choose(scored: list) -> list:
    """The best sentence, plus close runners-up that add something new."""
    chosen, seen = [], set()
    for score, hit, start, end in scored:
        key = re.sub(r"\W+", " ", hit.text[start:end]).strip().lower()
        if key in seen:
            continue  # overlapping chunks repeat sentences
        if chosen and score < RUNNER_UP * chosen[0][0]:
            break
        seen.add(key)
        chosen.append((score, hit, start, end))
        if len(chosen) == MAX_SENTENCES:
            break
    return chosen


def _cite(question: str, chosen: list) -> Answer:
    """Number the sources in order of first use and quote each one's cited span."""
    numbers: dict[str, int] = {}
    spans: dict[str, list] = {}
    parts = []
    for _, hit, start, end in chosen:
        n = numbers.setdefault(hit.chunk_id, len(numbers) + 1)
        spans.setdefault(hit.chunk_id, [hit, start, end])
        span = spans[hit.chunk_id]
        span[1], span[2] = min(span[1], start), max(span[2], end)
        parts.append(f"{hit.text[start:end]} [{n}]")
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
        )
        for chunk_id, (hit, start, end) in spans.items()
    ]
    return Answer(question=question, found=True, answer=" ".join(parts), citations=citations)
