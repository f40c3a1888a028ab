"""`@investor-qa question` in a channel: answer in the message's thread."""

from slack_sdk import WebClient

from bot.slack.replies import answer_event
from bot.slack.service import QAService


def handle_mention(qa: QAService, event: dict, body: dict, client: WebClient) -> None:
    """Answer a mention in its thread; a mention inside a thread is a follow-up."""
    is_dm = event.get("channel_type") == "im" or event["channel"].startswith("D")
    answer_event(qa, client, event, is_dm=is_dm, team=body.get("team_id"))
