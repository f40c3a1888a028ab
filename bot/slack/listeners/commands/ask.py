"""`/ask QUESTION`: ack within Slack's 3 seconds, then answer ephemerally with a Share button.

In a channel the answer comes from what the channel may read (the asker may share it there);
in a DM, from what the asker may read.
"""

import logging
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.access.asker import Asker, slack_asker
from bot.slack.blocks import build_usage_message
from bot.slack.replies import (
    NOT_ENABLED,
    Reply,
    is_help,
    over_limit,
    question_text,
    respond_reply,
    safe_reply,
    with_private_chart,
)
from bot.slack.service import QAService
from bot.slack.subcommands import run_subcommand, subcommand

logger = logging.getLogger(__name__)


def _is_dm(command: dict) -> bool:
    return command.get("channel_name") == "directmessage" or command["channel_id"].startswith("D")


def _asker(command: dict) -> Asker:
    return slack_asker(
        command.get("team_id"), command["channel_id"], command.get("user_id"), _is_dm(command)
    )


def ack_ask(qa: QAService, ack: Ack, command: dict) -> None:
    """Acknowledge at once: usage and refusals go in the ack, questions are answered later."""
    if is_help(command.get("text", "")):
        ack(response_type="ephemeral", **build_usage_message())
    elif not qa.allowed(command["channel_id"], _is_dm(command)):
        ack(response_type="ephemeral", text=NOT_ENABLED)
    else:
        ack()


def handle_ask(qa: QAService, command: dict, respond: Respond, client: WebClient) -> None:
    """Answer after the ack, visible only to the asker, via the command's response_url."""
    question, asker = question_text(command.get("text", "")), _asker(command)
    if is_help(question):
        return  # the ack already replied
    if not qa.allowed(command["channel_id"], asker.is_dm):
        qa.gate.refuse(question, asker, "command", "channel not enabled")
        return  # the ack already said so
    refusal = over_limit(qa, question, asker, "command")
    options: dict[str, Any] = {"shareable": True}
    if refusal is not None:  # the asker typed /ask and waits: always say why
        reply = Reply({"text": refusal[0]})
    elif (sub := subcommand(question)) is not None:  # watch, watches, unwatch, digest, feeds
        reply = Reply(run_subcommand(qa, *sub, command["channel_id"], asker.user, asker.is_dm))
    else:
        reply = safe_reply(qa, question, asker, "command", **options)
        reply, options = with_private_chart(client, reply, **options)
    try:
        respond_reply(respond, reply, **options)
    except Exception:  # a dead response_url must not take the worker down
        logger.exception("replying to /ask from %s failed", command.get("user_id"))
