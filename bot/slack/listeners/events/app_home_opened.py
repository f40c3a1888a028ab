"""The App Home tab: publish what the bot knows and how to ask."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import build_home_view
from bot.slack.service import QAService

logger = logging.getLogger(__name__)


def handle_home_opened(qa: QAService, event: dict, client: WebClient) -> None:
    """Publish the Home tab for the user who opened it."""
    if event.get("tab", "home") != "home":
        return
    view = build_home_view(qa.home_facts())
    try:
        client.views_publish(user_id=event["user"], view=view)
    except (SlackApiError, SlackClientError, OSError):
        logger.exception("views.publish for %s failed", event.get("user"))
