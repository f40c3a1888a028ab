"""Every Slack listener, registered explicitly on a bolt App with the service bound in."""

import functools
from collections.abc import Callable

from slack_bolt import App

from bot.slack.service import QAService


def register(app: App, qa: QAService) -> None:
    """Register event, command and action listeners on `app`, each bound to `qa`."""
    from bot.slack.listeners import actions, commands, events

    events.register(app, qa)
    commands.register(app, qa)
    actions.register(app, qa)


def bind(handler: Callable, qa: QAService) -> Callable:
    """`handler` with `qa` as its first argument; bolt injects the others by their names."""
    bound = functools.partial(handler, qa)
    bound.__name__ = handler.__name__  # type: ignore[attr-defined]  # bolt names listeners so
    return bound
