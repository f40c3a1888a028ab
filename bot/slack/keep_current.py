"""Wire `serve`'s background loop: feeds polled into the index, watches and digests posted.

Posting goes through the bot's WebClient with the same escaping and unfurl settings as every
answer; the answer a watch posts is saved like any other, so 👍 / 👎 work on it.
"""

import logging

from slack_sdk import WebClient

from bot.answer.compose import Answer
from bot.background import Background
from bot.feeds.settings import get_feed_settings
from bot.feeds.store import FeedStore
from bot.feeds.sync import FeedSyncer
from bot.slack.replies import post
from bot.slack.service import QAService
from bot.slack.watch_blocks import build_digest_message, build_watch_message
from bot.watches.runner import WatchRunner
from bot.watches.scope import channel_asker, may_post
from bot.watches.settings import get_watch_settings
from bot.watches.store import Watch, WatchStore

logger = logging.getLogger(__name__)


def start_background(qa: QAService, client: WebClient, start: bool = True) -> Background:
    """Create the loop for `qa` (feeds need `qa.index_settings`), start it, and hook it up."""

    def post_news(watch: Watch, answer: Answer, figures: list[str]) -> bool:
        if not may_post(qa.gate, answer, watch.channel):  # checked again, as Share does
            logger.warning(
                "watch %s: the answer cites what %s may not read", watch.id, watch.channel
            )
            return False
        answer_id = qa.store.save_answer(answer, watch.channel, None)
        message = build_watch_message(watch.question, watch.posted_at[:10], answer, answer_id)
        if post(client, watch.channel, None, **message) is None:
            return False
        qa.gate.record_post(answer, channel_asker(watch.channel), "watch", answer_id)
        return True

    def post_digest(channel: str, items: list[tuple[Watch, Answer]]) -> bool:
        items = [(w, a) for w, a in items if may_post(qa.gate, a, channel)]
        message = build_digest_message([(w.question, w.posted_at[:10], a) for w, a in items])
        if not items or post(client, channel, None, **message) is None:
            return False
        for _, answer in items:
            qa.gate.record_post(answer, channel_asker(channel), "digest", "")
        return True

    feed_settings, watch_settings = get_feed_settings(), get_watch_settings()
    runner = WatchRunner(WatchStore(qa.store.engine), qa.answer_in_channel, post_news, post_digest)
    syncer = None
    if qa.index_settings is not None:
        syncer = FeedSyncer(
            FeedStore(qa.store.engine), qa.index_settings, feed_settings, qa.index_new
        )
    background = Background(qa.answerer, runner, syncer, watch_settings.watch_poll_s)
    qa.on_update, qa.feed_syncer = background.wake, syncer
    if start:
        background.start()
    return background
