"""Open the audit trail in the bot's state store (SQLite in INVESTOR_QA_DATA_DIR by default,
PostgreSQL when INVESTOR_QA_DATABASE_URL names one)."""

from bot.audit.log import AuditLog
from bot.audit.settings import AuditSettings, get_audit_settings
from bot.state.store import StateStore, open_state


def open_audit(state: StateStore | None = None, settings: AuditSettings | None = None) -> AuditLog:
    """The audit trail in `state` (default: the configured state store), pruned if configured."""
    state = state or open_state()  # StateStoreError, one line, when the database is unusable
    return AuditLog(state.engine, (settings or get_audit_settings()).retention_days)
