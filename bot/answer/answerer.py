"""The one answer pipeline: question + filters → search → compose → `Answer`.

The CLI, the Slack service and the evaluation all answer through an `Answerer`, so a question is
scoped, searched and composed the same way wherever it is asked.
"""

import logging
import threading
import time
from pathlib import Path

from bot.answer.compose import DEFAULT_OPTIONS, Answer, ComposeOptions, compose_answer
from bot.answer.query import ScopedSearch, scoped_search
from bot.answer.sentence_evidence import SentenceEncoder
from index.embed import Embedder
from index.filters import SearchFilter
from index.live import published_generation
from index.models import Hit
from index.scope import ALIAS_FILE, Company, known_companies
from index.search import Searcher
from index.settings import TABLE_K, TOP_K
from index.store import current_version

logger = logging.getLogger(__name__)


class Answerer:
    """Answers questions from one loaded index; safe to share between threads."""

    def __init__(
        self,
        searcher: Searcher,
        companies: list[Company] | None = None,
        top_k: int = TOP_K,
        min_score: float = 0.35,
        alias_file: Path | None = None,
        options: ComposeOptions = DEFAULT_OPTIONS,
        encoder: SentenceEncoder | None = None,
        table_k: int = TABLE_K,
    ):
        self.searcher = searcher
        self.companies = companies or []  # for automatic company scoping; none: no scoping
        self.top_k, self.min_score = top_k, min_score
        # Passages an answer reads for table cells and computed figures; sentences come from
        # the first `top_k` of them (compose.py, `deeper_tables`).
        self.search_k = max(top_k, table_k)
        self.alias_file = alias_file  # re-read on reload, with the new index's tickers
        self._companies_by_scope: dict[frozenset[str], list[Company]] = {}
        self.options = options
        self.encoder = encoder  # for answer sentences; None: the searcher's query encoder
        # One question at a time through the model: 2 cores gain nothing from parallel
        # encodes, and a Hugging Face tokenizer must not be used by two threads at once.
        self.lock = threading.Lock()
        self._reloading = threading.Lock()

    @classmethod
    def open(
        cls,
        index_dir: Path,
        embedder: Embedder,
        corpus_dir: Path | None = None,
        top_k: int = TOP_K,
        min_score: float = 0.35,
        table_k: int = TABLE_K,
    ) -> "Answerer":
        """An Answerer over the index in `index_dir`, scoping by the corpus's alias file."""
        searcher = Searcher(index_dir, embedder)
        alias_file = corpus_dir / ALIAS_FILE if corpus_dir is not None else None
        companies = known_companies(searcher.files, alias_file)
        return cls(searcher, companies, top_k, min_score, alias_file, table_k=table_k)

    def answer(self, question: str, filters: SearchFilter | None = None) -> Answer:
        """A cited answer to `question` (inline `ticker:` etc. honoured), or a not-found one.

        `filters.collections` limits everything to what the asker may read: the passages
        searched and the companies a question is scoped to.
        """
        scoped = self.search(question, filters, self.search_k)
        searched = time.perf_counter()
        answer = self.compose(
            scoped.question, scoped.hits, scoped.filters_applied, sentence_k=self.top_k
        )
        timings = self.searcher.timings
        logger.info("timings: %s, compose %.4fs", timings, time.perf_counter() - searched)
        return answer

    def search(
        self, question: str, filters: SearchFilter | None = None, k: int | None = None
    ) -> ScopedSearch:
        """The passages `answer` composes from (`k` of them; `top_k` unless given), scoped and
        walled the same way; comparisons and series read more of them than one answer does."""
        self.follow_published()
        filters = filters or SearchFilter()
        with self.lock:
            searcher = self.searcher
            companies = self.companies_for(filters.collections)
            scoped = scoped_search(searcher, question, k or self.top_k, filters, companies)
        if filters.collections is not None:
            # Search masks by collection already; this guards the wall against a future bug.
            hits = [h for h in scoped.hits if h.collection in filters.collections]
            if len(hits) != len(scoped.hits):
                logger.error("search returned passages outside the asker's collections")
                scoped = scoped.model_copy(update={"hits": hits})
        return scoped

    def visible_companies(self, filters: SearchFilter | None = None) -> list[Company]:
        """The companies a question under `filters` may name: all, or those in its collections."""
        with self.lock:
            return self.companies_for(filters.collections if filters else None)

    def companies_for(self, collections: frozenset[str] | None) -> list[Company]:
        """The companies named in `collections` (None: all); call with `lock` held."""
        if collections is None or not self.companies:
            return self.companies
        if collections not in self._companies_by_scope:
            if len(self._companies_by_scope) >= 64:  # one entry per wall: a handful in practice
                self._companies_by_scope.clear()
            self._companies_by_scope[collections] = known_companies(
                self.searcher.files, self.alias_file, collections
            )
        return self._companies_by_scope[collections]

    def compose(
        self,
        question: str,
        hits: list[Hit],
        filters_applied: str | None = None,
        sentence_k: int | None = None,
    ) -> Answer:
        """The answer that `hits` give to `question`: the step after retrieval, on its own.

        `sentence_k`: sentences are quoted from the first `sentence_k` hits only, the rest are
        read for tables (None: every hit is read for both). It encodes sentences with the
        question's model, so it holds the model's lock."""
        options = self.options
        if sentence_k is not None:
            options = options.model_copy(update={"sentence_passages": sentence_k})
        with self.lock:
            return compose_answer(
                question,
                hits,
                self.min_score,
                filters_applied,
                self.encoder or self.searcher.embedder,  # sentences encoded as the question was
                options,
                self.searcher.last_query_vector(question),
            )

    def follow_published(self) -> None:
        """Reload when another process (`investor-qa add`, another replica's upload, a feed sync)
        has published a newer index version, or appended to this one, since it was loaded;
        two small file reads."""
        if self._is_stale():
            with self._reloading:  # one thread loads it; the others then find it loaded
                if self._is_stale():
                    logger.info("a newer index version was published: reloading")
                    self.reload()

    def _is_stale(self) -> bool:
        files = self.searcher.files
        published = current_version(files.root)
        if published is None:
            return False
        appended = published_generation(published)
        return published != files.version or (
            appended is not None and appended > files.manifest.generation
        )

    def reload(self) -> None:
        """Load the index's current version and swap it in; a question in flight ends on the old."""
        searcher = Searcher(self.searcher.files.root, self.searcher.embedder)
        companies = known_companies(searcher.files, self.alias_file)
        with self.lock:  # waits for the question being searched, if any
            self.searcher, self.companies = searcher, companies
            self._companies_by_scope = {}
