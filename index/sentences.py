"""Split text into sentence spans (character offsets), deterministically and without a model."""

import re

# Words after which a period does not end a sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "inc",
    "corp",
    "co",
    "ltd",
    "plc",
    "llc",
    "no",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "approx",
    "est",
    "fig",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "dept",
}
# Matching starts only where a run of end marks starts: without the lookbehind, a line of
# 20,000 dots is tried from every dot, quadratically.
_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'’”)\]]*(?=\s)")
_BLOCK_START = re.compile(r"\s*(#{1,6}\s|[-*•]\s|\d{1,3}[.)]\s|\|)")
_LINE_END = re.compile(r"[.!?:;…\"'’”)\]|]\s*$")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans `(s, e)` of the sentences in `text[start:end]`, whitespace trimmed, in order."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text, start, end):
        spans.extend(_sentences_in_block(text, block_start, block_end))
    return spans


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs, headings, list items and table rows: lines that never share a sentence."""
    blocks: list[tuple[int, int]] = []
    block_start = start
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        if nl == -1:
            break
        line = text[pos:nl]
        next_line_end = text.find("\n", nl + 1, end)
        next_line = text[nl + 1 : end if next_line_end == -1 else next_line_end]
        hard = (
            not line.strip()
            or not next_line.strip()
            or _BLOCK_START.match(line)
            or _BLOCK_START.match(next_line)
            or _LINE_END.search(line)
        )
        if hard:
            blocks.append((block_start, nl))
            block_start = nl + 1
        pos = nl + 1
    blocks.append((block_start, end))
    return [b for b in (_trim(text, s, e) for s, e in blocks) if b]


def _sentences_in_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    sent_start = start
    for match in _END.finditer(text, start, end):
        stop = match.end()
        if not _is_boundary(text, match.start(), stop, end):
            continue
        span = _trim(text, sent_start, stop)
        if span:
            spans.append(span)
        sent_start = stop
    span = _trim(text, sent_start, end)
    if span:
        spans.append(span)
    return spans


def _is_boundary(text: str, punct_at: int, stop: int, end: int) -> bool:
    """True when the punctuation at `punct_at` really ends a sentence."""
    nxt = stop
    while nxt < end and text[nxt].isspace():
        nxt += 1
    if nxt >= end:
        return True
    following = text[nxt]
    if following.islower():
        return False
    if text[punct_at] == ".":
        word_start = punct_at
        while word_start > 0 and not text[word_start - 1].isspace():
            word_start -= 1
        word = text[word_start:punct_at].lower().lstrip("(\"'“")
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            return False
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
