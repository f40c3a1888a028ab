"""Add articles to the corpus and index them incrementally: files by path, pages by URL.

The Slack layer calls `add_files` for uploads by admins; the CLI calls both. Files are
checked before they are copied, so a bad file never enters the corpus; the index is then
rebuilt incrementally (only new text is embedded) and published atomically.
"""

import os
import re
import tempfile
from pathlib import Path

from pydantic import BaseModel

from index.build import BuildReport
from index.embed import Embedder
from index.errors import BadArticle, NothingAdded
from index.load import IGNORED_NAMES, SUPPORTED, load_corpus, safe_load_file, text_fingerprint
from index.locking import build_lock
from index.models import DEFAULT_COLLECTION
from index.settings import IndexSettings
from index.tokens import default_counter
from index.update import index_new_files
from index.web_article import fetch_article


class AddedArticle(BaseModel):
    """One article now in the corpus."""

    path: str  # relative to the corpus directory
    title: str


class AddReport(BaseModel):
    """What `add` did: articles added, inputs refused (one line each), and the build."""

    added: list[AddedArticle]
    skipped: list[str]
    warnings: list[str] = []  # about what was added, e.g. a page's unknown charset
    build: BuildReport | None = None


def add_files(
    paths: list[Path],
    settings: IndexSettings,
    embedder: Embedder,
    collection: str = DEFAULT_COLLECTION,
) -> AddReport:
    """Copy readable article files into the corpus (a collection's folder), then index.

    Files are checked first; copying and the build then hold the index's build lock, so an
    `add` in another process (or a Slack upload) waits instead of racing for the version.
    """
    corpus = Path(settings.corpus_dir)
    folder = collection_dir(corpus, collection)
    folder.mkdir(parents=True, exist_ok=True)
    accepted, skipped = [], []
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
            articles, _ = safe_load_file(source, source.name, settings.max_article_bytes)
        except BadArticle as exc:
            skipped.append(str(exc))
            continue
        dupes = [known[f] for f in map(text_fingerprint, (a.text for a in articles)) if f in known]
        if len(dupes) == len(articles):
            skipped.append(f"{source.name}: same text as {dupes[0]} already in the corpus, skipped")
            continue
        accepted.append((source, articles))
    if not accepted:
        return _index([], skipped, settings, embedder)  # raises NothingAdded
    added = []
    with build_lock(settings.index_dir):
        for source, articles in accepted:
            target = write_new(folder, source.stem, source.suffix.lower(), source.read_bytes())
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
    page = fetch_article(url, settings)
    corpus = Path(settings.corpus_dir)
    folder = collection_dir(corpus, collection)
    folder.mkdir(parents=True, exist_ok=True)
    if page.pdf is not None:
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / f"{slug(page.name) or 'download'}.pdf"
            pdf.write_bytes(page.pdf)
            report = add_files([pdf], settings, embedder, collection)
    elif page.article is not None:
        title = page.article.title
        with build_lock(settings.index_dir):
            target = write_new(folder, slug(title), ".md", page.markdown(page.article).encode())
            rel = target.relative_to(corpus).as_posix()
            report = _index([_added(rel, title)], [], settings, embedder)
    else:
        raise NothingAdded(f"nothing added: {url} held no article")
    return report.model_copy(update={"warnings": page.warnings + report.warnings})


def write_new(corpus: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Write `data` to a new file in `corpus` named after `stem`; never over an existing
    name, and never through a link, not even a dangling one (O_EXCL)."""
    while True:
        target = free_name(corpus, stem, suffix)
        try:
            with open(target, "xb") as fh:
                fh.write(data)
            return target
        except FileExistsError:  # taken since free_name looked: try the next name
            continue


def free_name(corpus: Path, stem: str, suffix: str) -> Path:
    """`corpus/stem.suffix`, or `stem-2.suffix` and so on when that is taken."""
    stem = slug(stem) or "article"
    target, n = corpus / f"{stem}{suffix}", 2
    # A name the loader ignores (README.md, LICENSE) would be copied but never indexed;
    # lexists: a dangling link is a taken name.
    while os.path.lexists(target) or target.name.lower() in IGNORED_NAMES:
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
    build = index_new_files(  # appended in place when it can be: costs what was added
        settings.corpus_dir,
        settings.index_dir,
        list(dict.fromkeys(a.path.split("#L", 1)[0] for a in added)),
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
