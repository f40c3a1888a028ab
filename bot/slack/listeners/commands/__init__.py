"""Slash command listeners."""

from slack_bolt import App

from bot.slack.listeners.commands.ask import ack_ask, handle_ask


def register(app: App) -> None:
    """Register `/ask`: acknowledged at once, answered by a lazy listener after the ack."""
    app.command("/ask")(ack=ack_ask, lazy=[handle_ask])
