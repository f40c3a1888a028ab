"""`investor-qa watch add|list|remove --channel C…`: a channel's watches from the command line.

The CLI answers the question once, as the bot would in that channel, so the watch starts from
what the channel can be told now; `serve` then posts there when an update brings news.
"""

import argparse
import sys
from pathlib import Path

from index.settings import IndexSettings


def add_watch_parser(sub) -> None:
    """Register the `watch` subcommand."""
    p = sub.add_parser("watch", help="watch a question for a Slack channel (posted by serve)")
    actions = p.add_subparsers(dest="watch_command", required=True)
    p_add = actions.add_parser("add", help="watch QUESTION in --channel")
    p_add.add_argument("question")
    p_list = actions.add_parser("list", help="the watches (of --channel, or all)")
    p_remove = actions.add_parser("remove", help="stop watch N of --channel")
    p_remove.add_argument("watch_id", metavar="N")
    for q, required in ((p_add, True), (p_list, False), (p_remove, True)):
        q.add_argument("--channel", required=required, help="Slack channel id (C…)")
        q.add_argument("--corpus", type=Path, help="article directory [INVESTOR_QA_CORPUS_DIR]")
        q.add_argument("--index-dir", type=Path, help="index directory [INVESTOR_QA_INDEX_DIR]")


def cmd_watch(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Run one `watch` action and print what it did."""
    import re

    from bot.state.store import open_state
    from bot.watches.store import MAX_QUESTION_CHARS, WatchStore

    channel = args.channel
    if channel is not None and not re.fullmatch(r"[CGD][A-Z0-9]{1,20}", channel):
        print(
            f"investor-qa: error: {channel[:40]!r} is not a Slack channel id (C0123…)",
            file=sys.stderr,
        )
        return 2
    state = open_state()
    try:
        store = WatchStore(state.engine)
        if args.watch_command == "add":
            question = " ".join(args.question.split())
            if not question or len(question) > MAX_QUESTION_CHARS:
                print(
                    f"investor-qa: error: a question of 1 to {MAX_QUESTION_CHARS} characters",
                    file=sys.stderr,
                )
                return 2
            from bot.access.command import load_policy
            from bot.access.gate import Gate
            from bot.audit.store import open_audit
            from bot.cli import _answerer
            from bot.watches.scope import answer_in_channel

            gate = Gate(_answerer(settings), load_policy(settings), open_audit(state))
            answerer = gate.answerer
            baseline = answer_in_channel(gate, question, channel)
            watch = store.add(
                channel, question, "cli", baseline, answerer.searcher.manifest.generation
            )
            print(f"Watching #{watch.id} in {channel}: {question}")
        elif args.watch_command == "list":
            found = store.in_channel(channel)
            for watch in found:
                print(
                    f"#{watch.id} {watch.channel} {watch.question} (since {watch.created_at[:10]})"
                )
            if not found:
                print("No watches.")
        else:
            number = args.watch_id.lstrip("#")
            removed = store.remove(channel, int(number)) if number.isdigit() else None
            if removed is None:
                print(f"investor-qa: error: no watch #{number[:20]} in {channel}", file=sys.stderr)
                return 1
            print(f"Stopped #{removed.id} in {channel}: {removed.question}")
    finally:
        state.close()
    return 0
