"""What each ``drillbot`` sub-command does. Each returns the process exit code."""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.bootstrap import App, build
from bot.cli import Refused
from bot.core.model import Channel
from bot.logs import setup_logging
from bot.platforms.console.runner import run_console
from bot.status import print_status
from bot.storage.engine import DatabaseUnavailable, open_database
from bot.storage.migrate import current_revision, upgrade
from bot.storage.uow import Database


async def open_app(args: argparse.Namespace) -> App:
    try:
        return await build(args.settings)
    except DatabaseUnavailable as error:
        raise Refused(str(error)) from error


async def run(args: argparse.Namespace) -> int:
    settings = args.settings
    console = args.console or not (settings.wants_discord or settings.wants_slack)
    # The console's transcript shares the terminal with the log: keep routine lines out of it
    # unless a level was asked for.
    quiet = console and "log_level" not in settings.core.model_fields_set
    setup_logging("WARNING" if quiet else settings.core.log_level, settings.core.log_format)
    if not console:
        # Imported here so the console channel starts without loading discord.py and slack-bolt.
        from bot.service import run_service

        return await run_service(settings)
    if args.transcript is not None:
        check_file_writable(args.transcript, "the transcript")
    app = await open_app(args)
    try:
        await run_console(
            app.core,
            args.start or datetime.now(UTC),
            console_input(),
            sys.stdout,
            args.transcript,
            args.files,
        )
    finally:
        await app.db.dispose()
    return 0


def check_file_writable(path: Path, what: str) -> None:
    """A file named on the command line must be writable now, not at its first use."""
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as error:
        raise Refused(f"cannot write {what} {path}: {error.strerror or error}") from error


def console_input() -> TextIO:
    """Standard input; bytes that are not UTF-8 become U+FFFD instead of losing the line."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")
    return sys.stdin


def _open(args: argparse.Namespace) -> Database:
    try:
        return open_database(args.settings.core.database_url)
    except DatabaseUnavailable as error:
        raise Refused(str(error)) from error


async def db_upgrade(args: argparse.Namespace) -> int:
    database = _open(args)
    try:
        await upgrade(database)
        print(f"database: schema at {await current_revision(database)}")
    except DatabaseUnavailable as error:
        raise Refused(str(error)) from error
    finally:
        await database.dispose()
    return 0


async def status(args: argparse.Namespace) -> int:
    app = await open_app(args)
    try:
        await print_status(app.core, datetime.now(UTC), sys.stdout)
    finally:
        await app.db.dispose()
    return 0


async def find_channel(app: App, platform: str, space: str, channel_ref: str) -> Channel | None:
    return await app.core.db.run(lambda uow: uow.channels.find(platform, space, channel_ref))


async def discord_invite_url(args: argparse.Namespace) -> int:
    """Print the OAuth2 URL with exactly the scopes and permissions Drillbot uses."""
    # Imported here so the other commands never load discord.py.
    from bot.platforms.discord_app.invite import application_id_from_token, invite_url

    token = args.settings.discord.token
    app_id = args.application_id or (
        application_id_from_token(token.get_secret_value()) if token else None
    )
    if app_id is None:
        raise Refused("pass --application-id, or set DISCORD_TOKEN")
    print(invite_url(app_id))
    return 0
