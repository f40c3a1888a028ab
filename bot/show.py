"""`investor-qa show PATH`: what the bot thinks a file is, as recorded in the index.

The identity (company, tickers, form, fiscal period, period end, filing date) was read from the
document when it was indexed (index/identity.py); each field is printed with where it was read.
"""

import json
from pathlib import Path

from index.errors import InvestorQAError
from index.labels import citation_label
from index.models import DocumentIdentity
from index.store import IndexFiles, read_identity

FIELDS = (
    ("company", "company"),
    ("short_name", "short name"),
    ("tickers", "tickers"),
    ("form", "form"),
    ("fiscal_year", "fiscal period"),
    ("period_end", "period end"),
    ("report_date", "report date"),
    ("filed", "filed"),
)


class ArticleNotFound(InvestorQAError):
    """No indexed article has that path."""


def find_article(files: IndexFiles, corpus_dir: Path, target: str) -> dict:
    """The indexed article at `target` (corpus-relative, absolute, or a unique file name)."""
    wanted = _corpus_relative(Path(target), corpus_dir)
    rows = files.query(
        f"SELECT path, title, tickers, {files.identity_column} AS identity FROM articles a"
    )
    exact = [r for r in rows if r["path"] == wanted]
    named = [r for r in rows if Path(r["path"]).name == Path(wanted).name]
    found = exact or named
    if len(found) == 1:
        row = found[0]
        return {
            "path": row["path"],
            "title": row["title"],
            "tickers": json.loads(row["tickers"]),
            "identity": read_identity(row["identity"]),
        }
    if found:
        paths = ", ".join(sorted(r["path"] for r in found)[:5])
        raise ArticleNotFound(f"{target} matches several indexed files ({paths}); give its path")
    raise ArticleNotFound(
        f"{target} is not in the index (index it with: investor-qa index, or investor-qa add)"
    )


def describe(article: dict) -> str:
    """The article's recorded identity, one field a line, each with where it was read."""
    identity: DocumentIdentity | None = article["identity"]
    lines = [article["path"], f"  title:         {article['title']}"]
    if identity is None or identity.is_empty():
        lines.append("  identity:      none read (no cover, release layout or metadata found)")
        return "\n".join(lines)
    for field, name in FIELDS:
        value = getattr(identity, field)
        if field == "fiscal_year":
            value = identity.fiscal_period
        if isinstance(value, list):
            value = ", ".join(value)
        if not value:
            continue
        source = identity.sources.get(field)
        lines.append(f"  {name + ':':15}{value}" + (f"  ({source})" if source else ""))
    lines.append(f"  {'cited as:':15}{citation_label(identity)}")
    return "\n".join(lines)


def as_json(article: dict) -> str:
    """The article's path, title, tickers and identity as one JSON object."""
    identity = article["identity"]
    return json.dumps(
        {**article, "identity": identity.model_dump(mode="json") if identity else None},
        ensure_ascii=False,
    )


def _corpus_relative(path: Path, corpus_dir: Path) -> str:
    """`path` relative to the corpus when it lies inside it, else as given."""
    for candidate in (path, Path.cwd() / path):
        try:
            return candidate.resolve().relative_to(corpus_dir.resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return path.as_posix()
