"""Errors of the access rules; their messages are safe to show (they name no restricted content)."""

from index.errors import InvestorQAError


class BadAccessFile(InvestorQAError):
    """The access file is not valid: one line naming the file and the key or id at fault."""


class AccessUnavailable(InvestorQAError):
    """The access rules cannot be read right now, so nothing is answered (fail closed)."""


class NotAllowed(InvestorQAError):
    """The asker may not do this (add to a collection, share into a channel)."""


class BadAsker(InvestorQAError):
    """--channel/--user do not describe a Slack asker."""
