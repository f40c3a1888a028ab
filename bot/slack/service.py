"""What every Slack handler shares: the answerer and the bot's state store."""

import json
import threading
from pathlib import Path

from bot.answer.answerer import Answerer
from bot.answer.compose import Answer
from bot.slack.errors import MissingSetting
from bot.slack.settings import BotSettings
from bot.slack.shared_model import TakingTurns
from bot.state.store import StateStore
from index.embed import Embedder
from index.ingest import AddReport, add_files
from index.search import Searcher
from index.settings import IndexSettings


class QAService:
    """The bot's shared state: created once per process, bound to every listener."""

    def __init__(
        self,
        answerer: Answerer,
        store: StateStore,
        settings: BotSettings,
        index_settings: IndexSettings | None = None,
        index_embedder: Embedder | None = None,
    ):
        self.answerer = answerer
        # Questions may use a light query encoder (ONNX); builds need the full model, which
        # then loads on the first upload rather than at start-up.
        self.index_embedder = index_embedder or answerer.searcher.embedder
        self.store = store
        self.settings = settings
        self.index_settings = index_settings  # corpus and index dirs, for articles added in Slack
        # Dedupe goes through the shared store, so replicas answer each event once between them.
        self.seen = store.events
        # One build at a time: each adds to the corpus and publishes a version of its own.
        self._build_lock = threading.Lock()

    @property
    def searcher(self) -> Searcher:
        """The searcher over the index version being answered from now."""
        return self.answerer.searcher

    def answer(self, question: str) -> Answer:
        """A cited answer to `question` (inline `ticker:` etc. honoured), or a not-found answer."""
        return self.answerer.answer(question)

    def add_files(self, paths: list[Path]) -> AddReport:
        """Add article files to the corpus, index them with the loaded model, then answer from them."""
        if self.index_settings is None:
            raise MissingSetting("adding articles is not set up here; run the bot with `serve`")
        with self._build_lock:
            # Questions keep being answered between the build's batches, from the current index.
            self.index_embedder.load()  # first upload: load outside the question lock
            embedder = TakingTurns(self.index_embedder, self.answerer.lock)
            report = add_files(paths, self.index_settings, embedder)
            self.answerer.reload()
        return report

    def allowed(self, channel: str | None, is_dm: bool) -> bool:
        """True when the bot may answer in `channel`."""
        return self.settings.channel_allowed(channel, is_dm)

    def first_refusal(self, channel: str) -> bool:
        """True only the first time the bot refuses in `channel`, so it says so once."""
        return self.store.told_once.claim(channel)

    def stats(self) -> dict:
        """Index statistics for /healthz."""
        return self.searcher.stats()

    def home_facts(self) -> dict:
        """Index statistics plus the tickers covered, for the App Home tab."""
        rows = self.searcher.files.query("SELECT tickers FROM articles")
        tickers = sorted({t for row in rows for t in json.loads(row[0] or "[]")})
        return {**self.stats(), "tickers": tickers}
