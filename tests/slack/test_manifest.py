"""The Slack app manifest declares everything the bot's listeners rely on."""

import yaml

from tests.helpers import ROOT


def test_manifest_declares_events_command_interactivity_and_scopes():
    manifest = yaml.safe_load((ROOT / "slack-app-manifest.yml").read_text())
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
        "app_home_opened",
    }
    assert settings["interactivity"]["is_enabled"] is True
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/ask"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "channels:history",
        "files:read",
        "files:write",
        "chat:write.public",  # watches and digests post into public channels uninvited
    } <= scopes
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    ]
    assert all(url.endswith("/slack/events") for url in urls)
