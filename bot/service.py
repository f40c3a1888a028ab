"""What every Slack handler shares: the loaded searcher, the feedback store and dedupe state."""

import json
import threading

from bot.answer import Answer, compose_answer
from bot.dedupe import SeenKeys
from bot.feedback import FeedbackStore
from bot.query import scoped_search
from bot.settings import BotSettings
from index.filters import SearchFilter
from index.scope import Company
from index.search import Searcher


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
    ):
        self.searcher = searcher
        self.companies = companies or []  # for automatic company scoping; none: no scoping
        self.store = store
        self.settings = settings
        self.top_k = top_k
        self.min_score = min_score
        self.seen = SeenKeys()
        self._told_disallowed = SeenKeys()
        # One question at a time through the model: 2 cores gain nothing from parallel encodes.
        self._search_lock = threading.Lock()

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
