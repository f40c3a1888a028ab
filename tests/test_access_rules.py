"""The access file, the policy in force (reload, fail closed) and the per-person rate limit."""

import os

import pytest

from bot.access.asker import Asker
from bot.access.errors import AccessUnavailable, BadAccessFile
from bot.access.policy import AccessPolicy
from bot.access.ratelimit import RateLimiter, slow_down_message
from bot.access.rules import read_rules

RULES = """\
collections:
  news: {public: true}
  deal-aurora: {channels: [C0DEAL01], users: [U0ANALYST1]}
  research: {channels: [C0RES01, G0PRIV01]}
  locked: {}
admins: {deal-aurora: [U0LEAD01]}
"""


def channel(cid: str, user: str = "U0SOMEONE") -> Asker:
    return Asker(surface="slack", channel=cid, user=user)


def dm(user: str) -> Asker:
    return Asker(surface="slack", channel="D0DM", user=user, is_dm=True)


@pytest.fixture
def rules_file(tmp_path):
    path = tmp_path / "access.yml"
    path.write_text(RULES)
    return path


def test_channels_and_dms_read_public_plus_what_lists_them(rules_file):
    rules = read_rules(rules_file)
    assert rules.readable(channel("C0DEAL01")) == {"news", "deal-aurora"}
    assert rules.readable(channel("C0OTHER")) == {"news"}
    assert rules.readable(dm("U0ANALYST1")) == {"news", "deal-aurora"}
    assert rules.readable(dm("U0LEAD01")) == {"news"}  # adding is not reading
    # In a channel the channel decides, even for a user with personal access.
    assert rules.readable(channel("C0OTHER", user="U0ANALYST1")) == {"news"}
    assert rules.readable(channel("G0PRIV01")) == {"news", "research"}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("colections: {}\n", "unknown key 'colections'"),
        ("collections:\n  news: {public: true, channel: [C1]}\n", "'collections.news.channel'"),
        ("collections:\n  d: {channels: [c0deal01]}\n", "'c0deal01' is not a Slack channel id"),
        ("collections:\n  d: {channels: ['#deals']}\n", "'#deals' is not a Slack channel id"),
        ("collections:\n  d: {channels: [D0123]}\n", "'D0123' is a DM"),
        ("collections:\n  d: {users: ['@alice']}\n", "'@alice' is not a Slack user id"),
        ("admins: {d: [U0 LEAD]}\n", "'U0 LEAD' is not a Slack user id"),
        ("collections:\n  'a/b': {public: true}\n", "'a/b' is not a collection name"),
        ("collections:\n  d: {public: 'yes please'}\n", "collections.d.public"),
        ("collections:\n  d: {users: U0ONE}\n", "collections.d.users"),
        ("collections:\n  d: {public: true}\n  d: {}\n", "key 'd' given twice at line 3"),
        ("collections: [news]\n", "collections"),
        ("- news\n", "expected a mapping"),
        ("collections: {news: {public: true}\n", "at line"),
    ],
)
def test_a_bad_access_file_is_one_line_naming_the_problem(tmp_path, text, names):
    path = tmp_path / "access.yml"
    path.write_text(text)
    with pytest.raises(BadAccessFile) as exc:
        read_rules(path)
    message = str(exc.value)
    assert names in message and str(path) in message and "\n" not in message


def test_an_empty_file_grants_nothing_and_a_listed_empty_rule_is_locked(tmp_path, rules_file):
    empty = tmp_path / "empty.yml"
    empty.write_text("")
    assert read_rules(empty).readable(channel("C1")) == frozenset()
    assert "locked" not in read_rules(rules_file).readable(channel("C0DEAL01"))


def test_without_a_file_everything_is_public_and_the_operator_reads_all(tmp_path, rules_file):
    open_policy = AccessPolicy.load(tmp_path / "none.yml")
    assert open_policy.readable(channel("C1")) is None and not open_policy.has_file
    policy = AccessPolicy.load(rules_file)
    assert policy.readable(Asker(surface="cli")) is None
    assert policy.readable(Asker(surface="cli", channel="C0OTHER")) == {"news"}
    with pytest.raises(BadAccessFile, match="must be a .yml"):
        AccessPolicy.load(tmp_path / "access.md")


def test_a_changed_file_is_reloaded_and_a_broken_or_deleted_one_fails_closed(rules_file):
    policy = AccessPolicy.load(rules_file)
    assert policy.readable(channel("C0NEW")) == {"news"}
    _rewrite(rules_file, RULES.replace("C0RES01", "C0NEW"))
    assert policy.readable(channel("C0NEW")) == {"news", "research"}
    _rewrite(rules_file, "collections: {news: {public: maybe}}\n")
    with pytest.raises(AccessUnavailable):
        policy.readable(channel("C0NEW"))
    _rewrite(rules_file, RULES)
    assert policy.readable(channel("C0DEAL01")) == {"news", "deal-aurora"}
    rules_file.unlink()
    with pytest.raises(AccessUnavailable):  # deleting the file does not open the walls
        policy.readable(channel("C0DEAL01"))


def test_admins_are_per_collection_and_global_admins_may_add_anywhere(rules_file):
    policy = AccessPolicy.load(rules_file)
    assert policy.may_add("U0LEAD01", "deal-aurora", frozenset())
    assert not policy.may_add("U0LEAD01", "news", frozenset())
    assert not policy.may_add("U0ANALYST1", "deal-aurora", frozenset())
    assert policy.may_add("U0OPS", "deal-aurora", frozenset({"U0OPS"}))
    assert not policy.may_add(None, "deal-aurora", frozenset())


def test_the_rate_limit_is_a_sliding_minute_per_person_told_once():
    now = [1000.0]
    limiter = RateLimiter(3, clock=lambda: now[0])
    assert all(limiter.check("U1").allowed for _ in range(3))
    first, second = limiter.check("U1"), limiter.check("U1")
    assert not first.allowed and first.tell and first.retry_after_s == pytest.approx(60)
    assert not second.allowed and not second.tell  # a flood gets one message, not many
    assert limiter.check("U2").allowed  # others are not starved
    now[0] += 30
    assert not limiter.check("U1").allowed
    now[0] += 30.5
    assert limiter.check("U1").allowed  # the first three have left the window
    assert RateLimiter(0).check("U1").allowed
    assert "20 questions a minute" in slow_down_message(20, 12.2)
    assert "12 seconds" in slow_down_message(20, 12.2)


def _rewrite(path, text):
    """Write `text` so the policy sees a change even within the same clock tick."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 10_000_000, before + 10_000_000))
