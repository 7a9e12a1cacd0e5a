"""slack/manifest.yaml lists exactly the scopes, events and command the adapter uses."""

from __future__ import annotations

import re
from pathlib import Path

from bot.platforms.slack_app.app import BOT_SCOPES
from bot.platforms.slack_app.listeners.commands import COMMAND

MANIFEST = Path(__file__).parents[3] / "slack" / "manifest.yaml"


def _items(text: str, key: str) -> list[str]:
    """The ``- item`` lines of the block list under ``key:`` (the manifest's simple YAML)."""
    match = re.search(rf"^(\s*){re.escape(key)}:\n((?:\1\s+- .*\n)+)", text, re.MULTILINE)
    assert match is not None, f"no list under {key}"
    return [line.strip()[2:] for line in match.group(2).splitlines()]


def test_the_manifest_matches_the_code() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    assert _items(text, "bot") == sorted(BOT_SCOPES)
    # message.* deliver thread replies, edits and deletions; the Home tab needs app_home_opened.
    assert _items(text, "bot_events") == ["app_home_opened", "message.channels", "message.groups"]
    assert re.findall(r"- command: (\S+)", text) == [COMMAND]
    assert "interactivity:\n    is_enabled: true" in text
    assert text.count("/slack/events") == 3 and "/slack/oauth_redirect" in text


def test_the_manifest_lets_drillbot_read_back_its_keys_and_dm_admins() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    assert "metadata.message:read" in _items(text, "bot")  # posts are found again by their key
    assert "messages_tab_enabled: true" in text  # admins read problem reports there
    assert "messages_tab_read_only_enabled: true" in text
