"""Number the sources of an answer's statements and quote each one's cited span verbatim.

A statement is a list of segments, each optionally backed by spans of one hit's text: a
quoted sentence is one segment backed by itself; a table answer (`Inventories, Balances
without Adoption of Topic 606: 1,568.6`) is backed by the header lines and the row; a
computed figure has one segment per input, then its result, which no source backs.
"""

from typing import NamedTuple

from bot.answer.models import Answer, Citation, Computed
from index.labels import citation_label
from index.models import Hit


class Source(NamedTuple):
    """Where a segment comes from: spans (start, end) of one hit's text."""

    hit: Hit
    spans: tuple[tuple[int, int], ...]


class Segment(NamedTuple):
    """A piece of answer text, followed by `[n]` when it has a source."""

    text: str
    source: Source | None = None


def quoted(label: str, hit: Hit, start: int, end: int) -> list[Segment]:
    """A verbatim sentence of `hit` (after an optional framing label) as a statement."""
    return [Segment(f"{label}{hit.text[start:end]}", Source(hit, ((start, end),)))]


def number_sources(statements: list[list[Segment]]) -> dict[str, int]:
    """Citation numbers by chunk id, in order of first use."""
    numbers: dict[str, int] = {}
    for statement in statements:
        for segment in statement:
            if segment.source is not None:
                numbers.setdefault(segment.source.hit.chunk_id, len(numbers) + 1)
    return numbers


def build_answer(
    question: str,
    statements: list[list[Segment]],
    filters_applied: str | None = None,
    computed: Computed | None = None,
) -> Answer:
    """The Answer: statements joined with their `[n]` markers, one citation per source chunk."""
    numbers = number_sources(statements)
    spans: dict[str, list] = {}
    texts = []
    for statement in statements:
        pieces = []
        for segment in statement:
            if segment.source is None:
                pieces.append(segment.text)
                continue
            hit = segment.source.hit
            span = spans.setdefault(hit.chunk_id, [hit, len(hit.text), 0])
            for start, end in segment.source.spans:
                span[1], span[2] = min(span[1], start), max(span[2], end)
            pieces.append(f"{segment.text} [{numbers[hit.chunk_id]}]")
        texts.append("".join(pieces))
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
        answer=" ".join(texts),
        citations=citations,
        filters_applied=filters_applied,
        computed=computed,
    )
