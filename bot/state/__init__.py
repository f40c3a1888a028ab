"""The bot's own state (not the index): event dedupe, notices given once, answers and votes.

Shared by every replica through one SQLAlchemy engine: SQLite in INVESTOR_QA_DATA_DIR by default,
PostgreSQL when INVESTOR_QA_DATABASE_URL names one. Knows nothing of Slack, so the CLI can use it.
"""
