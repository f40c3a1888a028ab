"""What every Slack handler shares: the gate to answers, the state store and the rate limit."""

import threading
from collections.abc import Callable
from pathlib import Path

from bot.access.asker import Asker
from bot.access.gate import Gate
from bot.access.policy import AccessPolicy
from bot.access.ratelimit import RateLimiter
from bot.answer.compose import Answer
from bot.audit.entry import Via
from bot.feeds.sync import FeedSyncer
from bot.slack.errors import MissingSetting
from bot.slack.settings import BotSettings
from bot.slack.shared_model import TakingTurns
from bot.state.store import StateStore
from bot.watches.scope import answer_in_channel
from index.build import BuildReport
from index.collections import collection_overview
from index.embed import Embedder
from index.ingest import AddReport, add_files
from index.models import DEFAULT_COLLECTION
from index.search import Searcher
from index.settings import IndexSettings
from index.tokens import default_counter
from index.update import index_new_files


class QAService:
    """The bot's shared state: created once per process, bound to every listener."""

    def __init__(
        self,
        gate: Gate,
        store: StateStore,
        settings: BotSettings,
        index_settings: IndexSettings | None = None,
        index_embedder: Embedder | None = None,
        limiter: RateLimiter | None = None,
    ):
        self.gate, self.answerer = gate, gate.answerer
        self.limiter = limiter or RateLimiter(0)  # serve passes the configured limit
        # Questions may use a light query encoder (ONNX); builds need the full model, which
        # then loads on the first upload rather than at start-up.
        self.index_embedder = index_embedder or self.answerer.searcher.embedder
        self.store = store
        self.settings = settings
        self.index_settings = index_settings  # corpus and index dirs, for articles added in Slack
        # Dedupe goes through the shared store, so replicas answer each event once between them.
        self.seen = store.events
        # One build at a time: each adds to the corpus and publishes a version of its own.
        self._build_lock = threading.Lock()
        self.on_update: Callable[[], None] | None = None  # set by serve's background loop
        self.feed_syncer: FeedSyncer | None = None  # set by serve

    @property
    def searcher(self) -> Searcher:
        """The searcher over the index version being answered from now."""
        return self.answerer.searcher

    @property
    def policy(self) -> AccessPolicy:
        """The access rules in force."""
        return self.gate.policy

    def answer(self, question: str, asker: Asker, via: Via, asked: str | None = None) -> Answer:
        """A cited answer from what `asker` may read (recorded in the audit trail)."""
        return self.gate.answer(question, asker, via, asked=asked)

    def may_add(self, user: str | None, collection: str) -> bool:
        """True when `user` may add articles to `collection`."""
        return self.policy.may_add(user, collection, self.settings.admins)

    def add_files(self, paths: list[Path], collection: str = DEFAULT_COLLECTION) -> AddReport:
        """Add article files to the corpus, index them with the loaded model, then answer from them."""
        settings = self._index_settings()
        with self._build_lock:
            # Questions keep being answered between the build's batches, from the current index.
            report = add_files(paths, settings, self._index_embedder(), collection)
            self.answerer.reload()
        self.updated()
        return report

    def index_new(self, rel_paths: list[str]) -> BuildReport:
        """Index files just written into the corpus (feed entries), then answer from them."""
        settings = self._index_settings()
        with self._build_lock:
            report = index_new_files(
                settings.corpus_dir,
                settings.index_dir,
                rel_paths,
                self._index_embedder(),
                default_counter(),
                batch_size=settings.batch_size,
                max_article_bytes=settings.max_article_bytes,
            )
            self.answerer.reload()
        return report

    def answer_in_channel(self, question: str, channel: str) -> Answer:
        """`question` answered as it would be in `channel` (bot/watches/scope.py)."""
        return answer_in_channel(self.gate, question, channel)

    def updated(self) -> None:
        """Tell the background loop (feeds, watches) that the index changed."""
        if self.on_update is not None:
            self.on_update()

    def _index_settings(self) -> IndexSettings:
        if self.index_settings is None:
            raise MissingSetting("adding articles is not set up here; run the bot with `serve`")
        return self.index_settings

    def _index_embedder(self) -> Embedder:
        self.index_embedder.load()  # first upload: load outside the question lock
        return TakingTurns(self.index_embedder, self.answerer.lock)

    def allowed(self, channel: str | None, is_dm: bool) -> bool:
        """True when the bot may answer in `channel`."""
        return self.settings.channel_allowed(channel, is_dm)

    def first_refusal(self, channel: str) -> bool:
        """True only the first time the bot refuses in `channel`, so it says so once."""
        return self.store.told_once.claim(channel)

    def stats(self) -> dict:
        """Index statistics for /healthz."""
        return self.searcher.stats()

    def home_facts(self, asker: Asker) -> dict:
        """What `asker` may read (counts, newest date, tickers, collections), for App Home."""
        readable = self.policy.readable(asker)
        facts = collection_overview(self.searcher.files, readable)
        return {**facts, "restricted": self.policy.has_file}
