"""Events API listeners: mentions, direct messages and the App Home tab."""

from slack_bolt import App

from bot.listeners.events.app_home_opened import handle_home_opened
from bot.listeners.events.app_mention import handle_mention
from bot.listeners.events.message import handle_direct_message


def register(app: App) -> None:
    """Register the event listeners on `app`."""
    app.event("app_mention")(handle_mention)
    app.event("message")(handle_direct_message)
    app.event("app_home_opened")(handle_home_opened)
