"""Answers the bot posted (for Share and votes) and the 👍 / 👎 votes on them.

Every write is a single statement, so votes cast at the same moment through different replicas
are all kept: each user's vote is its own row, and a second vote replaces the first atomically.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from bot.answer.compose import Answer
from bot.state.engine import upsert_insert
from bot.state.schema import answers, feedback

VOTES = ("up", "down")


def _now() -> str:
    return _stamp(datetime.now(UTC))


def _stamp(moment: datetime) -> str:
    """A sortable UTC time stamp: microseconds, so two clicks in one second keep their order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class FeedbackStore:
    """Answers and votes in the state database; safe to share between threads and processes."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def save_answer(self, answer: Answer, channel: str | None, user: str | None) -> str:
        """Remember an answer the bot is about to post and return its id."""
        answer_id = uuid.uuid4().hex
        row = {
            "id": answer_id,
            "question": answer.question,
            "answer_json": answer.model_dump_json(),
            "channel": channel,
            "user_id": user,
            "created_at": _now(),
        }
        with self.engine.begin() as conn:
            conn.execute(answers.insert().values(**row))
        return answer_id

    def get_answer(self, answer_id: str) -> Answer | None:
        """The answer saved under `answer_id`, or None."""
        with self.engine.connect() as conn:
            stored = conn.execute(
                select(answers.c.answer_json).where(answers.c.id == answer_id)
            ).scalar()
        return Answer.model_validate_json(stored) if stored is not None else None

    def record_vote(
        self,
        answer_id: str,
        user: str,
        channel: str | None,
        vote: str,
        at: datetime | None = None,
    ) -> bool:
        """Store `user`'s vote on an answer, replacing an earlier one; False if unknown answer.

        `at` is when the user clicked (Slack's `action_ts`). Clicks are handled after the ack, on
        any thread of any replica, so they can arrive out of order: a vote replaces a stored one
        only when it was cast later, and the user's last click wins.
        """
        if vote not in VOTES:
            raise ValueError(f"a vote is one of {VOTES}, not {vote!r}")
        answer = self.get_answer(answer_id)  # saved answers never change: no race in reading it
        if answer is None:
            return False
        row = {
            "answer_id": answer_id,
            "user_id": user,
            "question": answer.question,
            "answer": answer.answer,
            "channel": channel,
            "vote": vote,
            "voted_at": _stamp(at) if at else _now(),
        }
        statement = upsert_insert(self.engine, feedback).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=["answer_id", "user_id"],
            set_={name: statement.excluded[name] for name in ("vote", "voted_at", "channel")},
            where=feedback.c.voted_at <= statement.excluded.voted_at,
        )
        with self.engine.begin() as conn:
            conn.execute(statement)
        return True

    def votes(self, answer_id: str | None = None) -> list[dict]:
        """Every stored vote (or those on one answer), oldest first."""
        query = select(feedback).order_by(feedback.c.voted_at, feedback.c.answer_id)
        if answer_id is not None:
            query = query.where(feedback.c.answer_id == answer_id)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query.order_by(feedback.c.user_id))]
