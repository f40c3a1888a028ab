"""Files shared with the bot in a DM: an admin's article is indexed, anyone else is told no."""

from slack_sdk import WebClient

from bot.slack.mrkdwn import escape_text
from bot.slack.replies import post
from bot.slack.service import QAService
from bot.slack.uploads import ADMINS_ONLY, add_shared_file, shared_files, with_download_link


def handle_file_share(qa: QAService, event: dict, client: WebClient) -> None:
    """Index each file an admin shares in a DM and reply with the titles added (or why not)."""
    channel, ts = event["channel"], event["ts"]
    if event.get("channel_type") != "im" or event.get("bot_id"):
        return
    if not qa.seen.claim(f"message:{channel}:{ts}"):
        return  # already handled: Slack delivered the same message twice
    if not qa.settings.is_admin(event.get("user")):
        post(client, channel, text=ADMINS_ONLY)
        return
    for file in shared_files(event):
        # Bolt acked the event already; a build can take minutes, so say it has started.
        post(client, channel, text=f"Indexing {escape_text(file.name)}…")
        reply = add_shared_file(qa, with_download_link(client, file), client.token or "")
        post(client, channel, text=reply)
