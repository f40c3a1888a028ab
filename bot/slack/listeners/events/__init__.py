"""Events API listeners: mentions, direct messages, files shared in DMs and the App Home tab."""

from slack_bolt import App

from bot.slack.listeners import bind
from bot.slack.listeners.events.app_home_opened import handle_home_opened
from bot.slack.listeners.events.app_mention import handle_mention
from bot.slack.listeners.events.file_share import handle_file_share
from bot.slack.listeners.events.message import handle_direct_message
from bot.slack.service import QAService


def register(app: App, qa: QAService) -> None:
    """Register the event listeners on `app`."""
    app.event("app_mention")(bind(handle_mention, qa))
    # Before the plain `message` listener: bolt runs only the first listener that matches.
    # A DM with files arrives as message.im with subtype file_share; the app does not subscribe
    # to `file_shared` as well, so each upload is handled once.
    app.event({"type": "message", "subtype": "file_share"})(bind(handle_file_share, qa))
    app.event("message")(bind(handle_direct_message, qa))
    app.event("app_home_opened")(bind(handle_home_opened, qa))
