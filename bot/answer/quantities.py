"""Read the figures in a sentence as quantities: value, unit, and whether each is a level
("revenue was RMB 33.4 billion", "a 36% share") or a change ("rose 26%", "down 24%").

Comparisons and charts need this to keep measures apart: a growth rate, a share and an amount
are three measures, and an amount in RMB and one in US$ are two units. Nothing is converted.
"""

import re

from pydantic import BaseModel

from bot.answer.figures import FIGURE, figure_values
from bot.answer.periods import Period, find_periods

_CURRENCIES = [
    ("HK$", r"HK\$|HKD"),
    ("US$", r"US\$|USD|\$|dollars?"),
    ("RMB", r"RMB|CNY|yuan|renminbi"),
    ("EUR", r"€|EUR|euros?"),
    ("GBP", r"£|GBP"),
    ("JPY", r"JPY|yen"),
    ("¥", r"¥"),
]
_SCALES = [("trillion", r"trillion|tn"), ("billion", r"billion|bn|b"),
           ("million", r"million|mn|m"), ("thousand", r"thousand|k")]  # fmt: skip
_PERCENT = re.compile(r"%|\bper ?cent\b", re.I)
_POINTS = re.compile(r"^\s*(?:percentage )?points?\b|^\s*pp\b|^\s*bps?\b|^\s*basis points\b", re.I)
_UP = r"rose|rise|rising|risen|grew|grow|growing|grown|growth|increased?|increasing|jumped|climbed|surged|gained|expanded|up|higher|accelerat\w*|added|boosted"
_DOWN = r"fell|fall|falling|fallen|declined?|declining|dropped|decreased?|decreasing|down|shrank|shrinking|contracted|slipped|lower|cut|narrowed|reduced|slowed|lost"
_CHANGE_BEFORE = re.compile(rf"\b(?:(?P<up>{_UP})|(?P<down>{_DOWN})|by)\b(?:\s+(?:\w+\s+){{0,3}})?$",
                            re.I)  # fmt: skip
_CHANGE_AFTER = re.compile(
    rf"^\s*(?:(?P<up>{_UP}|increase|rise|jump|gain)|(?P<down>{_DOWN}|decline|drop|decrease|fall)"
    r"|year[- ]over[- ]year|year[- ]on[- ]year|yoy|y/y|from a year (?:earlier|ago)"
    r"|quarter[- ](?:over|on)[- ]quarter|qoq|sequentially)\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(about|around|roughly|approximately|nearly|almost|more than|over|under|less than|"
    r"up to|at least|at most|some|close to|just over|just under)\s+$",
    re.I,
)
_SEQUENTIAL = re.compile(r"quarter[- ](?:over|on)[- ]quarter|\bqoq\b|sequential", re.I)


class Quantity(BaseModel):
    """One figure in a sentence."""

    text: str  # as written, e.g. "RMB 380 billion ($53 billion)"
    start: int
    end: int
    value: float  # signed for changes: "fell 4%" is -4.0
    unit: str  # "%", "pp", "x", a currency ("RMB", "US$"), or "" for a plain count
    scale: str = ""  # "billion", "million", ... as written (value is already multiplied)
    change: bool = False  # a rate or amount of change rather than a level
    sequential: bool = False  # quarter over quarter rather than year over year
    hedge: str = ""  # "about", "more than", ... written just before the figure

    @property
    def written(self) -> str:
        """The figure with its hedge, as the sentence writes it: "more than RMB 100 billion"."""
        return f"{self.hedge} {self.text}" if self.hedge else self.text

    @property
    def measure_unit(self) -> str:
        """What a chart's axis would say: `% change`, `%`, `RMB bn`, `count`."""
        if self.unit == "%":
            return "% change q/q" if self.sequential else "% change" if self.change else "%"
        if self.unit in ("pp", "x"):
            return self.unit
        return (self.unit or "count") + _SHORT.get(self.scale, "")

    @property
    def scaled(self) -> float:
        """The value in the unit of `measure_unit`: 33.4 for RMB 33.4 billion."""
        return self.value / _DIVISOR.get(self.scale, 1.0)

    def display(self) -> str:
        """The value as a chart labels it: `26%`, `-4%`, `RMB 33.4 bn`, `1.2 m`."""
        shown = f"{self.scaled:,.2f}".rstrip("0").rstrip(".")
        if self.unit in ("%", "pp", "x"):
            return shown + (
                "%" if self.unit == "%" else f" {self.unit}" if self.unit == "pp" else "x"
            )
        suffix = _SHORT.get(self.scale, "")
        return f"{self.unit} {shown}{suffix}" if self.unit else f"{shown}{suffix}"


_DIVISOR = {"trillion": 1e12, "billion": 1e9, "million": 1e6, "thousand": 1e3}
_SHORT = {"trillion": " tn", "billion": " bn", "million": " m", "thousand": " k"}
_CLAUSE = re.compile(r";|,\s+(?=[a-z])|\s(?=(?:while|whereas|but|compared with|versus|vs\.?)\s)")


def clause_at(sentence: str, at: int) -> tuple[int, int]:
    """Start and end of the clause of `sentence` that holds character `at`."""
    start, end = 0, len(sentence)
    for m in _CLAUSE.finditer(sentence):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at:
            end = m.start()
            break
    return start, end


def quantities_in(sentence: str, periods: list[Period] | None = None) -> list[Quantity]:
    """Every figure in `sentence` read as a quantity; years and the days of dates are not."""
    periods = find_periods(sentence) if periods is None else periods
    found = []
    for match in FIGURE.finditer(sentence):
        text = match.group(0).strip()
        start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
        end = start + len(text)
        values = figure_values(text)
        inside_period = any(p.start <= start and end <= p.end for p in periods)
        if not values or inside_period or re.fullmatch(r"(?:19|20)\d{2}", text):
            continue
        found.append(_quantity(sentence, text, start, end, values[0]))
    return found


def dated_quantities(sentence: str) -> list[tuple[Quantity, Period | None]]:
    """Each figure with the period it refers to.

    English puts the period after the figure ("RMB 19.1 billion in Q2 2025 and RMB 27.5 billion
    in Q1") or before it ("In Q2 2025, revenue rose 18%"). Looking first in the figure's own
    clause (else the whole sentence): a period between the figure and the next one is the
    figure's; failing that, one between the previous figure and it; failing that, the closest.
    """
    periods = find_periods(sentence)
    quantities = quantities_in(sentence, periods)
    out: list[tuple[Quantity, Period | None]] = []
    for i, q in enumerate(quantities):
        after_until = quantities[i + 1].start if i + 1 < len(quantities) else len(sentence)
        before_from = quantities[i - 1].end if i else 0
        clause = clause_at(sentence, q.start)
        pool = [p for p in periods if clause[0] <= p.start and p.end <= clause[1]] or periods
        after = [p for p in pool if q.end <= p.start and p.end <= after_until]
        before = [p for p in pool if before_from <= p.start and p.end <= q.start]
        if after:
            out.append((q, after[0]))
        elif before:
            out.append((q, before[-1]))
        else:
            out.append((q, _closest(periods, q, clause_at(sentence, q.start))))
    return out


def _closest(periods: list[Period], q: Quantity, clause: tuple[int, int]) -> Period | None:
    inside = [p for p in periods if clause[0] <= p.start and p.end <= clause[1]]
    pool = inside or periods
    if not pool:
        return None
    return min(pool, key=lambda p: (max(0, p.start - q.end, q.start - p.end), p.start < q.start))


def _quantity(sentence: str, text: str, start: int, end: int, value: float) -> Quantity:
    head = re.split(r"\(", text, maxsplit=1)[0]  # "RMB 380 billion ($53 billion)": RMB leads
    after = sentence[end : end + 40]
    if _PERCENT.search(head) and not re.match(r"age points?\b", after, re.I):
        unit = "%"
    elif _POINTS.search(after) or re.match(r"age points?\b", after, re.I):
        unit = "pp"
    elif head.rstrip().endswith("x"):
        unit = "x"
    else:
        unit = _currency(head) or _currency_after(after)
    scale = next((name for name, p in _SCALES if re.search(rf"\d\s?(?:{p})\b", head, re.I)), "")
    before = sentence[clause_at(sentence, start)[0] : start][-60:]  # the figure's own clause
    cue_before, cue_after = _CHANGE_BEFORE.search(before), _CHANGE_AFTER.search(after)
    is_change = bool(cue_after) or bool(
        cue_before and (unit in ("%", "pp") or cue_before.group(0).lower().startswith("by"))
    )
    down = any(c and c["down"] for c in (cue_before, cue_after))
    up = any(c and c["up"] for c in (cue_before, cue_after))
    signed = -abs(value) if is_change and down and not up else value
    sequential = bool(_SEQUENTIAL.search(after[:40]))
    hedge = _HEDGE.search(sentence[max(0, start - 20) : start])
    return Quantity(text=text, start=start, end=end, value=signed, unit=unit, scale=scale,
                    change=is_change, sequential=sequential,
                    hedge=hedge.group(1) if hedge else "")  # fmt: skip


def _currency(text: str) -> str:
    for name, pattern in _CURRENCIES:
        if re.search(rf"(?<![A-Za-z])(?:{pattern})(?![A-Za-z])", text, re.I):
            return name
    return ""


def _currency_after(after: str) -> str:
    """ "5 billion yuan": a currency word right after the number."""
    m = re.match(r"\s*(?:yuan|renminbi|dollars?|euros?|yen)\b", after, re.I)
    return _currency(m.group(0)) if m else ""
