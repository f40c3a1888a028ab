"""Extract PDF text page by page with pypdfium2 (fast, and opens empty-password AES filings)."""

import re
from datetime import date

import pypdfium2 as pdfium

from index.errors import BadArticle

_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})")
PAGE_SEPARATOR = "\n\n"


def read_pdf_pages(path, rel: str) -> tuple[list[str], dict]:
    """The text of each page and the document metadata, or BadArticle."""
    try:
        doc = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise BadArticle(f"{rel}: not a readable PDF ({exc})") from exc
    try:
        metadata = doc.get_metadata_dict()
        pages = []
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            raw = textpage.get_text_bounded()
            textpage.close()
            page.close()
            pages.append(_tidy(raw))
    except pdfium.PdfiumError as exc:
        raise BadArticle(f"{rel}: damaged PDF ({exc})") from exc
    finally:
        doc.close()
    return pages, metadata


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


def _tidy(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\ufffe", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()
