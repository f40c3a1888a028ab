"""Saved web pages: the main text without navigation, banners and footers, plus metadata.

trafilatura finds the article body and reads title, date (article:published_time, common
meta tags, JSON-LD), canonical url and author. The page's own `<meta>` tags are read first
for the fields the issue pins down, so an explicit tag always wins over a guess.
"""

import json
import logging
import re

import trafilatura
from lxml import html as lxml_html
from trafilatura.settings import Document

from index.errors import BadArticle
from index.models import Article
from index.textfile import article_from

logger = logging.getLogger(__name__)

_DATE_KEYS = ("article:published_time", "og:published_time", "datepublished", "pubdate",
              "publish-date", "date", "dc.date", "dc.date.issued", "sailthru.date")  # fmt: skip
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "byl", "sailthru.author")
MIN_TEXT_CHARS = 40  # less than a sentence: a navigation stub or an error page, not an article
_SOURCE_KEYS = ("og:site_name", "application-name", "publisher")


def parse_html(text: str, rel: str) -> tuple[Article, list[str]]:
    """One saved page as an Article (main text only), plus warnings."""
    try:
        tree = lxml_html.document_fromstring(text)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise BadArticle(f"{rel}: skipped, not parseable HTML") from exc
    meta = page_metadata(tree)
    extracted = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True
    )
    doc = extracted if isinstance(extracted, Document) else None  # a dict only with as_dict
    body = _paragraphs(doc.text or "" if doc is not None else "")
    if len(body.strip()) < MIN_TEXT_CHARS:
        raise BadArticle(f"{rel}: skipped, no article text found in the page")
    found = {
        "title": meta.get("title") or (doc.title if doc else None),
        "published": meta.get("published") or (doc.date if doc else None),
        "url": meta.get("url") or (doc.url if doc else None),
        "author": meta.get("author") or (doc.author if doc else None),
        "source": meta.get("source") or (doc.sitename if doc else None),
        "tickers": meta.get("tickers"),
    }
    title = found["title"] or body.split("\n", 1)[0]
    body = _drop_leading_title(body, title)
    article, warning = article_from(rel, found, title, body)
    return article, [warning] if warning else []


def page_metadata(tree) -> dict:
    """Title, published date, canonical url, author and site name from the page's head."""
    tags: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        if key and node.get("content") and key not in tags:
            tags[key] = node.get("content").strip()
    ld = _json_ld(tree)
    title = tags.get("og:title") or _page_title(tree)
    canonical = tree.find(".//link[@rel='canonical']")
    return {
        "title": title,
        "published": next((tags[k] for k in _DATE_KEYS if tags.get(k)), None)
        or ld.get("datePublished"),
        "url": (canonical.get("href") if canonical is not None else None) or tags.get("og:url"),
        "author": next((tags[k] for k in _AUTHOR_KEYS if tags.get(k)), None) or ld.get("author"),
        "source": next((tags[k] for k in _SOURCE_KEYS if tags.get(k)), None),
        "tickers": tags.get("tickers") or tags.get("news_keywords_tickers"),
    }


def _json_ld(tree) -> dict:
    """datePublished and author from the first JSON-LD block that has them.

    JSON-LD is whatever the page says it is: `null`, a number, `{"@graph": 1}`, or nesting
    deep enough to exhaust the recursion limit. Anything but objects is passed over.
    """
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue
        for item in _ld_items(data):
            published = item.get("datePublished")
            if isinstance(published, str) and published.strip():
                return {"datePublished": published, "author": _ld_author(item.get("author"))}
    return {}


def _ld_items(data: object) -> list[dict]:
    """The objects of a JSON-LD block: itself, a list of them, or its `@graph` list."""
    if isinstance(data, dict):
        graph = data.get("@graph")
        items = graph if isinstance(graph, list) else [data]
    else:
        items = data if isinstance(data, list) else []
    return [item for item in items if isinstance(item, dict)]


def _ld_author(author: object) -> str | None:
    """A name from `"author": "A"`, `{"name": "A"}` or a list of those."""
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict):
        author = author.get("name")
    return author.strip() or None if isinstance(author, str) else None


def _page_title(tree) -> str | None:
    """`<title>`, but the `<h1>` when the title is that plus a site name ("… | Site")."""
    title, h1 = _text(tree.find(".//title")), _text(tree.find(".//h1"))
    if title and h1 and h1.lower() in title.lower():
        return h1
    return title or h1


def _text(node) -> str | None:
    return " ".join(node.text_content().split()) or None if node is not None else None


def _paragraphs(text: str) -> str:
    """trafilatura puts one paragraph per line; the chunker wants blank lines between them."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n\n".join(line for line in lines if line)


def _drop_leading_title(body: str, title: str) -> str:
    """The body often repeats the title as its first paragraph; keep it once, as the title."""
    first, _, rest = body.partition("\n\n")
    return rest if rest.strip() and first.strip().lower() in title.lower() else body
