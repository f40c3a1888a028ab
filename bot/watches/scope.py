"""The one place a watch's question is scoped to its channel.

A watch is answered exactly as a question asked in its channel would be: from the collections
that channel may read under the access rules (bot/access), never from a restricted collection
the channel is not listed for, whoever made the watch. Every path (Slack, the CLI, the
background loop) goes through `answer_in_channel`, and a post is checked again with
`may_post` before it is sent.
"""

from bot.access.asker import Asker, slack_asker
from bot.access.gate import Gate, cited_collections
from bot.answer.compose import Answer
from index.filters import SearchFilter


def channel_asker(channel: str) -> Asker:
    """Whoever reads the channel: its access, not the person who made the watch."""
    return slack_asker(None, channel, None, is_dm=False)


def answer_in_channel(gate: Gate, question: str, channel: str) -> Answer:
    """`question` answered as the bot answers it in `channel` (not recorded: nothing is shown
    until a post, which the poster records)."""
    readable = gate.policy.readable(channel_asker(channel))
    return gate.answerer.answer(question, SearchFilter(collections=readable))


def may_post(gate: Gate, answer: Answer, channel: str) -> bool:
    """True when `channel` may read every collection `answer` cites."""
    return gate.policy.may_read_all(channel_asker(channel), cited_collections(answer))
