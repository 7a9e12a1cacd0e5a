"""Where things are: the workspace (space) a registered channel belongs to."""

from __future__ import annotations

from bot.core.services.context import Core


async def channel_space(core: Core, platform: str, channel_ref: str) -> str | None:
    """The space of a registered channel (platforms whose tokens differ per workspace need it)."""
    return await core.db.run(lambda uow: uow.channels.space_of(platform, channel_ref))
