"""Route a question: across companies (a table), over time (a series for a chart), or the
one-company answer. Every route answers through the same Answerer, with the same filters.
"""

import re

from bot.answer.answerer import Answerer
from bot.answer.compare import answer_comparison, wants_comparison
from bot.answer.compose import Answer
from bot.answer.query import merge_filters, parse_inline_filters
from bot.answer.series import answer_series, wants_series
from bot.answer.subjects import subject_of
from index.filters import SearchFilter

_CHART = re.compile(r"^\s*(?:chart|plot|graph)\b[\s:]*", re.I)


def ask(
    answerer: Answerer, question: str, filters: SearchFilter | None = None, chart: bool = False
) -> Answer:
    """The answer to `question`; `chart` (or a leading "chart") asks for a series."""
    parsed = parse_inline_filters(question)
    text = parsed.text or question
    if _CHART.match(text):
        text, chart = _CHART.sub("", text, count=1) or text, True
    base = merge_filters(filters or SearchFilter(), parsed.filters)
    subject = subject_of(text, answerer.visible_companies(base))
    measured = bool(subject.measure.head or subject.measure.qualifiers)
    if measured and (chart or wants_series(text)):
        answer = answer_series(answerer, text, subject, base)
    elif measured and wants_comparison(text, subject):
        answer = answer_comparison(answerer, text, subject, base)
    else:
        return answerer.answer(question, filters)
    if parsed.problems:
        applied = "; ".join(filter(None, [answer.filters_applied, *parsed.problems]))
        answer = answer.model_copy(update={"filters_applied": applied})
    return answer.model_copy(update={"question": question})
