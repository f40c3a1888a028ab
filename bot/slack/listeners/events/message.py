"""Direct messages to the bot: answer in the DM."""

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.replies import answer_event


def handle_direct_message(event: dict, client: WebClient, context: BoltContext) -> None:
    """Answer a user's DM; edits, joins, bot posts and channel messages are ignored."""
    if event.get("channel_type") != "im" or event.get("subtype"):
        return
    answer_event(context["qa"], client, event, is_dm=True)
