"""Admins add articles by sharing files in a DM, end to end over HTTP with signed requests."""

import json
import threading

import pytest

from bot.slack.uploads import ADMINS_ONLY
from tests.slack.payloads import direct_message

ADMIN = "UADMIN"
ARTICLE = (
    "---\ntitle: Zephyr Robotics raises $412 million\nsource: Reuters\n---\n"
    "Zephyr Robotics raised $412 million in a Series D round to expand its warehouse robots.\n"
)


@pytest.fixture(autouse=True)
def downloads_from_the_local_stand_in(monkeypatch):
    """The Slack stand-in serves files from 127.0.0.1, which downloads refuse by default."""
    monkeypatch.setenv("INVESTOR_QA_FETCH_ALLOW_PRIVATE", "true")


def file_share(files: list[dict], ts: str, user: str = ADMIN, channel: str = "D1") -> dict:
    """The `message` event Slack sends when someone shares files in a DM with the bot."""
    return direct_message("", ts=ts, channel=channel, user=user, subtype="file_share", files=files)


def posted_texts(bot, count: int) -> list[str]:
    return [call.params["text"] for call in bot.api.wait_for("chat.postMessage", count)]


def test_an_admin_adds_a_markdown_article_and_the_bot_answers_from_it(start_bot, small_corpus):
    bot = start_bot(admins=f"U0,{ADMIN}")
    entry = bot.api.add_file("zephyr.md", ARTICLE.encode())
    assert bot.event(file_share([entry], ts="500.1")).status == 200
    started, done = posted_texts(bot, 2)
    assert started == "Indexing zephyr.md…"
    assert done.startswith("Added *Zephyr Robotics raises $412 million* (`zephyr.md`)")
    (download,) = bot.api.calls_to("file_download")
    assert download.params["authorization"] == "Bearer xoxb-test"
    assert download.path.endswith("?download=1")  # url_private_download is preferred
    assert (small_corpus / "zephyr.md").read_text() == ARTICLE
    assert bot.qa.stats()["articles"] == 5

    bot.event(direct_message("How much did Zephyr Robotics raise?", ts="500.2"))
    answer = bot.api.wait_for("chat.postMessage", 3)[2]
    assert "$412 million" in answer.params["text"]
    assert "Zephyr Robotics raises $412 million" in json.dumps(answer.params["blocks"])


def test_a_non_admin_is_told_politely_and_nothing_is_added(start_bot, small_corpus):
    bot = start_bot(admins=ADMIN)
    before = sorted(path.name for path in small_corpus.iterdir())
    entry = bot.api.add_file("zephyr.md", ARTICLE.encode())
    bot.event(file_share([entry], ts="510.1", user="U2"))
    assert posted_texts(bot, 1) == [ADMINS_ONLY]
    bot.api.settle()
    assert len(bot.api.calls_to("chat.postMessage")) == 1
    assert bot.api.calls_to("file_download") == []
    assert sorted(path.name for path in small_corpus.iterdir()) == before
    assert bot.qa.stats()["articles"] == 4


def test_unsupported_duplicate_and_unreadable_files_get_the_reason(start_bot, small_corpus):
    bot = start_bot(admins=ADMIN)
    before = sorted(path.name for path in small_corpus.iterdir())
    docx = bot.api.add_file("deck.docx", b"PK\x03\x04", "application/octet-stream")
    dupe = bot.api.add_file("copy.md", (small_corpus / "alibaba.md").read_bytes())
    broken = bot.api.add_file("broken.pdf", b"this is not a PDF", "application/pdf")
    bot.event(file_share([docx, dupe, broken], ts="520.1"))
    texts = posted_texts(bot, 6)
    assert texts[1] == "I can't add deck.docx: I read PDF, HTML, Markdown and plain-text files."
    assert "copy.md: same text as alibaba.md already in the corpus" in texts[3]
    assert texts[5].startswith("Nothing added: broken.pdf") and "\n" not in texts[5]
    assert len(bot.api.calls_to("file_download")) == 2  # the .docx was never fetched
    assert sorted(path.name for path in small_corpus.iterdir()) == before


def test_a_failed_download_gets_a_friendly_reply_and_the_bot_keeps_serving(start_bot):
    bot = start_bot(admins=ADMIN)
    entry = bot.api.add_file("zephyr.md", ARTICLE.encode())
    bot.api.set_down("file_download")
    bot.event(file_share([entry], ts="530.1"))
    _, failed = posted_texts(bot, 2)
    assert failed == "I couldn't download zephyr.md from Slack (it answered 500). Please try again."
    bot.event(direct_message("How much will Alibaba invest in AI?", ts="530.2"))
    assert "RMB 380 billion" in posted_texts(bot, 3)[2]


def test_slacks_sign_in_page_and_oversized_files_are_refused(start_bot, small_corpus):
    bot = start_bot(admins=ADMIN, upload_max_mb=0.001)
    page = bot.api.add_file("notes.md", b"<html>Sign in to Slack</html>", "text/html")
    big = bot.api.add_file("big.md", ARTICLE.encode() * 10)
    bot.event(file_share([page, big], ts="540.1"))
    texts = posted_texts(bot, 4)
    assert (
        texts[1] == "Slack didn't let me download notes.md; the app may need the files:read scope."
    )
    assert texts[3].startswith("big.md is larger than 0.001 MB")
    assert len(bot.api.calls_to("file_download")) == 1  # the size in the event was enough
    assert not (small_corpus / "notes.md").exists()


def test_two_uploads_at_once_both_land_in_the_index(start_bot, small_corpus):
    bot = start_bot(admins=ADMIN)
    other = ARTICLE.replace("Zephyr", "Quasar").replace("412", "97")
    entries = [bot.api.add_file(name, text.encode()) for name, text in
               [("zephyr.md", ARTICLE), ("quasar.md", other)]]  # fmt: skip
    senders = [
        threading.Thread(target=bot.event, args=(file_share([e], ts=f"550.{i}", channel=f"D{i}"),))
        for i, e in enumerate(entries)
    ]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    texts = posted_texts(bot, 4)
    assert sum(text.startswith("Added *") for text in texts) == 2
    assert bot.qa.stats()["articles"] == 6
    bot.event(direct_message("How much did Quasar Robotics raise?", ts="550.9"))
    assert "$97 million" in posted_texts(bot, 5)[4]


def test_the_share_is_acked_before_the_file_is_downloaded_and_indexed(start_bot):
    bot = start_bot(admins=ADMIN)
    entry = bot.api.add_file("zephyr.md", ARTICLE.encode())
    release = bot.api.hold("file_download")
    try:
        assert bot.event(file_share([entry], ts="560.1")).status == 200
        bot.api.wait_for("file_download")  # still unanswered: the ack did not wait for it
        assert posted_texts(bot, 1) == ["Indexing zephyr.md…"]
    finally:
        release.set()
    assert posted_texts(bot, 2)[1].startswith("Added *Zephyr Robotics raises $412 million*")


def test_redirects_keep_the_token_on_slack_and_never_carry_it_elsewhere(start_bot):
    bot = start_bot(admins=ADMIN)
    moved = bot.api.add_file("moved.md", b"")
    elsewhere = bot.api.add_file("elsewhere.md", b"")
    bot.api.add_file("zephyr.md", ARTICLE.encode())
    bot.api.redirect("moved.md", f"{bot.api.url}/files/zephyr.md")
    bot.api.redirect("elsewhere.md", "http://127.0.0.2:9/files/zephyr.md")
    bot.event(file_share([moved, elsewhere], ts="570.1"))
    texts = posted_texts(bot, 4)
    assert texts[1].startswith("Added *Zephyr Robotics raises $412 million* (`moved.md`)")
    assert (
        texts[3]
        == "I couldn't download elsewhere.md from Slack (it answered 302). Please try again."
    )
    downloads = [(c.path, c.params["authorization"]) for c in bot.api.calls_to("file_download")]
    assert downloads == [
        ("/files/moved.md?download=1", "Bearer xoxb-test"),
        ("/files/zephyr.md", "Bearer xoxb-test"),
        ("/files/elsewhere.md?download=1", "Bearer xoxb-test"),
    ]


def test_a_share_without_a_link_is_looked_up_with_files_info(start_bot):
    bot = start_bot(admins=ADMIN)
    entry = bot.api.add_file("zephyr.md", ARTICLE.encode())
    stub = {"id": entry["id"], "name": "zephyr.md", "file_access": "check_file_info"}
    unknown = {"id": "F404", "name": "gone.md", "file_access": "check_file_info"}
    bot.event(file_share([stub, unknown], ts="580.1"))
    texts = posted_texts(bot, 4)
    assert texts[1].startswith("Added *Zephyr Robotics raises $412 million*")
    assert texts[3] == "I couldn't download gone.md: Slack sent no download link."
    assert [c.params["file"] for c in bot.api.calls_to("files.info")] == [entry["id"], "F404"]


def test_files_shared_in_channels_are_left_alone(start_bot, small_corpus):
    bot = start_bot(admins=ADMIN)
    entry = bot.api.add_file("zephyr.md", ARTICLE.encode())
    in_channel = {**file_share([entry], ts="590.1", channel="C1"), "channel_type": "channel"}
    assert bot.event(in_channel).status == 200
    bot.api.settle()
    assert bot.api.calls_to("chat.postMessage") == bot.api.calls_to("file_download") == []
    assert not (small_corpus / "zephyr.md").exists()
