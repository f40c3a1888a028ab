"""What `serve` does between questions: poll feeds, pick up index updates, re-answer watches,
and post digests, on one background thread with a clear loop.

Each pass (`tick`) first syncs the feeds that are due (their new entries are appended to the
index by the service, which reloads the answerer), then reloads the answerer if another
process updated the index (a `feeds sync` or `add` from the CLI, another replica's upload),
then re-answers the watches not yet checked at the loaded index generation, and finally posts
the digests that are due. `wake()` runs a pass at once (after an upload or a new watch).
"""

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from bot.answer.answerer import Answerer
from bot.feeds.sync import FeedSyncer
from bot.watches.runner import WatchRunner
from index.changes import previous_state
from index.live import generations_by_path
from index.store import current_version

logger = logging.getLogger(__name__)


class Background:
    """The background loop of one `serve` process."""

    def __init__(
        self,
        answerer: Answerer,
        runner: WatchRunner,
        syncer: FeedSyncer | None,
        poll_s: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.answerer, self.runner, self.syncer = answerer, runner, syncer
        self.poll_s, self.clock = poll_s, clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one pass at a time
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        """Run passes on a daemon thread until `stop`."""
        self.thread = threading.Thread(
            target=self._loop, name="investor-qa-background", daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        """End the loop after the pass in progress."""
        self._stop.set()
        self._wake.set()

    def wake(self) -> None:
        """Run a pass now rather than at the next interval."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the loop must outlive any one failure
                logger.exception("background pass failed; trying again later")
            self._wake.wait(self.poll_s)
            self._wake.clear()

    def tick(self, now: datetime | None = None) -> None:
        """One pass: feeds due, index refresh, watches, digests."""
        with self._lock:
            if self.syncer is not None:  # one cheap query when nothing is due
                results, _ = self.syncer.sync_due()
                for result in results:
                    if result.error:
                        logger.warning("feed #%s failed: %s", result.feed_id, result.error)
            self.refresh()
            searcher = self.answerer.searcher
            self.runner.run(
                searcher.manifest.generation,
                lambda paths: generations_by_path(searcher.files.query, paths),
            )
            self.runner.run_digests(now or self.clock())

    def refresh(self) -> bool:
        """Reload the answerer when the index on disk is newer than the loaded one."""
        files = self.answerer.searcher.files
        state = previous_state(files.root)
        moved = current_version(files.root) != files.version
        if state is None or not (moved or state.generation != files.manifest.generation):
            return False
        logger.info("index updated elsewhere (generation %s); reloading", state.generation)
        self.answerer.reload()
        return True
