"""`investor-qa access check`, and the access pieces other commands wire in (ask, index, stats).

`access check` prints, per collection, who can read it; with `--channel`/`--user` it prints
what that channel or user reads. `ask --channel/--user` answers as Slack would answer there.
"""

import argparse
import re
import sys
from pathlib import Path

from bot.access.asker import Asker
from bot.access.errors import BadAccessFile, BadAsker
from bot.access.policy import AccessPolicy
from bot.access.rules import AccessRules
from bot.access.settings import get_access_settings
from index.errors import InvestorQAError
from index.settings import IndexSettings

_CHANNEL = re.compile(r"^[CGD][A-Z0-9]{1,20}$")
_USER = re.compile(r"^[UW][A-Z0-9]{1,20}$")
OPERATORS_ONLY = "nobody in Slack (not in the access file): CLI operators only"


def add_asker_arguments(parser: argparse.ArgumentParser) -> None:
    """`--channel` and `--user`: answer (or check) as that Slack channel or user."""
    parser.add_argument("--channel", type=_channel_arg, help="as Slack channel C0123 would be")
    parser.add_argument("--user", type=_user_arg, help="as Slack user U0123 would be, in a DM")


def add_access_parser(sub) -> None:
    """Register `access check`."""
    p = sub.add_parser("access", help="show who may read which collection")
    p.add_argument("action", choices=["check"])
    add_asker_arguments(p)
    p.add_argument("--corpus", type=Path, help="article directory [INVESTOR_QA_CORPUS_DIR]")
    p.add_argument("--index-dir", type=Path, help="index directory [INVESTOR_QA_INDEX_DIR]")


def load_policy(settings: IndexSettings) -> AccessPolicy:
    """The access rules for this corpus; BadAccessFile (one line) when the file is invalid.

    A file named by INVESTOR_QA_ACCESS_FILE must exist: a typo there must not open the walls.
    """
    access = get_access_settings()
    if access.access_file is not None and not access.access_file.exists():
        raise BadAccessFile(
            f"INVESTOR_QA_ACCESS_FILE names {access.access_file}, which does not exist"
        )
    return AccessPolicy.load(access.access_path(settings.corpus_dir))


def asker_from_args(args: argparse.Namespace) -> Asker:
    """The operator, or the channel/user named by --channel and --user."""
    channel, user = getattr(args, "channel", None), getattr(args, "user", None)
    if channel and channel.startswith("D") and not user:
        raise BadAsker(f"--channel {channel} is a DM: add --user with the person in it")
    is_dm = channel is None or channel.startswith("D")
    return Asker(surface="cli", channel=channel, user=user, is_dm=is_dm and user is not None)


def readers(rules: AccessRules | None, collection: str) -> str:
    """Who reads `collection`, in words."""
    if rules is None:
        return "everyone (no access file)"
    rule = rules.collections.get(collection)
    if rule is None:
        return OPERATORS_ONLY
    parts = ["everyone (public)"] if rule.public else []
    if rule.channels:
        parts.append("channels " + ", ".join(rule.channels))
    if rule.users:
        parts.append("users " + ", ".join(rule.users) + " (in DMs)")
    return "; ".join(parts) or "nobody in Slack (listed with no channels or users)"


def unlisted(policy: AccessPolicy, counts: dict[str, int]) -> list[str]:
    """One warning per indexed collection the access file does not name."""
    rules = policy.current()
    if rules is None:
        return []
    return [
        f"collection {name!r} ({n} article{'s' if n != 1 else ''}) is not in {policy.path}: "
        "nobody can read it in Slack, only CLI operators"
        for name, n in sorted(counts.items())
        if name not in rules.collections
    ]


def warn_unlisted(settings: IndexSettings) -> None:
    """After `index`: warn about indexed collections the access file does not name."""
    from index.collections import collection_overview
    from index.store import IndexFiles, read_manifest

    try:
        policy = load_policy(settings)
        manifest = read_manifest(settings.index_dir)
        files = IndexFiles(settings.index_dir, manifest.model_name, manifest.dim)
        warnings = unlisted(policy, collection_overview(files, None)["collections"])
    except InvestorQAError as exc:  # the index is built either way; say what is wrong
        warnings = [str(exc)]
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def describe_policy(policy: AccessPolicy) -> str:
    """One line for `stats`: whether an access file is in force and what it lists."""
    rules = policy.current()
    if rules is None:
        return f"no access file ({policy.path}): every collection is public"
    public = sum(rule.public for rule in rules.collections.values())
    return f"{policy.path}: {len(rules.collections)} collections listed, {public} public"


def cmd_access(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Print, per collection, who can read it (or what --channel/--user can read)."""
    from index.collections import collection_overview
    from index.store import IndexFiles, read_manifest

    policy = load_policy(settings)
    rules = policy.current()
    manifest = read_manifest(settings.index_dir)
    files = IndexFiles(settings.index_dir, manifest.model_name, manifest.dim)
    counts = collection_overview(files, None)["collections"]
    names = sorted(set(counts) | set(rules.collections if rules else ()))
    print(describe_policy(policy))
    asker = asker_from_args(args)
    readable = policy.readable(asker)
    width = max([len(n) for n in names] + [10])
    for name in names:
        n = counts.get(name)
        size = f"{n:>6} article{'s' if n != 1 else ' '}" if n is not None else "     - articles"
        if asker.is_operator:
            who = readers(rules, name)
        else:
            who = "can read" if readable is None or name in readable else "cannot read"
        print(f"{name:<{width}}  {size}  {who}")
    if not asker.is_operator:
        print(f"as {asker.describe()}")
    return 0


def _channel_arg(value: str) -> str:
    if not _CHANNEL.match(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a Slack channel id (like C0123ABCD)")
    return value


def _user_arg(value: str) -> str:
    if not _USER.match(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a Slack user id (like U0123ABCD)")
    return value
