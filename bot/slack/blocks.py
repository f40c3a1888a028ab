"""Block Kit for Slack replies: pure functions from answers and facts to message and view dicts."""

from bot.answer.compose import Answer, Citation
from bot.slack.mrkdwn import answer_mrkdwn, escape_text, first_sentence, link, quote, split_sections
from bot.slack.table_blocks import build_chart_image_block, build_table_blocks, table_summary

MAX_BLOCKS = 50
VOTE_ACTIONS = {"feedback_up": "up", "feedback_down": "down"}
SHARE_ACTION = "share_answer"
ACTIONS_BLOCK = "answer_actions"
NOTE_BLOCK = "feedback_note"
EXAMPLE = "How much is Alibaba investing in AI?"
REPHRASE = (
    "Try rephrasing: name the company and what you want to know, for example "
    f"“{EXAMPLE}”. I only answer from the articles I have indexed."
)
USAGE = (
    "*Ask me about the articles your team has collected.*\n"
    f"• Mention me in a channel: `@investor-qa {EXAMPLE}` and I answer in a thread.\n"
    "• Reply in that thread with a follow-up such as `@investor-qa and Tencent?`\n"
    "• Send me a direct message.\n"
    f"• Use `/ask {EXAMPLE}` for an answer only you can see, then share it if it helps.\n"
    "• `/ask watch QUESTION` in a channel: I post there when a new article brings a new figure "
    "(`/ask watches`, `/ask unwatch N`, `/ask digest daily 08:00`)."
)
SORRY = "Sorry, something went wrong while answering. Please try again in a moment."


def build_answer_message(answer: Answer, answer_id: str, **options) -> dict:
    """`text` and `blocks` for an answer; a not-found answer becomes a plain message."""
    if not answer.found:
        return build_not_found_message(answer.filters_applied)
    blocks = build_answer_blocks(answer, answer_id, **options)
    summary = table_summary(answer.table) if answer.table else first_sentence(answer.answer)
    return {"text": summary, "blocks": blocks}


def build_not_found_message(filters_applied: str | None = None) -> dict:
    """Say plainly that nothing answers the question (and within which filter); suggest rephrasing."""
    where = f" (searched only: {escape_text(filters_applied)})" if filters_applied else ""
    return {"text": f"I couldn't find that in the indexed articles{where}. {REPHRASE}"}


def build_usage_message() -> dict:
    """How to ask, for `/ask help` and empty mentions."""
    return {"text": USAGE, "blocks": [_section(USAGE)]}


def build_answer_blocks(
    answer: Answer,
    answer_id: str,
    shareable: bool = False,
    asked_by: str | None = None,
    restate: bool = False,
    table_style: str = "table",
    chart_file: str | None = None,
) -> list[dict]:
    """The answer with bold figures, each cited passage quoted with its source, and buttons.

    `restate` first shows the question answered, for follow-ups the bot completed itself. A
    comparison shows its table (`table_style` "table" or "fields") in place of the text; the
    quotes below it are its evidence. `chart_file` shows an uploaded chart as an image.
    """
    blocks = [_context(f"Answering: _{escape_text(answer.question)[:2900]}_")] if restate else []
    if answer.table:
        blocks += build_table_blocks(answer.table, table_style)
    else:
        blocks += [_section(part) for part in split_sections(answer_mrkdwn(answer.answer))]
    if chart_file and answer.series:
        blocks.append(build_chart_image_block(chart_file, answer.series))
    if answer.filters_applied:
        blocks.append(_context(f"Filtered: {escape_text(answer.filters_applied)[:2900]}"))
    tail = [_context(f"asked by <@{asked_by}>")] if asked_by else []
    tail.append(_actions(answer_id, shareable))
    room = (MAX_BLOCKS - len(blocks) - len(tail)) // 2
    for citation in answer.citations[:room]:
        blocks += [_section(quote(citation.quote)), _context(source_line(citation))]
    return (blocks + tail)[:MAX_BLOCKS]


def source_line(citation: Citation) -> str:
    """`[n] <url|Title> · Publisher · 2025-09-27 · p. N` with every part escaped; a document
    whose identity was read: `[n] <url|3M Company · 10-K · FY2018> · p. 52`."""
    if citation.document:
        parts = [f"[{citation.n}] {link(citation.url, citation.document[:300])}"]
        return " · ".join(parts + ([f"p. {citation.page}"] if citation.page else []))
    parts = [f"[{citation.n}] {link(citation.url, citation.title[:300])}"]
    parts += [escape_text(part[:200]) for part in citation.where()]
    return " · ".join(parts)


def with_feedback_note(blocks: list[dict], note: str) -> list[dict]:
    """The message's blocks with `note` shown under the buttons, replacing any earlier note."""
    kept = [b for b in blocks if b.get("block_id") != NOTE_BLOCK]
    at = next((i + 1 for i, b in enumerate(kept) if b.get("block_id") == ACTIONS_BLOCK), len(kept))
    note_block = {**_context(note), "block_id": NOTE_BLOCK}
    return (kept[:at] + [note_block] + kept[at:])[:MAX_BLOCKS]


def feedback_note(user: str, vote: str) -> str:
    """The thank-you line shown after a vote."""
    verdict = "helpful :thumbsup:" if vote == "up" else "not helpful :thumbsdown:"
    return f"Thanks <@{user}>, noted as {verdict}. Click the other button to change your vote."


def build_home_view(facts: dict) -> dict:
    """The App Home tab: what the viewer may ask about (only that), and how to ask."""
    tickers = ", ".join(facts.get("tickers") or []) or "none listed"
    known = (
        f"*What you can ask me about*\n• {facts.get('articles', 0)} articles, "
        f"{facts.get('chunks', 0)} passages\n"
        f"• Newest article: {facts.get('newest_article') or 'unknown'}\n"
        f"• Companies and tickers covered: {escape_text(tickers)}"
    )
    if facts.get("restricted"):
        names = ", ".join(facts.get("collections") or {}) or "none yet"
        known += (
            f"\n• Collections you can read here and in DMs: {escape_text(names)}"
            "\n• In a channel I answer from what that channel may read."
        )
    if facts.get("unavailable"):
        known = escape_text(facts["unavailable"])
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "investor-qa"}},
        _section(known[:3000]),
        {"type": "divider"},
        _section(USAGE),
        _context("Every answer quotes the passages it comes from. Use 👍 / 👎 to tell us."),
    ]
    return {"type": "home", "blocks": blocks}


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _button(label: str, action_id: str, value: str) -> dict:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }


def _actions(answer_id: str, shareable: bool) -> dict:
    elements = [
        _button("👍 Helpful", "feedback_up", answer_id),
        _button("👎 Not helpful", "feedback_down", answer_id),
    ]
    if shareable:
        elements.append(
            {**_button("Share in channel", SHARE_ACTION, answer_id), "style": "primary"}
        )
    return {"type": "actions", "block_id": ACTIONS_BLOCK, "elements": elements}
