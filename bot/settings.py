"""Settings of the Slack bot, read from SLACK_* and INVESTOR_QA_* environment variables."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.errors import MissingSetting

DEFAULT_API_URL = "https://slack.com/api/"


def _env(name: str) -> AliasChoices:
    # The environment name, plus the field name so tests can build settings by keyword.
    return AliasChoices(name, name.lower())


class BotSettings(BaseSettings):
    """Slack credentials, the Web API address, where the bot may answer and where it keeps data."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str = Field(DEFAULT_API_URL, validation_alias=_env("SLACK_API_URL"))
    # Empty means every channel; DMs are always allowed.
    allowed_channels: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(),
        validation_alias=AliasChoices("INVESTOR_QA_ALLOWED_CHANNELS", "allowed_channels"),
    )
    # Feedback lives here, outside the index directory, so a rebuild never erases it.
    data_dir: Path = Field(
        Path(".data"), validation_alias=AliasChoices("INVESTOR_QA_DATA_DIR", "data_dir")
    )

    @field_validator("allowed_channels", mode="before")
    @classmethod
    def _split_channels(cls, value):
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    def require(self, *names: str) -> None:
        """Raise MissingSetting naming the first of `names` (field names) that is not set."""
        for name in names:
            value = getattr(self, name)
            if value is None or not value.get_secret_value().strip():
                raise MissingSetting(
                    f"{name.upper()} is not set; export it (see 'Install in your Slack workspace' "
                    "in README.md)"
                )

    def channel_allowed(self, channel: str | None, is_dm: bool) -> bool:
        """True when the bot may answer in `channel`; DMs always may."""
        return is_dm or not self.allowed_channels or channel in self.allowed_channels


@lru_cache
def get_settings() -> BotSettings:
    """The process-wide bot settings, read once from the environment."""
    return BotSettings()
