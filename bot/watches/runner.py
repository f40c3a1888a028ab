"""Answer every watch again after an index update and post what is news, once.

Each replica may run this; a watch is evaluated for a given index generation by whichever
replica claims it first (an insert-if-absent in the state store), so nothing is posted twice.
The answer is computed as it would be in the watch's channel (`answer_in_channel`, which
applies that channel's collection rules), and posting goes through the caller's functions.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from bot.answer.compose import Answer
from bot.watches.digest import due_slot
from bot.watches.news import new_figures
from bot.watches.store import Watch, WatchStore

logger = logging.getLogger(__name__)

AnswerInChannel = Callable[[str, str], Answer]  # (question, channel) -> answer
GenerationOf = Callable[[list[str]], dict[str, int]]  # article paths -> index generation
PostNews = Callable[[Watch, Answer, list[str]], bool]  # True when posted
PostDigest = Callable[[str, list[tuple[Watch, Answer]]], bool]


class WatchRunner:
    """Re-answers watches for the loaded index generation and posts news or holds it."""

    def __init__(
        self,
        store: WatchStore,
        answer_in_channel: AnswerInChannel,
        post_news: PostNews,
        post_digest: PostDigest,
    ):
        self.store = store
        self.answer_in_channel = answer_in_channel
        self.post_news, self.post_digest = post_news, post_digest

    def run(self, generation: int, generation_of: GenerationOf) -> int:
        """Evaluate every watch not yet checked at `generation`; returns how many posted."""
        posted = 0
        with_digest = {d.channel for d in self.store.all_digests()}
        for watch in self.store.in_channel():
            if watch.checked_generation == generation:
                continue
            if watch.checked_generation > generation:  # the index was rebuilt from scratch
                self.store.rebase(watch.id, generation)
                continue
            if not self.store.claim(f"check:{watch.id}:{generation}"):
                continue  # another replica is on it
            try:
                posted += self._evaluate(watch, generation, generation_of, with_digest)
            except Exception:  # one watch's failure must not stop the others
                logger.exception("watch %s in %s failed", watch.id, watch.channel)
        return posted

    def _evaluate(
        self, watch: Watch, generation: int, generation_of: GenerationOf, with_digest: set[str]
    ) -> int:
        answer = self.answer_in_channel(watch.question, watch.channel)
        paths = [c.path for c in answer.citations]
        figures = new_figures(answer, watch.told, generation_of(paths), watch.posted_generation)
        if not figures:
            self.store.checked(watch.id, generation)
            return 0
        if watch.channel in with_digest:
            self.store.hold_for_digest(watch.id, answer, generation)
            return 0
        if not self.post_news(watch, answer, figures):
            return 0  # not recorded: the next update tries again
        self.store.told_channel(watch.id, answer, generation)
        return 1

    def run_digests(self, now: datetime | None = None) -> int:
        """Post every digest that is due at `now`; returns how many were posted."""
        now = now or datetime.now(UTC)
        posted = 0
        for digest in self.store.all_digests():
            slot = due_slot(digest, now)
            if slot is None or not self.store.claim(f"digest:{digest.channel}:{slot}"):
                continue
            held = [(w, w.pending) for w in self.store.in_channel(digest.channel)]
            items = [(w, a) for w, a in held if a is not None]
            if items and not self.post_digest(digest.channel, items):
                continue  # claimed but not posted: tried again at the next slot
            for watch, answer in items:
                self.store.told_channel(watch.id, answer, watch.checked_generation)
            self.store.digest_done(digest.channel, slot)
            posted += bool(items)
        return posted
