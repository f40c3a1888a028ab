"""Is an answer right? TAT-QA span hits and arithmetic matches, FinanceBench computed matches.

- span hit: the answer text holds every gold span, with case, `$`, commas and spaces ignored.
- arithmetic: the answer's number (its computed value when it has one, else its first figure
  that is not a year) is within 0.5% of the gold number, or equal to it once rounded to the
  gold's decimals, after applying both scales (thousand, million, billion); counts must be
  exact.
"""

import re

from bot.answer.figures import figure_values
from bot.answer.models import Answer
from bot.eval.figure_match import figure_matches

ARITHMETIC_TOLERANCE = 0.005
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_IGNORED = re.compile(r"[\s,$]")


def normalise(text: str) -> str:
    """Lower-cased text without spaces, `$` and commas."""
    return _IGNORED.sub("", str(text).lower())


def span_hit(gold: list[str] | str, answer: Answer) -> bool:
    """True when a found answer's text contains every gold span."""
    spans = gold if isinstance(gold, list) else [gold]
    text = normalise(answer.answer)
    return answer.found and all(normalise(span) in text for span in spans)


def answer_number(answer: Answer, scale: str = "") -> float | None:
    """The answer's number in the unit of `scale`: its computed value, else its first figure."""
    if not answer.found:
        return None
    computed = getattr(answer, "computed", None)  # answers from before issue 11 have none
    if computed is not None and computed.value is not None:
        value = computed.value
        if computed.scale in SCALES and scale in SCALES:
            value *= SCALES[computed.scale] / SCALES[scale]
        return value
    head = answer.answer.split(" [", 1)[0]  # the first statement, before its first citation
    values = [v for v in figure_values(head) if not _is_year(v)]
    return values[0] if values else None


def arithmetic_match(gold: object, scale: str, answer: Answer, exact: bool = False) -> bool:
    """True when the answer's number equals the gold one (within 0.5%, or exactly for counts)."""
    try:
        target = float(
            str(gold[0] if isinstance(gold, list) else gold).replace(",", "").rstrip("%")
        )
    except (ValueError, IndexError):
        return False
    value = answer_number(answer, scale)
    if value is None:
        return False
    if exact:
        return abs(value - target) < 1e-9
    if round(value, _decimals(gold)) == target:
        return True  # gold given to 2 decimals: -0.1129 is -0.11
    return (
        abs(value - target) <= ARITHMETIC_TOLERANCE * abs(target) if target else abs(value) < 1e-9
    )


def computed_match(gold_answer: str, answer: Answer) -> bool:
    """True when the answer computed a value and it is the gold answer's main number."""
    computed = getattr(answer, "computed", None)  # answers from before issue 11 have none
    if not answer.found or computed is None or computed.value is None:
        return False
    return figure_matches(gold_answer, f"{computed.value:.6f}")


def _decimals(gold: object) -> int:
    text = str(gold[0] if isinstance(gold, list) else gold)
    return len(text.split(".", 1)[1]) if "." in text else 0


def _is_year(value: float) -> bool:
    return value.is_integer() and 1900 <= value <= 2100
