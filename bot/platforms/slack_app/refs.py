"""Refs the core stores for Slack, and member text converted from Slack's markup.

channel_ref = channel id, space_ref = team id, thread_ref = ``C123:1700000000.000100`` (the
thread's parent ts) and message_ref = ``C123:1700000000.000200``: stable and unique per message.
"""

from __future__ import annotations

import re

PLATFORM = "slack"

_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def message_ref(channel: str, ts: str) -> str:
    return f"{channel}:{ts}"


def thread_ref(channel: str, thread_ts: str) -> str:
    return f"{channel}:{thread_ts}"


def modal_ref(view_id: str) -> str:
    return f"modal:{view_id}"


def split_ref(ref: str | None) -> tuple[str, str] | None:
    """``(channel, ts)`` of a thread or message ref, or None for anything else."""
    if not ref or ":" not in ref:
        return None
    channel, _, ts = ref.partition(":")
    return (channel, ts) if channel and ts and not ref.startswith("modal:") else None


def plain_text(text: str) -> str:
    """Member text as typed: Slack's ``<@U1|name>``/``<#C1|name>``/link markup and its
    ``&amp;``/``&lt;``/``&gt;`` escapes become plain characters (escaped again on the way out)."""
    text = _LINK.sub(_unlink, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _unlink(match: re.Match[str]) -> str:
    target, label = match.group(1), (match.group(2) or "").strip()
    kind = target[:1]
    if kind in "@!" and target:  # a user, or a special mention such as <!here>
        return "@" + (label.lstrip("@") or target[1:].split("^")[0])
    if kind == "#":
        return "#" + (label.lstrip("#") or target[1:])
    return f"{label} ({target})" if label and label != target else target
