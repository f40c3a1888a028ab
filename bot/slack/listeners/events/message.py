"""Direct messages to the bot: answer in the DM."""

from slack_sdk import WebClient

from bot.slack.replies import answer_event
from bot.slack.service import QAService


def handle_direct_message(qa: QAService, event: dict, body: dict, client: WebClient) -> None:
    """Answer a user's DM; edits, joins, bot posts and channel messages are ignored."""
    if event.get("channel_type") != "im" or event.get("subtype"):
        return
    answer_event(qa, client, event, is_dm=True, team=body.get("team_id"))
