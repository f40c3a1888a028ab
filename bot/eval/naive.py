"""The FinanceBench paper's naive retriever: pypdf page text, 1024-character LangChain chunks.

Benchmark-only dependencies (the `bench` extra); the product itself parses PDFs with pypdfium2.
"""

from pathlib import Path
from types import ModuleType

from index.errors import InvestorQAError
from index.models import Article, Chunk, stable_id
from index.pdf import join_pages

CHUNK_SIZE, CHUNK_OVERLAP = 1024, 30
NAIVE_CHUNKER = {"splitter": "RecursiveCharacterTextSplitter", "size": 1024, "overlap": 30}


class MissingBenchExtra(InvestorQAError):
    """The naive baseline needs pypdf and langchain-text-splitters."""


def _require() -> tuple[ModuleType, type]:
    try:
        import pypdf
        from langchain_text_splitters import RecursiveCharacterTextSplitter
    except ImportError as exc:
        raise MissingBenchExtra(
            "the naive FinanceBench baseline needs the bench extra: pip install -e '.[bench]'"
        ) from exc
    return pypdf, RecursiveCharacterTextSplitter


def pypdf_article(path: Path, rel: str) -> Article:
    """One PDF as an Article, its page text extracted by pypdf as LangChain's PyPDFLoader does."""
    pypdf, _ = _require()
    reader = pypdf.PdfReader(str(path))
    pages = [page.extract_text() or "" for page in reader.pages]
    text, starts = join_pages(pages)
    return Article(
        id=stable_id("naive", rel), path=rel, title=Path(rel).stem, text=text, page_starts=starts
    )


def naive_chunks(article: Article) -> list[Chunk]:
    """Each page split on its own into ≤1024-character chunks with 30 characters of overlap."""
    _, splitter_cls = _require()
    splitter = splitter_cls(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    ends = [*article.page_starts[1:], len(article.text) + 2]
    chunks: list[Chunk] = []
    for page, (start, end) in enumerate(zip(article.page_starts, ends, strict=True), start=1):
        page_text = article.text[start : end - 2]
        pos = 0
        for piece in splitter.split_text(page_text):
            found = page_text.find(piece, max(pos - CHUNK_OVERLAP - 1, 0))
            offset = start + (found if found >= 0 else pos)
            pos = (found if found >= 0 else pos) + len(piece)
            chunks.append(
                Chunk(
                    id=stable_id("naive", article.id, offset, piece),
                    article_id=article.id,
                    ordinal=len(chunks),
                    start=offset,
                    end=offset + len(piece),
                    text=piece,
                    n_tokens=0,
                    page=page,
                )
            )
    return chunks
