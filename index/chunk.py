"""Cut an article into sentence-aware chunks that fit the model's token window."""

from bisect import bisect_right
from collections.abc import Iterator
from typing import NamedTuple

from pydantic import BaseModel

from index.models import Article, Chunk, stable_id
from index.pdf_context import document_label, page_heading
from index.sentences import split_sentences
from index.textfile import heading_text
from index.tokens import SPECIAL_TOKENS, TokenCounter


class ChunkerSettings(BaseModel):
    """Chunking parameters; recorded in the manifest so a change forces a rebuild."""

    max_tokens: int = 256  # the model's window, special tokens and context prefix included
    overlap_sentences: int = 1
    context: str = "title+heading"  # PDFs: identity label (company, form, period) + page heading
    # A section's tail may run on into the next section (its heading line travels in the text,
    # the context falls back to the title) instead of standing alone as a half-empty chunk.
    cross_sections: bool = True
    # 2: a chunk never spans two PDF pages, so its page is the quote's page.
    # 3: PDF context is the document label and the page heading (index/pdf_context.py).
    # 4: the document label comes from the identity read from the document, not its file name.
    # 5: that label is short (`3M 10-K FY2018`, not `3M Company (MMM) 10-K, fiscal year 2018`).
    # 6: a financial statement's page heading names its statement (index/statements.py).
    version: int = 6


class _Piece(NamedTuple):
    """A sentence, or part of an over-long one: the unit chunks are packed from."""

    start: int
    end: int
    tokens: int
    context: str
    page: int | None

    @property
    def section(self) -> tuple[str, int | None]:
        """What a chunk must not cross silently: the context (section) and the page."""
        return self.context, self.page


# A chunk crosses into the next section when it continues a section begun in an earlier chunk
# (the tail that would otherwise stand alone) or is already this full. A short section that
# starts its own chunk keeps its heading as context: the heading is most of what it is about.
CROSS_SECTION_MIN_FILL = 0.5


def chunk_article(
    article: Article, counter: TokenCounter, settings: ChunkerSettings
) -> list[Chunk]:
    """Deterministic chunks of `article`; `article.text[c.start:c.end] == c.text`."""
    text = article.text
    budgets: dict[str, int] = {}  # tokenising the same context once per article, not per piece

    def budget_of(context: str) -> int:
        if context not in budgets:
            budgets[context] = _budget(counter, context, settings)
        return budgets[context]

    pieces = _pieces(article, counter, settings, budget_of)
    title_only = _context(article, None, counter, settings)
    chunks: list[Chunk] = []
    i = 0
    while i < len(pieces):
        context = pieces[i].context
        budget = budget_of(context)
        j, used = i, 0
        continues_section = i > 0 and pieces[i - 1].section == pieces[i].section
        while j < len(pieces) and used + pieces[j].tokens <= budget:
            if j > i and pieces[j].section != pieces[j - 1].section:  # a new section or page
                full_enough = continues_section or used >= budget * CROSS_SECTION_MIN_FILL
                same_page = pieces[j].page == pieces[j - 1].page
                if not (settings.cross_sections and full_enough and same_page):
                    break
                context, budget = title_only, budget_of(title_only)  # never a smaller budget
            used += pieces[j].tokens
            j += 1
        j = max(j, i + 1)  # a piece never exceeds its budget, so this only guards the loop
        start, end = pieces[i].start, pieces[j - 1].end
        n_tokens = counter.count(_embed_text(context, text[start:end])) + SPECIAL_TOKENS
        while n_tokens > settings.max_tokens and j - 1 > i:  # joins can tokenise differently
            j -= 1
            end = pieces[j - 1].end
            n_tokens = counter.count(_embed_text(context, text[start:end])) + SPECIAL_TOKENS
        chunks.append(
            Chunk(
                id=stable_id("chunk", article.id, start, end, text[start:end]),
                article_id=article.id,
                ordinal=len(chunks),
                start=start,
                end=end,
                text=text[start:end],
                n_tokens=n_tokens,
                page=article.page_at(start),
                context=context,
            )
        )
        next_budget = budget_of(pieces[j].context) if j < len(pieces) else budget
        i = _next_start(pieces, i, j, next_budget, settings.overlap_sentences)
    return chunks


def _next_start(pieces: list[_Piece], i: int, j: int, budget: int, overlap: int) -> int:
    """Where the next chunk starts: `overlap` sentences back, when that leaves room to advance."""
    if not overlap or j >= len(pieces) or j - i <= overlap:
        return j
    same_context = all(p.section == pieces[j].section for p in pieces[j - overlap : j + 1])
    carried = sum(p.tokens for p in pieces[j - overlap : j])
    return j - overlap if same_context and carried + pieces[j].tokens <= budget else j


def _pieces(
    article: Article, counter: TokenCounter, settings: ChunkerSettings, budget_of
) -> list[_Piece]:
    """Sentences, split further when too long, with their token counts, context and page."""
    text = article.text
    spans = split_sentences(text)
    contexts, heading, by_heading = [], None, {}
    pdf_headings = _pdf_headings(article) if article.page_starts else None
    for start, end in spans:
        if pdf_headings is not None and "heading" in settings.context:
            heading = pdf_headings[max(bisect_right(article.page_starts, start) - 1, 0)]
        else:
            found = heading_text(text[start:end]) if text.startswith("#", start) else None
            if found and "heading" in settings.context:
                heading = found
        if heading not in by_heading:
            by_heading[heading] = _context(article, heading, counter, settings)
        contexts.append(by_heading[heading])
    counts = counter.count_many([text[s:e] for s, e in spans])
    pieces: list[_Piece] = []
    for (start, end), n, context in zip(spans, counts, contexts, strict=True):
        budget = budget_of(context)
        page = article.page_at(start)  # None for unpaged text; chunks never cross a page
        if n <= budget:
            pieces.append(_Piece(start, end, n, context, page))
        else:
            pieces.extend(
                _Piece(s, e, k, context, page)
                for s, e, k in _split_long(text, start, end, counter, budget)
            )
    return pieces


def _split_long(
    text: str, start: int, end: int, counter: TokenCounter, budget: int
) -> Iterator[tuple[int, int, int]]:
    """Cut one over-long sentence at word boundaries into runs of at most `budget` tokens."""
    offsets = counter.offsets(text[start:end])
    pos = 0
    while pos < len(offsets):
        stop = min(pos + budget, len(offsets))
        if stop < len(offsets):
            # Back off to a token that starts a new word, so no word is split in two.
            cut = stop
            while cut > pos + 1 and offsets[cut][0] == offsets[cut - 1][1]:
                cut -= 1
            stop = cut if cut > pos + 1 else stop
        s = start + offsets[pos][0]
        e = start + offsets[stop - 1][1]
        while s < e and text[s].isspace():
            s += 1
        if s < e:
            yield s, e, stop - pos
        pos = stop


def _context(
    article: Article, heading: str | None, counter: TokenCounter, settings: ChunkerSettings
) -> str:
    """Retrieval context embedded before each chunk: the title, and its section heading."""
    if settings.context == "none":
        return ""
    context = document_label(article) if article.page_starts else article.title.strip()
    if heading and heading.strip() != context:
        context = f"{context} — {heading.strip()}"
    limit = settings.max_tokens // 4  # a runaway title must not starve the passage itself
    offsets = counter.offsets(context)
    return context[: offsets[limit - 1][1]] if len(offsets) > limit else context


def _pdf_headings(article: Article) -> list[str]:
    """The heading at the top of each page of a PDF article."""
    ends = [*article.page_starts[1:], len(article.text)]
    return [page_heading(article.text[s:e]) for s, e in zip(article.page_starts, ends, strict=True)]


def _budget(counter: TokenCounter, context: str, settings: ChunkerSettings) -> int:
    context_tokens = counter.count(context) if context else 0
    return settings.max_tokens - SPECIAL_TOKENS - context_tokens


def _embed_text(context: str, text: str) -> str:
    return f"{context}\n{text}" if context else text
