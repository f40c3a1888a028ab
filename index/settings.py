"""Settings of the index package, read from INVESTOR_QA_* environment variables."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


class IndexSettings(BaseSettings):
    """Where the corpus and index live and how retrieval behaves."""

    model_config = SettingsConfigDict(env_prefix="INVESTOR_QA_", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path(".index")
    top_k: int = 5
    # Calibrated on the bundled corpus: see docs/QUALITY.md ("Not-found threshold").
    min_score: float = 0.35
    model_name: str = DEFAULT_MODEL
    batch_size: int = 32
    device: str = "auto"  # building encodes on CUDA when torch sees a GPU; cpu or cuda to force


@lru_cache
def get_settings() -> IndexSettings:
    """The process-wide settings, read once from the environment."""
    return IndexSettings()
