"""Figures of one measure about one company, read straight from retrieved passages.

A series gathers every one of them; a comparison row falls back on them when the composed
answer's sentences do not state the measure. Either way a figure counts only in a sentence
that names the measure (`measures.py`), is about the company (names it, or comes from an
article tagged with it) and, for a segment such as "Alibaba Cloud", names the segment.
"""

import re
from typing import NamedTuple

from bot.answer.compose import Citation
from bot.answer.measures import Measure, fits, states_measure
from bot.answer.periods import Period
from bot.answer.quantities import Quantity, dated_quantities
from bot.answer.subjects import Mention, in_segment
from index.labels import citation_label
from index.models import Hit
from index.sentences import split_sentences

WEAK_SCORE = 0.5  # share of min_score a passage needs: the checks on its sentence do the rest


class Figure(NamedTuple):
    """A figure of the measure, with the sentence and passage it was read from."""

    hit: Hit
    sentence: str
    quantity: Quantity
    period: Period | None


def figures_of(
    hits: list[Hit], mention: Mention | None, measure: Measure, min_score: float
) -> list[Figure]:
    """Every figure of the measure in `hits` about the company asked for, best passage first."""
    out = []
    own = mention.words() if mention else frozenset()
    for hit in hits:
        if hit.score < WEAK_SCORE * min_score:
            continue
        for start, end in split_sentences(hit.text):
            sentence = hit.text[start:end]
            if not states_measure(sentence, measure, own) or not about(sentence, hit, mention):
                continue
            out += [Figure(hit, sentence, q, p) for q, p in dated_quantities(sentence)
                    if fits(q, measure)]  # fmt: skip
    return out


def about(sentence: str, hit: Hit, mention: Mention | None) -> bool:
    """The sentence is about the company (and its segment): it names it, or its article is
    tagged with the company's tickers."""
    if mention is None:
        return True
    if not in_segment(sentence, mention):
        return False
    if names_it(sentence, mention):
        return True
    return bool(mention.company and set(hit.tickers) & set(mention.company.tickers))


def names_it(text: str, mention: Mention) -> bool:
    """True when `text` names the company by one of its names or tickers."""
    return any(re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", text, re.I) for n in mention.names())


def citation_of(hit: Hit, sentence: str) -> Citation:
    """A citation quoting just `sentence` of the passage (numbered when the answer is built)."""
    return Citation(n=0, title=hit.title, source=hit.source, url=hit.url, published=hit.published,
                    path=hit.path, page=hit.page, quote=sentence, score=round(hit.score, 4),
                    chunk_id=hit.chunk_id, collection=hit.collection,
                    document=citation_label(hit.identity))  # fmt: skip
