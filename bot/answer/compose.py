"""Compose a short cited answer from retrieved passages: the orchestrator of bot/answer.

The steps: which passages are evidence and which of their sentences answer (sentence_evidence.py);
a computed figure when the question asks for one (compute.py); a table cell when the answer
is one (lookup.py); then the best sentences, quoted verbatim; and the citations (cite.py).
"""

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from bot.answer.cite import Segment, Source, build_answer, number_sources, quoted
from bot.answer.columns import answer_each_row
from bot.answer.compute import Calculation, compute
from bot.answer.extremes import answer_extreme
from bot.answer.figures import figures_in
from bot.answer.footnotes import answer_footnote
from bot.answer.listing import answer_listing
from bot.answer.lookup import Cell, best_cells, tables_of
from bot.answer.matching import content_terms  # noqa: F401  (re-exported for callers)
from bot.answer.models import Answer, Citation, Computed, ComputedInput  # noqa: F401
from bot.answer.question import (
    FIGURE_TYPES,
    QuestionType,
    question_names,
    question_type,
    wants_words,
)
from bot.answer.sentence_evidence import (
    Scored,
    SentenceEncoder,
    gather_evidence,
    is_chunk_evidence,
)
from bot.answer.table_periods import answer_periods
from bot.answer.timeline import LABEL, Part, arrange
from index.models import Hit

NOT_FOUND = "I couldn't find that in the indexed articles."
MAX_SENTENCES = 3
RUNNER_UP = 0.75  # extra sentences must score within this fraction of the best
# Another article's figure sentence scoring within this share of the best also answers.
RECENCY_FLOOR = 0.85
MAX_ARTICLES = 3
MIN_CELL_SCORE = 1.2  # a table cell answers when its row and column fit at least this well


class ComposeOptions(BaseModel):
    """Which composition steps run (all by default; the benchmarks switch them off one by one)."""

    model_config = ConfigDict(frozen=True)

    sentence_evidence: bool = True  # gate and rank on each sentence's own similarity
    tables: bool = True  # answer with table cells
    compute: bool = True  # compute change, percentage change, sum, average, ratio
    # Sentences are read from the first `sentence_passages` hits (None: all of them); tables
    # from every hit that passes the passage gate.
    sentence_passages: int | None = None
    # Whether there is an answer at all is decided on the first `found_passages` hits, where
    # the not-found threshold was calibrated (docs/QUALITY.md, "Not-found threshold"): deeper
    # passages add sentences to an answer, never an answer to a question the top ones miss.
    found_passages: int | None = 5


DEFAULT_OPTIONS = ComposeOptions()


def compose_answer(
    question: str,
    hits: list[Hit],
    min_score: float,
    filters_applied: str | None = None,
    encoder: SentenceEncoder | None = None,
    options: ComposeOptions = DEFAULT_OPTIONS,
    question_vector=None,
) -> Answer:
    """The cited answer that `hits` give to `question`, or a not-found one."""
    kind = question_type(question)
    encoder = encoder if options.sentence_evidence else None
    top = hits[: options.sentence_passages]
    evidence = gather_evidence(
        question, kind, top, min_score, encoder, question_vector, options.found_passages
    )
    gate = {id(hit) for hit in hits[: options.found_passages]}
    if not any(id(hit) in gate for hit in evidence.hits):
        return not_found(question, filters_applied)
    deep = deeper_tables(question, hits[len(top) :], min_score)
    statements, calculation = _structured(question, kind, evidence.hits + deep, options)
    said = [
        seg.source.hit.text[start:end]
        for statement in statements
        for seg in statement
        if seg.source is not None
        for start, end in seg.source.spans
    ]
    sentences = _sentences(evidence.sentences, kind, bool(statements), question, said)
    if not statements and not any(_from(statement, gate) for statement in sentences):
        return not_found(question, filters_applied)  # only deeper passages had something
    statements += sentences
    computed = None
    if calculation is not None and not calculation.reported:
        computed = _computed(calculation, number_sources(statements))
    return build_answer(question, statements, filters_applied, computed)


def _structured(
    question: str, kind: QuestionType, tables: list[Hit], options: ComposeOptions
) -> tuple[list[list[Segment]], Calculation | None]:
    """The table answer (periods, listing, extreme, computed figure or cells), if any."""
    statements: list[list[Segment]] = []
    periods = None
    if options.tables:
        periods = (
            answer_periods(question, tables)
            or answer_listing(question, tables)
            or answer_extreme(question, tables)
            or answer_footnote(question, tables)
            or answer_each_row(question, tables)
        )
    calculation = compute(question, tables) if options.compute and not periods else None
    if periods:
        statements.append(periods)
    elif calculation is not None:
        statements.append(calculation.statement)
    elif options.tables and not wants_words(question, kind):
        for cells in best_cells(question, tables):
            if cells[0].score >= MIN_CELL_SCORE:
                statements.append(cell_statement(cells))
    return statements, calculation


def _from(statement: list[Segment], hits: set[int]) -> bool:
    """True when a segment of `statement` quotes one of `hits` (given by id)."""
    return any(seg.source is not None and id(seg.source.hit) in hits for seg in statement)


def deeper_tables(question: str, hits: list[Hit], min_score: float) -> list[Hit]:
    """The passages past those read for sentences that hold a table and pass the passage gate.

    A table ranked 8th whose row and column name exactly what is asked is a better answer
    than a loosely fitting one ranked 2nd; cell scores already weigh each table's rank, so a
    deeper table wins only when it fits clearly better. Sentences are not read from them:
    the answer stays one statement and at most a few sentences, whatever the depth."""
    names = question_names(question)
    return [h for h in hits if tables_of([h]) and is_chunk_evidence(h, names, min_score)]


def cell_statement(cells: list[Cell]) -> list[Segment]:
    """`Inventories, Balances without Adoption of Topic 606: 1,568.6 [1]; …`, header and row cited."""
    segments = []
    labels = [c.row.label for c in cells]
    for k, cell in enumerate(cells):
        label = cell.row.label
        sections = labels.count(label) > 1 and bool(cell.row.section)
        if sections:  # one row under several sections: each named, its section line quoted
            label = f"{label} ({cell.row.section})"
        name = ", ".join(p for p in (label, cell.header) if p)
        text = f"{name}: {cell.text}"
        source = Source(cell.hit, cell.spans(section=sections))
        segments.append(Segment(text if k == 0 else f"; {text}", source))
    return segments


def _sentences(
    scored: list[Scored], kind, after_figure: bool, question: str = "", said: Sequence[str] = ()
) -> list[list[Segment]]:
    """The best sentences quoted, arranged by date across articles for figure questions;
    none that the table answer (`said`) already quotes."""
    chosen = _choose(scored, MAX_SENTENCES - after_figure, question, said)
    if not chosen:
        return []
    parts: list[Part] = [Part("", s.hit, s.start, s.end) for s in chosen]
    if kind in FIGURE_TYPES and not after_figure:
        parts = _across_articles(scored, chosen[0].score) or parts
    return [quoted(*part) for part in parts]


def _computed(calculation: Calculation, numbers: dict[str, int]) -> Computed:
    inputs = [
        ComputedInput(label=f.label, text=f.text, value=f.value, n=numbers[f.source.hit.chunk_id])
        for f in calculation.inputs
    ]
    return Computed(
        operation=calculation.operation,
        formula=calculation.formula,
        value=calculation.value,
        unit=calculation.unit,
        scale=calculation.scale,
        inputs=inputs,
        missing=calculation.missing,
    )


def cited_sentences(answer: Answer) -> list[tuple[str, int]]:
    """The (verbatim sentence, citation number) pairs of an answer, framing labels removed."""
    pairs = re.findall(r"(.+?) \[(\d+)\](?: |$)", answer.answer)
    return [(LABEL.sub("", sentence), int(n)) for sentence, n in pairs]


def _across_articles(scored: list[Scored], best: float) -> list[Part] | None:
    """Figure sentences from several articles arranged by date, or None when only one answers."""
    picks: dict[str, tuple[Hit, int, int]] = {}
    for s in scored:
        if s.score < RECENCY_FLOOR * best or len(picks) == MAX_ARTICLES:
            break
        if s.hit.article_id not in picks and figures_in(s.hit.text[s.start : s.end]):
            picks[s.hit.article_id] = (s.hit, s.start, s.end)
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


def _choose(
    scored: list[Scored], limit: int, question: str = "", said: Sequence[str] = ()
) -> list[Scored]:
    """The best sentence, plus close runners-up that add something new.

    Among the runners-up, one that covers words of the question no sentence chosen so far
    covers comes first ("… subscription and returns as well as professional services": the
    sentence on professional services before a second one on subscriptions)."""
    pool: list[Scored] = []
    quotes: list[str] = [_plain(text) for text in said]
    for s in scored:
        key = _plain(s.hit.text[s.start : s.end])
        if any(key in quote for quote in quotes):
            # overlapping chunks repeat sentences, and a follow-on sentence ("These have been
            # reclassified …") is already quoted with the one before it
            continue
        if pool and s.score < RUNNER_UP * pool[0].score:
            break
        s = _before(s, pool)
        quotes.append(_plain(_text(s)))
        pool.append(s)
    if not pool:
        return []
    wanted = content_terms(question)
    chosen = [pool.pop(0)]
    covered = content_terms(_text(chosen[0]))
    while pool and len(chosen) < limit:
        new = [len((wanted & content_terms(_text(s))) - covered) for s in pool]
        pick = pool.pop(max(range(len(pool)), key=lambda k: (new[k] > 0, -k)))
        covered |= content_terms(_text(pick))
        chosen.append(pick)
    return chosen


def _before(s: Scored, chosen: list[Scored]) -> Scored:
    """`s` cut where a sentence already chosen starts inside it: a sentence whose follow-on
    is itself the best answer is quoted up to it, not with it a second time."""
    end = min(
        (c.start for c in chosen if c.hit.chunk_id == s.hit.chunk_id and s.start < c.start < s.end),
        default=s.end,
    )
    while end > s.start and s.hit.text[end - 1].isspace():
        end -= 1
    return s._replace(end=end)


def _text(s: Scored) -> str:
    return s.hit.text[s.start : s.end]


def _plain(text: str) -> str:
    """Text compared for repeats: words only, lower-cased, single-spaced."""
    return " " + re.sub(r"\W+", " ", text).strip().lower() + " "
