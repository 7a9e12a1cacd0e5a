"""Shards in the fake gateway: which session a guild's events go to, and every IDENTIFY seen.

Discord routes a guild to shard ``(guild_id >> 22) % shard_count`` (the count the session gave in
its IDENTIFY); a session that gave no shard gets every guild. Events that name no guild go to
every session.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

GUILD_EVENTS = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})


@dataclass(frozen=True)
class Identified:
    """One IDENTIFY the gateway accepted: the shard it asked for and when (``time.monotonic``)."""

    shard_id: int | None
    shard_count: int | None
    at: float = field(default_factory=time.monotonic)


def shard_for(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


def serves(shard: list[int] | None, guild_id: int | None) -> bool:
    """Whether a session IDENTIFYed with ``shard`` ([id, count], or None) receives the guild's
    events (``guild_id`` None: an event of no guild, which every session receives)."""
    if shard is None or guild_id is None:
        return True
    return shard_for(guild_id, shard[1]) == shard[0]


def guild_of(event: str, data: Any) -> int | None:
    """The guild an event belongs to, if any."""
    if not isinstance(data, dict):
        return None
    raw = data.get("id") if event in GUILD_EVENTS else data.get("guild_id")
    return int(raw) if raw is not None else None


def invalid_shard(shard: Any) -> bool:
    """Not ``[id, count]`` with ``0 <= id < count`` (Discord closes such a session with 4010)."""
    if shard is None:
        return False
    if not isinstance(shard, list) or len(shard) != 2:
        return True
    shard_id, count = shard
    return not (isinstance(shard_id, int) and isinstance(count, int) and 0 <= shard_id < count)
