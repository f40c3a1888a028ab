"""Arrange figure sentences from several articles: newest first with its date, older figures as
"earlier", and same-period disagreements side by side. Figures are never averaged or merged.
"""

import re
from typing import NamedTuple

from bot.answer.figures import figure_values, figures_in
from index.models import Hit

# Framing the composer puts before a quoted sentence; everything after it is verbatim.
LABEL = re.compile(
    r"^(?:As of \d{4}-\d{2}-\d{2}: |Earlier \(\d{4}-\d{2}-\d{2}\): |Earlier: |Sources differ: |vs\. )"
)
_PERIOD = re.compile(
    r"\b(?:FY ?'?\d{2,4}|Q[1-4]|H[12]|(?:19|20)\d{2}|(?:first|second|third|fourth) quarter|"
    r"(?:first|second) half)\b",
    re.IGNORECASE,
)


class Part(NamedTuple):
    """One quoted sentence of an answer and the framing label before it."""

    label: str
    hit: Hit
    start: int
    end: int


def main_figure(sentence: str) -> float | None:
    """The value of the sentence's first figure (years excluded), scale applied."""
    for figure in figures_in(sentence):
        values = figure_values(figure)
        if values:
            return values[0]
    return None


def periods(sentence: str) -> frozenset[str]:
    """The periods a sentence names (`2024`, `q2`, `fy2025`, `first half`), lower-cased."""
    return frozenset(re.sub(r"[\s']", "", p.lower()) for p in _PERIOD.findall(sentence))


def arrange(picks: list[tuple[Hit, int, int]]) -> list[Part]:
    """Order one best figure sentence per article (best first in `picks`) for the answer.

    The newest dated article leads. An older one whose figure differs follows as "earlier";
    one that names the same period (or shares the date) but differs is a conflict, shown
    side by side. An older one with the same figure adds nothing and is dropped.
    """
    newest_first = sorted(
        picks, key=lambda p: p[0].published.toordinal() if p[0].published else 0, reverse=True
    )
    lead = newest_first[0]
    lead_text = lead[0].text[lead[1] : lead[2]]
    lead_value, lead_periods = main_figure(lead_text), periods(lead_text)
    conflicts, earlier = [], []
    for hit, start, end in newest_first[1:]:
        text = hit.text[start:end]
        value = main_figure(text)
        if value is None or lead_value is None or value == lead_value:
            continue
        same_date = hit.published is not None and hit.published == lead[0].published
        if same_date or (lead_periods and periods(text) == lead_periods):
            conflicts.append(Part("vs. ", hit, start, end))
        else:
            earlier.append(Part(_earlier_label(hit), hit, start, end))
    if conflicts:
        head = "Sources differ: "
    elif earlier and lead[0].published:
        head = f"As of {lead[0].published.isoformat()}: "
    else:
        head = ""
    return [Part(head, *lead), *conflicts, *earlier]


def _earlier_label(hit: Hit) -> str:
    return f"Earlier ({hit.published.isoformat()}): " if hit.published else "Earlier: "
