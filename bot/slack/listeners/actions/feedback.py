"""👍 / 👎 on an answer: store the vote (a second vote replaces the first) and say thanks."""

import logging
from datetime import UTC, datetime

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.access.asker import slack_asker
from bot.access.errors import AccessUnavailable
from bot.access.gate import cited_collections
from bot.slack.blocks import (
    VOTE_ACTIONS,
    build_answer_blocks,
    feedback_note,
    with_feedback_note,
)
from bot.slack.mrkdwn import first_sentence
from bot.slack.service import QAService

logger = logging.getLogger(__name__)
EXPIRED = "I no longer have that answer. Please ask again."
NOT_HERE = (
    "Thanks, your vote is noted. I can't show that answer here: this channel may not read it."
)


def clicked_at(action: dict) -> datetime | None:
    """When the user clicked, from Slack's `action_ts` (None when absent or malformed)."""
    try:
        return datetime.fromtimestamp(float(action["action_ts"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None


def handle_feedback(
    qa: QAService, ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond
) -> None:
    """Record the vote, then update the message to thank the voter."""
    ack()
    answer_id = action["value"]
    user, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
    vote = VOTE_ACTIONS[action["action_id"]]
    if not qa.store.record_vote(answer_id, user, channel, vote, clicked_at(action)):
        respond(text=EXPIRED, response_type="ephemeral", replace_original=False)
        return
    note = feedback_note(user, vote)
    message = body.get("message")
    try:
        if message and channel and not (body.get("container") or {}).get("is_ephemeral"):
            client.chat_update(
                channel=channel,
                ts=message["ts"],
                text=message.get("text", ""),
                blocks=with_feedback_note(message.get("blocks", []), note),
            )
        else:  # ephemeral answers can only be replaced through the response_url
            answer = qa.store.get_answer(answer_id)
            if answer is None:  # pruned between the vote and now
                respond(text=EXPIRED, response_type="ephemeral", replace_original=False)
                return
            if not _may_see(qa, body, channel, user, answer):
                respond(text=NOT_HERE, response_type="ephemeral", replace_original=False)
                return  # the vote counts; the answer is not shown again here
            blocks = build_answer_blocks(answer, answer_id, shareable=True)
            respond(
                replace_original=True,
                text=first_sentence(answer.answer),
                blocks=with_feedback_note(blocks, note),
            )
    except (SlackApiError, SlackClientError, OSError):
        logger.exception("thanking %s for feedback failed; the vote is stored", user)


def _may_see(qa: QAService, body: dict, channel: str | None, user: str, answer) -> bool:
    """True when the answer may be shown again where the vote came from (rules may have changed)."""
    is_dm = bool(channel and channel.startswith("D"))
    asker = slack_asker((body.get("team") or {}).get("id"), channel, user, is_dm)
    try:
        return qa.policy.may_read_all(asker, cited_collections(answer))
    except AccessUnavailable:
        return False
