"""Feed and watch stores on both backends: what replicas sharing one database must agree on.

The sync and watch tests run on SQLite; these check the same store statements on PostgreSQL
too (leases, seen entries, claims and digests are conditional writes whose dialects differ).
"""

import pytest

from bot.answer.compose import Answer
from bot.feeds.models import Entry, FeedError
from bot.feeds.store import FeedStore
from bot.state.store import open_state
from bot.watches.store import WatchStore


@pytest.fixture
def two_replicas(state_settings):
    """Two state stores on one database, as two `serve` processes would open them."""
    first, second = open_state(state_settings), open_state(state_settings)
    yield first, second
    first.close()
    second.close()


def entry(key: str) -> Entry:
    return Entry(key=key, link=f"https://example.com/{key}", title=f"Entry {key}")


def test_a_feed_is_leased_by_one_replica_until_released_or_expired(two_replicas):
    first, second = (FeedStore(s.engine) for s in two_replicas)
    feed = first.add("https://example.com/wire.xml", "news", 1800, "U1")
    assert [f.id for f in second.due()] == [feed.id]  # due at once, seen by both
    assert first.lease(feed.id, "replica-a", 600, now=1000.0)
    assert not second.lease(feed.id, "replica-b", 600, now=1001.0)
    assert first.lease(feed.id, "replica-a", 600, now=1002.0)  # the owner renews
    second.release(feed.id, "replica-b")  # not the owner's: nothing changes
    assert not second.lease(feed.id, "replica-b", 600, now=1003.0)
    assert second.lease(feed.id, "replica-b", 600, now=1000.0 + 2 + 600 + 1)  # expired
    second.release(feed.id, "replica-b")
    assert first.lease(feed.id, "replica-a", 60, now=2000.0)


def test_a_url_is_subscribed_once_and_removal_forgets_its_entries(two_replicas):
    first, second = (FeedStore(s.engine) for s in two_replicas)
    feed = first.add("https://example.com/a.xml", None, 3600, None)
    with pytest.raises(FeedError, match="already subscribed"):
        second.add("https://example.com/a.xml", None, 3600, None)
    assert first.mark_seen(feed.id, entry("g1"), "corpus/news/g1.md")
    assert second.remove(feed.id) and not second.remove(feed.id)
    assert first.all() == [] and first.seen_count(feed.id) == 0


def test_an_entry_is_taken_once_across_replicas(two_replicas):
    first, second = (FeedStore(s.engine) for s in two_replicas)
    feed = first.add("https://example.com/b.xml", None, 3600, None)
    polled = [entry("g1"), entry("g2"), entry("g3")]
    assert first.mark_seen(feed.id, polled[1], None)
    assert not second.mark_seen(feed.id, polled[1], None)  # the other replica lost the race
    assert [e.key for e in second.unseen(feed.id, polled)] == ["g1", "g3"]
    assert second.seen_count(feed.id) == 1
    other = first.add("https://example.com/c.xml", None, 3600, None)
    assert second.mark_seen(other.id, polled[1], None)  # seen is per feed


def test_failures_back_off_and_a_success_clears_them(two_replicas):
    first, _ = (FeedStore(s.engine) for s in two_replicas)
    feed = first.add("https://example.com/d.xml", None, 600, None)
    first.failed(feed, "HTTP 503", max_backoff_s=86400)
    once = first.get(feed.id)
    assert once is not None and once.failures == 1 and once.last_error == "HTTP 503"
    first.failed(once, "HTTP 503", max_backoff_s=86400)
    twice = first.get(feed.id)
    assert twice is not None and twice.failures == 2
    assert twice.next_due - once.next_due > 600  # waits longer each time
    assert first.due(now=once.next_due - 1) == []
    first.succeeded(twice, {"etag": '"v2"'}, "Wire", added=3)
    done = first.get(feed.id)
    assert done is not None and (done.failures, done.etag, done.title) == (0, '"v2"', "Wire")
    assert done.entries_added == 3 and done.last_success is not None


def test_watch_posts_are_claimed_once_and_digests_rescheduled(two_replicas):
    first, second = (WatchStore(s.engine) for s in two_replicas)
    baseline = Answer(question="q", found=False, answer="", citations=[])
    watch = first.add("C1", "What is Alibaba's cloud growth?", "U1", baseline, generation=4)
    assert [w.id for w in second.in_channel("C1")] == [watch.id] and second.in_channel("C2") == []
    assert first.claim(f"watch:{watch.id}:5")
    assert not second.claim(f"watch:{watch.id}:5")
    told = Answer(question="q", found=True, answer="Cloud rose 26%.", citations=[])
    second.told_channel(watch.id, told, generation=5)
    seen = first.get(watch.id)
    assert seen is not None and seen.told is not None and seen.told.answer == "Cloud rose 26%."
    assert second.remove("C2", watch.id) is None  # another channel's watch
    assert second.remove("C1", watch.id) is not None and first.get(watch.id) is None

    first.set_digest("C1", "09:00", "Europe/London", "U1")
    second.set_digest("C1", "17:30", "UTC", "U2")  # rescheduled, not duplicated
    digests = first.all_digests()
    assert [(d.channel, d.at, d.tz) for d in digests] == [("C1", "17:30", "UTC")]
    assert second.stop_digest("C1") and not first.stop_digest("C1")
