"""Settings of access control, read from INVESTOR_QA_ACCESS_FILE and INVESTOR_QA_RATE_LIMIT_*."""

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ACCESS_FILE = "access.yml"  # in the corpus directory unless INVESTOR_QA_ACCESS_FILE says otherwise


class AccessSettings(BaseSettings):
    """Where the access file is, and how many questions a person may ask per minute."""

    model_config = SettingsConfigDict(extra="ignore")

    access_file: Path | None = Field(
        None, validation_alias=AliasChoices("INVESTOR_QA_ACCESS_FILE", "access_file")
    )
    # Questions per person per minute in Slack; 0 turns the limit off.
    rate_limit_per_minute: int = Field(
        20,
        ge=0,
        validation_alias=AliasChoices(
            "INVESTOR_QA_RATE_LIMIT_PER_MINUTE", "INVESTOR_QA_RATE_LIMIT", "rate_limit_per_minute"
        ),
    )

    def access_path(self, corpus_dir: Path) -> Path:
        """The access file in use: INVESTOR_QA_ACCESS_FILE, else `access.yml` in the corpus."""
        return self.access_file or Path(corpus_dir) / ACCESS_FILE


@lru_cache
def get_access_settings() -> AccessSettings:
    """The process-wide access settings, read once from the environment."""
    return AccessSettings()
