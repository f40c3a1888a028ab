"""Does our answer state the gold answer's main number? Scale words and separators normalised."""

from bot.answer.figures import figure_values as numbers_in

REL_TOLERANCE = 0.01  # gold answers are often rounded ("$8.70" billion for 8,738 million)


def main_number(answer: str) -> float | None:
    """The gold answer's headline number: its first number, scale applied; None if it has none."""
    values = numbers_in(answer)
    return values[0] if values else None


def figure_matches(gold_answer: str, our_text: str) -> bool:
    """True when a number in `our_text` equals the gold main number in some unit scale.

    Filings state tables "in millions" away from the figure, so a bare 1,577 must match
    a gold $1.577 billion: each of our numbers is tried at every thousand-fold scale.
    """
    gold = main_number(gold_answer)
    if gold is None:
        return False
    for value in numbers_in(our_text):
        for power in range(-4, 5):
            candidate = value * 1000.0**power
            if gold == candidate or (gold and abs(candidate - gold) <= REL_TOLERANCE * abs(gold)):
                return True
    return False
