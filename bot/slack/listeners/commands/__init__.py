"""Slash command listeners."""

from slack_bolt import App

from bot.slack.listeners import bind
from bot.slack.listeners.commands.ask import ack_ask, handle_ask
from bot.slack.service import QAService


def register(app: App, qa: QAService) -> None:
    """Register `/ask`: acknowledged at once, answered by a lazy listener after the ack."""
    app.command("/ask")(ack=bind(ack_ask, qa), lazy=[bind(handle_ask, qa)])
