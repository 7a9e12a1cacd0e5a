"""Run the bot for real platforms: the scheduler and every configured adapter on one event loop."""

from __future__ import annotations

from config import Settings


class PlatformUnavailable(Exception):
    """A platform was configured that this build cannot run."""


async def run_service(settings: Settings) -> int:
    configured = [
        name
        for name, wanted in (("Discord", settings.wants_discord), ("Slack", settings.wants_slack))
        if wanted
    ]
    raise PlatformUnavailable(
        f"{' and '.join(configured)} credentials are set, but this build runs only the console channel. "
        "Unset them or pass --console."
    )
