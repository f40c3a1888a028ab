"""Settings of the Slack bot, read from SLACK_* and INVESTOR_QA_* environment variables."""

from functools import lru_cache
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.slack.errors import MissingSetting

DEFAULT_API_URL = "https://slack.com/api/"


class BotSettings(BaseSettings):
    """Slack credentials, the Web API address, where the bot may answer and who may add articles.

    Where the bot keeps its own state is bot.state's business (INVESTOR_QA_DATA_DIR,
    INVESTOR_QA_DATABASE_URL)."""

    model_config = SettingsConfigDict(extra="ignore")

    # Field names match SLACK_BOT_TOKEN etc.: environment names are matched case-insensitively.
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = DEFAULT_API_URL
    # Empty means every channel; DMs are always allowed.
    allowed_channels: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(),
        validation_alias=AliasChoices("INVESTOR_QA_ALLOWED_CHANNELS", "allowed_channels"),
    )
    # Slack user ids that may add articles by sharing a file with the bot in a DM.
    admins: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(), validation_alias=AliasChoices("INVESTOR_QA_ADMINS", "admins")
    )
    # Shared files larger than this are refused before they are downloaded.
    upload_max_mb: float = Field(
        20.0, validation_alias=AliasChoices("INVESTOR_QA_UPLOAD_MAX_MB", "upload_max_mb")
    )
    # Shared files may be downloaded from local or private addresses (tests, a local proxy).
    fetch_allow_private: bool = Field(
        False,
        validation_alias=AliasChoices("INVESTOR_QA_FETCH_ALLOW_PRIVATE", "fetch_allow_private"),
    )

    @field_validator("allowed_channels", "admins", mode="before")
    @classmethod
    def _split_ids(cls, value):
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

    def secret(self, name: str) -> str:
        """The value of the token or secret field `name`; MissingSetting when it is not set."""
        self.require(name)
        return getattr(self, name).get_secret_value()

    def channel_allowed(self, channel: str | None, is_dm: bool) -> bool:
        """True when the bot may answer in `channel`; DMs always may."""
        return is_dm or not self.allowed_channels or channel in self.allowed_channels

    def is_admin(self, user: str | None) -> bool:
        """True when `user` may add articles; nobody may when INVESTOR_QA_ADMINS is empty."""
        return user is not None and user in self.admins


@lru_cache
def get_bot_settings() -> BotSettings:
    """The process-wide bot settings, read once from the environment."""
    return BotSettings()
