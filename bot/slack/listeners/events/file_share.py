"""Files shared with the bot in a DM: an admin's article is indexed, anyone else is told no.

The message may name the collection (`collection: deal-aurora`, default `default`); only the
admins of that collection (or INVESTOR_QA_ADMINS) may add to it.
"""

from slack_sdk import WebClient

from bot.slack.mrkdwn import escape_text
from bot.slack.replies import post
from bot.slack.service import QAService
from bot.slack.uploads import (
    add_shared_file,
    refusal,
    shared_files,
    upload_collection,
    with_download_link,
)


def handle_file_share(qa: QAService, event: dict, client: WebClient) -> None:
    """Index each file an admin shares in a DM and reply with the titles added (or why not)."""
    channel, ts = event["channel"], event["ts"]
    if event.get("channel_type") != "im" or event.get("bot_id"):
        return
    if not qa.seen.claim(f"message:{channel}:{ts}"):
        return  # already handled: Slack delivered the same message twice
    try:
        collection = upload_collection(event.get("text"))  # `collection: NAME`, else default
    except ValueError as exc:
        post(client, channel, text=f"I can't add this file: {escape_text(str(exc))}")
        return
    refused = refusal(qa, event.get("user"), collection)
    if refused:
        post(client, channel, text=refused)
        return
    for file in shared_files(event):
        # Bolt acked the event already; a build can take minutes, so say it has started.
        post(client, channel, text=f"Indexing {escape_text(file.name)}…")
        token = client.token or ""
        reply = add_shared_file(qa, with_download_link(client, file), token, collection)
        post(client, channel, text=reply)
