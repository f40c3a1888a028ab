"""Block Kit for watches and digests: pure functions, escaped like every answer."""

from bot.answer.compose import Answer
from bot.slack.blocks import MAX_BLOCKS, build_answer_blocks, source_line
from bot.slack.mrkdwn import answer_mrkdwn, escape_text, first_sentence, quote, split_sections


def news_header(question: str, since: str) -> str:
    """`New on *question* since 2025-11-20:`, the question escaped."""
    return f"New on *{escape_text(question)[:300]}* since {escape_text(since)}:"


def build_watch_message(question: str, since: str, answer: Answer, answer_id: str) -> dict:
    """The post for a watch whose answer brought a new figure: header, answer, sources."""
    header = news_header(question, since)
    blocks = [_section(header)] + build_answer_blocks(answer, answer_id)
    return {"text": f"{header} {first_sentence(answer.answer)}", "blocks": blocks[:MAX_BLOCKS]}


def build_digest_message(items: list[tuple[str, str, Answer]]) -> dict:
    """One message for a channel's digest: per (question, since, answer) the news and sources."""
    title = f"Digest: news on {len(items)} watched question{'s' if len(items) != 1 else ''}"
    blocks = [_section(f"*{title}*")]
    for question, since, answer in items:
        part = [{"type": "divider"}, _section(news_header(question, since))]
        part += [_section(text) for text in split_sections(answer_mrkdwn(answer.answer))]
        for citation in answer.citations[:3]:
            part += [_section(quote(citation.quote, 700)), _context(source_line(citation))]
        if len(blocks) + len(part) > MAX_BLOCKS:
            blocks.append(_context("More news than fits in one message: see `/ask watches`."))
            break
        blocks += part
    summary = "; ".join(escape_text(q)[:80] for q, _, _ in items)
    return {"text": f"{title}: {summary}"[:3000], "blocks": blocks[:MAX_BLOCKS]}


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}
