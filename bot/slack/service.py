"""What every Slack handler shares: the loaded searcher, the feedback store and dedupe state."""

import json
import threading
from pathlib import Path

from bot.answer.compose import Answer, compose_answer
from bot.answer.query import scoped_search
from bot.slack.dedupe import SeenKeys
from bot.slack.errors import MissingSetting
from bot.slack.feedback import FeedbackStore
from bot.slack.settings import BotSettings
from bot.slack.shared_model import TakingTurns
from index.embed import Embedder
from index.filters import SearchFilter
from index.ingest import AddReport, add_files
from index.scope import ALIAS_FILE, Company, known_companies
from index.search import Searcher
from index.settings import IndexSettings


class QAService:
    """Answers questions from one loaded index; created once per process, shared by all threads."""

    def __init__(
        self,
        searcher: Searcher,
        store: FeedbackStore,
        settings: BotSettings,
        top_k: int = 5,
        min_score: float = 0.35,
        companies: list[Company] | None = None,
        index_settings: IndexSettings | None = None,
        index_embedder: Embedder | None = None,
    ):
        self.searcher = searcher
        # Questions may use a light query encoder (ONNX); builds need the full model, which
        # then loads on the first upload rather than at start-up.
        self.index_embedder = index_embedder or searcher.embedder
        self.companies = companies or []  # for automatic company scoping; none: no scoping
        self.store = store
        self.settings = settings
        self.top_k = top_k
        self.min_score = min_score
        self.index_settings = index_settings  # corpus and index dirs, for articles added in Slack
        self.seen = SeenKeys()
        self._told_disallowed = SeenKeys()
        # One question at a time through the model: 2 cores gain nothing from parallel encodes.
        self._search_lock = threading.Lock()
        # One build at a time: each adds to the corpus and publishes a version of its own.
        self._build_lock = threading.Lock()

    def __deepcopy__(self, memo):
        # Bolt deep-copies the request context for lazy listeners; this object is shared on purpose.
        return self

    def answer(self, question: str) -> Answer:
        """A cited answer to `question` (inline `ticker:` etc. honoured), or a not-found answer."""
        with self._search_lock:
            scoped = scoped_search(
                self.searcher, question, self.top_k, SearchFilter(), self.companies
            )
        answer = compose_answer(scoped.question, scoped.hits, self.min_score)
        answer.filters_applied = scoped.filters_applied
        return answer

    def add_files(self, paths: list[Path]) -> AddReport:
        """Add article files to the corpus, index them with the loaded model, then answer from them."""
        if self.index_settings is None:
            raise MissingSetting("adding articles is not set up here; run the bot with `serve`")
        with self._build_lock:
            # Questions keep being answered between the build's batches, from the current index.
            self.index_embedder.load()  # first upload: load outside the question lock
            embedder = TakingTurns(self.index_embedder, self._search_lock)
            report = add_files(paths, self.index_settings, embedder)
            self.reload()
        return report

    def reload(self) -> None:
        """Load the index's current version and swap it in; a question in flight ends on the old."""
        searcher = Searcher(self.searcher.files.root, self.searcher.embedder)
        companies = self.companies
        if self.index_settings is not None:
            alias_file = self.index_settings.corpus_dir / ALIAS_FILE
            companies = known_companies(searcher.files, alias_file)
        with self._search_lock:  # waits for the question being answered, if any
            self.searcher, self.companies = searcher, companies

    def allowed(self, channel: str | None, is_dm: bool) -> bool:
        """True when the bot may answer in `channel`."""
        return self.settings.channel_allowed(channel, is_dm)

    def first_refusal(self, channel: str) -> bool:
        """True only the first time the bot refuses in `channel`, so it says so once."""
        return self._told_disallowed.claim(channel)

    def stats(self) -> dict:
        """Index statistics for /healthz."""
        return self.searcher.stats()

    def home_facts(self) -> dict:
        """Index statistics plus the tickers covered, for the App Home tab."""
        rows = self.searcher.files.query("SELECT tickers FROM articles")
        tickers = sorted({t for row in rows for t in json.loads(row[0] or "[]")})
        return {**self.stats(), "tickers": tickers}
