"""What a watch counts as news, and when a digest is due: pure functions, no Slack."""

from datetime import UTC, datetime

import pytest

from bot.answer.compose import Answer, Citation
from bot.watches.digest import DigestError, due_slot, first_slot_done, parse_digest
from bot.watches.news import new_figures, sentences_by_citation
from bot.watches.store import Digest


def answer(text: str, paths: list[str]) -> Answer:
    citations = [
        Citation(n=i + 1, title=p, source="Wire", url=None, published=None, path=p, page=None,
                 quote="…", score=0.8)
        for i, p in enumerate(paths)
    ]  # fmt: skip
    return Answer(question="q", found=True, answer=text, citations=citations)


OLD = answer("Alibaba will invest RMB 380 billion in AI. [1]", ["old.md"])


def test_sentences_are_attributed_to_their_citations():
    text = "As of 2025-11-20: RMB 480 billion. [1] Earlier (2025-09-27): RMB 380 billion. [2][3]"
    cited = sentences_by_citation(answer(text, ["a", "b", "c"]))
    assert cited[1] == "As of 2025-11-20: RMB 480 billion."
    assert cited[2] == cited[3] == "Earlier (2025-09-27): RMB 380 billion."


def test_a_new_article_with_a_new_figure_is_news():
    new = answer("As of 2025-11-20: RMB 480 billion in AI. [1] Earlier: RMB 380 billion. [2]",
                 ["new.md", "old.md"])  # fmt: skip
    assert new_figures(new, OLD, {"new.md": 5, "old.md": 1}, since_generation=3) == [
        "RMB 480 billion"
    ]


@pytest.mark.parametrize(
    "text, generations",
    [
        ("As of 2025-11-24: RMB 380 billion in AI. [1]", {"new.md": 5}),  # restates: no news
        ("RMB 480 billion in AI. [1]", {"new.md": 2}),  # an old article come forward: no news
        ("RMB 480 billion in AI. [1]", {}),  # unknown article: no news
    ],
)
def test_restatements_and_old_articles_are_not_news(text, generations):
    assert new_figures(answer(text, ["new.md"]), OLD, generations, since_generation=3) == []


def test_not_found_is_never_news_and_a_first_answer_can_be():
    empty = Answer(question="q", found=False, answer="", citations=[])
    assert new_figures(empty, OLD, {}, 0) == []
    assert new_figures(answer("Up 12% to $4.2 billion. [1]", ["n.md"]), None, {"n.md": 1}, 0) == [
        "12%",
        "$4.2 billion",
    ]


def test_digest_commands_and_slots():
    assert parse_digest("daily 08:00", "UTC") == ("08:00", "UTC")
    assert parse_digest("daily 7:30 Asia/Shanghai", "UTC") == ("07:30", "Asia/Shanghai")
    assert parse_digest("off", "UTC") is None
    for bad in ("weekly 08:00", "daily 24:00", "daily 08:00 Mars/Olympus"):
        with pytest.raises(DigestError):
            parse_digest(bad, "UTC")
    digest = Digest(channel="C1", at="08:00", tz="Asia/Shanghai")
    utc = datetime(2026, 1, 1, 23, 59, tzinfo=UTC)  # 07:59 on Jan 2 in Shanghai
    assert due_slot(digest, utc) is None
    assert due_slot(digest, utc.replace(day=2, hour=0, minute=0)) == "2026-01-02"
    done = digest.model_copy(update={"last_slot": "2026-01-02"})
    assert due_slot(done, utc.replace(day=2, hour=5)) is None
    assert first_slot_done("08:00", "UTC", datetime(2026, 1, 2, 9, tzinfo=UTC)) == "2026-01-02"
    assert first_slot_done("08:00", "UTC", datetime(2026, 1, 2, 7, tzinfo=UTC)) is None
