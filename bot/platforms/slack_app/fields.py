"""Reading fields of what Slack sends without trusting their types: a request that passed the
signature check can still carry a field of an unexpected shape (Slack's own changes, a replayed
or crafted request), and a listener must not crash on it."""

from __future__ import annotations

from typing import Any

MAX_ID_DIGITS = 18  # answer and round ids: an int64 holds them all


def text(value: Any) -> str:
    """A string field, or "" for anything else (a number, a list, null)."""
    return value if isinstance(value, str) else ""


def obj(value: Any) -> dict[str, Any]:
    """An object field, or {} for anything else."""
    return value if isinstance(value, dict) else {}


def number(value: Any) -> int | None:
    """A positive id written in ASCII digits (a button's value), or None."""
    raw = text(value)
    ok = raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS
    return int(raw) if ok and int(raw) > 0 else None
