"""The search terms of a question, as keyword search (FTS5) sees them."""

import re
import sqlite3
import threading

# Question scaffolding and function words: they match nearly every chunk and only add noise.
_STOPWORDS_TEXT = """
    a an the of in on at to for from by with and or but nor is are was were be been being am
    do does did done has have had having how much many what which who whom whose when where
    why will would can could should shall may might must its it this that these those their
    there they them i me my we our us you your he she his her him about into over under than
    then as so if not no yes any all some more most per vs via up out also just only such
    each other own same tell give show say said please know latest recent current currently
    based using use used answer question following assume assuming shown provide state
    explain describe amount company companys value total respond response relying useful
    metric metrics like calculate utilizing round details primarily
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_TOKEN = re.compile(r"\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[^\W_](?:[\w&'’]|[.-](?=\w))*")
# Words joined by `-`, `.`, `&`, `'` or thousands commas: FTS5 splits them into a phrase.
_COMPOUND = re.compile(r"\b(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|[^\W_]+(?:[.&'’-][^\W_]+)+)")
_FISCAL = re.compile(r"^fy'?(\d{2}|\d{4})$")
_TOKENIZED_CACHED = 8192
FTS_TOKENIZER = "porter unicode61"  # chunks_fts and FtsTokenizer: one definition, no drift
MAX_TERMS = 24  # bounds FTS5 work for pasted paragraphs


def fts_terms(question: str) -> list[str]:
    """The distinct search terms of a question, lower-cased, in order of appearance."""
    terms: list[str] = []
    for raw in _TOKEN.findall(question):
        token = _normalise(raw)
        if not token or token in STOPWORDS or (len(token) == 1 and not token.isdigit()):
            continue
        terms.append(token)
        fiscal = _FISCAL.match(token)
        if fiscal:  # FY2018 and FY18 are written "2018" in most filings
            year = fiscal.group(1)
            terms.append(year if len(year) == 4 else f"20{year}")
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def compound_terms(text: str) -> set[str]:
    """The terms of `text` that FTS5 searches as phrases (`9988.hk`, `year-over-year`)."""
    return {t for t in map(_normalise, _COMPOUND.findall(text)) if t and not t.isalnum()}


def _normalise(raw: str) -> str:
    token = raw.lower().strip("'’.$%").replace("’", "'")
    return token[:-2] if token.endswith("'s") else token


class FtsTokenizer:
    """Splits text into tokens exactly as `chunks_fts` does (porter unicode61), with a cache.

    An in-memory FTS5 table with the same tokenizer does the work, so stemming and folding
    can never drift from the index's own.
    """

    def __init__(self):
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.executescript(
            f"CREATE VIRTUAL TABLE tok USING fts5(x, tokenize='{FTS_TOKENIZER}');"
            "CREATE VIRTUAL TABLE tok_terms USING fts5vocab(tok, 'instance');"
        )
        self.lock = threading.Lock()
        self.cache: dict[str, tuple[str, ...]] = {}

    def tokens(self, text: str) -> tuple[str, ...]:
        """The index tokens of `text`, in order."""
        found = self.cache.get(text)
        if found is None:
            with self.lock:
                self.db.execute("INSERT INTO tok(rowid, x) VALUES (1, ?)", (text,))
                rows = self.db.execute("SELECT term FROM tok_terms ORDER BY offset").fetchall()
                self.db.execute("DELETE FROM tok")
            found = tuple(row[0] for row in rows)
            if len(self.cache) >= _TOKENIZED_CACHED:
                self.cache.clear()
            self.cache[text] = found
        return found
