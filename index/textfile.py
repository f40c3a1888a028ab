"""Parse text articles: Markdown with YAML front matter, messy plain text, and shared metadata."""

import re
from datetime import date, datetime

import yaml

from index.errors import BadArticle
from index.models import Article, stable_id
from index.yaml_safe import UnsafeYAML, is_scalar, load_plain_yaml

# Metadata that is one value; a list or mapping there is refused rather than str()-ed.
SCALAR_FIELDS = ("title", "source", "url", "published", "author", "text", "body", "content")

_REF_MARK = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]")
# "…grew 22%. Some Source Name …[3]": a short source name after a sentence, ending in a mark.
# (Not when a full stop follows the mark: "… launched this quarter[4]." is a sentence.)
_SOURCE_REF = re.compile(r"(?<=[.!?])[ \t]+[A-Z][^.!?\n\[\]]{0,80}?…?\s?\[\d+\](?![.!?])")
# "…into e-commerce operationsAcme accelerates AI-driven growth - by CIW Team[3]. Meanwhile":
# a cited page's title glued to the end of a sentence (no space), up to its reference mark.
# The glue is a lower-case word of 4+ letters running into a capital, so brand names such as
# iPhone, eBay or PayPal never start one.
_GLUED_TITLE = re.compile(
    r"\b([a-z][a-z0-9%)-]{3,})([A-Z][^\[\]\n]{8,160}?)\s?\[\d+(?:\s*[,–-]\s*\d+)*\]([.!?]?)"
)
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
        meta = load_plain_yaml(block) or {}
    except UnsafeYAML as exc:
        return {}, body, f"front matter refused ({exc}), indexed the text without it"
    except yaml.YAMLError:
        return {}, body, "malformed front matter (invalid YAML), indexed the text without it"
    if not isinstance(meta, dict):
        return {}, body, "malformed front matter (not a mapping), indexed the text without it"
    meta, problem = scalar_meta({str(k).lower(): v for k, v in meta.items() if is_scalar(k)})
    return meta, body, problem and f"front matter: {problem}"


def scalar_meta(meta: dict) -> tuple[dict, str | None]:
    """`meta` without lists or mappings where one value belongs, and a warning naming them."""
    dropped = [
        key
        for key, value in meta.items()
        if (key in SCALAR_FIELDS and not is_scalar(value))
        or (key == "tickers" and not is_scalar(value) and not _flat_list(value))
    ]
    if not dropped:
        return meta, None
    kept = {k: v for k, v in meta.items() if k not in dropped}
    return kept, f"ignored {', '.join(dropped)} (not a single value)"


def _flat_list(value: object) -> bool:
    return isinstance(value, list) and all(is_scalar(v) for v in value)


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
    for line in body.split("\n"):
        if line.startswith("#") and (heading := heading_text(line)):
            return heading
    return None


def heading_text(text: str) -> str | None:
    """The text of an ATX heading (`## Title ##`) that is all of `text`, else None.

    String operations, not a regex: `#{1,6}\\s+(.+?)\\s*#*\\s*$` backtracks cubically on
    `# a` followed by 20,000 spaces and a letter.
    """
    level = len(text) - len(text.lstrip("#"))
    rest = text[level:]
    if not 1 <= level <= 6 or not rest[:1].isspace():
        return None
    title = rest.strip()
    if title.rstrip("#") != title:  # a closing run of #s; at least one character stays
        title = title.rstrip("#").rstrip() or title[:1]
    return title if title and "\n" not in title else None


def split_title_line(text: str) -> tuple[str, str]:
    """Plain text: the first non-empty line is the title, the rest the body.

    A file of one paragraph has no title line: the first line is the title only when a body
    follows it and that body does not merely continue the line (a hard-wrapped paragraph).
    Without one the title is left empty (the caller names it after the file).
    """
    lines = text.strip("\n").split("\n", 1)
    title, body = lines[0].strip(), lines[1] if len(lines) > 1 else ""
    continues = body[:1].islower() and not re.search(r"[.!?:]$", title)
    if not body.strip() or continues:
        return "", text.strip("\n")
    return title, body


def clean_text(text: str) -> str:
    """Strip web-copy junk from plain text: reference marks, bylines, comment footers."""
    kept: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if _FOOTER.match(line):
            break
        if (i < 6 and _BYLINE.match(line)) or _SHARE_LINE.match(line):
            continue
        line = _GLUED_TITLE.sub(_unglue, line)
        line = _REF_MARK.sub("", _ELLIPSIS_SOURCE.sub("", _SOURCE_REF.sub("", line)))
        kept.append(line.rstrip())
    return "\n".join(kept)


def _unglue(match: re.Match) -> str:
    """The sentence end without the glued title; a full stop where the title swallowed it."""
    if len(match.group(2).split()) < 3:
        return match.group(0)  # "macOS Sonoma[2]": too short to be a page title
    rest = match.string[match.end() :]
    stop = match.group(3) or ("." if rest.strip()[:1].isupper() or not rest.strip() else "")
    return f"{match.group(1)}{stop}"


def opt_str(value: object) -> str | None:
    """A stripped string, or None for missing and empty values."""
    return str(value).strip() or None if value not in (None, "") else None
