"""Retrieval context for PDF chunks: which document (company, period, form) and which page heading.

Page text rarely repeats whose filing it is and for which period, so without that context a
chunk of a cash-flow table looks the same for every company and year, and both the dense and the
keyword search would be guessing between documents. The document is named by the identity read
from its own cover and metadata (index/identity.py); only a document with no identity falls back
to its file name, and only when the name carries words (`ADBE 10-K FY22.pdf`, never an
accession number or a hash), then to its metadata title.
"""

import re
from pathlib import PurePosixPath

from index.identity import carries_words
from index.labels import context_label
from index.models import Article
from index.statements import named_statements, page_statement, statement_title

_FORM = re.compile(r"^(10|8|6|20)([KQ])$", re.IGNORECASE)
_YEAR_PART = re.compile(r"^((?:19|20)\d\d)(Q[1-4]|H[12])$", re.IGNORECASE)
# Titles that say nothing about the document: EDGAR accession numbers, cover-page boilerplate.
_JUNK_TITLE = re.compile(
    r"^[\d\s-]+$|^united states securities|^microsoft word|^untitled|\.(pdf|docx?|htm)$",
    re.IGNORECASE,
)
_SKIP_LINE = re.compile(
    r"^(table of contents|index|page \d+|\d+|[ivxlc]+|part [ivx]+)$", re.IGNORECASE
)
MAX_HEADING_LINES = 2
MAX_HEADING_CHARS = 80


def document_label(article: Article) -> str:
    """`3M 10-K FY2018` from the identity (index/labels.py), else the file name and title."""
    identity = context_label(article.identity)
    if identity:
        return identity
    label = file_name_label(article.path)
    title = (article.title or "").strip()
    if title and not _JUNK_TITLE.search(title) and _words(title) - _words(label):
        label = f"{label} · {title}" if label else title
    return label


def file_name_label(path: str) -> str:
    """`3M 2018 10-K` from `3M_2018_10K.pdf`; '' when the name carries no words."""
    stem = PurePosixPath(path).stem
    if not carries_words(stem):
        return ""
    words: list[str] = []
    for word in re.split(r"[_\s]+", stem):
        if not word:
            continue
        split = _YEAR_PART.match(word)
        if split:
            words += [split.group(1), split.group(2).upper()]
        elif _FORM.match(word):
            words.append(f"{word[:-1]}-{word[-1].upper()}")
        else:
            words.append(word)
    return " ".join(words)


def page_heading(page_text: str) -> str:
    """The heading lines at the top of a page (`Consolidated Statement of Cash Flows`), or ''.

    A financial statement's page always names its statement, even where the lines above its
    title do not read as a heading (`NIKE, INC.`, `3M Company …`, a title broken over lines):
    a question that names the statement must find its page (index/statements.py).
    """
    heading = _heading_lines(page_text)
    kind = page_statement(page_text)
    if kind is None or kind in named_statements(heading):
        return heading
    return f"{heading} — {statement_title(kind)}" if heading else statement_title(kind)


def _heading_lines(page_text: str) -> str:
    kept: list[str] = []
    for raw in page_text.splitlines()[:6]:
        line = " ".join(raw.split())
        if not line or _SKIP_LINE.match(line):
            continue
        if not _is_heading(line):
            break
        kept.append(line)
        if len(kept) == MAX_HEADING_LINES:
            break
    return " — ".join(kept)


def _is_heading(line: str) -> bool:
    if len(line) > MAX_HEADING_CHARS or line[-1] in ".,;" or not line[0].isupper():
        return False
    letters = sum(ch.isalpha() for ch in line)
    return letters >= 0.6 * len(line.replace(" ", ""))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", text.lower())}
