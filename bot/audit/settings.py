"""Settings of the audit trail: how long it is kept (where: the state store's settings)."""

from functools import lru_cache

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AuditSettings(BaseSettings):
    """How many days of audit rows to keep (None: keep everything)."""

    model_config = SettingsConfigDict(extra="ignore")

    retention_days: int | None = Field(
        None,
        ge=1,
        validation_alias=AliasChoices("INVESTOR_QA_AUDIT_RETENTION_DAYS", "retention_days"),
    )


@lru_cache
def get_audit_settings() -> AuditSettings:
    """The process-wide audit settings, read once from the environment."""
    return AuditSettings()
