"""Load PDFs page by page with pypdfium2 (fast, and opens empty-password AES filings).

Every failure becomes one BadArticle line: not a PDF, damaged or truncated, password
protected, or no text layer (a scan). Chunks keep their 1-based page via `page_starts`.
"""

import re
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium

from index.errors import BadArticle
from index.identity import identify
from index.models import Article, stable_id
from index.textfile import opt_str

_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})")
PAGE_SEPARATOR = "\n\n"
MIN_TEXT_CHARS = 20  # fewer non-space characters than this is a scan, not a text PDF


def load_pdf(path: Path, rel: str, max_chars: int) -> tuple[list[Article], list[str]]:
    """A PDF as one Article whose chunks know their page, plus warnings."""
    pages, metadata = read_pdf_pages(path, rel, max_chars)
    warnings = []
    if pages.truncated:
        warnings.append(
            f"long PDF: indexed only its first {len(pages.texts)} of {pages.total} pages "
            "(raise INVESTOR_QA_MAX_ARTICLE_MB to index more)"
        )
    text, page_starts = join_pages(pages.texts)
    if sum(not ch.isspace() for ch in text) < MIN_TEXT_CHARS:
        raise BadArticle(f"{rel}: no extractable text (scanned PDF?), skipped")
    article = Article(
        id=stable_id("article", rel),
        path=rel,
        title=pdf_title(metadata, text) or path.stem,
        author=opt_str(metadata.get("Author")),
        published=pdf_date(metadata),
        text=text,
        page_starts=page_starts,
    )
    return [identify(article, metadata)], warnings


class Pages:
    """The text of each page read, and whether reading stopped at the size cap."""

    def __init__(self, texts: list[str], total: int, truncated: bool):
        self.texts, self.total, self.truncated = texts, total, truncated


def read_pdf_pages(path: Path, rel: str, max_chars: int) -> tuple[Pages, dict]:
    """The text of each page (up to `max_chars` in all) and the metadata, or BadArticle."""
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise BadArticle(f"{rel}: {_open_problem(str(exc))}, skipped") from exc
    except OSError as exc:
        raise BadArticle(f"{rel}: unreadable ({exc.strerror or exc}), skipped") from exc
    try:
        metadata = doc.get_metadata_dict()
        texts: list[str] = []
        used, total = 0, len(doc)
        for index in range(total):
            if used > max_chars:
                return Pages(texts, total, truncated=True), metadata
            page = doc[index]
            textpage = page.get_textpage()
            texts.append(_tidy(textpage.get_text_bounded()))
            textpage.close()
            page.close()
            used += len(texts[-1])
    except pdfium.PdfiumError as exc:
        raise BadArticle(f"{rel}: damaged PDF, text unreadable ({exc}), skipped") from exc
    finally:
        doc.close()
    return Pages(texts, total, truncated=False), metadata


def read_metadata(path: Path) -> dict:
    """The PDF's metadata dictionary (Title, Subject, …), or {} when unreadable."""
    try:
        doc = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        return {}
    try:
        return doc.get_metadata_dict()
    finally:
        doc.close()


def join_pages(pages: list[str]) -> tuple[str, list[int]]:
    """One text for the whole document, and the offset where each page starts."""
    starts, parts, pos = [], [], 0
    for text in pages:
        starts.append(pos)
        parts.append(text)
        pos += len(text) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(parts), starts


def pdf_title(metadata: dict, text: str) -> str | None:
    """The metadata title when it says something, else the first line of text."""
    title = (metadata.get("Title") or "").strip()
    if len(title) >= 4 and not title.lower().startswith(("microsoft word", "untitled")):
        return title
    for line in text.splitlines():
        if len(line.strip()) >= 4:
            return line.strip()[:200]
    return None


def pdf_date(metadata: dict) -> date | None:
    """The document's creation date from its metadata, if well formed."""
    match = _PDF_DATE.match(metadata.get("CreationDate") or "")
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _open_problem(message: str) -> str:
    """PDFium's load error in words a user can act on."""
    lowered = message.lower()
    if "password" in lowered:
        return "PDF is password protected"
    if "format" in lowered or "file" in lowered:
        return "not a readable PDF (damaged, truncated or not a PDF at all)"
    return f"not a readable PDF ({message})"


def _tidy(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\ufffe", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()
