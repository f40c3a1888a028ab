"""Who is asking, and where the answer will be read: the input to every access decision."""

from typing import Literal

from pydantic import BaseModel, ConfigDict


class Asker(BaseModel):
    """A Slack user in a channel or DM, or an operator at the CLI (optionally acting as one)."""

    model_config = ConfigDict(frozen=True)

    surface: Literal["slack", "cli"]
    team: str | None = None
    channel: str | None = None
    user: str | None = None
    # A direct message with the bot (or `/ask` in a DM): only the asker reads the answer, so
    # their own access counts. Anywhere else the channel's does, whoever asks.
    is_dm: bool = False

    @property
    def is_operator(self) -> bool:
        """True for the CLI without --channel/--user: someone with the host, who reads it all."""
        return self.surface == "cli" and self.channel is None and self.user is None

    def describe(self) -> str:
        """`channel C0123`, `user U0123 (DM)`, or `operator`, for messages and the audit trail."""
        if self.is_operator:
            return "operator"
        if self.is_dm:
            return f"user {self.user} (DM)"
        return f"channel {self.channel}" + (f" (asked by {self.user})" if self.user else "")


def slack_asker(team: str | None, channel: str | None, user: str | None, is_dm: bool) -> Asker:
    """An Asker for a Slack request."""
    return Asker(surface="slack", team=team, channel=channel, user=user, is_dm=is_dm)
