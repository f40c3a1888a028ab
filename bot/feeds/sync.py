"""Poll feeds and index their new entries: the step `feeds sync` and `serve` both run.

Per feed: take its lease (so one replica polls it), fetch the document with the validators of
the last poll (a 304 costs nothing more), parse it, keep the entries not seen before, save
each as a corpus file and record it as seen, then index every new file of the run in one small
update. A feed that fails is recorded (last error, backoff) and the others go on.
"""

import logging
import os
import socket
from collections.abc import Callable

from bot.feeds.entries import write_entry
from bot.feeds.fetching import FetchBudget, fetch_feed
from bot.feeds.models import Feed, FeedError, SyncResult
from bot.feeds.parse import parse_feed
from bot.feeds.settings import FeedSettings
from bot.feeds.store import FeedStore
from index.build import BuildReport
from index.errors import InvestorQAError
from index.settings import IndexSettings

logger = logging.getLogger(__name__)

IndexPaths = Callable[[list[str]], BuildReport]  # index these new corpus files


def replica_id() -> str:
    """Who holds a lease: this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


class FeedSyncer:
    """Syncs feeds into the corpus and the index; one per process."""

    def __init__(
        self,
        store: FeedStore,
        index_settings: IndexSettings,
        settings: FeedSettings,
        index_paths: IndexPaths,
        budget: FetchBudget | None = None,
        owner: str | None = None,
    ):
        self.store, self.index_settings, self.settings = store, index_settings, settings
        self.index_paths = index_paths
        self.budget = budget or FetchBudget(settings.fetches_per_minute)
        self.owner = owner or replica_id()

    def sync_due(self, now: float | None = None) -> tuple[list[SyncResult], BuildReport | None]:
        """Sync every feed whose time has come."""
        return self.sync(self.store.due(now))

    def sync(self, feeds: list[Feed]) -> tuple[list[SyncResult], BuildReport | None]:
        """Sync these feeds, then index what they brought in one update."""
        results = [self._sync_one(feed) for feed in feeds]
        paths = [path for result in results for path in result.added]
        report = None
        if paths:
            try:
                report = self.index_paths(paths)
            except InvestorQAError as exc:  # the files stay in the corpus: the next build has them
                logger.warning("indexing %d feed entries failed: %s", len(paths), exc)
                results[-1].warnings.append(f"indexing the new entries failed: {exc}")
        return results, report

    def _sync_one(self, feed: Feed) -> SyncResult:
        result = SyncResult(feed_id=feed.id, url=feed.url)
        if not self.store.lease(feed.id, self.owner, self.settings.lease_s):
            result.warnings.append(f"feed {feed.id} is being synced by another process; skipped")
            return result
        try:
            self._poll(feed, result)
        except (InvestorQAError, FeedError) as exc:
            result.error = str(exc)
        except Exception as exc:  # one feed's surprise must not stop the others
            logger.exception("syncing feed %s failed", feed.url)
            result.error = f"unexpected error ({type(exc).__name__})"
        finally:
            if result.error is not None:
                self.store.failed(feed, result.error, self.settings.max_backoff_s)
            self.store.release(feed.id, self.owner)
        return result

    def _poll(self, feed: Feed, result: SyncResult) -> None:
        self.budget.take()
        document = fetch_feed(feed.url, feed.etag, feed.last_modified, self.index_settings)
        validators = {"etag": document.etag, "last_modified": document.last_modified}
        if document.not_modified:
            result.not_modified = True
            self.store.succeeded(feed, validators, None, 0)
            return
        parsed = parse_feed(document.body, feed.url)
        fresh = self.store.unseen(feed.id, parsed.entries)
        result.skipped = len(parsed.entries) - len(fresh)
        # The feed lists newest first; take the oldest of the newest few first, so articles
        # enter the index in the order they were published.
        for entry in reversed(fresh[: self.settings.max_new_entries]):
            # Pages can be slow: keep the lease for as long as this replica is working.
            self.store.lease(feed.id, self.owner, self.settings.lease_s)
            path, warnings = write_entry(
                entry, feed, parsed.title, self.index_settings, self.budget
            )
            result.warnings += warnings
            if self.store.mark_seen(feed.id, entry, path) and path is not None:
                result.added.append(path)
        self.store.succeeded(feed, validators, parsed.title, len(result.added))
