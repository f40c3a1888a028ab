"""Button listeners: feedback votes and sharing an ephemeral answer."""

from slack_bolt import App

from bot.slack.blocks import SHARE_ACTION, VOTE_ACTIONS
from bot.slack.listeners import bind
from bot.slack.listeners.actions.feedback import handle_feedback
from bot.slack.listeners.actions.share import handle_share
from bot.slack.service import QAService


def register(app: App, qa: QAService) -> None:
    """Register the button listeners on `app`."""
    for action_id in VOTE_ACTIONS:
        app.action(action_id)(bind(handle_feedback, qa))
    app.action(SHARE_ACTION)(bind(handle_share, qa))
