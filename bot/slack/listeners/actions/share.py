"""Share in channel: repost an ephemeral `/ask` answer for everyone, "asked by" its asker."""

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.slack.blocks import build_answer_message
from bot.slack.listeners.actions.feedback import EXPIRED
from bot.slack.replies import post
from bot.slack.service import QAService

NOT_POSTED = "I couldn't post in this channel. Invite me with `/invite @investor-qa` and try again."


def handle_share(
    qa: QAService, ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond
) -> None:
    """Post the answer in the channel and remove the ephemeral copy."""
    ack()
    user = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    answer = qa.store.get_answer(action["value"])
    if answer is None or not channel:
        respond(text=EXPIRED, response_type="ephemeral", replace_original=False)
        return
    shared_id = qa.store.save_answer(answer, channel, user)  # votes on the shared copy count apart
    if post(client, channel, **build_answer_message(answer, shared_id, asked_by=user)):
        respond(delete_original=True)
    else:
        respond(text=NOT_POSTED, response_type="ephemeral", replace_original=False)
