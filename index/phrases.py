"""Phrase match: how long a run of the question's words a passage holds verbatim.

Keyword search scores words one by one, so a table that lists "Equity in net earnings of
affiliates" and another that mentions "equity", "earnings" and "affiliates" in three different
rows look alike to it. Analysts name a line item or a measure the way the report prints it,
so the passage holding the question's own phrase is most often the one meant. The phrase
length counts content words only (index/terms.py's stop words do not count, but may sit
inside a phrase: "equity in net earnings of affiliates" is four), after a light plural fold
("expenses" = "expense"). The fusion (index/fusion.py) lifts passages by it.
"""

import re

from index.terms import STOPWORDS

_WORD = re.compile(r"[^\W_]+(?:['’&-][^\W_]+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_PLURAL = re.compile(r"(?<=[^\W_]{3})(?<![s'])s(?= )")
# Said in most questions, and in most reports under every heading: no sign of the passage meant.
_WEAK = frozenset({"year", "years", "fiscal", "respectively", "period", "periods"})
MAX_QUESTION_WORDS = 64  # a pasted paragraph is read from its start only: bounded work
MAX_PHRASE_WORDS = 12


def folded(text: str) -> str:
    """`text` as " word word … ": lower-cased words, each with a plural `s` dropped (a final
    `s` after at least three letters, not after another `s` or an apostrophe). Regular
    expressions do all the work, so a passage costs microseconds."""
    joined = " " + " ".join(_WORD.findall(text.lower().replace("’", "'"))) + " "
    return _PLURAL.sub("", joined)


def _content(word: str) -> bool:
    return word not in STOPWORDS and word not in _WEAK and not _YEAR.fullmatch(word)


def question_phrases(question: str) -> list[tuple[str, int]]:
    """The question's phrases worth looking for, as (" word word ", content words), longest
    first: every run that starts and ends on a content word and holds at least two. Stop
    words are told before the plural fold ("does", "this" stay stop words)."""
    raw = _WORD.findall(question.lower().replace("’", "'"))[:MAX_QUESTION_WORDS]
    content = [_content(w) for w in raw]
    qs = [folded(w).strip() for w in raw]
    found: dict[str, int] = {}
    for i in range(len(qs)):
        if not content[i]:
            continue
        count = 1
        for j in range(i + 1, min(len(qs), i + MAX_PHRASE_WORDS)):
            if content[j]:
                count += 1
                found[" " + " ".join(qs[i : j + 1]) + " "] = count
    return sorted(found.items(), key=lambda item: -item[1])


def phrase_lengths(phrases: list[tuple[str, int]], texts: dict[int, str]) -> dict[int, int]:
    """For each text (by id) holding one of `phrases` (question_phrases), the content words of
    the longest it holds."""
    out = {}
    # A phrase's words are substrings of the raw lower-cased text holding it (the fold only
    # drops a letter), so most texts are ruled out before they are split into words.
    needs = [(phrase, n, frozenset(phrase.split())) for phrase, n in phrases]
    asked = frozenset().union(*(w for _, _, w in needs)) if needs else frozenset()
    for key, text in texts.items():
        lower = text.lower().replace("’", "'")
        present = {w for w in asked if w in lower}
        maybe = [(phrase, n) for phrase, n, ws in needs if ws <= present]
        if not maybe:
            continue
        joined = folded(text)
        longest = next((n for phrase, n in maybe if phrase in joined), 0)
        if longest:
            out[key] = longest
    return out
