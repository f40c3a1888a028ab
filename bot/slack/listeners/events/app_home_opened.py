"""The App Home tab: publish what the bot knows and how to ask."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.access.asker import slack_asker
from bot.access.errors import AccessUnavailable
from bot.slack.blocks import build_home_view
from bot.slack.service import QAService

logger = logging.getLogger(__name__)


def handle_home_opened(qa: QAService, event: dict, body: dict, client: WebClient) -> None:
    """Publish the Home tab for the user who opened it, listing only what they may read."""
    if event.get("tab", "home") != "home":
        return
    # Home is private to its viewer, like a DM: the viewer's own access applies.
    asker = slack_asker(body.get("team_id"), event.get("channel") or "", event["user"], True)
    try:
        view = build_home_view(qa.home_facts(asker))
    except AccessUnavailable as exc:
        view = build_home_view({"unavailable": str(exc)})
    try:
        client.views_publish(user_id=event["user"], view=view)
    except (SlackApiError, SlackClientError, OSError):
        logger.exception("views.publish for %s failed", event.get("user"))
