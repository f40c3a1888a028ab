"""The wall, end to end: a restricted memo never reaches an unlisted channel or user, by any path.

One bot over a corpus with public news, a root article and a restricted deal collection, driven
through signed HTTP like Slack; every call it makes to the Web API stand-in is checked.
"""

import json
from pathlib import Path

import pytest

from bot.slack.app import create_app
from bot.slack.settings import BotSettings
from tests.helpers import write_article
from tests.slack.conftest import SECRET, RunningBot, build_service, serve_in_thread
from tests.slack.payloads import direct_message, mention
from tests.slack.stand_in import BOT_USER_ID, SlackStandIn

FIGURE, TITLE, FILE = "417.3", "Aurora deal memo", "aurora-memo.md"
SECRETS = (FIGURE, TITLE, FILE, "deal-aurora")  # a `ticker:AURX` asked is echoed as asked
LISTED, UNLISTED, DEAL_DM, OUTSIDER_DM = "C0DEAL01", "C0PUBLIC", "D0ANALYST", "D0OUTSIDE"
ANALYST, OUTSIDER, LEAD = "U0ANALYST1", "U0OUTSIDER", "U0LEAD01"
ACCESS = f"""\
collections:
  news: {{public: true}}
  deal-aurora: {{channels: [{LISTED}], users: [{ANALYST}]}}
admins: {{deal-aurora: [{LEAD}]}}
"""
# Ways to ask for the memo; in the listed channel each of them finds it.
QUESTIONS = [
    "What is the Aurora deal valued at?",
    "How much is the offer for Borealis Robotics?",
    "What price does the board put on Borealis Robotics?",
    "What is Project Aurora's purchase price?",
    "How much will the Aurora acquisition cost?",
    "417.3 million",
    "USD 417.3 million offer",
    "aurora memo",
    "Aurora deal memo",
    "What did the board approve for Project Aurora? ticker:AURX",
    'How much is the offer? source:"Deal Team"',
    'Borealis Robotics offer ticker:AURX source:"Deal Team"',
    "When does the Aurora deal close?",
    "What is the target of Project Aurora?",
    "What is Borealis Robotics worth in the Aurora deal?",
]
# Asked only outside: names the memo's file, which the listed channel cannot search by either.
PROBES = ["aurora-memo.md", "What does aurora-memo.md say?", "deal-aurora"]


@pytest.fixture(scope="module")
def wall(tmp_path_factory, counter_module):
    work = tmp_path_factory.mktemp("wall")
    corpus = work / "corpus"
    (corpus / "news").mkdir(parents=True)
    (corpus / "deal-aurora").mkdir()
    write_article(
        corpus / "news",
        "alibaba.md",
        "Alibaba bets on AI",
        "Alibaba will invest RMB 380 billion in AI and cloud infrastructure over three years.",
        source="Sample Wire",
        tickers="[BABA]",
    )
    write_article(
        corpus / "news",
        "tencent.md",
        "Tencent capex climbs",
        "Tencent spent RMB 76.8 billion on capital expenditure in 2024.",
        source="Sample Wire",
    )
    write_article(corpus, "root.md", "Unlisted root note", "The root note covers office moves.")
    write_article(
        corpus / "deal-aurora",
        FILE,
        TITLE,
        "Project Aurora: the board approved an offer valuing Borealis Robotics at USD 417.3 "
        "million. The Aurora deal purchase price is USD 417.3 million and the acquisition is "
        "expected to close in the third quarter. Alibaba will invest alongside: Alibaba will "
        "invest USD 417.3 million in AI robotics through the Aurora deal.",
        source="Deal Team",
        tickers="[AURX]",
    )
    (corpus / "access.yml").write_text(ACCESS)
    # Uploads are downloaded from the stand-in on 127.0.0.1, which downloads refuse by default.
    with SlackStandIn() as api, pytest.MonkeyPatch.context() as env:
        env.setenv("INVESTOR_QA_FETCH_ALLOW_PRIVATE", "true")
        settings = BotSettings(
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=api.api_url,
        )
        qa = build_service(corpus, work / "index", settings, counter_module)  # state: work/data
        server = serve_in_thread(create_app(settings, qa), qa.stats)
        yield RunningBot(server.url, api, qa, settings)
        server.shutdown()
        qa.store.close()


@pytest.fixture(scope="module")
def counter_module():
    from index.tokens import default_counter

    return default_counter()


class Asking:
    """Sends questions every way Slack can, waiting for each reply."""

    n = 0  # shared, so every message in the module has its own ts

    def __init__(self, bot: RunningBot):
        self.bot = bot

    def _ts(self) -> str:
        Asking.n += 1
        return f"{5000 + Asking.n}.{Asking.n:04d}"

    def mention(self, question: str, channel: str, user: str = OUTSIDER) -> str:
        ts = self._ts()
        self.bot.event(mention(f"<@{BOT_USER_ID}> {question}", ts, channel, user))
        return self._posted(lambda c: c.params.get("thread_ts") == ts)

    def follow_up(self, root: str, question: str, channel: str) -> str:
        root_ts, ts = self._ts(), self._ts()
        self.bot.api.add_message(channel, root_ts, f"<@{BOT_USER_ID}> {root}", user=OUTSIDER)
        event = mention(f"<@{BOT_USER_ID}> {question}", ts, channel, OUTSIDER, thread_ts=root_ts)
        self.bot.event(event)
        return self._posted(lambda c: c.params.get("thread_ts") == root_ts)

    def dm(self, question: str, channel: str, user: str) -> str:
        before = len(self.bot.api.calls_to("chat.postMessage"))
        self.bot.event(direct_message(question, self._ts(), channel, user))
        calls = self.bot.api.wait_for("chat.postMessage", count=before + 1)
        return json.dumps(calls[before].params)

    def command(self, question: str, channel: str, user: str = OUTSIDER) -> dict:
        _, key = self.bot.command(question, channel=channel, user=user)
        (reply,) = self.bot.api.wait_for("response_url", where=lambda c: c.path.endswith(key))
        return reply.params

    def _posted(self, where) -> str:
        (call,) = self.bot.api.wait_for("chat.postMessage", where=where)
        return json.dumps(call.params)


def all_sent(api: SlackStandIn) -> str:
    """Everything the bot sent to Slack: messages, ephemerals, response_urls, views, updates."""
    return json.dumps([c.params for c in api.calls if c.method != "conversations.replies"])


def test_the_memo_never_leaves_the_wall_and_the_listed_channel_finds_it(wall):
    ask = Asking(wall)
    missed = [q for q in QUESTIONS if FIGURE not in ask.mention(q, LISTED)]
    assert not missed
    assert FIGURE in ask.dm(QUESTIONS[0], DEAL_DM, ANALYST)
    assert FIGURE in json.dumps(ask.command(QUESTIONS[1], LISTED, ANALYST))
    shareable = ask.command(QUESTIONS[2], LISTED, ANALYST)
    inside = all_sent(wall.api)

    wall.api.calls.clear()
    audit = wall.qa.gate.audit
    recorded = audit.count()
    for question in QUESTIONS + PROBES:
        ask.mention(question, UNLISTED)
    ask.mention("What is the Aurora deal valued at?", UNLISTED, user=ANALYST)  # access, wrong room
    ask.follow_up("What is the Aurora deal valued at?", "and Borealis?", UNLISTED)
    ask.follow_up("How much will Alibaba invest in AI?", "and the Aurora deal?", UNLISTED)
    for question in QUESTIONS[:6]:
        ask.dm(question, OUTSIDER_DM, OUTSIDER)
    ask.dm(QUESTIONS[0], "D0LEAD", LEAD)  # may add to the collection, may not read it
    for question in QUESTIONS[5:12]:
        ask.command(question, UNLISTED)
    ask.command(QUESTIONS[0], OUTSIDER_DM)  # /ask in a DM without access
    ask.command(QUESTIONS[0], UNLISTED, ANALYST)  # /ask with access, in an unlisted channel
    share = shareable["blocks"][-1]["elements"][-1]
    assert share["action_id"] == "share_answer"
    wall.click(share["action_id"], share["value"], channel=UNLISTED, user=ANALYST)
    (refusal,) = wall.api.wait_for("response_url", where=lambda c: c.path.endswith("/action"))
    wall.api.settle()

    assert "can't share this answer here" in refusal.params["text"]
    assert not [c for c in wall.api.calls_to("chat.postMessage") if c.params.get("blocks")
                and "asked by" in json.dumps(c.params)]  # fmt: skip
    outside = all_sent(wall.api)
    for secret in SECRETS:
        assert secret not in outside, secret
    assert FIGURE in inside and TITLE in inside  # the same questions reach it where listed

    rows = list(audit.entries())[recorded:]  # one row per request made outside the wall
    asked = len(QUESTIONS + PROBES) + 1 + 2 + 6 + 1 + 7 + 1 + 1 + 1
    assert len(rows) == asked == 38
    *questions, shared = rows
    assert {tuple(r.collections_searched) for r in questions} == {("news",)}
    assert not any(FIGURE in (r.answer or "") for r in questions)
    assert (shared.via, shared.outcome, shared.user) == ("share", "refused", ANALYST)
    assert shared.reason == "share: channel may not read deal-aurora" and shared.answer_id


def test_a_public_question_in_an_unlisted_channel_gets_its_public_answer(wall):
    reply = Asking(wall).mention("How much will Alibaba invest in AI?", UNLISTED)
    assert "RMB 380 billion" in reply and FIGURE not in reply
    listed = Asking(wall).mention("How much will Alibaba invest in AI robotics?", LISTED)
    assert FIGURE in listed  # the memo is the better answer where it may be read


def test_app_home_lists_only_what_the_viewer_may_read(wall):
    def home(user: str) -> str:
        before = len(wall.api.calls_to("views.publish"))
        wall.event({"type": "app_home_opened", "user": user, "channel": "D0H", "tab": "home"})
        calls = wall.api.wait_for("views.publish", count=before + 1)
        return json.dumps(calls[before].params["view"])

    outsider, analyst = home(OUTSIDER), home(ANALYST)
    assert "2 articles" in outsider and "BABA" in outsider and "news" in outsider
    for secret in ("AURX", "deal-aurora", "3 articles"):
        assert secret not in outsider
    assert "3 articles" in analyst and "AURX" in analyst and "deal-aurora" in analyst


def test_the_audit_trail_has_one_row_per_request_with_the_collections_searched(wall):
    wall.api.calls.clear()
    audit = wall.qa.gate.audit
    before = audit.count()
    ask = Asking(wall)
    ask.mention("What is the Aurora deal valued at?", UNLISTED)
    ask.mention("What is the Aurora deal valued at?", LISTED)
    ask.dm("What is the Aurora deal valued at?", OUTSIDER_DM, OUTSIDER)
    ask.command("What is the Aurora deal valued at? ticker:AURX", UNLISTED)
    rows = list(audit.entries())[before:]
    assert len(rows) == 4
    public, listed, dm, command = rows
    assert public.collections_searched == ["news"] and public.channel == UNLISTED
    assert (public.via, public.user, public.team) == ("mention", OUTSIDER, "T1")
    assert not public.found or all(c.collection == "news" for c in public.citations)
    assert listed.collections_searched == ["deal-aurora", "news"] and listed.found
    cited = listed.citations[0]
    assert cited.path == f"deal-aurora/{FILE}" and cited.chunk_id and FIGURE in listed.answer
    assert (dm.via, dm.collections_searched) == ("dm", ["news"])
    assert command.via == "command" and command.question.endswith("ticker:AURX")
    assert all(r.index_version and r.index_version.startswith("v-") for r in rows)


def test_uploads_go_to_the_named_collection_and_only_its_admins_may_add(wall, tmp_path):
    body = b"---\ntitle: Borealis side letter\n---\nThe side letter caps fees at 2.75 million.\n"
    entry = wall.api.add_file("side-letter.md", body)
    before = len(wall.api.calls_to("chat.postMessage"))

    def share(user: str, text: str, n: int) -> list[str]:
        event = direct_message(text, f"{7000 + n}.1", f"D0UP{n}", user, subtype="file_share")
        wall.event({**event, "files": [entry]})
        return [c.params["text"] for c in wall.api.wait_for(
            "chat.postMessage", where=lambda c: c.params["channel"] == f"D0UP{n}")]  # fmt: skip

    assert (
        "Only admins of the *deal-aurora* collection"
        in share(OUTSIDER, "collection: deal-aurora", 1)[0]
    )
    assert "Only the bot's admins" in share(LEAD, "here you go", 2)[0]  # default: not theirs
    assert "is not a collection name" in share(LEAD, "collection: ../etc", 3)[0]
    wall.api.wait_for("chat.postMessage", count=before + 3)
    share(LEAD, "collection: deal-aurora", 4)
    done = wall.api.wait_for("chat.postMessage", where=lambda c: "Added" in c.params["text"])
    assert "`deal-aurora/side-letter.md`" in done[0].params["text"]
    corpus = Path(wall.qa.index_settings.corpus_dir)
    assert (corpus / "deal-aurora" / "side-letter.md").is_file()
    assert "2.75 million" in Asking(wall).mention(
        "What are the side letter fees capped at?", LISTED
    )
    assert "2.75" not in Asking(wall).mention("What are the side letter fees capped at?", UNLISTED)


def test_a_fast_asker_is_slowed_politely_once_and_others_are_still_answered(start_bot):
    bot = start_bot(rate_limit=2)
    question = f"<@{BOT_USER_ID}> How much will Alibaba invest in AI?"
    for i in range(4):
        bot.event(mention(question, f"900.{i}", "C1", "U0SCRIPT"))
    bot.event(mention(question, "901.0", "C1", "U0HUMAN"))
    posts = bot.api.wait_for("chat.postMessage", count=3)
    (ephemeral,) = bot.api.wait_for("chat.postEphemeral")
    bot.api.settle()
    assert len(bot.api.calls_to("chat.postMessage")) == 3  # two for the script, one for the human
    assert {p.params["thread_ts"] for p in posts} >= {"901.0"}
    assert ephemeral.params["user"] == "U0SCRIPT" and ephemeral.params["channel"] == "C1"
    assert "at most 2 questions a minute" in ephemeral.params["text"]
    assert len(bot.api.calls_to("chat.postEphemeral")) == 1  # the flood gets one notice
    _, key = bot.command("How much will Alibaba invest in AI?", channel="C1", user="U0SCRIPT")
    (reply,) = bot.api.wait_for("response_url", where=lambda c: c.path.endswith(key))
    assert "try again in" in reply.params["text"]
    audit = bot.qa.gate.audit
    refused = [e for e in audit.entries() if e.outcome == "refused"]
    assert [e.reason for e in refused] == ["rate limit"] * 3


def test_no_answer_without_a_record_and_none_while_the_rules_are_broken(start_bot, small_corpus):
    import sqlite3

    bot = start_bot()
    with sqlite3.connect(bot.qa.store.engine.url.database) as db:
        db.execute("DROP TABLE audit_log")
    bot.event(mention(f"<@{BOT_USER_ID}> How much will Alibaba invest in AI?", "990.1"))
    (posted,) = bot.api.wait_for("chat.postMessage")
    assert "won't give it" in posted.params["text"] and "380" not in json.dumps(posted.params)

    walled = start_bot()
    (small_corpus / "access.yml").write_text("collections: {default: {public: nope}}\n")
    walled.event(mention(f"<@{BOT_USER_ID}> How much will Alibaba invest in AI?", "991.1"))
    (posted,) = walled.api.wait_for(
        "chat.postMessage", where=lambda c: c.params.get("thread_ts") == "991.1"
    )
    assert "access rules" in posted.params["text"] and "380" not in json.dumps(posted.params)


def test_a_vote_from_where_the_answer_may_not_be_read_does_not_show_it_again(wall):
    reply = Asking(wall).command(QUESTIONS[0], LISTED, ANALYST)
    up = reply["blocks"][-1]["elements"][0]
    wall.api.calls.clear()
    wall.click(up["action_id"], up["value"], channel=UNLISTED, user=ANALYST)
    (update,) = wall.api.wait_for("response_url", where=lambda c: c.path.endswith("/action"))
    assert FIGURE not in json.dumps(update.params) and "can't show" in update.params["text"]
