"""Run the bot for real platforms: the scheduler and every configured adapter on one event loop.

A platform whose connection fails for good (a token the platform refuses) stops the process with
a non-zero status and one ERROR line naming the cause and the fix, so a process manager restarts
it instead of leaving it alive and deaf.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.bootstrap import App, build
from bot.core.ports import Platform
from bot.platforms.health import ConnectionFailed, Health
from bot.platforms.runtime import ConnectionLost, PlatformRuntime, Watched
from bot.scheduling import DrillScheduler
from config import Settings

log = logging.getLogger(__name__)


class PlatformUnavailable(Exception):
    """A configured platform could not start; the message says what to fix."""


def runtimes_for(app: App, health: Health | None = None) -> list[PlatformRuntime]:
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
            found.append(SlackRuntime(app.core, app.settings.slack, app.db.engine, health=health))
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
    health = Health()
    try:
        runtimes = runtimes_for(app, health)
    except PlatformUnavailable:
        await app.db.dispose()
        raise
    try:
        for runtime in runtimes:
            await runtime.start()
            health.connected(runtime.platform.name)  # unless the runtime reports for itself
            platforms[runtime.platform.name] = runtime.platform
        await scheduler.start()
        log.info("drillbot running on %s", ", ".join(sorted(platforms)))
        return await _until_stopped_or_lost(stopped, health, runtimes)
    except (ConnectionLost, ConnectionFailed) as lost:
        log.error("drillbot stopped: %s", lost)
        return 1
    except Exception as error:
        log.exception("drillbot stopped")
        raise PlatformUnavailable(f"{type(error).__name__}: {error}") from error
    finally:
        await scheduler.stop()
        for runtime in reversed(runtimes):
            await runtime.stop()
        await app.db.dispose()


async def _until_stopped_or_lost(
    stopped: asyncio.Event, health: Health, runtimes: list[PlatformRuntime]
) -> int:
    """0 after a stop signal; 1 (after one ERROR naming cause and fix) when a connection failed
    for good, so the process manager restarts the process instead of it sitting alive and deaf."""
    stop, failed = (
        asyncio.ensure_future(stopped.wait()),
        asyncio.ensure_future(health.failed.wait()),
    )
    watches = {asyncio.ensure_future(r.watch()) for r in runtimes if isinstance(r, Watched)}
    try:
        done, _ = await asyncio.wait({stop, failed, *watches}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (stop, failed, *watches):
            task.cancel()
        await asyncio.gather(stop, failed, *watches, return_exceptions=True)
    lost = [t.exception() for t in done if t in watches and not t.cancelled() and t.exception()]
    for error in lost:
        log.error("drillbot stopped: %s", error)
    if health.failed.is_set() and not stopped.is_set():
        log.error("drillbot stopped: %s", "; ".join(health.reasons()))
        return 1
    if lost:
        return 1
    log.info("drillbot stopping")
    return 0


def _stop_signal() -> asyncio.Event:
    """Set by SIGTERM (a platform's shutdown) or SIGINT (Ctrl-C)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop
