"""Where the evaluation data is read from and where parsed text and vectors are cached."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


class EvalSettings(BaseSettings):
    """INVESTOR_QA_EVAL_DATA_DIR and INVESTOR_QA_EVAL_CACHE_DIR override the defaults."""

    model_config = SettingsConfigDict(env_prefix="INVESTOR_QA_EVAL_", extra="ignore")

    # The benchmark data is never copied into the repo; a fresh clone simply has none.
    data_dir: Path = REPO_ROOT.parent / "shared" / "eval"
    # Outside the repo so parsed PDFs and vectors survive clean checkouts and `make clean`.
    cache_dir: Path = Path.home() / ".cache" / "investor-qa" / "eval"


@lru_cache
def get_eval_settings() -> EvalSettings:
    """The process-wide evaluation settings, read once from the environment."""
    return EvalSettings()
