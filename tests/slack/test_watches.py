"""Watches and digests end to end: signed /ask commands, a feed on 127.0.0.1, posts recorded by
the Slack stand-in. The background loop's passes are run by the test (`tick`), so each step is
deterministic; the loop itself is the one `serve` starts."""

from datetime import UTC, datetime

import pytest

from bot.access.gate import Gate
from bot.answer.answerer import Answerer
from bot.audit.store import open_audit
from bot.slack.app import create_web_client
from bot.slack.keep_current import start_background
from bot.slack.service import QAService
from bot.state.settings import StateSettings
from bot.state.store import open_state
from tests.feeds_server import FeedSite, rss
from tests.helpers import FakeEmbedder

QUESTION = "How much is Alibaba investing in AI and cloud infrastructure?"
NEW = ("alibaba-raises", "Alibaba raises AI budget", "2025-11-20",
       "Alibaba will now invest RMB 480 billion in AI and cloud infrastructure over three years, "
       "up from its earlier plan.")  # fmt: skip
RESTATED = ("alibaba-recap", "Recap: Alibaba AI plan", "2025-11-24",
            "Alibaba plans to invest RMB 480 billion in AI and cloud infrastructure over three "
            "years, the company repeated.")  # fmt: skip


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("INVESTOR_QA_FETCH_ALLOW_PRIVATE", "true")  # the feed server is local
    served = FeedSite().start()
    yield served
    served.stop()


def feed_of(site, rows):
    return rss(
        "Test Wire",
        [
            {
                "guid": f"urn:{slug}",
                "title": title,
                "link": site.page(f"/a/{slug}", title, text),
                "date": day,
                "summary": text[:60],
            }
            for slug, title, day, text in rows
        ],  # fmt: skip
    )


def reply_to(api, key):
    (call,) = api.wait_for("response_url", where=lambda c: c.path.endswith(key))
    return call.params


def posts_in(api, channel):
    return [c.params for c in api.calls_to("chat.postMessage") if c.params["channel"] == channel]


def test_a_watch_posts_once_for_a_new_figure_and_never_repeats(start_bot, site, tmp_path):
    bot = start_bot(admins=frozenset({"UADMIN"}))
    background = start_background(bot.qa, create_web_client(bot.settings), start=False)
    site.feeds["/wire.xml"] = feed_of(site, [])
    _, key = bot.command(f"feeds add {site.url}/wire.xml --every 5m", channel="D1", user="UADMIN")
    assert "Subscribed #1" in reply_to(bot.api, key)["text"]
    _, key = bot.command(f"feeds add {site.url}/wire.xml", channel="C1", user="U2")
    assert "Only admins" in reply_to(bot.api, key)["text"]

    _, key = bot.command(f"watch {QUESTION}", channel="C1", user="U1")
    assert "Watching *How much is Alibaba investing" in reply_to(bot.api, key)["text"]
    background.tick()
    assert posts_in(bot.api, "C1") == []  # nothing new yet

    site.feeds["/wire.xml"] = feed_of(site, [NEW])
    _, key = bot.command("feeds sync", channel="D1", user="UADMIN")
    assert "Syncing 1 feed" in reply_to(bot.api, key)["text"]
    background.tick()  # the feed is due: synced, indexed, the watch answered again
    (post,) = posts_in(bot.api, "C1")
    assert post["text"].startswith("New on *How much is Alibaba investing in AI and cloud")
    body = str(post["blocks"])
    assert "480 billion" in body and "Alibaba raises AI budget" in body and "Test Wire" in body
    assert site.url + "/a/alibaba-raises" in body

    site.feeds["/wire.xml"] = feed_of(site, [RESTATED, NEW])
    _, key = bot.command("feeds sync 1", channel="D1", user="UADMIN")
    reply_to(bot.api, key)
    background.tick()
    assert bot.qa.searcher.search("Recap: Alibaba AI plan", 1)  # indexed...
    assert len(posts_in(bot.api, "C1")) == 1  # ...but it only restates the figure

    _, key = bot.command("watches", channel="C1")
    assert f"#1 *{QUESTION}*" in reply_to(bot.api, key)["text"]

    # Restart: a new process over the same index and state posts nothing again.
    answerer = Answerer.open(bot.qa.index_settings.index_dir, FakeEmbedder(), min_score=0.2)
    state = open_state(StateSettings(data_dir=tmp_path / "data"))
    gate = Gate(answerer, bot.qa.policy, open_audit(state))
    again = QAService(gate, state, bot.settings, bot.qa.index_settings)
    start_background(again, create_web_client(bot.settings), start=False).tick()
    assert len(posts_in(bot.api, "C1")) == 1
    state.close()

    _, key = bot.command("unwatch 1", channel="C1")
    assert "Stopped watching" in reply_to(bot.api, key)["text"]
    _, key = bot.command("unwatch 1", channel="C1")
    assert "No such watch" in reply_to(bot.api, key)["text"]


def test_a_digest_posts_once_at_its_time_with_only_the_changed_watches(start_bot, site):
    bot = start_bot(admins=frozenset({"UADMIN"}))
    background = start_background(bot.qa, create_web_client(bot.settings), start=False)
    site.feeds["/wire.xml"] = feed_of(site, [])
    bot.command(f"feeds add {site.url}/wire.xml --every 5m", channel="D1", user="UADMIN")
    _, key = bot.command(f"watch {QUESTION}", channel="C2")
    reply_to(bot.api, key)
    _, key = bot.command("watch How much did Tencent spend on capital expenditure?", channel="C2")
    reply_to(bot.api, key)
    _, key = bot.command("digest daily 08:00 UTC", channel="C2")
    assert "once a day at 08:00 (UTC)" in reply_to(bot.api, key)["text"]
    _, key = bot.command("digest daily 25:00", channel="C2")
    assert "digest daily 08:00" in reply_to(bot.api, key)["text"]  # how to write it

    site.feeds["/wire.xml"] = feed_of(site, [NEW])
    _, key = bot.command("feeds sync", channel="D1", user="UADMIN")
    reply_to(bot.api, key)
    background.tick(now=datetime(2099, 1, 1, 7, 59, tzinfo=UTC))
    assert posts_in(bot.api, "C2") == []  # news held for the digest
    background.tick(now=datetime(2099, 1, 1, 8, 0, tzinfo=UTC))
    (digest,) = posts_in(bot.api, "C2")
    body = str(digest["blocks"])
    assert "Digest: news on 1 watched question" in digest["text"]
    assert "480 billion" in body and "Tencent" not in body
    background.tick(now=datetime(2099, 1, 1, 8, 30, tzinfo=UTC))
    background.tick(now=datetime(2099, 1, 2, 8, 0, tzinfo=UTC))  # no news since
    assert len(posts_in(bot.api, "C2")) == 1


def test_watch_by_mention_and_the_cli(bot, tmp_path, small_corpus, monkeypatch, capsys):
    bot.event({"type": "app_mention", "channel": "C3", "user": "U1", "ts": "1700000001.000100",
               "text": "<@UBOT> watch How much did Tencent spend on capex?"})  # fmt: skip
    (post,) = bot.api.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "C3")
    assert post.params["text"].startswith("Watching *How much did Tencent spend on capex?*")
    assert post.params["thread_ts"] == "1700000001.000100"
    _, key = bot.command("watch Tencent capex", channel="D9")
    assert "belong to a channel" in reply_to(bot.api, key)["text"]

    from bot.cli import main

    monkeypatch.setenv("INVESTOR_QA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr("bot.state.store.get_state_settings", lambda: StateSettings())
    monkeypatch.setattr(
        "index.embed.SentenceTransformerEmbedder", lambda device="cpu": FakeEmbedder()
    )
    dirs = ["--corpus", str(small_corpus), "--index-dir", str(tmp_path / "cli-index")]
    assert main(["watch", "add", "Alibaba AI capex", "--channel", "C3", *dirs]) == 0
    assert "Watching #2 in C3: Alibaba AI capex" in capsys.readouterr().out
    assert main(["watch", "list", "--channel", "C3", *dirs]) == 0
    listed = capsys.readouterr().out
    assert "#1 C3 How much did Tencent" in listed and "#2 C3 Alibaba AI capex" in listed
    assert main(["watch", "remove", "2", "--channel", "C3", *dirs]) == 0
    assert main(["watch", "remove", "2", "--channel", "C3", *dirs]) == 1
    assert main(["watch", "list", "--channel", "bad id", *dirs]) == 2


def test_an_update_by_another_process_is_picked_up_and_posted(bot, counter):
    from index.update import index_new_files
    from tests.helpers import write_article

    background = start_background(bot.qa, create_web_client(bot.settings), start=False)
    _, key = bot.command(f"watch {QUESTION}", channel="C4")
    reply_to(bot.api, key)
    settings = bot.qa.index_settings
    write_article(settings.corpus_dir, "alibaba-cli.md", NEW[1], NEW[3], source="CLI Wire",
                  published=NEW[2], url="https://example.com/cli")  # fmt: skip
    # As `investor-qa add` or `feeds sync` on the host would: appended without telling serve.
    report = index_new_files(
        settings.corpus_dir, settings.index_dir, ["alibaba-cli.md"], FakeEmbedder(), counter
    )
    assert report.appended
    loaded = bot.qa.searcher
    assert background.refresh() and bot.qa.searcher is not loaded
    background.tick()
    (post,) = posts_in(bot.api, "C4")
    assert "480 billion" in str(post["blocks"]) and "CLI Wire" in str(post["blocks"])


DEAL = ("aurora-offer", "Aurora offer raised", "2025-11-21",
        "The board raised the Aurora offer for Borealis Robotics to USD 512.9 million in cash.")  # fmt: skip


def test_a_watch_never_posts_a_restricted_collection_into_an_unlisted_channel(
    start_bot, site, small_corpus
):
    (small_corpus / "access.yml").write_text(
        "collections:\n  default: {public: true}\n  deal-aurora: {channels: [C0DEAL01]}\n"
        "admins: {deal-aurora: [U0LEAD01]}\n"
    )
    bot = start_bot()
    background = start_background(bot.qa, create_web_client(bot.settings), start=False)
    site.feeds["/deal.xml"] = feed_of(site, [])
    _, key = bot.command(
        f"feeds add {site.url}/deal.xml --collection deal-aurora", channel="D1", user="U0LEAD01"
    )
    assert "Subscribed #1" in reply_to(bot.api, key)["text"]  # a collection's own admin
    _, key = bot.command(f"feeds add {site.url}/deal.xml", channel="D1", user="U0LEAD01")
    assert "Only admins" in reply_to(bot.api, key)["text"]  # ... but not into `default`
    question = "How much is the Aurora offer for Borealis Robotics?"
    for channel in ("C0DEAL01", "C0PUBLIC"):
        _, key = bot.command(f"watch {question}", channel=channel)
        reply_to(bot.api, key)
    site.feeds["/deal.xml"] = feed_of(site, [DEAL])
    bot.qa.feed_syncer.store.make_due([1])
    background.tick()
    (post,) = posts_in(bot.api, "C0DEAL01")
    assert "512.9" in str(post["blocks"])
    assert posts_in(bot.api, "C0PUBLIC") == []
    telling = [c for c in bot.api.calls if "512.9" in str(c.params)]
    assert [c.params.get("channel") for c in telling] == ["C0DEAL01"]  # nowhere else, ever
    posted = [e for e in bot.qa.gate.audit.entries() if e.via == "watch"]
    assert [(e.channel, e.collections_searched) for e in posted] == [("C0DEAL01", ["deal-aurora"])]
