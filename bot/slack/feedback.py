"""The bot's own SQLite database: answers it gave (for Share and votes) and the votes on them.

It lives in INVESTOR_QA_DATA_DIR, outside the index directory, so rebuilding the index keeps it.
"""

import sqlite3
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bot.answer.compose import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, question TEXT NOT NULL, answer_json TEXT NOT NULL,
    channel TEXT, user TEXT, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT NOT NULL REFERENCES answers, question TEXT NOT NULL, answer TEXT NOT NULL,
    user TEXT NOT NULL, channel TEXT, vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    voted_at TEXT NOT NULL, UNIQUE (answer_id, user)
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class FeedbackStore:
    """Answers and votes in `data_dir/feedback.sqlite`, safe to share between threads."""

    def __init__(self, data_dir: Path):
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "feedback.sqlite"
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(SCHEMA)

    def save_answer(self, answer: Answer, channel: str | None, user: str | None) -> str:
        """Remember an answer the bot is about to post and return its id."""
        answer_id = uuid.uuid4().hex
        with self._lock:
            self._db.execute(
                "INSERT INTO answers VALUES (?,?,?,?,?,?)",
                (answer_id, answer.question, answer.model_dump_json(), channel, user, _now()),
            )
        return answer_id

    def get_answer(self, answer_id: str) -> Answer | None:
        """The answer saved under `answer_id`, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT answer_json FROM answers WHERE id = ?", (answer_id,)
            ).fetchone()
        return Answer.model_validate_json(row["answer_json"]) if row else None

    def record_vote(self, answer_id: str, user: str, channel: str | None, vote: str) -> bool:
        """Store `user`'s vote on an answer, replacing an earlier one; False if unknown answer."""
        answer = self.get_answer(answer_id)
        if answer is None:
            return False
        with self._lock:
            self._db.execute(
                """INSERT INTO feedback VALUES (?,?,?,?,?,?,?)
                   ON CONFLICT (answer_id, user)
                   DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at,
                                 channel = excluded.channel""",
                (answer_id, answer.question, answer.answer, user, channel, vote, _now()),
            )
        return True

    def votes(self) -> list[dict]:
        """Every stored vote, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM feedback ORDER BY voted_at, rowid").fetchall()
        return [dict(row) for row in rows]
