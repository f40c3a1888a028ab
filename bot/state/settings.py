"""Settings of the state store, read from INVESTOR_QA_DATA_DIR and INVESTOR_QA_DATABASE_URL."""

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class StateSettings(BaseSettings):
    """Where the bot keeps its own state: a SQLite file in `data_dir`, or `database_url`."""

    model_config = SettingsConfigDict(extra="ignore")

    # Kept apart from the index directory, so rebuilding the index never erases votes.
    data_dir: Path = Field(
        Path(".data"), validation_alias=AliasChoices("INVESTOR_QA_DATA_DIR", "data_dir")
    )
    # postgresql://user:password@host:5432/db lets several replicas share one store. A secret:
    # it usually holds a password, so it never appears in a repr or a log line.
    database_url: SecretStr | None = Field(
        None, validation_alias=AliasChoices("INVESTOR_QA_DATABASE_URL", "database_url")
    )


@lru_cache
def get_state_settings() -> StateSettings:
    """The process-wide state settings, read once from the environment."""
    return StateSettings()
