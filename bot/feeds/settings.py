"""Settings of feed polling, read from INVESTOR_QA_FEEDS_* environment variables."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class FeedSettings(BaseSettings):
    """How often and how politely feeds are polled."""

    model_config = SettingsConfigDict(env_prefix="INVESTOR_QA_FEEDS_", extra="ignore")

    # Every HTTP request for feeds (feed documents and entry pages) in one process, per minute.
    fetches_per_minute: int = Field(30, ge=1)
    default_every: str = "30m"  # a feed added without --every is polled this often
    max_new_entries: int = Field(50, ge=1)  # entries taken from one feed per sync; more wait
    lease_s: float = Field(900.0, gt=0)  # a replica's claim on a feed it is syncing
    max_backoff_s: float = Field(6 * 3600.0, gt=0)  # a failing feed waits at most this long


@lru_cache
def get_feed_settings() -> FeedSettings:
    """The process-wide feed settings, read once from the environment."""
    return FeedSettings()
