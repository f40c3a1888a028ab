"""Share in channel: repost an ephemeral `/ask` answer for everyone, "asked by" its asker.

The channel is checked again before posting: it must be allowed to read every collection the
answer quotes (whoever clicks), or nothing is posted and only the clicker is told why.
"""

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.access.asker import slack_asker
from bot.access.errors import AccessUnavailable
from bot.access.gate import cited_collections
from bot.slack.blocks import build_answer_message
from bot.slack.chart_upload import upload_chart
from bot.slack.listeners.actions.feedback import EXPIRED
from bot.slack.replies import Reply, post_reply
from bot.slack.service import QAService

NOT_POSTED = "I couldn't post in this channel. Invite me with `/invite @investor-qa` and try again."
NOT_SHAREABLE = (
    "I can't share this answer here: it quotes articles this channel is not allowed to read. "
    "Nothing was posted."
)


def handle_share(
    qa: QAService, ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond
) -> None:
    """Post the answer in the channel and remove the ephemeral copy, if the channel may read it."""
    ack()
    user = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    answer = qa.store.get_answer(action["value"])
    if answer is None or not channel:
        respond(text=EXPIRED, response_type="ephemeral", replace_original=False)
        return
    # Everyone in the channel reads a shared answer, so the channel's access decides, even in
    # a DM (where only public collections may be shared).
    asker = slack_asker((body.get("team") or {}).get("id"), channel, user, is_dm=False)
    refused, message = None, NOT_SHAREABLE
    try:
        readable = qa.policy.readable(asker)
        unreadable = sorted(cited_collections(answer) - readable) if readable is not None else []
        if unreadable:
            refused = f"share: channel may not read {', '.join(unreadable)}"
    except AccessUnavailable as exc:
        refused, message = "access rules unavailable", str(exc)
    if refused:
        qa.gate.record_share(answer, asker, action["value"], refused=refused)
        respond(text=message, response_type="ephemeral", replace_original=False)
        return
    shared_id = qa.store.save_answer(answer, channel, user)  # votes on the shared copy count apart
    qa.gate.record_share(answer, asker, shared_id, refused=None)
    reply = Reply(build_answer_message(answer, shared_id, asked_by=user), answer, shared_id)
    posted = post_reply(client, channel, None, reply, asked_by=user)
    if posted:
        respond(delete_original=True)
        upload_chart(client, answer, channel, posted.get("ts"))  # in the shared answer's thread
    else:
        respond(text=NOT_POSTED, response_type="ephemeral", replace_original=False)
