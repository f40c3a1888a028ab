"""Open the state store: one engine, the schema checked, and the parts that use it."""

from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.answer.compose import Answer
from bot.state.claims import Claims
from bot.state.engine import create_state_engine, describe
from bot.state.errors import StateStoreError
from bot.state.feedback import FeedbackStore
from bot.state.legacy import import_legacy_feedback
from bot.state.schema import init_schema, processed_events, told_once
from bot.state.settings import StateSettings, get_state_settings

# Slack retries an unacknowledged event three times within a few minutes; an hour is ample.
EVENT_TTL_S = 3600.0


class StateStore:
    """The bot's own state, shared by every thread and every replica that opens the same URL."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.events = Claims(engine, processed_events, ttl_s=EVENT_TTL_S)  # dedupe
        self.told_once = Claims(engine, told_once)  # channels told the bot is not enabled
        self.feedback = FeedbackStore(engine)

    def save_answer(self, answer: Answer, channel: str | None, user: str | None) -> str:
        """Remember an answer the bot is about to post and return its id."""
        return self.feedback.save_answer(answer, channel, user)

    def get_answer(self, answer_id: str) -> Answer | None:
        """The answer saved under `answer_id`, or None."""
        return self.feedback.get_answer(answer_id)

    def record_vote(
        self,
        answer_id: str,
        user: str,
        channel: str | None,
        vote: str,
        at: datetime | None = None,
    ) -> bool:
        """Store `user`'s vote cast at `at`, unless a later one is stored; False if unknown answer."""
        return self.feedback.record_vote(answer_id, user, channel, vote, at)

    def votes(self, answer_id: str | None = None) -> list[dict]:
        """Every stored vote (or those on one answer), oldest first."""
        return self.feedback.votes(answer_id)

    def close(self) -> None:
        """Close the engine's pooled connections."""
        self.engine.dispose()


def open_state(settings: StateSettings | None = None) -> StateStore:
    """Connect to the configured state database, create or upgrade its schema, and open it."""
    settings = settings or get_state_settings()
    engine = create_state_engine(settings)
    try:
        init_schema(engine)
        import_legacy_feedback(engine, settings.data_dir)
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StateStoreError(
            f"cannot open the state database {describe(engine.url)}: {reason}"
        ) from None
    except BaseException:
        engine.dispose()
        raise
    return StateStore(engine)
