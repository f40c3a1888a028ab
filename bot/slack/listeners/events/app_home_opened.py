"""The App Home tab: publish what the bot knows and how to ask."""

import logging

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import build_home_view

logger = logging.getLogger(__name__)


def handle_home_opened(event: dict, client: WebClient, context: BoltContext) -> None:
    """Publish the Home tab for the user who opened it."""
    if event.get("tab", "home") != "home":
        return
    view = build_home_view(context["qa"].home_facts())
    try:
        client.views_publish(user_id=event["user"], view=view)
    except (SlackApiError, SlackClientError, OSError):
        logger.exception("views.publish for %s failed", event.get("user"))
