"""Errors of the audit trail; their messages are safe to show."""

from index.errors import InvestorQAError


class AuditUnavailable(InvestorQAError):
    """The audit trail cannot be opened or written, so nothing is answered."""
