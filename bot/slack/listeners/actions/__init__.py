"""Button listeners: feedback votes and sharing an ephemeral answer."""

from slack_bolt import App

from bot.slack.blocks import SHARE_ACTION, VOTE_ACTIONS
from bot.slack.listeners.actions.feedback import handle_feedback
from bot.slack.listeners.actions.share import handle_share


def register(app: App) -> None:
    """Register the button listeners on `app`."""
    for action_id in VOTE_ACTIONS:
        app.action(action_id)(handle_feedback)
    app.action(SHARE_ACTION)(handle_share)
