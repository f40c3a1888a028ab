"""A link fetched for `add URL`: checked, decoded and parsed into an article, or a PDF's bytes.

The fetch itself (redirects, addresses, deadline, size) is `index.fetch.fetch`; this module
decides what the answer is. A charset Python does not know is a warning, not a crash: the
page is then read the way files are (UTF-8, else Windows-1252).
"""

from datetime import date
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel

from index.errors import BadArticle, FetchFailed, NothingAdded
from index.fetch import FetchLimits, fetch
from index.html import parse_html
from index.isolate import run_isolated
from index.load import decode_bytes
from index.models import Article
from index.settings import IndexSettings
from index.textfile import parse_text_article

HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
PDF_TYPES = {"application/pdf"}


class WebPage(BaseModel):
    """What a link held: an article parsed from HTML or text, or a PDF to add as a file."""

    url: str  # after redirects
    name: str  # host and path, for a file name
    article: Article | None = None
    pdf: bytes | None = None
    warnings: list[str] = []

    def markdown(self, article: Article) -> str:
        """`article` (this page's) as a Markdown file with front matter, as saved in the corpus."""
        meta = {
            "title": article.title,
            "source": article.source or urlsplit(self.url).hostname or "web",
            "url": article.url or self.url,
            "published": article.published.isoformat() if article.published else None,
            "author": article.author,
            "tickers": article.tickers or None,
            "fetched": date.today().isoformat(),
        }
        kept = {k: v for k, v in meta.items() if v}
        front = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False)
        return f"---\n{front}---\n{article.text}\n"


def fetch_article(url: str, settings: IndexSettings) -> WebPage:
    """Fetch `url` within the settings' limits; FetchFailed or NothingAdded when it is no article."""
    max_bytes = int(settings.fetch_max_mb * 1_000_000)
    limits = FetchLimits(
        timeout_s=settings.fetch_timeout_s,
        max_bytes=max_bytes,
        allow_private=settings.fetch_allow_private,
    )
    try:
        fetched = fetch(url, limits)
    except FetchFailed as exc:
        if exc.kind == "too_large":
            raise FetchFailed(
                f"cannot add {url}: larger than {settings.fetch_max_mb:g} MB "
                "(INVESTOR_QA_FETCH_MAX_MB)",
                kind="too_large",
            ) from exc
        raise
    media_type = fetched.media_type
    if media_type not in HTML_TYPES | TEXT_TYPES | PDF_TYPES:
        raise FetchFailed(
            f"cannot add {url}: it is {media_type or 'of no stated type'}, not a web page, "
            "text or PDF",
            kind="content",
        )
    parts = urlsplit(fetched.url)
    page = WebPage(url=fetched.url, name=(parts.hostname or "web") + parts.path)
    if media_type in PDF_TYPES:
        return page.model_copy(update={"pdf": fetched.body})
    text, warnings = decode_page(url, fetched.body, fetched.charset)
    try:
        if media_type in HTML_TYPES:  # lxml and trafilatura: in a worker, under limits
            article, _ = run_isolated(parse_html, text, fetched.url, what=url)
        else:
            article, _ = parse_text_article(text, fetched.url, plain=True)
    except BadArticle as exc:
        raise NothingAdded(f"nothing added: {exc}") from exc
    return page.model_copy(update={"article": article, "warnings": warnings})


def decode_page(url: str, body: bytes, charset: str | None) -> tuple[str, list[str]]:
    """The page's text in its declared charset; an unknown one is a warning and a fallback."""
    if charset:
        try:
            return body.decode(charset, errors="replace"), []
        except LookupError:  # no such codec, or not a text encoding (base64, zlib...)
            text, used = decode_bytes(body)
            return text, [f"{url}: unknown charset {charset[:40]!r}, read as {used}"]
    return decode_bytes(body)[0], []
