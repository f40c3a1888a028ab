"""Votes arrive out of order (handled after the ack, on any replica): the last click wins."""

from datetime import UTC, datetime, timedelta

from bot.answer.compose import Answer
from bot.slack.listeners.actions.feedback import clicked_at
from bot.state.store import open_state

ANSWER = Answer(question="How much?", found=True, answer="RMB 380 billion. [1]", citations=[])
CLICK = datetime(2026, 3, 1, 9, 30, 0, 250_000, tzinfo=UTC)


def test_an_earlier_click_handled_late_does_not_replace_a_later_one(state_settings):
    store = open_state(state_settings)
    try:
        answer_id = store.save_answer(ANSWER, "C1", "U1")
        later = CLICK + timedelta(milliseconds=300)  # same second: order kept to the microsecond
        assert store.record_vote(answer_id, "U2", "C1", "down", at=later)
        assert store.record_vote(answer_id, "U2", "C1", "up", at=CLICK)  # stale: ignored
        assert [v["vote"] for v in store.votes(answer_id)] == ["down"]
        assert store.record_vote(answer_id, "U2", "C1", "up", at=later + timedelta(seconds=1))
        assert [v["vote"] for v in store.votes(answer_id)] == ["up"]
    finally:
        store.close()


def test_click_time_comes_from_slacks_action_ts():
    assert clicked_at({"action_ts": "1772357400.250000"}) == datetime.fromtimestamp(
        1772357400.25, UTC
    )
    assert clicked_at({}) is None
    assert clicked_at({"action_ts": "soon"}) is None
    assert clicked_at({"action_ts": "1e400"}) is None
