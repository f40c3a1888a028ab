"""FinanceBench files: questions with gold pages, and the PDFs parsed our way and the naive way."""

import json
import sys
import time
from pathlib import Path

from pydantic import BaseModel

from bot.eval.corpus import cached_articles, embed_chunks
from bot.eval.naive import naive_chunks, pypdf_article
from index.chunk import ChunkerSettings, chunk_article
from index.embed import Embedder
from index.identity import identify
from index.models import Article, Chunk
from index.pdf import load_pdf, read_metadata
from index.tokens import TokenCounter

WHOLE_FILE = 1 << 40


class FBQuestion(BaseModel):
    """One FinanceBench question and where its evidence is."""

    id: str
    text: str
    answer: str
    docs: list[str]
    gold_pages: list[str]  # page keys, see page_key
    kind: str = ""  # question_type: metrics-generated, domain-relevant, novel-generated


def page_key(doc: str, page: int) -> str:
    """`DOC#p<1-based page>`: the one page id used for gold and retrieved pages alike."""
    return f"{doc}#p{page}"


def gold_page_key(doc: str, zero_indexed_page: int) -> str:
    """The data counts pages from 0 and our chunks from 1."""
    return page_key(doc, zero_indexed_page + 1)


def load_questions(root: Path, docs: set[str]) -> list[FBQuestion]:
    """Questions whose evidence documents are all in `docs`."""
    out = []
    for line in (root / "financebench_open_source.jsonl").read_text().splitlines():
        row = json.loads(line)
        evidence = row.get("evidence") or []
        names = sorted({e["doc_name"] for e in evidence} | {row["doc_name"]})
        if not set(names) <= docs:
            continue
        gold = sorted({gold_page_key(e["doc_name"], int(e["evidence_page_num"])) for e in evidence})
        out.append(
            FBQuestion(
                id=row["financebench_id"],
                text=row["question"],
                answer=str(row["answer"]),
                docs=names,
                gold_pages=gold,
                kind=row.get("question_type") or "",
            )
        )
    return out


def document_names(root: Path, limit: int | None = None) -> list[str]:
    """PDF names (without .pdf), most questions per MB first, so a small `limit` asks many questions.

    Parsing and embedding cost grows with the file, so this order buys the most questions
    for a given CPU budget; ties fall back to the name, keeping the order stable.
    """
    paths = sorted((root / "pdfs").glob("*.pdf"))
    asked: dict[str, int] = {}
    for line in (root / "financebench_open_source.jsonl").read_text().splitlines():
        doc = json.loads(line)["doc_name"]
        asked[doc] = asked.get(doc, 0) + 1
    paths.sort(key=lambda p: (-asked.get(p.stem, 0) / max(p.stat().st_size, 1), p.stem))
    names = [p.stem for p in paths]
    return names[:limit] if limit else names


def our_article(root: Path, cache_dir: Path, doc: str, pdfs: Path | None = None) -> Article:
    """The PDF parsed by the product's loader (pypdfium2), cached; `pdfs`: another PDF folder."""
    rel = f"{doc}.pdf"
    pdf = (pdfs or root / "pdfs") / rel
    path = cache_dir / "parsed" / "pdfium" / f"{doc}.json"
    # Whole filings: the product's size cap (INVESTOR_QA_MAX_ARTICLE_MB) must not cut them short.
    article = cached_articles(path, lambda: load_pdf(pdf, rel, WHOLE_FILE)[0])[0]
    # The identity is read again, as load_pdf reads it, so a cached parse never keeps a stale one.
    fresh = article.model_copy(update={"identity": None, "tickers": []})  # a PDF has no others
    return identify(fresh, read_metadata(pdf))


def naive_article(root: Path, cache_dir: Path, doc: str) -> Article:
    """The PDF parsed by pypdf, cached."""
    rel = f"{doc}.pdf"
    path = cache_dir / "parsed" / "pypdf" / f"{doc}.json"
    return cached_articles(path, lambda: [pypdf_article(root / "pdfs" / rel, rel)])[0]


def our_chunks(article: Article, counter: TokenCounter, chunker: ChunkerSettings) -> list[Chunk]:
    """Chunks exactly as the product's index builds them."""
    return chunk_article(article, counter, chunker)


def prepare(
    root: Path,
    cache_dir: Path,
    docs: list[str],
    embedder: Embedder,
    counter: TokenCounter,
    chunker: ChunkerSettings,
    naive: bool = True,
    pdfs: Path | None = None,
) -> None:
    """Parse and embed document by document, both systems, so a stopped run keeps whole documents."""
    for n, doc in enumerate(docs, start=1):
        t0 = time.perf_counter()
        ours = our_chunks(our_article(root, cache_dir, doc, pdfs), counter, chunker)
        embed_chunks(ours, embedder, cache_dir)
        extra = ""
        if naive:
            theirs = naive_chunks(naive_article(root, cache_dir, doc))
            embed_chunks(theirs, embedder, cache_dir)
            extra = f", naive {len(theirs)} chunks"
        print(
            f"[{n}/{len(docs)}] {doc}: ours {len(ours)} chunks{extra} "
            f"({time.perf_counter() - t0:.0f}s)",
            file=sys.stderr,
            flush=True,
        )
