"""Member text as plain text on Discord: no markdown, masked links, mentions, pills or headings.

Built on discord.py's ``escape_markdown`` (bold, italics, code, spoilers, quotes, headings, list
dashes) and ``escape_mentions`` (user and role pills, @everyone); what they leave alone is
handled here: masked links (``[text](url)`` shows ``text`` and hides where it goes), channel
and slash-command pills. ``AllowedMentions.none()`` on every message stays the second guard.
"""

from __future__ import annotations

import re

from discord.utils import escape_markdown, escape_mentions

from bot.core.text import ZERO_WIDTH_SPACE, defang_mentions

_PILL = re.compile(r"<(#|/|@)")  # <#channel>, </command:id>, and <@…> forms escape_mentions missed
_MASKED_LINK = re.compile(r"\]\s*\(")


def plain(text: str) -> str:
    """``text`` exactly as a member wrote it, shown as text (URLs stay visible and clickable)."""
    text = _MASKED_LINK.sub(f"]{ZERO_WIDTH_SPACE}(", text)
    text = escape_mentions(defang_mentions(text))
    text = _PILL.sub(f"<{ZERO_WIDTH_SPACE}\\1", text)
    return escape_markdown(text)
