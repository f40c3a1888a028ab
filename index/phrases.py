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
# Said in most questions, and in most reports under every heading: no sign of the passage meant.
_WEAK = frozenset({"year", "years", "fiscal", "respectively", "period", "periods"})
MAX_QUESTION_WORDS = 64  # a pasted paragraph is read from its start only: bounded work
MAX_PHRASE_WORDS = 12


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, with a plural `s` dropped."""
    out = []
    for word in _WORD.findall(text.lower().replace("’", "'")):
        if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "'s")):
            word = word[:-1]
        out.append(word)
    return out


def _content(word: str) -> bool:
    return word not in STOPWORDS and word not in _WEAK and not _YEAR.fullmatch(word)


def question_phrases(question: str) -> list[tuple[str, int]]:
    """The question's phrases worth looking for, as (" word word ", content words), longest
    first: every run that starts and ends on a content word and holds at least two."""
    qs = words(question)[:MAX_QUESTION_WORDS]
    found: dict[str, int] = {}
    for i, first in enumerate(qs):
        if not _content(first):
            continue
        count = 1
        for j in range(i + 1, min(len(qs), i + MAX_PHRASE_WORDS)):
            if _content(qs[j]):
                count += 1
                found[" " + " ".join(qs[i : j + 1]) + " "] = count
    return sorted(found.items(), key=lambda item: -item[1])


def phrase_lengths(phrases: list[tuple[str, int]], texts: dict[int, str]) -> dict[int, int]:
    """For each text (by id) holding one of `phrases` (question_phrases), the content words of
    the longest it holds."""
    out = {}
    # Each word of a phrase is a substring of the raw lower-cased text holding it (the plural
    # fold only drops a letter), so most texts are ruled out before any pattern runs.
    parts = [(n, phrase.split(), _pattern(phrase)) for phrase, n in phrases]
    for key, text in texts.items():
        lower = text.lower().replace("’", "'")
        longest = next(
            (
                n
                for n, ws, pattern in parts
                if all(w in lower for w in ws) and pattern.search(lower)
            ),
            0,
        )
        if longest:
            out[key] = longest
    return out


def _pattern(phrase: str) -> re.Pattern:
    """The phrase as it may be printed: each word whole, perhaps plural, any punctuation or
    spacing between words ("Property, plant and equipment" holds "plant and equipment")."""
    body = r"[\W_]+".join(re.escape(w) + "s?" for w in phrase.split())
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")
