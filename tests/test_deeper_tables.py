"""Tables past the passages quoted from: read for cells and computed figures, never for prose."""

from bot.answer.compose import ComposeOptions, compose_answer
from tests.helpers import make_hit

DEEP = ComposeOptions(sentence_passages=3)

LOOSE = (
    "Accrued expenses and other liabilities consisted of the following:\n"
    "(in thousands) | 2019 | 2018\nAccrued expenses | 11,569 | 7,362\nOther | 402 | 388"
)
EXACT = (
    "Total accrued expenses at year end:\n"
    "(in thousands) | 2019 | 2018\nPayroll | 30,112 | 61,004\n"
    "Professional fees | 21,068 | 62,648\nTotal accrued expenses | 51,180 | 123,652"
)
PROSE = [
    "Accrued expenses rose as the company hired more staff in 2019 across every region.",
    "The company paid its accrued professional fees shortly after the year end.",
    "Management reviews accrued expenses every quarter against invoices received.",
]


def hits(deep_text: str, deep_score: float = 0.5) -> list:
    """Three prose passages and a loose table first, then fillers, then `deep_text` 7th."""
    top = [make_hit(t, 0.6, f"p{i}", article=f"p{i}") for i, t in enumerate(PROSE)]
    top.append(make_hit(LOOSE, 0.6, "loose", article="loose"))
    filler = [
        make_hit(f"Headcount was {n} people at the end of the year.", 0.4, f"f{n}", article=f"f{n}")
        for n in (10, 20)
    ]
    return [*top, *filler, make_hit(deep_text, deep_score, "deep", article="deep")]


def test_a_deeper_table_that_names_the_row_exactly_answers():
    question = "What was the total accrued expenses in 2018?"
    answer = compose_answer(question, hits(EXACT), 0.35, options=DEEP)
    assert answer.answer.startswith("Total accrued expenses, 2018: 123,652 [1]")
    cited = answer.citations[0]
    assert cited.path == "deep.md" and cited.quote in EXACT
    assert "Total accrued expenses | 51,180 | 123,652" in cited.quote


def test_a_computed_figure_can_take_its_inputs_from_a_deeper_table():
    question = "What was the change in total accrued expenses between 2018 and 2019?"
    answer = compose_answer(question, hits(EXACT), 0.35, options=DEEP)
    assert answer.computed is not None and answer.computed.value == -72472
    assert {c.path for c in answer.citations if c.n in {i.n for i in answer.computed.inputs}} == {
        "deep.md"
    }


def test_prose_past_the_quoted_passages_is_never_quoted():
    deep_prose = "Total accrued expenses in 2018 were $123.7 million, the company said in 2019."
    question = "What was the total accrued expenses in 2018?"
    answer = compose_answer(question, hits(deep_prose), 0.35, options=DEEP)
    assert "deep.md" not in {c.path for c in answer.citations}
    # Read for sentences too (no limit), the same passage is quoted.
    everything = compose_answer(question, hits(deep_prose), 0.35)
    assert "deep.md" in {c.path for c in everything.citations}


def test_a_deeper_table_below_the_passage_gate_is_not_read():
    question = "What was the total accrued expenses in 2018?"
    answer = compose_answer(question, hits(EXACT, deep_score=0.1), 0.35, options=DEEP)
    assert "deep.md" not in {c.path for c in answer.citations}
    assert "123,652" not in answer.answer


def test_a_deeper_table_alone_does_not_make_an_answer():
    question = "What was the total accrued expenses in 2018?"
    weak = [make_hit(t, 0.1, f"p{i}", article=f"p{i}") for i, t in enumerate(PROSE)]
    answer = compose_answer(
        question, [*weak, make_hit(EXACT, 0.6, "deep", article="deep")], 0.35, options=DEEP
    )
    assert not answer.found


def test_a_table_quoted_from_keeps_its_lead_over_an_equal_deeper_one():
    question = "What was the total accrued expenses in 2018?"
    other = EXACT.replace("123,652", "120,000")
    passages = hits(other)
    passages[2] = make_hit(EXACT, 0.6, "first", article="first")
    answer = compose_answer(question, passages, 0.35, options=DEEP)
    assert answer.answer.startswith("Total accrued expenses, 2018: 123,652 [1]")
    assert answer.citations[0].path == "first.md"
