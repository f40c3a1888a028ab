"""Turn a question plus options into a search: inline filter tokens and company scoping.

Inline tokens (`ticker:BABA since:2025-06-01 until:2025-12-31 source:Reuters`, values with
spaces in double quotes) are taken out of the question text and become a SearchFilter.
When no ticker filter is given, a question that names a company the index knows is scoped
to that company's articles, and the answer says so.
"""

import re
from datetime import date

from pydantic import BaseModel

from index.filters import SearchFilter
from index.models import Hit
from index.scope import Company, companies_in, company_filter

_TOKEN = re.compile(r'(?<!\S)(ticker|tickers|since|until|source):("[^"]*"|\S+)', re.IGNORECASE)


class ParsedQuestion(BaseModel):
    """A question with its inline filter tokens taken out."""

    text: str
    filters: SearchFilter
    problems: list[str] = []  # tokens that could not be used, for the user to see


def parse_inline_filters(question: str) -> ParsedQuestion:
    """Split `ticker:`, `since:`, `until:` and `source:` tokens from the question text."""
    values: dict = {"tickers": [], "sources": [], "since": None, "until": None}
    problems: list[str] = []
    for key, raw in _TOKEN.findall(question):
        value, key = raw.strip('"').strip(), key.lower()
        if key.startswith("ticker"):
            values["tickers"] += [t.upper() for t in re.split(r"[,/]", value) if t]
        elif key == "source":
            values["sources"].append(value)
        else:
            try:
                values[key] = date.fromisoformat(value)
            except ValueError:
                problems.append(f"ignored {key}:{value} (expected YYYY-MM-DD)")
    text = " ".join(_TOKEN.sub(" ", question).split())
    return ParsedQuestion(text=text, filters=SearchFilter(**values), problems=problems)


def merge_filters(first: SearchFilter, second: SearchFilter) -> SearchFilter:
    """Both filters at once: lists are joined, a date given in `second` wins, collections meet;
    anything else `first` holds (untagged articles kept) stays as it is."""
    collections = first.collections if second.collections is None else second.collections
    if first.collections is not None and second.collections is not None:
        collections = first.collections & second.collections
    return first.model_copy(
        update={
            "tickers": list(dict.fromkeys(first.tickers + second.tickers)),
            "sources": list(dict.fromkeys(first.sources + second.sources)),
            "since": second.since or first.since,
            "until": second.until or first.until,
            "collections": collections,
        }
    )


class ScopedSearch(BaseModel):
    """The hits of a search and, in words, the filter that shaped them (None: no filter)."""

    question: str
    hits: list[Hit]
    filters_applied: str | None = None


def scoped_search(
    searcher, question: str, k: int, explicit: SearchFilter, companies: list[Company]
) -> ScopedSearch:
    """Search with inline and explicit filters, or scope to the companies the question names."""
    parsed = parse_inline_filters(question)
    text = parsed.text or question
    flt = merge_filters(explicit, parsed.filters)
    notes = list(parsed.problems)
    named = [] if flt.tickers else companies_in(text, companies)
    if named:
        scoped = company_filter(named).model_copy(
            update={
                "since": flt.since,
                "until": flt.until,
                "sources": flt.sources,
                "collections": flt.collections,
            }
        )
        hits = searcher.search(text, k, scoped)
        if hits:
            who = ", ".join(f"{c.name} ({'/'.join(c.tickers)})" for c in named)
            rest = flt.describe()
            notes.insert(
                0, f"company {who}, plus untagged articles" + (f"; {rest}" if rest else "")
            )
            return ScopedSearch(question=text, hits=hits, filters_applied="; ".join(notes))
    hits = searcher.search(text, k, None if flt.is_empty() else flt)
    if flt.describe():  # what the asker filtered on; their readable collections go unsaid
        notes.insert(0, flt.describe())
    return ScopedSearch(question=text, hits=hits, filters_applied="; ".join(notes) or None)
