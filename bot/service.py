"""Run the bot for real platforms: the scheduler and every configured adapter on one event loop."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.bootstrap import App, build
from bot.core.ports import Platform
from bot.platforms.runtime import PlatformRuntime
from bot.scheduling import DrillScheduler
from config import Settings

log = logging.getLogger(__name__)


class PlatformUnavailable(Exception):
    """A configured platform could not start; the message says what to fix."""


def runtimes_for(app: App) -> list[PlatformRuntime]:
    """An adapter for each platform with credentials (each imported only when configured)."""
    found: list[PlatformRuntime] = []
    if app.settings.wants_discord:
        from bot.platforms.discord_app.runtime import DiscordSetupError, runtime_from_settings

        try:
            found.append(runtime_from_settings(app.core, app.settings.discord))
        except DiscordSetupError as error:
            raise PlatformUnavailable(f"Discord: {error}") from error
    if app.settings.wants_slack:
        from bot.platforms.slack_app.runtime import SlackRuntime, SlackSetupError

        try:
            found.append(SlackRuntime(app.core, app.settings.slack, app.db.engine))
        except SlackSetupError as error:
            raise PlatformUnavailable(f"Slack: {error}") from error
    return found


async def run_service(settings: Settings) -> int:
    stopped = _stop_signal()  # first, so a stop during start-up is not lost
    app = await build(settings)
    platforms: dict[
        str, Platform
    ] = {}  # filled as each platform connects; the scheduler reads it live
    scheduler = DrillScheduler(app.core, platforms, settings.core.sweep_seconds)
    try:
        runtimes = runtimes_for(app)
    except PlatformUnavailable:
        await app.db.dispose()
        raise
    try:
        for runtime in runtimes:
            await runtime.start()
            platforms[runtime.platform.name] = runtime.platform
        await scheduler.start()
        log.info("drillbot running on %s", ", ".join(sorted(platforms)))
        await stopped.wait()
        log.info("drillbot stopping")
        return 0
    except Exception as error:
        log.exception("drillbot stopped")
        raise PlatformUnavailable(f"{type(error).__name__}: {error}") from error
    finally:
        await scheduler.stop()
        for runtime in reversed(runtimes):
            await runtime.stop()
        await app.db.dispose()


def _stop_signal() -> asyncio.Event:
    """Set by SIGTERM (a platform's shutdown) or SIGINT (Ctrl-C)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop
