"""Document match: how well a question's names and periods fit each article's title or label.

Filings and notes are about one company and one period, written once in the file name or title
(`3M 2018 10-K`), while their passages rarely repeat them. In a shared store the passage
rankings then mix in other companies' filings that match generic words ("revenue", "2018").
This module scores each article by the question's *cues* found in its label, each cue weighted
by its IDF over all labels, so a rare company name counts far more than a common year:

- names: capitalised tokens (`3M`, `Pfizer`, `JPM`) and runs of them joined (`Best Buy` →
  `bestbuy`, matching `BESTBUY_2023_10K`); an all-capitals name also matches label words it
  starts (`JPM` → `JPMORGAN`), a `JnJ`-style name the initials of label words (`JOHNSON JOHNSON`);
- periods: the latest year named (`FY2018 - FY2020` → 2020, since a filing also reports the
  years before it), quarters (`Q2'2023`) and forms (`10-K`, `8k`).

Lower-case words are never cues, so generic title words ("fiscal", "results") cannot match.
Questions that name nothing found in any label give no scores, and the fusion is unchanged.

Labels come from what each document says it is (index/identity.py): company, form, period,
tickers; a file name adds its words only when it carries words. An article whose label carries
no identity at all (a PDF named by accession number with no readable cover) is *unlabeled*: the
match can neither confirm nor rule it out, so it is scored like the best match, never pushed
down, and the fusion gives it no article bonus either (index/fusion.py).
"""

import bisect
import math
import re
from collections.abc import Iterable

from index.identity import carries_words
from index.labels import match_label
from index.models import Article, DocumentIdentity
from index.names import name_runs
from index.pdf_context import document_label, file_name_label

_FORM = re.compile(r"\b(10|8|6|20)-?([KQ])\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?:fy'?)?((?:19|20)\d\d)$|^fy'?(\d\d)$")
_PART = re.compile(r"^([qh][1-4])'?((?:19|20)\d\d)?$|^((?:19|20)\d\d)([qh][1-4])$")
_FORM_WORD = re.compile(r"(10|8|6|20)[kq]")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*")
_CONNECTED_INITIALS = re.compile(r"^[A-Z](?:[a-z]?[A-Z])+$")  # JnJ, PnG, not PepsiCo
MAX_JOINED = 3  # words joined into one name: "American Water Works" → americanwaterworks


def article_label(
    path: str,
    title: str,
    tickers: list[str],
    paged: bool,
    identity: DocumentIdentity | None = None,
) -> str:
    """What an article is about: its identity (`3M Company 3M 10-K 2018`) and a file name that
    carries words, else a PDF's file-name label or metadata title, else its title; tickers."""
    known = match_label(identity)
    if known:
        label = " ".join([known, file_name_label(path)]) if paged else f"{title} {known}"
    elif paged:
        label = document_label(Article(id="", path=path, title=title, text=""))
    else:
        label = title
    return " ".join([label, *tickers]).strip()


class DocumentMatcher:
    """Article labels indexed by word, to score a question's cues against every label quickly."""

    def __init__(self, labels: dict[str, str]):
        self.ids = list(labels)
        self.unlabeled = {n for n, label in enumerate(labels.values()) if not carries_words(label)}
        self.index_of = {article: n for n, article in enumerate(self.ids)}
        self.by_term: dict[str, list[int]] = {}  # label word → articles (indices into ids)
        self.by_initials: dict[str, list[int]] = {}  # initials of capitalised runs: JOHNSON JOHNSON
        for n, label in enumerate(labels.values()):
            words = _label_words(label)
            for word, _ in words:
                _add(self.by_term, word, n)
            for run in _capitalised_runs(words):
                for size in range(2, MAX_JOINED + 1):
                    for i in range(len(run) - size + 1):
                        _add(self.by_initials, "".join(w[0] for w in run[i : i + size]), n)
        self.terms = sorted(self.by_term)  # for prefix look-ups

    def gaps(self, question: str, among: Iterable[str]) -> dict[str, float]:
        """How far each of the articles `among` (ids) whose label matches the question is behind
        the best-matching one of them (0 for the best), in summed IDF of the matched cues.
        Unlabeled articles count as matching as well as the best, once anything matches."""
        candidates = {self.index_of[a] for a in among if a in self.index_of}
        scores: dict[int, float] = {}
        for cue in question_cues(question):
            lists = self._lists_for(cue)
            if not lists:
                continue
            found = len(lists[0]) if len(lists) == 1 else len(set().union(*lists))
            idf = math.log(1 + (len(self.ids) - found + 0.5) / (found + 0.5))
            for n in candidates:
                if any(_contains(entries, n) for entries in lists):
                    scores[n] = scores.get(n, 0.0) + idf
        best = max(scores.values(), default=0.0)
        gaps = {self.ids[n]: best - score for n, score in scores.items()}
        if gaps:
            gaps.update({self.ids[n]: 0.0 for n in candidates & self.unlabeled})
        return gaps

    def unlabeled_ids(self) -> set[str]:
        """Articles whose label carries no identity (no word, only numbers or a hash)."""
        return {self.ids[n] for n in self.unlabeled}

    def _lists_for(self, cue: str) -> list[list[int]]:
        """The sorted article lists a cue matches: the word, words it starts, label initials."""
        low = cue.lower()
        lists = [self.by_term[low]] if low in self.by_term else []
        if len(cue) >= 3 and cue.isupper() and cue.isalpha():  # a ticker-like abbreviation
            i = bisect.bisect_left(self.terms, low)
            while i < len(self.terms) and self.terms[i].startswith(low):
                lists += [self.by_term[self.terms[i]]] if self.terms[i] != low else []
                i += 1
        if _CONNECTED_INITIALS.match(cue):
            initials = "".join(c for c in cue if c.isupper()).lower()
            lists += [self.by_initials[initials]] if initials in self.by_initials else []
        return lists


def question_cues(question: str) -> list[str]:
    """Names (original case), the latest year, quarters and forms a question mentions, in order."""
    found: list[tuple[int, str]] = []  # (offset, cue)
    for run in name_runs(question):
        found += [(word.start, word.text) for word in run]
        for size in range(2, min(len(run), MAX_JOINED) + 1):  # Best Buy → bestbuy
            for i in range(len(run) - size + 1):
                joined = "".join(word.text for word in run[i : i + size]).lower()
                found.append((run[i + size - 1].start, joined))
    years: list[str] = []
    for match in _WORD.finditer(_FORM.sub(r"\1\2", question)):  # 10-K → 10K, one token
        period = _period(re.sub(r"['’]s?$", "", match.group(0)).lower())
        if period is not None:
            years += period[0]
            found += [(match.start(), term) for term in period[1]]
    cues = [cue for _, cue in sorted(found, key=lambda item: item[0])]
    return list(dict.fromkeys([*cues, *([max(years)] if years else [])]))


def _period(low: str) -> tuple[list[str], list[str]] | None:
    """(years, other period terms) of one lower-cased token, or None when it is no period."""
    if low.isalpha():
        return None  # the common case, decided without a regex
    year = _YEAR.match(low)
    if year:
        return [year.group(1) or f"20{year.group(2)}"], []
    part = _PART.match(low)
    if part:
        if part.group(3):
            return [part.group(3)], [part.group(4)]
        return [part.group(2)] if part.group(2) else [], [part.group(1)]
    if _FORM_WORD.fullmatch(low):
        return [], [low]
    return None


def _label_words(label: str) -> list[tuple[str, bool]]:
    """(word, capitalised) pairs of a label, forms (`10-K` → `10k`) and periods (`FY2024`) normalised."""
    words: list[tuple[str, bool]] = []
    for token in re.findall(r"[A-Za-z0-9]+", _FORM.sub(r"\1\2", label)):
        period = _period(token.lower())
        terms = [*period[0], *period[1]] if period else [token.lower()]
        words += [(term, token[0].isupper()) for term in terms]
    return words


def _capitalised_runs(words: list[tuple[str, bool]]) -> list[list[str]]:
    """Runs of consecutive capitalised words: the names in a label."""
    runs: list[list[str]] = [[]]
    for word, capitalised in words:
        if capitalised:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if len(run) > 1]


def _contains(entries: list[int], n: int) -> bool:
    i = bisect.bisect_left(entries, n)
    return i < len(entries) and entries[i] == n


def _add(index: dict[str, list[int]], key: str, article: int) -> None:
    entries = index.setdefault(key, [])
    if not entries or entries[-1] != article:
        entries.append(article)
