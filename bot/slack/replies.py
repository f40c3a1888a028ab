"""Steps the Slack handlers share: read the question, answer it safely, post without unfurling."""

import logging
import os
import re
import threading
from typing import NamedTuple

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.access.asker import Asker, slack_asker
from bot.access.ratelimit import slow_down_message
from bot.answer.compose import Answer
from bot.answer.followup import combine_follow_up
from bot.audit.entry import Via
from bot.slack.blocks import SORRY, build_answer_message, build_usage_message
from bot.slack.chart_upload import upload_chart
from bot.slack.mrkdwn import escape_text, unescape_text
from bot.slack.service import QAService
from bot.slack.subcommands import run_subcommand, subcommand
from index.errors import InvestorQAError

logger = logging.getLogger(__name__)
# At most this many answers are worked out at once (one per core). A burst of questions then
# waits here without competing for the interpreter: answers come out one after another instead
# of all late together, and the threads that ack new requests are never starved.
ANSWERING = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))

NOT_ENABLED = "I'm not enabled in this channel. Ask me in a direct message instead."
TABLE_REFUSED = {"invalid_blocks", "invalid_blocks_format", "only_one_table_allowed"}
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^<>]*)?>")
# Slack's other markup: <https://x.com|x.com>, <#C123|general>, <!here>. A literal < or >
# typed by the user arrives escaped, so every bracket left is markup.
_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def question_text(text: str) -> str:
    """The question as the user typed it: no mentions, links as their labels, unescaped."""
    text = _MENTION.sub(" ", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1).lstrip("#!"), text)
    return " ".join(unescape_text(text).split())


def is_help(question: str) -> bool:
    """True when the user asked for help rather than asking a question."""
    return question.strip().lower().strip("?!. ") in ("", "help", "usage")


def post(client, channel: str, thread_ts: str | None = None, **message) -> dict | None:
    """chat.postMessage with unfurling off; logs and returns None when posting still fails."""
    try:
        return client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, unfurl_links=False, unfurl_media=False, **message
        )
    except (SlackApiError, SlackClientError, OSError):
        logger.exception("posting to %s failed; the bot keeps serving", channel)
        return None


class Reply(NamedTuple):
    """A reply ready to send, with the answer it came from (None for errors and refusals)."""

    message: dict
    answer: Answer | None = None
    answer_id: str = ""


def safe_reply(
    qa: QAService, question: str, asker: Asker, via: Via, asked: str | None = None, **options
) -> Reply:
    """The reply to `question` as `asker` may read it; errors become friendly text."""
    try:
        with ANSWERING:
            answer = qa.answer(question, asker, via, asked)
            found = answer.found
            answer_id = qa.store.save_answer(answer, asker.channel, asker.user) if found else ""
        return Reply(build_answer_message(answer, answer_id, **options), answer, answer_id)
    except InvestorQAError as exc:
        logger.warning("answering %r failed: %s", question, exc)
        return Reply({"text": escape_text(str(exc))})
    except Exception:
        logger.exception("answering %r failed", question)
        return Reply({"text": SORRY})


def safe_answer_message(
    qa: QAService, question: str, asker: Asker, via: Via, asked: str | None = None, **options
) -> dict:
    """The answer message for `question` as `asker` may read it; errors become friendly text."""
    return safe_reply(qa, question, asker, via, asked, **options).message


def post_reply(client, channel: str, thread_ts: str | None, reply: Reply, **options) -> dict | None:
    """Post a reply; a workspace that refuses the table block gets the rows as section fields."""
    if reply.answer is None or reply.answer.table is None:
        return post(client, channel, thread_ts, **reply.message)
    try:
        return client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False,
                                       unfurl_media=False, **reply.message)  # fmt: skip
    except SlackApiError as exc:
        if exc.response.get("error") not in TABLE_REFUSED:
            logger.exception("posting to %s failed; the bot keeps serving", channel)
            return None
    except (SlackClientError, OSError):
        logger.exception("posting to %s failed; the bot keeps serving", channel)
        return None
    logger.info("the table block was refused in %s; sending section fields", channel)
    fields = build_answer_message(reply.answer, reply.answer_id, table_style="fields", **options)
    return post(client, channel, thread_ts, **fields)


def respond_reply(respond, reply: Reply, **options) -> None:
    """Send an ephemeral reply to a response_url; a refused table is sent again as fields."""
    quiet = {"response_type": "ephemeral", "unfurl_links": False, "unfurl_media": False}
    sent = respond(**quiet, **reply.message)
    if reply.answer and reply.answer.table and getattr(sent, "status_code", 200) >= 400:
        logger.info("the table block was refused by response_url; sending section fields")
        fields = build_answer_message(reply.answer, reply.answer_id, table_style="fields",
                                      **options)  # fmt: skip
        respond(**quiet, **fields)


def with_private_chart(client, reply: Reply, **options) -> tuple[Reply, dict]:
    """For an answer only the asker sees: its chart uploaded privately, shown as an image."""
    chart = upload_chart(client, reply.answer) if reply.answer and reply.answer.series else None
    if reply.answer is None or chart is None:
        return reply, options
    options = {**options, "chart_file": chart}
    message = build_answer_message(reply.answer, reply.answer_id, **options)
    return reply._replace(message=message), options


def over_limit(qa: QAService, question: str, asker: Asker, via: Via) -> tuple[str, bool] | None:
    """None when `asker` may ask now; else the polite refusal and whether to say it.

    The refusal is recorded in the audit trail. Only the first one in a window is worth a
    message in a conversation, so a runaway script is not answered with a flood of refusals.
    """
    verdict = qa.limiter.check(f"{asker.team}:{asker.user}")
    if verdict.allowed:
        return None
    qa.gate.refuse(question, asker, via, "rate limit")
    return slow_down_message(qa.limiter.per_minute, verdict.retry_after_s), verdict.tell


def root_question(client, channel: str, thread_ts: str) -> str:
    """The question that started a thread, or "" when it cannot be read or came from a bot."""
    try:
        replies = client.conversations_replies(channel=channel, ts=thread_ts, limit=1)
    except (SlackApiError, SlackClientError, OSError):
        logger.warning("could not read the root of thread %s in %s", thread_ts, channel)
        return ""
    messages = replies.get("messages") or []
    if not messages or messages[0].get("bot_id"):
        return ""
    return question_text(messages[0].get("text", ""))


def answer_event(qa: QAService, client, event: dict, is_dm: bool, team: str | None) -> None:
    """Answer a mention or DM once, in its thread, with a thread's root as context."""
    channel, ts = event["channel"], event["ts"]
    if event.get("bot_id") or not qa.seen.claim(f"message:{channel}:{ts}"):
        return  # another bot, or the same message delivered as app_mention and message
    thread_ts = event.get("thread_ts") or (None if is_dm else ts)
    asker = slack_asker(team, channel, event.get("user"), is_dm)
    question = question_text(event.get("text", ""))
    follow_up = bool(event.get("thread_ts")) and event["thread_ts"] != ts
    via: Via = "dm" if is_dm else "thread" if follow_up else "mention"
    if not qa.allowed(channel, is_dm):
        qa.gate.refuse(question, asker, via, "channel not enabled")
        if qa.first_refusal(channel):
            post(client, channel, thread_ts, text=NOT_ENABLED)
        return
    if is_help(question):
        post(client, channel, thread_ts, **build_usage_message())
        return
    refusal = over_limit(qa, question, asker, via)
    if refusal is not None:
        text, say_it = refusal
        if say_it:  # only the asker sees it; a DM is theirs anyway
            tell(client, asker, thread_ts, text)
        return
    if (sub := subcommand(question)) is not None:  # `@investor-qa watch …` and the like
        post(client, channel, thread_ts, **run_subcommand(qa, *sub, channel, asker.user, is_dm))
        return
    asked = question
    if follow_up:
        question = combine_follow_up(root_question(client, channel, event["thread_ts"]), question)
    restate = question != asked
    reply = safe_reply(qa, question, asker, via, asked, restate=restate)
    if post_reply(client, channel, thread_ts, reply, restate=restate) and reply.answer:
        upload_chart(client, reply.answer, channel, thread_ts)  # into the same thread


def tell(client, asker: Asker, thread_ts: str | None, text: str) -> None:
    """A message only `asker` sees: ephemeral in a channel, a plain reply in their DM."""
    if asker.channel is None:
        return
    if asker.is_dm:
        post(client, asker.channel, thread_ts, text=text)
        return
    try:
        client.chat_postEphemeral(
            channel=asker.channel, user=asker.user, text=text, thread_ts=thread_ts
        )
    except (SlackApiError, SlackClientError, OSError):
        logger.exception("telling %s in %s failed", asker.user, asker.channel)
