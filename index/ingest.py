"""Add articles to the corpus and index them incrementally: files by path, pages by URL.

The Slack layer calls `add_files` for uploads by admins; the CLI calls both. Files are
checked before they are copied, so a bad file never enters the corpus; the index is then
rebuilt incrementally (only new text is embedded) and published atomically.
"""

import re
import shutil
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import yaml
from pydantic import BaseModel

from index.build import BuildReport, build_index
from index.embed import Embedder
from index.errors import BadArticle, NothingAdded
from index.fetch import HTML_TYPES, PDF_TYPES, fetch_url
from index.html import parse_html
from index.load import (
    IGNORED_NAMES,
    SUPPORTED,
    decode_bytes,
    load_corpus,
    load_file,
    text_fingerprint,
)
from index.models import DEFAULT_COLLECTION
from index.settings import IndexSettings
from index.textfile import parse_text_article
from index.tokens import default_counter


class AddedArticle(BaseModel):
    """One article now in the corpus."""

    path: str  # relative to the corpus directory
    title: str


class AddReport(BaseModel):
    """What `add` did: articles added, inputs refused (one line each), and the build."""

    added: list[AddedArticle]
    skipped: list[str]
    build: BuildReport | None = None


def add_files(
    paths: list[Path],
    settings: IndexSettings,
    embedder: Embedder,
    collection: str = DEFAULT_COLLECTION,
) -> AddReport:
    """Copy readable article files into the corpus (a collection's folder), then index."""
    corpus = Path(settings.corpus_dir)
    folder = collection_dir(corpus, collection)
    folder.mkdir(parents=True, exist_ok=True)
    added, skipped = [], []
    # Text the collection already holds is refused before copying, so the older file stays the
    # one cited. Other collections are not compared: each has its own readers, and the reply
    # must not tell the uploader what a collection they may not read contains.
    existing = load_corpus(corpus, settings.max_article_bytes).articles
    known = {text_fingerprint(a.text): a.path for a in existing if a.collection == collection}
    for source in map(Path, paths):
        if source.suffix.lower() not in SUPPORTED:
            skipped.append(f"{source.name}: skipped, unsupported file type")
            continue
        try:  # check first: a file that cannot be indexed never enters the corpus
            articles, _ = load_file(source, source.name, settings.max_article_bytes)
        except BadArticle as exc:
            skipped.append(str(exc))
            continue
        dupes = [known[f] for f in map(text_fingerprint, (a.text for a in articles)) if f in known]
        if len(dupes) == len(articles):
            skipped.append(f"{source.name}: same text as {dupes[0]} already in the corpus, skipped")
            continue
        target = free_name(folder, source.stem, source.suffix.lower())
        shutil.copyfile(source, target)
        rel = target.relative_to(corpus).as_posix()
        added += [_added(a.path.replace(source.name, rel, 1), a.title) for a in articles]
    return _index(added, skipped, settings, embedder)


def collection_dir(corpus: Path, collection: str) -> Path:
    """The folder a collection's articles live in: the corpus itself for `default`."""
    if collection == DEFAULT_COLLECTION:
        return corpus
    if not collection or "/" in collection or "\\" in collection or collection.startswith("."):
        raise NothingAdded(f"nothing added: {collection!r} is not a collection name")
    return corpus / collection


def add_url(
    url: str, settings: IndexSettings, embedder: Embedder, collection: str = DEFAULT_COLLECTION
) -> AddReport:
    """Fetch a web page (or text, or PDF), save it in the corpus, then index incrementally."""
    fetched = fetch_url(url, settings.fetch_timeout_s, int(settings.fetch_max_mb * 1_000_000))
    corpus = Path(settings.corpus_dir)
    folder = collection_dir(corpus, collection)
    folder.mkdir(parents=True, exist_ok=True)
    host = urlparse(fetched.url).hostname or "web"
    if fetched.media_type in PDF_TYPES:
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / f"{slug(host + urlparse(fetched.url).path) or 'download'}.pdf"
            pdf.write_bytes(fetched.body)
            return add_files([pdf], settings, embedder, collection)
    try:
        if fetched.media_type in HTML_TYPES:
            html = fetched.body.decode(fetched.charset or "utf-8", errors="replace")
            article, _ = parse_html(html, fetched.url)
        else:
            article, _ = parse_text_article(decode_bytes(fetched.body)[0], fetched.url, plain=True)
    except BadArticle as exc:
        raise NothingAdded(f"nothing added: {exc}") from exc
    meta = {
        "title": article.title,
        "source": article.source or host,
        "url": article.url or fetched.url,
        "published": article.published.isoformat() if article.published else None,
        "author": article.author,
        "tickers": article.tickers or None,
        "fetched": date.today().isoformat(),
    }
    front = yaml.safe_dump(
        {k: v for k, v in meta.items() if v}, allow_unicode=True, sort_keys=False
    )
    target = free_name(folder, slug(article.title), ".md")
    target.write_text(f"---\n{front}---\n{article.text}\n", encoding="utf-8")
    rel = target.relative_to(corpus).as_posix()
    return _index([_added(rel, article.title)], [], settings, embedder)


def free_name(corpus: Path, stem: str, suffix: str) -> Path:
    """`corpus/stem.suffix`, or `stem-2.suffix` and so on when that is taken."""
    stem = slug(stem) or "article"
    target, n = corpus / f"{stem}{suffix}", 2
    # A name the loader ignores (README.md, LICENSE) would be copied but never indexed.
    while target.exists() or target.name.lower() in IGNORED_NAMES:
        target, n = corpus / f"{stem}-{n}{suffix}", n + 1
    return target


def slug(text: str) -> str:
    """A short file-name-safe form of a title."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].rstrip("-")


def _index(
    added: list[AddedArticle], skipped: list[str], settings: IndexSettings, embedder: Embedder
) -> AddReport:
    if not added:
        raise NothingAdded("nothing added: " + ("; ".join(skipped) or "no files given"))
    build = build_index(
        settings.corpus_dir,
        settings.index_dir,
        embedder,
        default_counter(),
        batch_size=settings.batch_size,
        max_article_bytes=settings.max_article_bytes,
    )
    # A file whose text the corpus already had was indexed once, under the older file.
    dupes = {w.split(": ", 1)[0]: w for w in build.warnings if ": same text as " in w}
    skipped += [dupes[a.path] for a in added if a.path in dupes]
    added = [a for a in added if a.path not in dupes]
    return AddReport(added=added, skipped=skipped, build=build)


def _added(path: str, title: str) -> AddedArticle:
    return AddedArticle(path=path, title=title)
