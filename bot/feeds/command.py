"""`investor-qa feeds add|list|remove|sync`: subscriptions from the command line.

`feeds sync` works without `serve`: it polls the feeds itself (taking each feed's lease, so a
running `serve` does not poll the same feed at once) and appends the new entries to the index.
"""

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from index.settings import IndexSettings

if TYPE_CHECKING:
    from bot.feeds.settings import FeedSettings
    from bot.feeds.store import FeedStore
    from bot.feeds.sync import FeedSyncer
    from index.build import BuildReport


def add_feeds_parser(sub) -> None:
    """Register the `feeds` subcommand."""
    p = sub.add_parser("feeds", help="subscribe to RSS/Atom feeds and index their new entries")
    actions = p.add_subparsers(dest="feeds_command", required=True)
    p_add = actions.add_parser("add", help="subscribe to a feed (checked by reading it once)")
    p_add.add_argument("url")
    p_add.add_argument("--collection", help="corpus folder the entries go to (default: none)")
    p_add.add_argument(
        "--every", help="how often to poll, e.g. 30m, 2h [INVESTOR_QA_FEEDS_DEFAULT_EVERY]"
    )
    actions.add_parser("list", help="feeds with their last success and last error")
    p_remove = actions.add_parser("remove", help="unsubscribe (indexed articles stay)")
    p_remove.add_argument("feed_id", metavar="ID")
    p_sync = actions.add_parser("sync", help="poll now and index new entries")
    p_sync.add_argument("feed_id", metavar="ID", nargs="?", help="only this feed")
    for q in (p_add, p_remove, p_sync, actions.choices["list"]):
        q.add_argument("--corpus", type=Path, help="article directory [INVESTOR_QA_CORPUS_DIR]")
        q.add_argument("--index-dir", type=Path, help="index directory [INVESTOR_QA_INDEX_DIR]")


def cmd_feeds(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Run one `feeds` action and print what it did."""
    from bot.feeds.describe import feed_line, sync_line
    from bot.feeds.manage import subscribe, unsubscribe
    from bot.feeds.models import FeedError
    from bot.feeds.settings import get_feed_settings
    from bot.feeds.store import FeedStore
    from bot.state.store import open_state

    state = open_state()
    try:
        store, feed_settings = FeedStore(state.engine), get_feed_settings()
        if args.feeds_command == "add":
            feed, listed = subscribe(
                store, args.url, args.collection, args.every, "cli", settings, feed_settings
            )
            print(f"Subscribed #{feed.id} {feed.url} ({listed} entries listed now)")
        elif args.feeds_command == "list":
            lines = [feed_line(feed) for feed in store.all()]
            print(
                "\n".join(lines) if lines else "No feeds. Add one with: investor-qa feeds add URL"
            )
        elif args.feeds_command == "remove":
            feed = unsubscribe(store, args.feed_id)
            print(f"Removed #{feed.id} {feed.url}")
        else:
            chosen = store.all()
            if args.feed_id is not None:
                chosen = [f for f in chosen if str(f.id) == args.feed_id.lstrip("#")]
                if not chosen:
                    raise FeedError(f"no feed #{args.feed_id}: see `investor-qa feeds list`")
            results, report = _syncer(store, settings, feed_settings).sync(chosen)
            for result in results:
                for warning in result.warnings:
                    print(f"warning: {warning}", file=sys.stderr)
                print(sync_line(result))
            if report is not None:
                from bot.cli import _print_build

                _print_build(report, settings)
            return 1 if results and all(r.error for r in results) else 0
    finally:
        state.close()
    return 0


def _syncer(
    store: "FeedStore", settings: IndexSettings, feed_settings: "FeedSettings"
) -> "FeedSyncer":
    from bot.feeds.sync import FeedSyncer
    from index.embed import SentenceTransformerEmbedder
    from index.small_updates import SmallUpdateEmbedder
    from index.tokens import default_counter
    from index.update import index_new_files

    embedder = SmallUpdateEmbedder(SentenceTransformerEmbedder(settings.device), settings.index_dir)

    def index_paths(paths: list[str]) -> "BuildReport":
        return index_new_files(
            settings.corpus_dir,
            settings.index_dir,
            paths,
            embedder,
            default_counter(),
            batch_size=settings.batch_size,
            max_article_bytes=settings.max_article_bytes,
        )

    return FeedSyncer(store, settings, feed_settings, index_paths)
