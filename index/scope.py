"""Company scoping: which companies a question names, from corpus tickers, the identities read
from the documents, and an alias file.

Tickers that appear together on an article (e.g. `[BABA, 9988.HK]`) are one company. A
document's identity (index/identity.py) names its company (`3M Company`, short `3M`) and
tickers, so a filing makes `ticker:MMM` and "3M's capex" work with no alias file; articles whose
identity names the same company without a ticker join that company. `aliases.yml` in the corpus
adds names:

    Alibaba: [BABA, 9988.HK, Alibaba Group]

Upper-case entries without spaces are tickers; anything else is a name matched as whole
words, case-insensitively. Tickers are matched case-sensitively, so "META" scopes but "meta"
does not. Only companies with at least one ticker in the index are scoped.
"""

import json
import logging
import re
from pathlib import Path

import yaml
from pydantic import BaseModel

from index.filters import SearchFilter
from index.store import IndexFiles, read_identity
from index.yaml_safe import UnsafeYAML, is_scalar, load_plain_yaml

logger = logging.getLogger(__name__)

ALIAS_FILE = "aliases.yml"
_TICKER = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,11}$")


class Company(BaseModel):
    """One company: its display name, tickers present in the index, and names to match."""

    name: str
    tickers: list[str]
    names: list[str]


def known_companies(
    files: IndexFiles, alias_file: Path | None, collections: frozenset[str] | None = None
) -> list[Company]:
    """Companies the index knows (in `collections`, None: all), from tickers, the identities
    read from the documents and the alias file.

    Limited to what an asker may read, so scoping never names a company only a restricted
    article mentions.
    """
    groups, read_names = identity_groups(files, collections)
    known = set().union(*groups) if groups else set()
    names: dict[str, list[str]] = {}  # ticker → display name and other names to match
    for display, entries in read_aliases(alias_file).items():
        tickers = {e for e in entries if _TICKER.match(e)}
        groups.append(tickers)
        others = [e for e in entries if e not in known]  # names, and tickers no article has
        for ticker in tickers:
            names.setdefault(ticker, []).extend([display, *others])
    for ticker, found in read_names.items():  # the alias file's display name comes first
        names.setdefault(ticker, []).extend(found)
    companies = []
    for group in _merge(groups):
        in_articles = sorted(group & known)
        if not in_articles:
            continue
        aliases = list(dict.fromkeys(n for t in sorted(group) for n in names.get(t, [])))
        companies.append(Company(name=aliases[0] if aliases else in_articles[0], tickers=in_articles,
                                 names=aliases))  # fmt: skip
    return companies


def identity_groups(
    files: IndexFiles, collections: frozenset[str] | None = None
) -> tuple[list[set[str]], dict[str, list[str]]]:
    """Ticker groups of the articles (in `collections`, None: all), and {ticker: names} from
    the identities read."""
    sql = f"SELECT DISTINCT tickers, {files.identity_column} FROM articles a"
    params: list[str] = []
    if collections is not None:
        sql += f" WHERE {files.collection_sql} IN ({','.join('?' * len(collections)) or 'NULL'})"
        params = sorted(collections)
    rows = files.query(sql, params)
    groups: list[set[str]] = []
    by_name: dict[str, set[str]] = {}  # lower-cased company name → tickers
    display: dict[str, list[str]] = {}  # lower-cased company name → names to match
    for row in rows:
        tickers, identity = set(json.loads(row[0])), read_identity(row[1])
        if tickers:
            groups.append(tickers)
        if identity and identity.company:
            key = (identity.short_name or identity.company).lower()
            by_name.setdefault(key, set()).update(tickers | set(identity.tickers))
            display.setdefault(key, [])
            for name in (identity.short_name, identity.company):
                if name and name not in display[key]:
                    display[key].append(name)
    names: dict[str, list[str]] = {}
    for key, tickers in by_name.items():
        groups.append(tickers)
        for ticker in tickers:
            names.setdefault(ticker, []).extend(display[key])
    return [g for g in groups if g], names


def read_aliases(path: Path | None) -> dict[str, list[str]]:
    """`{display name: [tickers and names]}` from the alias file; empty if missing or broken."""
    if path is None or not Path(path).is_file():
        return {}
    try:
        data = load_plain_yaml(Path(path).read_text(encoding="utf-8")) or {}
    except UnsafeYAML as exc:
        logger.warning("ignored %s: %s", path, exc)
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        logger.warning("ignored %s: not a readable YAML mapping", path)
        return {}
    if not isinstance(data, dict):
        logger.warning("ignored %s: not a YAML mapping", path)
        return {}
    out = {}
    for key, value in data.items():
        entries = value if isinstance(value, list) else [value]
        if not is_scalar(key) or not all(is_scalar(e) for e in entries):
            logger.warning(
                "ignored %.40s in %s: names and tickers must be single values", key, path
            )
            continue
        out[str(key).strip()] = [str(e).strip() for e in entries if str(e).strip()]
    return out


def companies_in(question: str, companies: list[Company]) -> list[Company]:
    """The companies `question` names, by ticker (case-sensitive) or name (case-insensitive)."""
    found = []
    for company in companies:
        by_ticker = any(_mentions(question, t, ignore_case=False) for t in company.tickers)
        by_name = any(_mentions(question, n, ignore_case=True) for n in company.names)
        if by_ticker or by_name:
            found.append(company)
    return found


def company_filter(companies: list[Company]) -> SearchFilter:
    """Restrict to these companies' articles, keeping untagged articles that may cover them."""
    tickers = list(dict.fromkeys(t for c in companies for t in c.tickers))
    return SearchFilter(tickers=tickers, include_untagged=True)


def _mentions(text: str, term: str, ignore_case: bool) -> bool:
    flags = re.IGNORECASE if ignore_case else 0
    return re.search(rf"(?<![\w.]){re.escape(term)}(?![\w])", text, flags) is not None


def _merge(groups: list[set[str]]) -> list[set[str]]:
    """Union of groups that share a ticker (tiny inputs: quadratic is fine)."""
    merged: list[set[str]] = []
    for group in groups:
        group = set(group)
        for other in [m for m in merged if m & group]:
            group |= other
            merged.remove(other)
        if group:
            merged.append(group)
    return merged
