"""Write a computed answer: apply the operation to cited inputs and say it, formula and all.

`Revenue rose from 20,409 [1] (2018) to 26,120 [1] (2019): +5,711, or +28.0% (computed;
figures in thousands).` Each input is a segment of its own, so each carries its citation;
the result is a segment no source backs, marked "(computed)". A missing input is named.
"""

import re
from typing import NamedTuple

from bot.answer.cite import Segment, Source
from bot.answer.numbers import format_number


class Figure(NamedTuple):
    """A reported figure used as an input."""

    label: str  # "Revenue, 2019"
    text: str  # the cell, verbatim
    value: float
    source: Source


class Calculation(NamedTuple):
    """A computed (or reported) answer: its result, inputs and the statement that says it."""

    operation: str
    value: float | None
    unit: str
    scale: str | None
    formula: str
    inputs: list[Figure]
    missing: list[str]
    statement: list[Segment]
    reported: bool = False  # the table states the result itself: quoted, not computed


def calculate(operation, label, figures, missing, scale) -> Calculation | None:
    """Compute, and write the statement with each input cited."""
    if not figures:
        return None
    if missing or len(figures) < 2:
        found = [cited(f, f.label, k) for k, f in enumerate(figures)]
        what = ", ".join(missing) or "a second figure"
        tail = f"; not found: {what}, so the {operation.replace('_', ' ')} is not computed."
        return Calculation(
            operation, None, "", scale, "", figures, missing, [*found, Segment(tail)]
        )
    if operation in ("change", "percent_change"):
        return _change(operation, label, figures, scale)
    if operation in ("sum", "average"):
        return _sum(operation, label, figures, scale)
    top, bottom = figures
    if operation == "difference":
        value = top.value - bottom.value
        formula = f"{top.text} − {bottom.text}"
        result = format_number(value, signed=True, decimals=decimals_of(figures))
        statement = [
            cited(top, top.label, 0),
            cited(bottom, bottom.label, 1),
            Segment(f"; difference {formula} = {result} (computed{_in(scale, operation)})."),
        ]
        return Calculation(operation, value, "", scale, formula, figures, [], statement)
    if bottom.value == 0:
        return None
    percent = operation == "percent_of"
    value = top.value / bottom.value * (100 if percent else 1)
    formula = f"{top.text} / {bottom.text}" + (" × 100" if percent else "")
    shown = (
        f"{format_number(value, percent=True)}%" if percent else format_number(value, decimals=2)
    )
    statement = [
        cited(top, top.label, 0),
        cited(bottom, bottom.label, 1),
        Segment(f"; {'share' if percent else 'ratio'} {formula} = {shown} (computed)."),
    ]
    return Calculation(
        operation, value, "%" if percent else "", None, formula, figures, [], statement
    )


def _change(operation, label, figures, scale) -> Calculation | None:
    old, new = figures[0], figures[-1]
    diff = new.value - old.value
    # (new − old) / old, signed: a loss deepening from (0.40) to (1.11) is +177.5%, and an
    # expense shown in brackets falling from (108,011) to (53,353) is −50.6%.
    pct = diff / old.value * 100 if old.value else None
    if operation == "percent_change" and pct is None:
        return None
    points = "%" in old.text and "%" in new.text
    diff_text = format_number(diff, signed=True, decimals=decimals_of(figures)) + (
        " pp" if points else ""
    )
    pct_text = f"{format_number(pct, signed=True, percent=True)}%" if pct is not None else ""
    if operation == "percent_change":
        result, value, formula = (
            f"{pct_text}, or {diff_text}",
            pct,
            f"({new.text} − {old.text}) / {old.text} × 100",
        )
    else:
        result = diff_text + (f", or {pct_text}" if pct_text and not points else "")
        value, formula = diff, f"{new.text} − {old.text}"
    verb = "rose" if diff > 0 else "fell" if diff < 0 else "was unchanged"
    statement = [
        Segment(f"{label} {verb} from {old.text}", old.source),
        Segment(f" ({_period(old)}) to {new.text}", new.source),
        Segment(f" ({_period(new)}): {result} (computed{_in(scale, operation)})."),
    ]
    unit = "%" if operation == "percent_change" else ""
    return Calculation(operation, value, unit, scale, formula, figures, [], statement)


def _sum(operation, label, figures, scale) -> Calculation:
    total = sum(f.value for f in figures)
    value = total / len(figures) if operation == "average" else total
    shown = " + ".join(f.text for f in figures)
    formula = f"({shown}) / {len(figures)}" if operation == "average" else shown
    decimals = decimals_of(figures) if operation == "sum" else None
    result = format_number(value, decimals=decimals)
    inputs = [cited(f, _period(f), k, " + ") for k, f in enumerate(figures)]
    name = "Average" if operation == "average" else "Sum"
    statement = [
        Segment(f"{name} of {label}: "),
        *inputs,
        Segment(
            f"{f' over {len(figures)}' if operation == 'average' else ''} = {result} (computed{_in(scale, operation)})."
        ),
    ]
    unit = "%" if all("%" in f.text for f in figures) else ""
    return Calculation(operation, value, unit, scale, formula, figures, [], statement)


def cited(figure: Figure, label: str, k: int, sep: str = "; ") -> Segment:
    """`label: figure` backed by the figure's source (`; ` before all but the first)."""
    text = f"{label}: {figure.text}" if sep == "; " else f"{figure.text} ({label})"
    return Segment(text if k == 0 else f"{sep}{text}", figure.source)


def _period(figure: Figure) -> str:
    return figure.label.rsplit(", ", 1)[-1]


def decimals_of(figures: list[Figure]) -> int:
    """The most decimal places any input is written with: results keep that precision."""
    places = [len(m.group(1)) for f in figures for m in [re.search(r"\.(\d+)", f.text)] if m]
    return max(places, default=0)


def _in(scale: str | None, operation: str) -> str:
    return f"; figures in {scale}s" if scale and operation != "percent_change" else ""
