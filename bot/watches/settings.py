"""Settings of watches and digests, read from INVESTOR_QA_* environment variables."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WatchSettings(BaseSettings):
    """How often `serve` looks for index updates, and the workspace's time zone."""

    model_config = SettingsConfigDict(env_prefix="INVESTOR_QA_", extra="ignore")

    # The workspace's time zone for digests when the command names none (IANA name).
    timezone: str = "UTC"
    # How often `serve` checks for a newer index (an update by another process) and due digests.
    watch_poll_s: float = Field(15.0, gt=0)


@lru_cache
def get_watch_settings() -> WatchSettings:
    """The process-wide watch settings, read once from the environment."""
    return WatchSettings()
