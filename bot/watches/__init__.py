"""Watches: a channel's standing questions, answered again after every index update, and a post
only when a new article brings a figure the channel has not been told. Digests gather them.

`store.py` keeps watches and digests in the state store, `news.py` decides what is news,
`runner.py` re-answers watches and posts, `digest.py` schedules digests, `command.py` is the
CLI. Nothing here knows Slack: posting is a function the caller passes in.
"""
