"""Shared fixtures: a deterministic fake embedder, small corpora, and the real model once."""

import shutil
from pathlib import Path

import pytest

from index.tokens import default_counter
from tests.helpers import BUNDLED_CORPUS, FakeEmbedder, write_article


@pytest.fixture(autouse=True)
def _bot_data_in_tmp(tmp_path_factory, monkeypatch):
    """The bot's own data (audit trail, votes) goes to a fresh directory, never the checkout."""
    from bot.access.settings import get_access_settings
    from bot.audit.settings import get_audit_settings
    from bot.state.settings import get_state_settings

    monkeypatch.setenv("INVESTOR_QA_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    settings = (get_audit_settings, get_access_settings, get_state_settings)
    for cached in settings:
        cached.cache_clear()
    yield
    for cached in settings:
        cached.cache_clear()


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def counter():
    return default_counter()


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Three short finance articles and one off-topic one."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_article(
        corpus,
        "alibaba.md",
        "Alibaba bets on AI",
        "Alibaba will invest RMB 380 billion ($53 billion) in AI and cloud infrastructure over "
        "three years. Alibaba holds a 36% share of China's cloud market. The company also "
        "repurchased shares.",
        source="Sample Wire",
        url="https://example.com/alibaba",
        published="2025-09-27",
        tickers="[BABA, 9988.HK]",
    )
    write_article(
        corpus,
        "tencent.md",
        "Tencent capex climbs",
        "Tencent spent about RMB 76.8 billion on capital expenditure in 2024. Tencent keeps "
        "building its Hunyuan models.",
        source="Sample Wire",
        published="2025-03-19",
        tickers="[TCEHY]",
    )
    (corpus / "notes.txt").write_text(
        "Microsoft cloud notes\n\nAzure revenue grew 39% in the quarter. Microsoft plans about "
        "$80 billion of AI data center spending.\n",
        encoding="utf-8",
    )
    write_article(
        corpus,
        "bread.md",
        "Baking sourdough",
        "Sourdough needs a lively starter. Let the dough rise slowly overnight in a cool place.",
    )
    return corpus


@pytest.fixture(scope="session")
def real_embedder():
    """The real all-MiniLM-L6-v2, loaded once for the whole test session."""
    from index.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory, real_embedder, counter):
    """The bundled corpus indexed once with the real model."""
    from index.build import build_index

    work = tmp_path_factory.mktemp("bundled")
    corpus = work / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    build_index(corpus, work / "index", real_embedder, counter)
    return work


@pytest.fixture(scope="session")
def postgres_server():
    """The base URL of a PostgreSQL server for this session: a throwaway cluster started here
    (initdb + pg_ctl; stopped at the end), or INVESTOR_QA_TEST_POSTGRES_URL. Skips when
    neither is possible."""
    from tests import pg_cluster

    external = pg_cluster.external_url()
    if external:
        yield external
        return
    try:
        cluster = pg_cluster.Cluster().start()
    except pg_cluster.NoPostgres as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        yield cluster.base_url
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh, empty schema of its own on the session's PostgreSQL, for one test."""
    from tests.pg_cluster import fresh_schema_url

    return fresh_schema_url(postgres_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def state_settings(request, tmp_path):
    """State settings for each backend: SQLite in a temporary data dir, and PostgreSQL."""
    from bot.state.settings import StateSettings

    if request.param == "sqlite":
        return StateSettings(data_dir=tmp_path / "data")
    url = request.getfixturevalue("postgres_url")
    return StateSettings(data_dir=tmp_path / "data", database_url=url)
