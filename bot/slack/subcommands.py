"""`/ask watch|watches|unwatch|digest|feeds …` (and `@investor-qa watch …`): one dispatcher.

`subcommand` tells whether a question is one of these; `run_subcommand` does it and returns the
reply as message kwargs. Watches and digests belong to the channel they are made in; feeds
are managed by admins in a direct message. Every reply is escaped like an answer.
"""

import logging
from datetime import UTC, datetime

from bot.feeds.describe import feed_line
from bot.feeds.manage import subscribe, unsubscribe
from bot.feeds.models import FeedError
from bot.feeds.settings import get_feed_settings
from bot.feeds.store import FeedStore
from bot.slack.mrkdwn import escape_text
from bot.slack.service import QAService
from bot.watches.digest import DigestError, first_slot_done, parse_digest
from bot.watches.settings import get_watch_settings
from bot.watches.store import MAX_QUESTION_CHARS, MAX_WATCHES_PER_CHANNEL, WatchStore
from index.errors import InvestorQAError
from index.models import DEFAULT_COLLECTION

logger = logging.getLogger(__name__)

NAMES = ("watch", "watches", "unwatch", "digest", "feeds")
WATCH_HELP = (
    "`/ask watch QUESTION` posts here when a new article brings a new figure; "
    "`/ask watches` lists this channel's watches; `/ask unwatch N` stops one; "
    "`/ask digest daily 08:00 [Europe/London]` gathers them once a day (`/ask digest off`)."
)
FEEDS_HELP = (
    "In a direct message, admins use `/ask feeds add URL [--collection NAME] [--every 30m]`, "
    "`/ask feeds list`, `/ask feeds remove ID` and `/ask feeds sync`."
)


def subcommand(text: str) -> tuple[str, str] | None:
    """(name, the rest) when `text` starts with a subcommand word, else None."""
    head, _, rest = (text or "").strip().partition(" ")
    return (head.lower(), rest.strip()) if head.lower() in NAMES else None


def run_subcommand(
    qa: QAService, name: str, rest: str, channel: str, user: str | None, is_dm: bool
) -> dict:
    """Do the subcommand; the reply as `text` (mrkdwn, escaped)."""
    try:
        if name == "feeds":
            return {"text": _feeds(qa, rest, user, is_dm)}
        if is_dm and name != "feeds":
            return {"text": "Watches belong to a channel: use this command in the channel."}
        return {"text": _watches(qa, name, rest, channel, user)}
    except (InvestorQAError, DigestError) as exc:
        return {"text": escape_text(str(exc))}
    except Exception:
        logger.exception("/ask %s failed", name)
        return {"text": "Sorry, something went wrong. Please try again in a moment."}


def _watches(qa: QAService, name: str, rest: str, channel: str, user: str | None) -> str:
    store = WatchStore(qa.store.engine)
    if name == "watch":
        question = " ".join(rest.split())
        if not question or question.lower() == "help":
            return WATCH_HELP
        if len(question) > MAX_QUESTION_CHARS:
            return f"That question is too long to watch (at most {MAX_QUESTION_CHARS} characters)."
        if len(store.in_channel(channel)) >= MAX_WATCHES_PER_CHANNEL:
            return f"This channel already watches {MAX_WATCHES_PER_CHANNEL} questions: unwatch one first."
        baseline = qa.answer_in_channel(question, channel)
        watch = store.add(channel, question, user, baseline, qa.searcher.manifest.generation)
        return (
            f"Watching *{escape_text(question)}* here (#{watch.id}). I'll post in this channel "
            "when a new article brings a figure the current answer doesn't have."
        )
    if name == "watches":
        found = store.in_channel(channel)
        if not found:
            return f"This channel watches nothing yet. {WATCH_HELP}"
        lines = [f"#{w.id} *{escape_text(w.question)}* (since {w.created_at[:10]})" for w in found]
        digest = store.digest(channel)
        if digest:
            lines.append(f"Digest: daily at {digest.at} ({escape_text(digest.tz)})")
        return "\n".join(lines)
    if name == "unwatch":
        number = rest.strip().lstrip("#")
        removed = store.remove(channel, int(number)) if number.isdigit() else None
        if removed is None:
            return "No such watch in this channel: `/ask watches` lists them with their numbers."
        return f"Stopped watching *{escape_text(removed.question)}*."
    schedule = parse_digest(rest, get_watch_settings().timezone)
    if schedule is None:
        stopped = store.stop_digest(channel)
        return "Digest stopped: news is posted as it comes." if stopped else "No digest was set."
    at, tz = schedule
    store.set_digest(channel, at, tz, user)
    done = first_slot_done(at, tz, datetime.now(UTC))
    if done:
        store.digest_done(channel, done)
    return f"Digest set: once a day at {at} ({escape_text(tz)}), with every watch that has news."


def _feeds(qa: QAService, rest: str, user: str | None, is_dm: bool) -> str:
    words = rest.split()
    action = words[0].lower() if words else "help"
    options = _options(words[2:]) if action == "add" else {}
    # INVESTOR_QA_ADMINS manage every feed; an admin of one collection (access.yml) may add
    # feeds into it.
    target = options.get("collection") or DEFAULT_COLLECTION
    allowed = qa.settings.is_admin(user) or (action == "add" and qa.may_add(user, target))
    if not is_dm or not allowed:
        return "Only admins can manage feeds, in a direct message with me."
    settings = qa.index_settings
    if settings is None:
        return "Feeds are not set up here; run the bot with `serve`."
    store = FeedStore(qa.store.engine)
    if action == "add" and len(words) >= 2:
        feed, listed = subscribe(
            store,
            words[1],
            options.get("collection"),
            options.get("every"),
            user,
            settings,
            get_feed_settings(),
        )
        qa.updated()  # the background loop syncs it at once
        return f"Subscribed #{feed.id} {escape_text(feed.url)} ({listed} entries listed now)."
    if action == "list":
        lines = [escape_text(feed_line(feed)) for feed in store.all()]
        return "\n".join(lines) if lines else "No feeds yet. " + FEEDS_HELP
    if action == "remove" and len(words) == 2:
        feed = unsubscribe(store, words[1])
        return f"Removed #{feed.id} {escape_text(feed.url)}."
    if action == "sync":
        chosen = [f.id for f in store.all() if len(words) < 2 or str(f.id) == words[1].lstrip("#")]
        if not chosen:
            return "No such feed: `/ask feeds list` shows them."
        store.make_due(chosen)
        qa.updated()  # the background loop polls them now
        return f"Syncing {len(chosen)} feed(s) now; `/ask feeds list` shows how it went."
    return FEEDS_HELP


def _options(words: list[str]) -> dict[str, str]:
    """`--collection NAME --every 30m` (also `--every=30m`) as a dict; FeedError otherwise."""
    out: dict[str, str] = {}
    i = 0
    while i < len(words):
        word = words[i]
        key, _, value = word.partition("=")
        if key not in ("--collection", "--every"):
            raise FeedError(f"unknown option {word[:40]!r}: use --collection NAME or --every 30m")
        if not value:
            if i + 1 >= len(words):
                raise FeedError(f"{key} needs a value")
            value, i = words[i + 1], i + 1
        out[key[2:]] = value
        i += 1
    return out
