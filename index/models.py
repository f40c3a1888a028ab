"""Pydantic contracts between the pipeline steps: Article → Chunk → Hit."""

import hashlib
from datetime import date

from pydantic import BaseModel, Field

DEFAULT_COLLECTION = "default"  # articles directly in the corpus folder


def stable_id(*parts: object, length: int = 16) -> str:
    """A short hex id that depends only on `parts`."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


class DocumentIdentity(BaseModel):
    """Who, what and when a document is, read from the document itself (index/identity.py).

    `sources` says where each field was read: `cover page`, `press release`, `PDF metadata title`,
    `PDF metadata subject`, `text` or `file name` (only a name that carries words).
    """

    company: str | None = None  # as the document writes it, tidied: `3M Company`
    short_name: str | None = None  # without legal suffixes, for matching questions: `3M`
    tickers: list[str] = Field(default_factory=list)
    form: str | None = None  # `10-K`, `10-Q`, `8-K`, `earnings release`, ...
    fiscal_year: int | None = None
    fiscal_quarter: int | None = None  # 1-4; None for a whole year
    period_end: date | None = None
    report_date: date | None = None  # the date an 8-K reports on, a release's dateline
    filed: date | None = None  # the filing date (PDF metadata: `filed on 2023-02-10`)
    sources: dict[str, str] = Field(default_factory=dict)

    @property
    def fiscal_period(self) -> str | None:
        """`FY2018`, `Q2 FY2024`, or None when no fiscal year is known."""
        if self.fiscal_year is None:
            return None
        year = f"FY{self.fiscal_year}"
        return f"Q{self.fiscal_quarter} {year}" if self.fiscal_quarter else year

    def is_empty(self) -> bool:
        """True when nothing about the document is known."""
        return not (self.company or self.tickers or self.form or self.fiscal_year or self.dated)

    @property
    def dated(self) -> date | None:
        """The report or release date, else the filing date."""
        return self.report_date or self.filed


class Article(BaseModel):
    """One article as loaded from a corpus file."""

    id: str
    path: str  # relative to the corpus directory, as found there
    title: str
    source: str | None = None
    url: str | None = None
    published: date | None = None
    author: str | None = None
    tickers: list[str] = Field(default_factory=list)
    text: str
    # Character offsets into `text` where each page starts (PDFs); empty for unpaged text.
    page_starts: list[int] = Field(default_factory=list)
    # Who may read it (bot/access): the corpus folder it sits in, set by index.load, never by
    # the file itself, so an article cannot move itself out of a restricted folder.
    collection: str = DEFAULT_COLLECTION
    # Company, form and period read from the document (index/identity.py); None: not read.
    identity: DocumentIdentity | None = None

    @property
    def content_hash(self) -> str:
        """Hash of everything that ends up in the index for this article."""
        # The collection follows from `path`, which the hash already covers.
        meta = self.model_dump_json(exclude={"text", "id", "collection"})
        return stable_id(meta, self.text, length=32)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding character `offset`, or None for unpaged text."""
        if not self.page_starts:
            return None
        page = 0
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i
            else:
                break
        return page + 1


class Chunk(BaseModel):
    """A passage of an article small enough for the model's window."""

    id: str
    article_id: str
    ordinal: int
    start: int  # article.text[start:end] == text
    end: int
    text: str
    n_tokens: int  # tokens of the embedded text (context prefix included, special tokens included)
    page: int | None = None
    context: str = ""  # prefix embedded with the text (title, section), not part of `text`

    @property
    def embed_text(self) -> str:
        """Exactly what the embedding model sees for this chunk."""
        return f"{self.context}\n{self.text}" if self.context else self.text


class Hit(BaseModel):
    """One retrieved passage with its article's metadata."""

    chunk_id: str
    article_id: str
    text: str
    score: float
    start: int
    end: int
    page: int | None = None
    title: str
    source: str | None = None
    url: str | None = None
    published: date | None = None
    path: str
    tickers: list[str] = Field(default_factory=list)
    context: str = ""  # the chunk's retrieval context (title, section; PDFs: company, period)
    collection: str = DEFAULT_COLLECTION
    identity: DocumentIdentity | None = None  # the article's company, form and period, if read
