"""Answers and votes from the old INVESTOR_QA_DATA_DIR/feedback.sqlite are carried over once."""

import sqlite3

from bot.answer.compose import Answer
from bot.state.settings import StateSettings
from bot.state.store import open_state

# The layout bot/slack/feedback.py wrote before the state store existed.
OLD_SCHEMA = """
CREATE TABLE answers (
    id TEXT PRIMARY KEY, question TEXT NOT NULL, answer_json TEXT NOT NULL,
    channel TEXT, user TEXT, created_at TEXT NOT NULL
);
CREATE TABLE feedback (
    answer_id TEXT NOT NULL REFERENCES answers, question TEXT NOT NULL, answer TEXT NOT NULL,
    user TEXT NOT NULL, channel TEXT, vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    voted_at TEXT NOT NULL, UNIQUE (answer_id, user)
);
"""
ANSWER = Answer(question="How much?", found=True, answer="RMB 380 billion. [1]", citations=[])


def write_old_file(data_dir) -> bytes:
    data_dir.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(data_dir / "feedback.sqlite")
    db.executescript(OLD_SCHEMA)
    db.execute(
        "INSERT INTO answers VALUES ('a1', 'How much?', ?, 'C1', 'U1', '2025-01-02T03:04:05+00:00')",
        (ANSWER.model_dump_json(),),
    )
    db.executemany(
        "INSERT INTO feedback VALUES ('a1', 'How much?', 'RMB 380 billion. [1]', ?, 'C1', ?, ?)",
        [("U2", "up", "2025-01-02T03:05:00+00:00"), ("U3", "down", "2025-01-02T03:06:00+00:00")],
    )
    db.commit()
    db.close()
    return (data_dir / "feedback.sqlite").read_bytes()


def test_old_votes_are_imported_once_and_the_old_file_is_left_alone(state_settings):
    before = write_old_file(state_settings.data_dir)
    store = open_state(state_settings)
    assert store.get_answer("a1") == ANSWER
    assert [(v["user_id"], v["vote"]) for v in store.votes()] == [("U2", "up"), ("U3", "down")]
    store.record_vote("a1", "U2", "C1", "down")  # a newer vote must not be undone by a re-import
    store.close()
    reopened = open_state(state_settings)
    assert [(v["user_id"], v["vote"]) for v in reopened.votes("a1")] == [
        ("U3", "down"),
        ("U2", "down"),
    ]
    assert (state_settings.data_dir / "feedback.sqlite").read_bytes() == before
    reopened.close()


def test_an_unreadable_old_file_is_a_warning_not_a_failed_start(tmp_path, caplog):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "feedback.sqlite").write_bytes(b"this is not a database" * 100)
    store = open_state(StateSettings(data_dir=data_dir))
    assert store.votes() == [] and "could not read the old feedback file" in caplog.text
    store.close()
