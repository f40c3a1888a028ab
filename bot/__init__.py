"""Turns passages into cited answers and talks to people through the CLI and Slack."""
