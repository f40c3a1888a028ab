"""The audit trail: every answer the bot gives, and every request it refuses, for compliance."""
