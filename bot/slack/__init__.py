"""Everything that talks to Slack: the bolt app, its server, listeners, Block Kit and state."""
