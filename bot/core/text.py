"""Text hygiene for anything that echoes member input."""

from __future__ import annotations

import re

ZERO_WIDTH_SPACE = "\u200b"
MAX_ANSWER_CHARS = 16_000
LIMIT_FULL = (
    "Not added: your answer already holds 16,000 characters, the limit. "
    "Edit an earlier message to change it."
)
MAX_COMMAND_CHARS = 2_000
ELLIPSIS = "…"

# No word boundary at the end: Discord pings on "@everyone_team" and "@here2" too.
_MASS_MENTION = re.compile(r"@(everyone|here|channel)", re.IGNORECASE)
_SLACK_SPECIAL = re.compile(r"<!(everyone|here|channel)[^>]*>", re.IGNORECASE)


# ANSI escape sequences (CSI like ESC[31m, OSC like ESC]0;title BEL, and two-byte ESC forms).
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])")
# Control characters but tab and newline (C0, DEL, C1), and the bidi embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069) that make text display in another order than it reads.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_input(text: str) -> str:
    """Member text as it enters the core: terminal escapes, control characters and bidi
    overrides removed (``\r\n`` becomes ``\n``); what is left is shown exactly as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ANSI.sub("", text))


def clean_name(text: str) -> str:
    """A display name: ``clean_input`` on one line."""
    return one_line(clean_input(text))


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
