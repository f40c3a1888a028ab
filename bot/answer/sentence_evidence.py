"""Sentence-level evidence: which sentences of the retrieved passages answer the question.

Each sentence is scored by the words it shares with the question (matching.py), the figures
it holds for figure questions, and, when an encoder is given, its own similarity to the
question: the best lexical candidates and the question go through the query encoder in one
batched call. A passage is evidence when its whole-chunk similarity passes `min_score`, or
when one of its sentences is close to the question on its own: a long passage covering five
topics scores low as a whole although one sentence answers exactly. Either way the passage
must name what the question names (question.py), which keeps near-topic questions out.
"""

import re
from collections.abc import Sequence
from typing import NamedTuple, Protocol

import numpy as np

from bot.answer.figures import figure_fit
from bot.answer.matching import PARAPHRASES, content_terms, matched, stem
from bot.answer.question import (
    FIGURE_TYPES,
    QuestionType,
    mentions_all,
    mentions_enough,
    question_names,
)
from index.models import Hit
from index.sentences import split_sentences

KEYWORD_FREE_SCORE = 0.6  # a passage this similar needs no shared word for its sentences
MIN_OVERLAP = 0.34  # share of the question's content words a sentence must contain
OVERLAP_CAP = 6  # ... counting at most this many of them
NAMED_SCORE = 0.5  # share of min_score enough for a passage that names all the question names
SENTENCE_SCORE = 0.6  # a sentence this similar to the question makes its passage evidence
SENTENCE_WEIGHT = 0.5  # share of a sentence's similarity in its score (the rest: its passage's)
DENSE_CANDIDATES = 6  # contenders encoded per question, at most (the best by words and passage)
CONTENDER = 0.85  # ... those scoring within this share of the best
# Words too common in finance to say what a question is about ("per share", "this quarter").
WEAK_TOPIC = frozenset(
    {"share", "compa", "busin", "quart", "annua", "fisca", "perio", "recen", "make", "spend"}
    | {"mean", "means", "stand", "refer", "defin"}  # "What does TWDV mean?" asks for the name
)
# Financial facts an analyst asks a company about; their answers name them in so many words.
_METRIC_WORDS = """
    dividend dividends yield debt leverage margin margins employees headcount staff ceo cfo cto
    chief executive officer chairman founder acquisition acquisitions acquire acquired merger
    buyback buybacks repurchase repurchases cash flow income revenue revenues sales profit
    earnings eps capex expenditure price valuation store stores headquarters research
    development ratio assets liabilities equity guidance outlook forecast subscribers users
    customers shipments backlog orders bookings inventory inventories tax taxes rate rates
    wages salary salaries compensation bonus pension lawsuit litigation fine fines
"""
METRICS = frozenset(stem(w) for w in _METRIC_WORDS.split()) | frozenset(
    name for name, _ in PARAPHRASES
)
MAX_SENTENCE_CHARS = 400
HEADING_PENALTY = 0.2
# A line of at most eight words that ends without a full stop reads as a heading.
_HEADING = re.compile(
    r"^(?:\S+\s+){0,7}\S+$(?<![.!?:;\"'”’)])"
)  # longer ones are encoded by their start (the model cuts them anyway)

_WHEN = re.compile(
    r"\b(?:(?:19|20)\d{2}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bQ[1-4]\b", re.I
)
_WHY = re.compile(
    r"\b(because|due to|driven by|as a result|owing to|reflect(s|ed|ing)?|primarily|mainly|led by"
    r"|attributable to|offset by|result(ed|ing)? (of|from)|contribut(ed|ing) to|caused by)\b",
    re.I,
)
# A sentence that starts like this continues the one before it.
_FOLLOW_ON = re.compile(
    r"(?:The|This|These|That|Such|Those) (?:increase|decrease|decline|growth|rise|change|drop|"
    r"improvement|reduction|movement|shift|gain|loss|was|is|were|are|amount|reflects|resulted|"
    r"relates|related|included|includes)\b|(?:This|These|It|They) (?:was|were|is|are|has|have|"
    r"reflect|reflects|resulted|includes|included|primarily|mainly|represents|represent)\b"
    r"|(?:While|Within|However|In addition|Additionally|Also|Furthermore|Moreover|As a result|"
    r"Partially offsetting|Offsetting|Excluding)\b",
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)+")


class SentenceEncoder(Protocol):
    """Anything that encodes texts into normalised vectors (the index's query encoder)."""

    def encode_documents(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray: ...


class Scored(NamedTuple):
    """A candidate answer sentence: its score, where it is, and its own similarity."""

    score: float
    hit: Hit
    start: int
    end: int
    similarity: float | None = None  # None when it was not encoded


def about_text(hit: Hit) -> str:
    """Everything that says what a passage is about: title, path, context, tickers, text."""
    return " ".join([hit.title, hit.path, hit.context, " ".join(hit.tickers), hit.text])


def names_fit(hit: Hit, names: list[str], min_score: float) -> bool:
    """The passage names what the question names: most names, or all of them when less similar."""
    about = about_text(hit)
    if hit.score >= min_score:
        return mentions_enough(names, about)
    return mentions_enough(names, about) and (not names or mentions_all(names, about))


def is_chunk_evidence(hit: Hit, names: list[str], min_score: float) -> bool:
    """Similar enough as a whole and about what the question names.

    One that names everything asked about may be less similar: MiniLM scores rare names
    ("Cainiao") low, which is why keyword search found the passage in the first place.
    """
    about = about_text(hit)
    if hit.score >= min_score:
        return mentions_enough(names, about)
    return bool(names) and hit.score >= NAMED_SCORE * min_score and mentions_all(names, about)


def topic_terms(question: str, names: list[str]) -> set[str]:
    """What a question asks about its company: its terms without names, years and weak words.

    In "What is Amazon's dividend per share?" that is the dividend. A sentence about Amazon
    that says nothing of it does not answer, however close it is otherwise. Only a question
    about a financial fact (METRICS) is held to this: its answer names the fact in so many
    words, while "the target of Project Aurora" may be a company the passage names otherwise.
    """
    named = content_terms(" ".join(names))
    terms = {t for t in content_terms(question) - named - WEAK_TOPIC if not t.isdigit()}
    return terms if terms & METRICS else set()


def lexical_score(
    kind: QuestionType,
    q_terms: set[str],
    hit: Hit,
    sentence: str,
    strict: bool,
    after: str = "",
    topic: frozenset[str] | set[str] = frozenset(),
    question: str = "",
) -> float | None:
    """Score one sentence by words, figures and question type; None when it cannot answer.

    `after` is the sentence that goes on from this one ("The increase was driven by …"): it
    is quoted with it, so it counts for the kind of answer (a cause, a date) too. With `topic`
    (a question that names a company), a sentence must mention one of its topic terms.
    """
    if sentence.lstrip().startswith("#") or "|" in sentence or len(sentence.split()) < 4:
        return None
    terms = content_terms(sentence)
    if topic and not topic & (terms | content_terms(after)):
        return None
    # Long questions (filings analysts paste in) cannot expect one sentence to hold every term.
    shared = matched(question, terms) if question else q_terms & terms
    overlap = len(shared) / max(min(len(q_terms), OVERLAP_CAP), 1)
    if overlap < MIN_OVERLAP and (strict or hit.score < KEYWORD_FREE_SCORE):
        return None
    score = 0.6 * overlap
    if _HEADING.match(sentence) or sentence.rstrip().endswith(":"):
        # "Property, Plant and Equipment" is a title, "… was as follows:" a table's caption:
        # neither answers on its own
        score -= HEADING_PENALTY
    if kind in FIGURE_TYPES:
        score += 0.3 * figure_fit(kind, sentence)
    elif kind == QuestionType.WHEN:
        score += 0.3 * bool(_WHEN.search(sentence))
    elif kind == QuestionType.WHY:
        score += 0.3 * bool(_WHY.search(f"{sentence} {after}"))
    elif kind == QuestionType.WHO:
        score += 0.15 * bool(_NAME.search(sentence))
    return score


class Evidence(NamedTuple):
    """The passages that count as evidence, and their sentences scored, best first."""

    hits: list[Hit]
    sentences: list[Scored]


def gather_evidence(
    question: str,
    kind: QuestionType,
    hits: list[Hit],
    min_score: float,
    encoder: SentenceEncoder | None = None,
    question_vector: np.ndarray | None = None,
    sentence_gated: int | None = None,
) -> Evidence:
    """The evidence passages among `hits` and their candidate answer sentences.

    `question_vector`, when the search has just encoded the question, spares encoding it again.
    Only the first `sentence_gated` hits (all when None) may pass on one sentence's similarity
    when the passage as a whole is below `min_score`: each such passage costs an encoded
    sentence, and deeper ones only add to an answer the first ones already give.
    """
    names = question_names(question)
    q_terms = content_terms(question)
    topic = topic_terms(question, names) if names else set()
    chunk_ok = [is_chunk_evidence(h, names, min_score) for h in hits]
    rows: list[tuple[float, int, int, int, int]] = []  # (words, hit, start, end, quote end)
    for i, hit in enumerate(hits):
        if not chunk_ok[i] and (
            encoder is None
            or (sentence_gated is not None and i >= sentence_gated)
            or not names_fit(hit, names, min_score)
        ):
            continue
        for start, end in split_sentences(hit.text):
            stop = follow_on(hit, end)
            sentence, after = hit.text[start:end], hit.text[end:stop]
            lexical = lexical_score(
                kind, q_terms, hit, sentence, not chunk_ok[i], after, topic, question
            )
            if lexical is not None:
                rows.append((lexical - 0.02 * i, i, start, end, stop))
    similarity = _similarities(question, hits, rows, chunk_ok, encoder, question_vector)
    scored, by_sentence = [], set()
    for k, (lexical, i, start, _, stop) in enumerate(rows):
        sim = similarity.get(k)
        if not chunk_ok[i]:
            if sim is None or sim < SENTENCE_SCORE:
                continue  # a passage below min_score needs one sentence close to the question
            by_sentence.add(i)
        base = hits[i].score if sim is None else _blend(hits[i].score, sim)
        scored.append(Scored(base + lexical, hits[i], start, stop, sim))
    scored.sort(key=lambda s: -s.score)
    kept = [h for i, h in enumerate(hits) if chunk_ok[i] or i in by_sentence]
    return Evidence(kept, scored)


def follow_on(hit: Hit, end: int) -> int:
    """Where a quote ending at `end` should end: after the next sentence when that one goes on
    about the same thing ("The increase was driven by …"), else at `end`."""
    rest = split_sentences(hit.text, end)
    if (
        rest
        and _FOLLOW_ON.match(hit.text[rest[0][0] : rest[0][1]])
        and "|" not in hit.text[end : rest[0][1]]
    ):
        return rest[0][1]
    return end


def _blend(chunk: float, sentence: float) -> float:
    return (1 - SENTENCE_WEIGHT) * chunk + SENTENCE_WEIGHT * sentence


def _similarities(question, hits, rows, chunk_ok, encoder, known=None) -> dict[int, float]:
    """Cosine of question and sentence for the best candidates, in one batched encoder call."""
    if encoder is None or not rows:
        return {}
    score = {k: rows[k][0] + hits[rows[k][1]].score for k in range(len(rows))}
    ranked = sorted(score, key=lambda k: -score[k])
    # Only where the sentence's own similarity can change the answer: the close contenders
    # for the best sentence, and the best sentence of each passage below min_score (its gate).
    close = [k for k in ranked if chunk_ok[rows[k][1]] and score[k] >= CONTENDER * score[ranked[0]]]
    chosen = close[:DENSE_CANDIDATES] if len(close) > 1 else []
    for i in dict.fromkeys(rows[k][1] for k in ranked if not chunk_ok[rows[k][1]]):
        best = next(k for k in ranked if rows[k][1] == i)
        if best not in chosen:
            chosen.append(best)
    if not chosen:
        return {}
    texts = [hits[rows[k][1]].text[rows[k][2] : rows[k][3]][:MAX_SENTENCE_CHARS] for k in chosen]
    if known is not None:  # the search just encoded this question
        vectors = encoder.encode_documents(texts)
        cosines = vectors @ known
    else:
        vectors = encoder.encode_documents([question, *texts])
        cosines = vectors[1:] @ vectors[0]
    return {k: float(c) for k, c in zip(chosen, cosines, strict=True)}
