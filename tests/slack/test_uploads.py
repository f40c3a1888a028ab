"""Uploads without Slack: where the token may go, safe names, admins, the model lock, the swap."""

import numpy as np

from bot.access.asker import Asker
from bot.slack.download import token_may_go_to
from bot.slack.settings import BotSettings
from bot.slack.shared_model import TakingTurns
from bot.slack.uploads import shared_files
from tests.helpers import FakeEmbedder, write_article
from tests.slack.conftest import build_service

API = "https://slack.com/api/"
OPERATOR = Asker(surface="cli")


def test_the_token_goes_only_to_slack_or_the_configured_api_host():
    assert token_may_go_to("https://files.slack.com/files-pri/T1-F1/download/a.md", API)
    assert not token_may_go_to("http://files.slack.com/a.md", API)  # never in clear text
    assert not token_may_go_to("https://files.slack.com.evil.example/a.md", API)
    assert not token_may_go_to("https://evil.example/slack.com/a.md", API)
    assert token_may_go_to("http://127.0.0.1:8080/files/a.md", "http://127.0.0.1:8080/api/")
    assert not token_may_go_to("http://127.0.0.1:9999/files/a.md", "https://127.0.0.1/api/")


def test_shared_file_names_stay_inside_the_temporary_directory():
    event = {
        "files": [
            {"name": "../../etc/notes.md", "size": 10, "url_private": "https://x/1"},
            {"name": "..", "filetype": "pdf"},
            {"title": "Q3 letter", "filetype": "markdown", "url_private_download": "https://x/3"},
        ]
    }
    files = shared_files(event)
    assert [f.name for f in files] == ["notes.md", "shared-file.pdf", "Q3 letter.md"]
    assert [f.url for f in files] == ["https://x/1", None, "https://x/3"]
    assert shared_files({"text": "no files"}) == []


def test_admins_come_from_a_comma_list_and_default_to_nobody(monkeypatch):
    monkeypatch.setenv("INVESTOR_QA_ADMINS", " U1, U2 ,")
    settings = BotSettings()
    assert settings.admins == {"U1", "U2"}
    assert settings.is_admin("U2") and not settings.is_admin("U3") and not settings.is_admin(None)
    monkeypatch.delenv("INVESTOR_QA_ADMINS")
    assert not BotSettings().is_admin("U1")


def test_adding_swaps_in_a_new_searcher_and_the_old_one_keeps_answering(tmp_path, counter):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_article(corpus, "a.md", "Alibaba AI", "Alibaba is investing RMB 380 billion in AI.")
    qa = build_service(corpus, tmp_path / "index", BotSettings(), counter)
    old = qa.searcher
    new_file = write_article(tmp_path, "t.md", "Tencent AI", "Tencent is investing RMB 77 billion.")
    report = qa.add_files([new_file])
    assert [a.title for a in report.added] == ["Tencent AI"]
    assert qa.searcher is not old and qa.searcher.embedder is old.embedder  # model loaded once
    assert qa.stats()["articles"] == 2 and old.stats()["articles"] == 1
    # A question that started on the old searcher still completes from the old version.
    assert old.search("How much is Alibaba investing?", k=1)[0].title == "Alibaba AI"
    assert qa.answer("How much is Tencent investing?", OPERATOR, "cli").citations[0].title == (
        "Tencent AI"
    )


class CountingLock:
    """A lock stand-in that records whether it is held, so a test can see each batch take it."""

    def __init__(self):
        self.held, self.taken = False, 0

    def __enter__(self):
        assert not self.held
        self.held, self.taken = True, self.taken + 1

    def __exit__(self, *exc):
        self.held = False


class LockCheckingEmbedder(FakeEmbedder):
    def __init__(self, lock: CountingLock):
        super().__init__()
        self.lock = lock

    def encode_documents(self, texts, batch_size=32, progress=None):
        assert self.lock.held and len(texts) <= batch_size
        return super().encode_documents(texts, batch_size, progress)


def test_a_build_takes_the_question_lock_once_per_batch_and_returns_the_same_vectors():
    lock = CountingLock()
    inner = LockCheckingEmbedder(lock)
    shared = TakingTurns(inner, lock)
    texts = [f"passage number {i} about revenue" for i in range(70)]
    vectors = shared.encode_documents(texts, batch_size=32)
    assert lock.taken == 3 and not lock.held
    assert np.array_equal(vectors, FakeEmbedder().encode_documents(texts))
    assert shared.encode_documents([], batch_size=32).shape == (0, inner.dim)
    assert (shared.name, shared.dim) == (inner.name, inner.dim)


def test_uploads_are_embedded_by_the_build_model_not_the_query_encoder(tmp_path, counter):
    from bot.access.gate import Gate
    from bot.access.policy import AccessPolicy
    from bot.answer.answerer import Answerer
    from bot.audit.store import open_audit
    from bot.slack.service import QAService
    from bot.state.settings import StateSettings
    from bot.state.store import open_state
    from index.build import build_index
    from index.settings import IndexSettings
    from tests.helpers import FakeEmbedder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_article(corpus, "a.md", "Alibaba AI", "Alibaba is investing RMB 380 billion in AI.")
    build_index(corpus, tmp_path / "index", FakeEmbedder(), counter)
    query_encoder, builder = FakeEmbedder(), FakeEmbedder()
    settings = BotSettings()
    answerer = Answerer.open(tmp_path / "index", query_encoder, corpus, min_score=0.2)
    store = open_state(StateSettings(data_dir=tmp_path / "d"))
    qa = QAService(
        Gate(answerer, AccessPolicy.load(corpus / "access.yml"), open_audit(store)),
        store,
        settings,
        index_settings=IndexSettings(corpus_dir=corpus, index_dir=tmp_path / "index"),
        index_embedder=builder,
    )
    qa.add_files(
        [write_article(tmp_path, "t.md", "Tencent AI", "Tencent is investing RMB 77 billion.")]
    )
    assert builder.documents_encoded >= 1 and query_encoder.documents_encoded == 0
    assert qa.searcher.embedder is query_encoder
    assert qa.answer("How much is Tencent investing?", OPERATOR, "cli").citations[0].title == (
        "Tencent AI"
    )
