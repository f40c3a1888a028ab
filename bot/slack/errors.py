"""Errors of the bot package; like index errors, their messages are safe to show users."""

from index.errors import InvestorQAError


class MissingSetting(InvestorQAError):
    """A required token or secret is not configured."""


class SlackUnreachable(InvestorQAError):
    """Slack's Web API did not answer, or refused the bot token, at start-up."""


class DownloadFailed(InvestorQAError):
    """A file shared in Slack could not be downloaded."""
