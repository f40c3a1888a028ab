"""Keyword search over the FTS5 table `chunks_fts(context, text)`, ranked by BM25.

MiniLM blurs names, tickers and figures ("Cainiao", "EBITA", "9988.HK", "FY2018"); exact
terms rescue them. The question is turned into an OR of quoted terms: quoting neutralises
FTS5 syntax (a stray `"`, `-`, `NEAR`, `:` can neither break the query nor change its meaning),
and dropping question words keeps BM25 from matching every chunk that says "what".
"""

import re

from index.store import IndexFiles

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
_FISCAL = re.compile(r"^fy'?(\d{2}|\d{4})$")
MAX_TERMS = 24  # bounds FTS5 work for pasted paragraphs


def fts_terms(question: str) -> list[str]:
    """The distinct search terms of a question, lower-cased, in order of appearance."""
    terms: list[str] = []
    for raw in _TOKEN.findall(question):
        token = raw.lower().strip("'’.$%").replace("’", "'")
        if token.endswith("'s"):
            token = token[:-2]
        if not token or token in STOPWORDS or (len(token) == 1 and not token.isdigit()):
            continue
        terms.append(token)
        fiscal = _FISCAL.match(token)
        if fiscal:  # FY2018 and FY18 are written "2018" in most filings
            year = fiscal.group(1)
            terms.append(year if len(year) == 4 else f"20{year}")
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def build_fts_query(question: str, terms: list[str] | None = None) -> str | None:
    """An FTS5 MATCH expression (quoted terms joined by OR), or None when nothing is searchable."""
    terms = fts_terms(question) if terms is None else terms
    if not terms:
        return None
    # Inside quotes FTS5 only tokenises: `9988.hk` becomes the phrase "9988 hk", `1,577` "1 577".
    return " OR ".join(_quote(term) for term in terms)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class TermStats:
    """Document frequencies of query terms in one loaded index, cached (the index never changes).

    BM25 must score every chunk that matches any term, so one term found in a third of all
    chunks ("2018", "revenue") makes a query slow while adding almost nothing to the ranking
    (its IDF is near zero). Such terms are left out of the query.
    """

    MAX_CACHED = 50_000

    def __init__(self, files: IndexFiles):
        self.files = files
        self.total = files.manifest.chunks
        self.df: dict[str, int] = {}

    def selective(self, terms: list[str], max_share: float, keep_at_least: int = 2) -> list[str]:
        """The terms found in at most `max_share` of chunks; the rarest few if none are."""
        if max_share >= 1.0 or not terms:
            return terms
        for term in terms:
            if term not in self.df:
                if len(self.df) >= self.MAX_CACHED:
                    self.df.clear()
                sql = "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?"
                self.df[term] = self.files.query(sql, (_quote(term),))[0][0]
        limit = max_share * self.total
        kept = [t for t in terms if self.df[t] <= limit]
        return kept or sorted(terms, key=self.df.__getitem__)[:keep_at_least]


def keyword_search(
    files: IndexFiles,
    question: str,
    depth: int,
    allowed: list[int] | None = None,
    weights: tuple[float, float] = (1.0, 1.0),
    stats: TermStats | None = None,
    max_df_share: float = 1.0,
) -> list[tuple[int, float]]:
    """Up to `depth` (chunk rowid, BM25 score) pairs, best first; `allowed` restricts the rowids."""
    terms = fts_terms(question)
    if stats is not None:
        terms = stats.selective(terms, max_df_share)
    query = build_fts_query(question, terms)
    if query is None or depth <= 0:
        return []
    sql = "SELECT rowid AS r, bm25(chunks_fts, ?, ?) AS s FROM chunks_fts WHERE chunks_fts MATCH ?"
    params: list = [weights[0], weights[1], query]
    if allowed is not None:
        # A rowid constraint inside the FTS5 query makes SQLite run the match once per allowed
        # row (14 s at 100k chunks with 8k allowed); matching once and filtering after is 65 ms.
        sql = (
            f"WITH m AS MATERIALIZED ({sql}) SELECT r, s FROM m"
            " WHERE r IN (SELECT value FROM json_each(?))"
        )
        params.append("[" + ",".join(str(int(r)) for r in allowed) + "]")
    sql += " ORDER BY s LIMIT ?"
    params.append(depth)
    # SQLite's bm25() is lower-is-better; flip it so every score in the code grows with relevance.
    return [(int(row[0]), -float(row[1])) for row in files.query(sql, params)]
