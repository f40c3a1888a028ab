"""Errors of the state store; their messages are safe to show and never contain a password."""

from index.errors import InvestorQAError


class StateStoreError(InvestorQAError):
    """The state database cannot be configured, reached or used."""


class BadDatabaseURL(StateStoreError):
    """INVESTOR_QA_DATABASE_URL is not a URL investor-qa can use."""


class SchemaTooNew(StateStoreError):
    """The database was written by a newer investor-qa than this one."""
