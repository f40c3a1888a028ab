"""Subscribed feeds: RSS and Atom sources polled politely, their new entries indexed as articles.

`store.py` keeps subscriptions and seen entries in the bot's state store, `fetching.py` is the
one place that reaches the network, `parse.py` reads a feed, `entries.py` turns an entry into a
corpus file, `sync.py` puts them together, and `command.py` is the CLI.
"""
