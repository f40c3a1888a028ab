"""Who may read what: collections, the access file, per-asker search scope and rate limits.

Not Slack-specific: the CLI answers "as channel C" or "as user U" with the same rules.
"""
