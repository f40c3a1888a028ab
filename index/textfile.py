"""Parse text articles: Markdown with YAML front matter, messy plain text, and shared metadata."""

import re
from datetime import date, datetime

import yaml

from index.errors import BadArticle
from index.models import Article, stable_id

_REF_MARK = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]")
# "…grew 22%. Some Source Name …[3]": a short source name after a sentence, ending in a mark.
_SOURCE_REF = re.compile(r"(?<=[.!?])[ \t]+[A-Z][^.!?\n\[\]]{0,80}?…?\s?\[\d+\]")
_ELLIPSIS_SOURCE = re.compile(r"(?<=[.!?])[ \t]+[A-Z][^.!?\n…]{0,60}…(?=\s|$)")
_BYLINE = re.compile(r"^\s*(by|written by|reporting by|author:)\s+\S", re.IGNORECASE)
_SHARE_LINE = re.compile(r"^\s*(share this|share on|follow us|subscribe)\b", re.IGNORECASE)
# Where the article proper ends: reference lists, "related" links and comment threads.
_FOOTER = re.compile(
    r"^\s*((\d+\s+)?comments?(\s*\(\d+\))?|leave a (comment|reply)|log in to comment|references|"
    r"sources|related( articles| stories| reading)?\s*:.*|related( articles| stories)|read more\s*:.*)"
    r"\s*:?\s*$",
    re.IGNORECASE,
)


def parse_text_article(text: str, rel: str, plain: bool) -> tuple[Article, list[str]]:
    """A decoded .md (front matter) or .txt (first line is the title) file as an Article."""
    warnings: list[str] = []
    if plain:
        title, body = split_title_line(clean_text(text))
        meta: dict = {}
    else:
        meta, body, warning = parse_front_matter(text)
        title = str(meta.get("title") or first_heading(body) or "")
        if warning:
            warnings.append(warning)
    if not title:
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        title = stem.replace("-", " ").replace("_", " ")
    article, warning = article_from(rel, meta, str(title), body)
    return article, warnings + ([warning] if warning else [])


def article_from(rel: str, meta: dict, title: str, body: str) -> tuple[Article, str | None]:
    """An Article from loose metadata (front matter, HTML meta, a bulk record), or BadArticle."""
    body = body.strip("\n")
    if not body.strip():
        raise BadArticle(f"{rel}: skipped, no text")
    published, warning = parse_date(meta.get("published"))
    article = Article(
        id=stable_id("article", rel),
        path=rel,
        title=" ".join(str(title).split())[:300] or rel,
        source=opt_str(meta.get("source")),
        url=opt_str(meta.get("url")),
        published=published,
        author=opt_str(meta.get("author")),
        tickers=parse_tickers(meta.get("tickers")),
        text=body,
    )
    return article, warning


def parse_front_matter(text: str) -> tuple[dict, str, str | None]:
    """Split YAML front matter from the body: (metadata, body, warning)."""
    if not text.startswith("---\n"):
        return {}, text, None
    end = text.find("\n---", 4)
    if end == -1:
        return {}, text, "malformed front matter (no closing ---), indexed the text as is"
    block, rest = text[4:end], text[end + 4 :]
    body = rest.split("\n", 1)[1] if "\n" in rest else ""
    try:
        meta = yaml.safe_load(block) or {}
    except yaml.YAMLError:
        return {}, body, "malformed front matter (invalid YAML), indexed the text without it"
    if not isinstance(meta, dict):
        return {}, body, "malformed front matter (not a mapping), indexed the text without it"
    return {str(k).lower(): v for k, v in meta.items()}, body, None


def parse_date(value: object) -> tuple[date | None, str | None]:
    """A `published` value as a date, or None with a warning when it is not YYYY-MM-DD."""
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    try:
        return date.fromisoformat(str(value).strip()[:10]), None
    except ValueError:
        return None, f"ignored published date {str(value)[:40]!r} (expected YYYY-MM-DD)"


def parse_tickers(value: object) -> list[str]:
    """Tickers from a list or a comma-, semicolon- or space-separated string."""
    if not value:
        return []
    items = value if isinstance(value, list) else re.split(r"[,;\s]+", str(value).strip("[]"))
    return [str(t).strip().upper() for t in items if str(t).strip()]


def first_heading(body: str) -> str | None:
    """The first Markdown `#` heading of a body, if any."""
    match = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", body, re.MULTILINE)
    return match.group(1) if match else None


def split_title_line(text: str) -> tuple[str, str]:
    """Plain text: the first non-empty line is the title, the rest the body."""
    lines = text.strip("\n").split("\n", 1)
    title = lines[0].strip()
    return title, lines[1] if len(lines) > 1 else ""


def clean_text(text: str) -> str:
    """Strip web-copy junk from plain text: reference marks, bylines, comment footers."""
    kept: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if _FOOTER.match(line):
            break
        if (i < 6 and _BYLINE.match(line)) or _SHARE_LINE.match(line):
            continue
        line = _REF_MARK.sub("", _ELLIPSIS_SOURCE.sub("", _SOURCE_REF.sub("", line)))
        kept.append(line.rstrip())
    return "\n".join(kept)


def opt_str(value: object) -> str | None:
    """A stripped string, or None for missing and empty values."""
    return str(value).strip() or None if value not in (None, "") else None
