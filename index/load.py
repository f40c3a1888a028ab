"""Load a corpus directory into `Article` models, one warning per file that had a problem.

Each format has its own module (textfile, html, pdf, bulk); this one walks the directory,
reads files safely (regular files only, size-capped), dispatches on the extension and
indexes identical texts once per collection. Each top-level folder is a collection (who may read
it is decided in bot/access); files directly in the corpus folder belong to `default`.
"""

import hashlib
import logging
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from index import bulk, html, pdf, textfile
from index.errors import BadArticle, CorpusNotFound
from index.identity import identify
from index.isolate import run_isolated
from index.models import DEFAULT_COLLECTION, Article, Chunk

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = {".md", ".markdown", ".txt"}
HTML_SUFFIXES = {".html", ".htm"}
BULK_SUFFIXES = {".jsonl", ".csv"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | BULK_SUFFIXES | {".pdf"}
ISOLATED_SUFFIXES = HTML_SUFFIXES | {".pdf"}  # C parsers: a crash or a blow-up stays in a worker
IGNORED_NAMES = {"readme.md", "readme.txt", "license", "license.md", "aliases.yml", "access.yml"}
# An article beyond this is almost surely a dump, not an article: read (and index) only its
# first part, so memory and embedding time stay bounded whatever lands in the corpus.
MAX_ARTICLE_BYTES = 2_000_000


@dataclass
class LoadResult:
    """Articles loaded from a corpus, with one warning per file that had a problem."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Article id -> chunks, from a runner that chunks where it parses (index.distributed).
    chunks: dict[str, list[Chunk]] = field(default_factory=dict)


def load_corpus(corpus_dir: Path, max_article_bytes: int = MAX_ARTICLE_BYTES) -> LoadResult:
    """Load every supported article under `corpus_dir`, warning about the rest."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusNotFound(f"corpus directory not found: {corpus_dir}")
    return gather_loaded(
        load_entry(corpus_dir, path, max_article_bytes) for path in iter_corpus_files(corpus_dir)
    )


def load_entry(corpus_dir: Path, path: Path, max_article_bytes: int) -> LoadResult:
    """The articles of one corpus entry and at most one warning line about it."""
    rel = path.relative_to(corpus_dir).as_posix()
    problem = entry_problem(path, corpus_dir)
    if problem:
        return LoadResult(warnings=[f"{rel}: {problem}"])
    try:
        articles, warnings = safe_load_file(path, rel, max_article_bytes)
    except BadArticle as exc:
        return LoadResult(warnings=[str(exc)])
    collection = collection_of(rel)
    articles = [a.model_copy(update={"collection": collection}) for a in articles]
    # One line per file, however many things were off.
    return LoadResult(articles, [f"{rel}: " + "; ".join(warnings)] if warnings else [])


def gather_loaded(entries: Iterable[LoadResult]) -> LoadResult:
    """The entries' results in listing order, with identical texts indexed once."""
    result = LoadResult()
    for entry in entries:
        result.articles += entry.articles
        result.warnings += entry.warnings
        result.chunks.update(entry.chunks)
    result.articles, dup_warnings = drop_duplicates(result.articles)
    result.warnings += dup_warnings
    return result


def collection_of(rel: str) -> str:
    """The collection of a corpus-relative path: its top-level folder, else `default`."""
    head, sep, _ = rel.partition("/")
    return head if sep and head else DEFAULT_COLLECTION


def iter_corpus_files(corpus_dir: Path) -> Iterator[Path]:
    """Entries under `corpus_dir` in a stable order, skipping hidden files and READMEs.

    Links to directories are listed (never walked into), so `entry_problem` can say why
    they are skipped.
    """
    for root, dirs, files in os.walk(corpus_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        links = [d for d in dirs if os.path.islink(os.path.join(root, d))]
        for name in sorted(files + links):
            if name.startswith(".") or name.lower() in IGNORED_NAMES:
                continue
            yield Path(root) / name


def entry_problem(path: Path, corpus_dir: Path) -> str | None:
    """Why a corpus entry is not read (a link leading out of the corpus, a FIFO...), or None."""
    try:
        info = path.stat()  # follows links: a dangling or looping one fails here
        if path.is_symlink():
            if not path.resolve().is_relative_to(Path(corpus_dir).resolve()):
                return "skipped, a link leading outside the corpus (not followed)"
            if stat.S_ISDIR(info.st_mode):
                return "skipped, a link to a directory (not followed)"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc}), skipped"
    return None if stat.S_ISREG(info.st_mode) else "skipped, not a regular file"


def safe_load_file(path: Path, rel: str, max_bytes: int) -> tuple[list[Article], list[str]]:
    """`load_file`, with anything a hostile file makes a parser throw turned into BadArticle."""
    try:
        return load_file(path, rel, max_bytes)
    except BadArticle:
        raise
    except Exception as exc:  # RecursionError, TypeError...: one file, one warning
        logger.debug("loading %s failed", rel, exc_info=True)
        raise BadArticle(f"{rel}: skipped, could not be read ({type(exc).__name__})") from exc


def load_file(path: Path, rel: str, max_bytes: int) -> tuple[list[Article], list[str]]:
    """The articles in one file and what was off with it; BadArticle when nothing is usable.

    PDF and HTML parsers run in a worker process with a time and memory limit.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise BadArticle(f"{rel}: skipped, unsupported file type {suffix or '(no extension)'}")
    check_regular_file(path, rel)
    if suffix in ISOLATED_SUFFIXES:
        return run_isolated(parse_file, path, rel, max_bytes, what=rel)
    return parse_file(path, rel, max_bytes)


def parse_file(path: Path, rel: str, max_bytes: int) -> tuple[list[Article], list[str]]:
    """Parse one supported file in this process (see `load_file`)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf.load_pdf(path, rel, max_bytes)
    if suffix in BULK_SUFFIXES:
        return bulk.load_bulk(path, rel, max_bytes)
    text, warnings = read_text(path, rel, max_bytes)
    if suffix in HTML_SUFFIXES:
        article, more = html.parse_html(text, rel)
    else:
        article, more = textfile.parse_text_article(text, rel, plain=suffix == ".txt")
    return [identify(article)], warnings + more


def check_regular_file(path: Path, rel: str) -> os.stat_result:
    """The file's stat, or BadArticle for links that lead nowhere, FIFOs and the like."""
    try:
        info = path.stat()  # follows symlinks: a loop or a dangling link fails here
    except OSError as exc:
        raise BadArticle(f"{rel}: unreadable ({exc.strerror or exc}), skipped") from exc
    if not stat.S_ISREG(info.st_mode):
        raise BadArticle(f"{rel}: skipped, not a regular file")
    if info.st_size == 0:
        raise BadArticle(f"{rel}: skipped, empty file")
    return info


def read_text(path: Path, rel: str, max_bytes: int) -> tuple[str, list[str]]:
    """Up to `max_bytes` of a text file, decoded, with warnings for what was repaired."""
    warnings: list[str] = []
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
            size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        raise BadArticle(f"{rel}: unreadable ({exc.strerror or exc}), skipped") from exc
    if len(raw) > max_bytes:
        raw = raw[: raw.rfind(b"\n", 0, max_bytes) + 1 or max_bytes]
        warnings.append(
            f"large file ({size / 1e6:.1f} MB): indexed only its first {len(raw) / 1e6:.1f} MB "
            "(raise INVESTOR_QA_MAX_ARTICLE_MB to index more)"
        )
    nuls = raw.count(b"\x00")
    if nuls > max(8, len(raw) // 100):
        raise BadArticle(f"{rel}: skipped, looks like a binary file ({nuls} NUL bytes)")
    if nuls:
        raw = raw.replace(b"\x00", b"")
        warnings.append(f"removed {nuls} NUL byte{'s' if nuls > 1 else ''}")
    text, encoding = decode_bytes(raw)
    if encoding != "utf-8":
        warnings.append(f"not valid UTF-8, read as {encoding}")
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Text and the encoding that decoded it: UTF-8, else Windows-1252, else Latin-1."""
    for encoding, name in (("utf-8-sig", "utf-8"), ("cp1252", "Windows-1252")):
        try:
            return raw.decode(encoding), name
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "Latin-1"


def text_fingerprint(text: str) -> str:
    """Hash of a text with case and whitespace normalised: same article, same fingerprint."""
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def drop_duplicates(articles: list[Article]) -> tuple[list[Article], list[str]]:
    """Keep the first article of each normalised text per collection; warn which file was kept.

    The same text in two collections is kept in both: each has its own readers, and dropping
    either copy would hide it from people allowed to read it.
    """
    kept: dict[tuple[str, str], Article] = {}
    warnings: list[str] = []
    for article in articles:
        first = kept.setdefault((article.collection, text_fingerprint(article.text)), article)
        if first is not article:
            warnings.append(
                f"{article.path}: same text as {first.path}, indexed once (kept {first.path})"
            )
    return list(kept.values()), warnings
