"""Load corpus files into `Article` models: front-matter Markdown and plain text."""

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from index.errors import BadArticle, CorpusNotFound
from index.models import Article, stable_id
from index.pdf import join_pages, pdf_date, pdf_title, read_pdf_pages

logger = logging.getLogger(__name__)

SUPPORTED = {".md", ".markdown", ".txt", ".pdf"}
IGNORED_NAMES = {"readme.md", "readme.txt", "license", "license.md"}

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


@dataclass
class LoadResult:
    """Articles loaded from a corpus, with one warning per file that had a problem."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_corpus(corpus_dir: Path) -> LoadResult:
    """Load every supported article under `corpus_dir`, warning about the rest."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusNotFound(f"corpus directory not found: {corpus_dir}")
    result = LoadResult()
    for path in iter_corpus_files(corpus_dir):
        rel = path.relative_to(corpus_dir).as_posix()
        if path.suffix.lower() not in SUPPORTED:
            result.warnings.append(
                f"{rel}: skipped, unsupported file type {path.suffix or '(none)'}"
            )
            continue
        try:
            article, warning = load_article(path, rel)
        except BadArticle as exc:
            result.warnings.append(str(exc))
            continue
        if warning:
            result.warnings.append(warning)
        result.articles.append(article)
    return result


def iter_corpus_files(corpus_dir: Path) -> Iterator[Path]:
    """Files under `corpus_dir` in a stable order, skipping hidden files and READMEs."""
    for root, dirs, files in os.walk(corpus_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.lower() in IGNORED_NAMES:
                continue
            yield Path(root) / name


def load_article(path: Path, rel: str) -> tuple[Article, str | None]:
    """Parse one file into an Article, plus a warning when something was off."""
    if path.suffix.lower() == ".pdf":
        return load_pdf(path, rel), None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadArticle(f"{rel}: unreadable ({exc.strerror or exc})") from exc
    text = decode_text(raw)
    if path.suffix.lower() == ".txt":
        title, body = split_title_line(clean_text(text))
        meta, warning = {}, None
    else:
        meta, body, warning = parse_front_matter(text)
        title = meta.get("title") or first_heading(body)
        warning = f"{rel}: {warning}" if warning else None
    if not body.strip():
        raise BadArticle(f"{rel}: skipped, no text")
    title = str(title or path.stem.replace("-", " ").replace("_", " ")).strip()
    published, date_warning = parse_date(meta.get("published"))
    if date_warning:
        warning = f"{rel}: {date_warning}" if not warning else f"{warning}; {date_warning}"
    article = Article(
        id=stable_id("article", rel),
        path=rel,
        title=title,
        source=_opt_str(meta.get("source")),
        url=_opt_str(meta.get("url")),
        published=published,
        author=_opt_str(meta.get("author")),
        tickers=parse_tickers(meta.get("tickers")),
        text=body.strip("\n"),
    )
    return article, warning


def load_pdf(path: Path, rel: str) -> Article:
    """A PDF as one Article whose chunks know their page."""
    pages, metadata = read_pdf_pages(path, rel)
    text, page_starts = join_pages(pages)
    if sum(not ch.isspace() for ch in text) < 20:
        raise BadArticle(f"{rel}: no extractable text (scanned PDF?), skipped")
    return Article(
        id=stable_id("article", rel),
        path=rel,
        title=pdf_title(metadata, text) or path.stem,
        author=_opt_str(metadata.get("Author")),
        published=pdf_date(metadata),
        text=text,
        page_starts=page_starts,
    )


def decode_text(raw: bytes) -> str:
    """Decode UTF-8, falling back to Latin-1; drop NUL bytes and normalise newlines."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


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
    if isinstance(value, date):
        return value, None
    try:
        return date.fromisoformat(str(value).strip()[:10]), None
    except ValueError:
        return None, f"ignored published date {str(value)[:40]!r} (expected YYYY-MM-DD)"


def parse_tickers(value: object) -> list[str]:
    """Tickers from a YAML list or a comma-separated string."""
    if not value:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
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


def _opt_str(value: object) -> str | None:
    return str(value).strip() if value not in (None, "") else None
