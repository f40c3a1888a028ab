"""Add a file an admin shared with the bot: check it, download it, index it, say what happened.

The file is written under its original name in a temporary directory and handed to
`index.ingest.add_files`, which refuses bad or duplicate files before they enter the corpus.
"""

import logging
import re
import tempfile
from pathlib import Path

from pydantic import BaseModel
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.access.rules import valid_collection
from bot.slack.download import download, too_big
from bot.slack.mrkdwn import escape_text
from bot.slack.service import QAService
from index.errors import InvestorQAError
from index.ingest import AddReport
from index.load import HTML_SUFFIXES, TEXT_SUFFIXES
from index.models import DEFAULT_COLLECTION

logger = logging.getLogger(__name__)

ACCEPTED = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf"}
# Slack's `filetype` for a file whose name has no extension.
SUFFIX_BY_FILETYPE = {"pdf": ".pdf", "html": ".html", "markdown": ".md", "text": ".txt"}
ADMINS_ONLY = (
    "Thanks! Only the bot's admins can add articles, so I haven't added this file. "
    "Please ask one of them to share it with me."
)
COLLECTION_ADMINS_ONLY = (
    "Thanks! Only admins of the *{name}* collection can add articles to it, so I haven't added "
    "this file."
)
NOT_LISTED = (
    "Note: *{name}* is not in the access file yet, so nobody can read it in Slack until an "
    "admin lists it there."
)
_COLLECTION = re.compile(r"(?<!\S)collection:\s*\"?([^\s\"]*)\"?", re.IGNORECASE)
UPLOAD_SORRY = "Sorry, something went wrong while adding {name}. Please try again in a moment."


class SharedFile(BaseModel):
    """One file from a `file_share` message: a safe local name, its size and download link."""

    id: str | None = None
    name: str
    size: int | None = None
    url: str | None = None


def shared_files(event: dict) -> list[SharedFile]:
    """The files attached to a message event."""
    return [
        SharedFile(
            id=f.get("id"),
            name=_local_name(f),
            size=f.get("size"),
            url=f.get("url_private_download") or f.get("url_private"),
        )
        for f in event.get("files") or []
    ]


def with_download_link(client, file: SharedFile) -> SharedFile:
    """`file` with its download link, from files.info when the event left it out.

    Slack sends only an id (`file_access: check_file_info`) for some shares, e.g. across
    workspaces; a file it still won't describe keeps no link and gets a clear reply.
    """
    if file.url or not file.id:
        return file
    try:
        info = client.files_info(file=file.id)["file"]
    except (SlackApiError, SlackClientError, OSError, KeyError):
        logger.warning("files.info for %s failed", file.id)
        return file
    url = info.get("url_private_download") or info.get("url_private")
    return file.model_copy(update={"url": url, "size": info.get("size") or file.size})


def upload_collection(text: str | None) -> str:
    """The collection named by `collection: NAME` in the upload's message; `default` if none.

    ValueError (with a message for the uploader) when the name cannot be a collection.
    """
    match = _COLLECTION.search(text or "")
    if not match:
        return DEFAULT_COLLECTION
    return valid_collection(match.group(1))


def refusal(qa: QAService, user: str | None, collection: str) -> str | None:
    """Why `user` may not add to `collection`, or None when they may."""
    try:
        if qa.may_add(user, collection):
            return None
    except InvestorQAError as exc:  # the access rules are broken: nobody but global admins
        return escape_text(str(exc))
    if collection == DEFAULT_COLLECTION:
        return ADMINS_ONLY
    return COLLECTION_ADMINS_ONLY.format(name=escape_text(collection))


def add_shared_file(
    qa: QAService, file: SharedFile, token: str, collection: str = DEFAULT_COLLECTION
) -> str:
    """The reply for one shared file: the article title(s) added, or why nothing was."""
    name = escape_text(file.name)
    if Path(file.name).suffix.lower() not in ACCEPTED:
        return f"I can't add {name}: I read PDF, HTML, Markdown and plain-text files."
    max_bytes = int(qa.settings.upload_max_mb * 1_000_000)
    if file.size and file.size > max_bytes:
        return escape_text(too_big(file.name, max_bytes))
    if not file.url:
        return f"I couldn't download {name}: Slack sent no download link."
    try:
        body = download(
            file.url,
            file.name,
            token,
            qa.settings.slack_api_url,
            max_bytes,
            allow_private=qa.settings.fetch_allow_private,
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / file.name
            path.write_bytes(body)
            report = qa.add_files([path], collection)
    except InvestorQAError as exc:  # includes NothingAdded: a duplicate, unreadable file...
        logger.warning("adding %s failed: %s", file.name, exc)
        return escape_text(_capitalised(str(exc)))
    except Exception:
        logger.exception("adding %s failed", file.name)
        return UPLOAD_SORRY.format(name=name)
    reply = added_message(report)
    if report.added and not _listed(qa, collection):
        reply += "\n" + NOT_LISTED.format(name=escape_text(collection))
    return reply


def _listed(qa: QAService, collection: str) -> bool:
    try:
        rules = qa.policy.current()
    except InvestorQAError:
        return False
    return rules is None or collection in rules.collections


def added_message(report: AddReport) -> str:
    """The confirmation: each article added (title and corpus file), then any file skipped."""
    lines = [f"Added *{escape_text(a.title)}* (`{escape_text(a.path)}`)" for a in report.added]
    if lines:
        lines.append("You can ask me about it now.")
    else:
        lines.append("Nothing added.")
    return "\n".join(lines + [escape_text(_capitalised(s)) for s in report.skipped])


def _local_name(file: dict) -> str:
    # Only the last path part, so a crafted name cannot leave the temporary directory.
    name = Path(str(file.get("name") or file.get("title") or "").replace("\0", "")).name
    if name in ("", ".", ".."):
        name = "shared-file"
    if not Path(name).suffix:
        name += SUFFIX_BY_FILETYPE.get(file.get("filetype") or "", "")
    return name


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
