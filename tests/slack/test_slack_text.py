"""Slack escapes `&`, `<` and `>` in message text; questions are searched as the user typed them."""

import pytest

from bot.slack.replies import question_text
from tests.slack.payloads import mention
from tests.slack.stand_in import BOT_USER_ID


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("<@UBOT> What did S&amp;P say?", "What did S&P say?"),
        ("<@UBOT|bot> margins &lt;10% &amp;&amp; capex &gt; $1bn", "margins <10% && capex > $1bn"),
        ("AT&amp;amp;T", "AT&amp;T"),  # a typed "&amp;" arrives as "&amp;amp;": unescaped once
        (
            "see <https://x.com/a?b=1&amp;c=2|the note> on <#C123|markets>",
            "see the note on markets",
        ),
        ("news from <https://x.com/q3>?", "news from https://x.com/q3?"),
    ],
)
def test_question_text_unescapes_once_and_keeps_link_labels(text, question):
    assert question_text(text) == question


def saved_question(bot, blocks: list[dict]) -> str:
    """The question the bot answered, from the answer saved under the message's vote buttons."""
    answer_id = blocks[-1]["elements"][0]["value"]
    return bot.qa.store.get_answer(answer_id).question


def test_a_mention_is_searched_unescaped(bot):
    text = f"<@{BOT_USER_ID}> How much will Alibaba invest in AI &amp; cloud &lt;infra&gt;?"
    bot.event(mention(text, ts="9.1"))
    (posted,) = bot.api.wait_for("chat.postMessage")
    assert "RMB 380 billion" in posted.params["text"]
    assert saved_question(bot, posted.params["blocks"]) == (
        "How much will Alibaba invest in AI & cloud <infra>?"
    )


def test_an_ask_command_is_searched_unescaped(bot):
    ack, key = bot.command("How much will Alibaba invest in AI &amp; cloud?")
    assert ack.status == 200
    (reply,) = bot.api.wait_for("response_url", where=lambda c: c.path.endswith(key))
    assert saved_question(bot, reply.params["blocks"]) == (
        "How much will Alibaba invest in AI & cloud?"
    )
