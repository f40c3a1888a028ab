"""One audit record: who asked what, where, what was searched, what was answered and cited."""

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Outcome = Literal["answered", "not_found", "refused", "error", "shared"]
Via = Literal["mention", "thread", "dm", "command", "share", "cli", "watch", "digest"]


class AuditCitation(BaseModel):
    """A passage an answer cited: the article file, its page and the chunk quoted."""

    model_config = ConfigDict(frozen=True)

    n: int
    path: str
    page: int | None = None
    chunk_id: str | None = None
    collection: str | None = None


class AuditEntry(BaseModel):
    """One row of the audit trail."""

    model_config = ConfigDict(frozen=True)

    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    surface: Literal["slack", "cli"]
    via: Via
    team: str | None = None
    channel: str | None = None
    user: str | None = None  # the Slack user, or "cli"
    acting_as: str | None = None  # CLI: `channel C0123` / `user U0123 (DM)` it answered as
    question: str  # as the person wrote it
    resolved_question: str | None = None  # what was answered, when the bot completed it
    outcome: Outcome
    reason: str | None = None  # why a request was refused
    found: bool = False
    citations: list[AuditCitation] = []
    collections_searched: list[str] = []
    index_version: str | None = None
    answer: str | None = None
    filters_applied: str | None = None
    answer_id: str | None = None  # Share: the saved answer that was (or was not) shared
