"""Feeds: RSS/Atom from a local server synced into the corpus and the index, politely."""

from datetime import date

import pytest

from bot.answer.answerer import Answerer
from bot.cli import main
from bot.feeds.describe import feed_line
from bot.feeds.fetching import FetchBudget
from bot.feeds.manage import subscribe
from bot.feeds.models import FeedError, parse_every
from bot.feeds.settings import FeedSettings
from bot.feeds.store import FeedStore
from bot.feeds.sync import FeedSyncer
from bot.state.settings import StateSettings
from bot.state.store import open_state
from index import netcheck
from index.build import build_index
from index.search import Searcher
from index.settings import IndexSettings
from index.tokens import default_counter
from index.update import index_new_files
from tests.feeds_server import FeedSite, atom, rss
from tests.helpers import FakeEmbedder

ENTRIES = [
    ("zephyr-orders", "Zephyrine books turbine orders", "2025-10-02",
     "Zephyrine booked turbine orders worth $4.2 billion in the third quarter."),
    ("quillon-capex", "Quillon lifts capex guidance", "2025-10-15",
     "Quillon raised its capital expenditure guidance to $7.5 billion for the year."),
    ("marlowe-cloud", "Marlowe cloud revenue jumps", "2025-11-03",
     "Marlowe said cloud revenue grew 41% to $2.3 billion in the quarter."),
]  # fmt: skip


@pytest.fixture
def site():
    served = FeedSite().start()
    yield served
    served.stop()


@pytest.fixture
def setup(site, small_corpus, tmp_path):
    settings = IndexSettings(
        corpus_dir=small_corpus,
        index_dir=tmp_path / "index",
        fetch_timeout_s=1.5,
        fetch_max_mb=1,
        fetch_allow_private=True,  # the feed server is on 127.0.0.1
    )
    build_index(small_corpus, settings.index_dir, FakeEmbedder(), default_counter())
    state = open_state(StateSettings(data_dir=tmp_path / "data"))
    store = FeedStore(state.engine)
    feed_settings = FeedSettings(fetches_per_minute=1000)

    def index_paths(paths):
        return index_new_files(
            settings.corpus_dir, settings.index_dir, paths, FakeEmbedder(), default_counter()
        )

    syncer = FeedSyncer(store, settings, feed_settings, index_paths)
    yield settings, store, syncer, feed_settings
    state.close()


def entries(site, rows):
    return [
        {"guid": f"urn:{slug}", "title": title, "link": site.page(f"/a/{slug}", title, text),
         "date": day, "summary": text[:40]}
        for slug, title, day, text in rows
    ]  # fmt: skip


def test_three_entries_then_a_304_then_exactly_the_new_one(site, setup):
    settings, store, syncer, feed_settings = setup
    site.feeds["/wire.xml"] = rss("Test Wire", entries(site, ENTRIES))
    feed, listed = subscribe(
        store, site.url + "/wire.xml", None, "30m", "U1", settings, feed_settings
    )
    assert listed == 3
    results, report = syncer.sync([store.get(feed.id)])
    assert len(results[0].added) == 3 and results[0].error is None
    assert report.appended and report.changes.added == 3
    answerer = Answerer(Searcher(settings.index_dir, FakeEmbedder()))
    answer = answerer.answer("How much were Zephyrine turbine orders?")
    assert answer.found and "$4.2 billion" in answer.answer
    cited = answer.citations[0]
    assert cited.source == "Test Wire" and cited.published == date(2025, 10, 2)
    assert cited.url == site.url + "/a/zephyr-orders"

    results, report = syncer.sync([store.get(feed.id)])  # nothing changed: a 304
    assert results[0].not_modified and report is None and site.not_modified["/wire.xml"] == 1
    new = ("okapi-margin", "Okapi margin widens", "2025-11-20", "Okapi's margin widened to 19%.")
    site.feeds["/wire.xml"] = rss("Test Wire", entries(site, [new, *ENTRIES]))
    results, report = syncer.sync([store.get(feed.id)])
    assert len(results[0].added) == 1 and results[0].skipped == 3
    assert report.changes.added == 1
    assert site.hits["/a/okapi-margin"] == 1 and site.hits["/a/zephyr-orders"] == 1
    assert store.get(feed.id).entries_added == 4


def test_seen_entries_survive_a_restart_and_atom_works(site, setup, tmp_path):
    settings, store, syncer, feed_settings = setup
    site.feeds["/atom.xml"] = atom("Atom Desk", entries(site, ENTRIES[:2]))
    feed, _ = subscribe(store, site.url + "/atom.xml", "news", "1h", None, settings, feed_settings)
    results, _ = syncer.sync([store.get(feed.id)])
    assert sorted(results[0].added) == ["news/quillon-lifts-capex-guidance.md",
                                        "news/zephyrine-books-turbine-orders.md"]  # fmt: skip
    again = open_state(StateSettings(data_dir=tmp_path / "data"))  # a new process
    fresh = FeedSyncer(FeedStore(again.engine), settings, feed_settings, syncer.index_paths)
    site.feeds["/atom.xml"] += b" "  # a new ETag, the same entries
    results, report = fresh.sync([fresh.store.get(feed.id)])
    assert results[0].added == [] and results[0].skipped == 2 and report is None
    again.close()


def test_hostile_feeds_each_cost_one_warning_and_the_others_sync(site, setup, monkeypatch):
    settings, store, syncer, feed_settings = setup
    # Private addresses refused (INVESTOR_QA_FETCH_ALLOW_PRIVATE unset), with the test server's
    # 127.0.0.1 counted as public, so that a redirect from it to a private address is seen.
    real = netcheck.is_public
    monkeypatch.setattr(netcheck, "is_public", lambda ip: ip == "127.0.0.1" or real(ip))
    settings = settings.model_copy(update={"fetch_allow_private": False})
    syncer = FeedSyncer(store, settings, feed_settings, syncer.index_paths)
    site.feeds["/good.xml"] = rss("Good Wire", entries(site, ENTRIES[:1]))
    big = {"guid": "urn:big", "title": "Huge page", "link": site.url + "/huge", "date": "2025-11-01",
           "summary": "Vireo said its backlog reached $9.9 billion."}  # fmt: skip
    site.huge.add("/huge")
    site.feeds["/big.xml"] = rss("Big Wire", [big])
    site.raw["/bad.xml"] = (200, {"Content-Type": "text/xml"}, b"<rss><channel><item>oops")
    site.slow.add("/slow.xml")
    site.raw["/moved.xml"] = (302, {"Location": "http://10.20.30.40/feed.xml"}, b"")
    feeds = []
    for path in ("/good.xml", "/big.xml"):
        feeds.append(
            subscribe(store, site.url + path, None, None, None, settings, feed_settings)[0]
        )
    for path in ("/bad.xml", "/slow.xml", "/moved.xml"):  # subscribing reads it once: refused
        with pytest.raises(Exception, match="not an RSS or Atom feed|timed out|private address"):
            subscribe(store, site.url + path, None, None, None, settings, feed_settings)
        feeds.append(store.add(site.url + path, None, 1800, None))  # as if it broke later
    results, report = syncer.sync([store.get(f.id) for f in feeds])
    by_url = {r.url.rsplit("/", 1)[1]: r for r in results}
    assert len(by_url["good.xml"].added) == 1 and not by_url["good.xml"].warnings
    assert len(by_url["big.xml"].added) == 1  # the summary stands in for the page
    assert len(by_url["big.xml"].warnings) == 1 and "summary" in by_url["big.xml"].warnings[0]
    assert "not an RSS or Atom feed" in by_url["bad.xml"].error
    assert "timed out" in by_url["slow.xml"].error
    assert "10.20.30.40 is a local or private address" in by_url["moved.xml"].error
    assert report.changes.added == 2
    bad = store.get(feeds[2].id)
    assert bad.failures == 1 and bad.next_due > bad.every_s  # backs off
    line = feed_line(bad)
    assert "last success never" in line and "last error" in line and "not an RSS" in line
    assert "last success 20" in feed_line(store.get(feeds[0].id))


def test_one_replica_polls_a_feed_at_a_time(site, setup):
    settings, store, syncer, feed_settings = setup
    site.feeds["/wire.xml"] = rss("Test Wire", entries(site, ENTRIES[:1]))
    feed, _ = subscribe(store, site.url + "/wire.xml", None, None, None, settings, feed_settings)
    assert store.lease(feed.id, "other-replica", 600)
    results, report = syncer.sync([store.get(feed.id)])
    assert results[0].added == [] and "another process" in results[0].warnings[0]
    assert site.hits["/wire.xml"] == 1  # only the check when subscribing
    store.release(feed.id, "other-replica")
    results, _ = syncer.sync([store.get(feed.id)])
    assert len(results[0].added) == 1


def test_at_most_n_fetches_a_minute():
    now, slept = [0.0], []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    budget = FetchBudget(3, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        budget.take()
    assert slept == []
    budget.take()  # the fourth waits for the first to leave the minute
    assert now[0] == pytest.approx(60.0)


def test_intervals_and_collections_are_checked():
    assert parse_every("30m") == 1800 and parse_every("2h") == 7200 and parse_every("1d") == 86400
    for bad in ("soon", "10s", "-5m", ""):
        with pytest.raises(FeedError):
            parse_every(bad)


def test_cli_feeds_add_list_sync_remove(site, small_corpus, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INVESTOR_QA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INVESTOR_QA_FETCH_ALLOW_PRIVATE", "true")  # the feed server is local
    monkeypatch.setattr("bot.cli.get_settings", lambda: IndexSettings())
    monkeypatch.setattr("bot.state.settings.get_state_settings", lambda: StateSettings())
    monkeypatch.setattr("bot.state.store.get_state_settings", lambda: StateSettings())
    monkeypatch.setattr(
        "index.embed.SentenceTransformerEmbedder", lambda device="cpu": FakeEmbedder()
    )
    dirs = ["--corpus", str(small_corpus), "--index-dir", str(tmp_path / "index")]
    assert main(["index", *dirs[:2], *dirs[2:]]) == 0
    site.feeds["/wire.xml"] = rss("Test Wire", entries(site, ENTRIES))
    assert main(["feeds", "add", site.url + "/wire.xml", "--every", "45m", *dirs]) == 0
    assert "Subscribed #1" in capsys.readouterr().out
    assert main(["feeds", "sync", *dirs]) == 0
    out = capsys.readouterr()
    assert "#1 " in out.out and "3 new, 0 seen before" in out.out and "added 3" in out.err
    assert main(["feeds", "list", *dirs]) == 0
    listed = capsys.readouterr().out
    assert "every 45m" in listed and "“Test Wire”" in listed and "3 added" in listed
    assert main(["feeds", "sync", "1", *dirs]) == 0
    assert "not modified" in capsys.readouterr().out
    assert main(["feeds", "remove", "1", *dirs]) == 0
    assert main(["feeds", "remove", "1", *dirs]) == 1
    assert "no feed #1" in capsys.readouterr().err
    assert main(["feeds", "add", "ftp://example.com/x", *dirs]) == 1
