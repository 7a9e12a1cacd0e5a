"""Text hygiene for anything that echoes member input."""

from __future__ import annotations

import re

ZERO_WIDTH_SPACE = "\u200b"
MAX_ANSWER_CHARS = 16_000
MAX_COMMAND_CHARS = 2_000
ELLIPSIS = "…"

# No word boundary at the end: Discord pings on "@everyone_team" and "@here2" too.
_MASS_MENTION = re.compile(r"@(everyone|here|channel)", re.IGNORECASE)
_SLACK_SPECIAL = re.compile(r"<!(everyone|here|channel)[^>]*>", re.IGNORECASE)


def defang_mentions(text: str) -> str:
    """Break @everyone/@here/@channel (and Slack's <!here> forms) so echoing them pings nobody."""
    text = _SLACK_SPECIAL.sub(lambda m: f"@{ZERO_WIDTH_SPACE}{m.group(1)}", text)
    return _MASS_MENTION.sub(lambda m: f"@{ZERO_WIDTH_SPACE}{m.group(1)}", text)


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending with an ellipsis when something was cut."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    return text[: limit - 1].rstrip() + ELLIPSIS


def one_line(text: str) -> str:
    return " ".join(text.split())
