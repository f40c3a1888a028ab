"""The feedback database: answers are kept for Share and votes, a second vote replaces the first."""

from bot.answer.compose import Answer
from bot.slack.feedback import FeedbackStore

ANSWER = Answer(question="How much?", found=True, answer="RMB 380 billion. [1]", citations=[])


def test_votes_are_stored_with_question_answer_user_channel_and_time(tmp_path):
    store = FeedbackStore(tmp_path / "data")
    answer_id = store.save_answer(ANSWER, "C1", "U1")
    assert store.get_answer(answer_id) == ANSWER
    assert store.record_vote(answer_id, "U2", "C1", "up")
    (vote,) = store.votes()
    assert vote["question"] == "How much?" and vote["answer"] == "RMB 380 billion. [1]"
    assert (vote["user"], vote["channel"], vote["vote"]) == ("U2", "C1", "up")
    assert vote["voted_at"]


def test_voting_again_changes_the_vote_and_users_vote_apart(tmp_path):
    store = FeedbackStore(tmp_path)
    answer_id = store.save_answer(ANSWER, "C1", "U1")
    store.record_vote(answer_id, "U2", "C1", "up")
    store.record_vote(answer_id, "U2", "C1", "down")
    store.record_vote(answer_id, "U3", "C1", "up")
    assert [(v["user"], v["vote"]) for v in store.votes()] == [("U2", "down"), ("U3", "up")]


def test_unknown_answers_are_refused_and_data_survives_a_reopen(tmp_path):
    store = FeedbackStore(tmp_path)
    assert not store.record_vote("nope", "U2", "C1", "up")
    answer_id = store.save_answer(ANSWER, "C1", "U1")
    store.record_vote(answer_id, "U2", "C1", "up")
    assert FeedbackStore(tmp_path).votes()[0]["vote"] == "up"
    assert store.get_answer("nope") is None
