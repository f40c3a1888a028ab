"""Make article text safe for Slack mrkdwn: escape control characters, defuse broadcast pings."""

import re

from bot.answer.figures import bold_figures

SECTION_LIMIT = 3000  # characters of text in one section block
_CITATION = re.compile(r"(\[\d+\])")
# Plain-text broadcasts Slack may still link; a word joiner after "@" keeps them as text.
_BROADCAST = re.compile(r"@(?=(channel|here|everyone)\b)", re.IGNORECASE)
_SAFE_URL = re.compile(r"^https?://[^\s<>|]+$", re.IGNORECASE)


def escape_text(text: str) -> str:
    """Escape `&`, `<`, `>` and defuse `@channel`-style broadcasts, so text can never ping."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@\u2060", escaped)


def unescape_text(text: str) -> str:
    """Undo Slack's escaping of `&`, `<` and `>` in message text (`&amp;` last: exactly once)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def answer_mrkdwn(text: str) -> str:
    """Escaped answer text with figures in bold; `[n]` citation markers are left as they are."""
    parts = _CITATION.split(text)
    return "".join(
        part if i % 2 else bold_figures(escape_text(part), "*", "*") for i, part in enumerate(parts)
    )


def first_sentence(answer_text: str) -> str:
    """The answer up to its first citation marker: Slack's notification text."""
    head = _CITATION.split(answer_text, maxsplit=1)[0].strip()
    return escape_text(head or answer_text.strip())


def link(url: str | None, label: str) -> str:
    """`<url|label>` for an http(s) URL, else the label alone; both escaped."""
    label = escape_text(label)
    if url and _SAFE_URL.match(url.strip()):
        return f"<{url.strip().replace('&', '&amp;')}|{label}>"
    return label


def quote(text: str, limit: int = SECTION_LIMIT) -> str:
    """The text as an escaped mrkdwn block quote that fits in `limit` characters."""
    words = " ".join(text.split())
    while True:
        quoted = "> " + escape_text(words)
        if len(quoted) <= limit:
            return quoted
        words = words[: max(len(words) - (len(quoted) - limit) - 1, 0)].rstrip() + "…"


def split_sections(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Cut mrkdwn into pieces of at most `limit` characters, preferring cuts after a citation."""
    pieces: list[str] = []
    current = ""
    for unit in re.split(r"(?<=\]) ", text):
        if current and len(current) + 1 + len(unit) > limit:
            pieces.append(current)
            current = ""
        while len(unit) > limit:  # one unit too long: cut at the last space that fits
            cut = unit.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            pieces.append(unit[:cut])
            unit = unit[cut:].lstrip()
        current = f"{current} {unit}" if current else unit
    if current:
        pieces.append(current)
    return pieces
