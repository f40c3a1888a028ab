"""Every Slack listener, registered explicitly on a bolt App."""

from slack_bolt import App

from bot.slack.listeners import actions, commands, events


def register(app: App) -> None:
    """Register event, command and action listeners on `app`."""
    events.register(app)
    commands.register(app)
    actions.register(app)
