"""What counts as news for a watch: a figure from an article that is new since the last post.

A fresh answer to the watched question is news when one of its sentences cites an article that
entered the index after the last post (a later index generation) and carries a figure the last
post did not mention. An article that only restates the old figure is not news, and neither is
an old article that a ranking change brings forward.
"""

import re

from bot.answer.compose import Answer
from bot.answer.figures import figures_in

_MARKERS = re.compile(r"(?:\s*\[\d+\])+")
_NUMBER = re.compile(r"\[(\d+)\]")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")  # the answer's own date labels are no figures


def sentences_by_citation(answer: Answer) -> dict[int, str]:
    """The answer's text cited by each citation number (a sentence may cite several)."""
    out: dict[int, str] = {}
    start = 0
    for marker in _MARKERS.finditer(answer.answer):
        text = answer.answer[start : marker.start()]
        for number in _NUMBER.findall(marker.group(0)):
            out[int(number)] = (out.get(int(number), "") + " " + text).strip()
        start = marker.end()
    return out


def figure_set(text: str) -> set[str]:
    """The figures in `text`, normalised so that `$4.2 billion` and `$4.2billion` are one."""
    cleaned = _DATE.sub(" ", text)
    return {_normal(f) for f in figures_in(cleaned)}


def new_figures(
    answer: Answer, told: Answer | None, generation_of: dict[str, int], since_generation: int
) -> list[str]:
    """Figures in `answer` from articles newer than `since_generation` that `told` lacked.

    `generation_of` maps cited article paths to the generation they entered the index in.
    """
    if not answer.found:
        return []
    known = figure_set(told.answer) if told is not None and told.found else set()
    fresh: list[str] = []
    cited = sentences_by_citation(answer)
    for citation in answer.citations:
        generation = generation_of.get(citation.path)
        if generation is None or generation <= since_generation:
            continue
        for figure in figures_in(_DATE.sub(" ", cited.get(citation.n, ""))):
            if _normal(figure) not in known and figure not in fresh:
                fresh.append(figure)
    return fresh


def _normal(figure: str) -> str:
    text = figure.lower().replace("per cent", "%").replace("percent", "%")
    return re.sub(r"\s+", "", text)
