"""Settings of the index package, read from INVESTOR_QA_* environment variables."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


# Chosen on TAT-QA dev questions (docs/QUALITY.md, "A sixth round"): sentences from the first 7
# passages (5 → 7: span_hit 0.792 → 0.805, answers 8% longer), tables from the first 10.
TOP_K = 7
TABLE_K = 10


class IndexSettings(BaseSettings):
    """Where the corpus and index live and how retrieval behaves."""

    model_config = SettingsConfigDict(env_prefix="INVESTOR_QA_", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path(".index")
    top_k: int = TOP_K  # passages an answer quotes sentences from
    # Passages an answer reads for table cells and computed figures (the first top_k and the
    # next ones): docs/QUALITY.md, "Answers (issue 11)".
    table_k: int = TABLE_K
    # Calibrated on the bundled corpus: see docs/QUALITY.md ("Not-found threshold").
    min_score: float = 0.35
    batch_size: int = 32
    device: str = "auto"  # building encodes on CUDA when torch sees a GPU; cpu or cuda to force
    # Files past this are read (and indexed) only up to it: bounded memory and embedding time.
    max_article_mb: float = 2.0
    fetch_timeout_s: float = 20.0  # the whole fetch, redirects included
    fetch_max_mb: float = 20.0
    # Fetch intranet or local addresses too (loopback, private, link-local); off by default so a
    # link cannot make the bot read internal services or cloud metadata.
    fetch_allow_private: bool = False
    # Each PDF or HTML file is parsed in a worker process under these limits (index/isolate.py).
    parse_timeout_s: float = 60.0
    parse_memory_mb: int = 1024
    # Build on Ray (`investor-qa index --ray`): `auto` starts a local Ray runtime, an address
    # (host:port or ray://host:10001) joins a cluster; unset or empty: build in this process.
    ray_address: str | None = None
    ray_actors: int = 0  # embedding actors; 0: one per GPU, else CPU actors of a few threads each

    @property
    def max_article_bytes(self) -> int:
        """`max_article_mb` in bytes."""
        return int(self.max_article_mb * 1_000_000)


@lru_cache
def get_settings() -> IndexSettings:
    """The process-wide settings, read once from the environment."""
    return IndexSettings()
