"""The ``drillbot`` command line."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot import cli_actions as run
from bot import cli_drills as drills_cli
from bot import cli_exports
from bot.platforms.console.platform import FILES_DIR
from bot.service import PlatformUnavailable
from bot.storage.migrate import DatabaseUnavailable
from config import SettingsError, load_settings
from drills import DrillFileError

Action = Callable[[argparse.Namespace], Coroutine[Any, Any, int]]
BROKEN_PIPE = 141  # what a shell reports for a writer whose reader went away (128 + SIGPIPE)


def start_time(text: str) -> datetime:
    """``--start``: ISO 8601; a time without a zone is UTC (never the machine's local zone)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text[:40]}' is not a time; use ISO 8601 like 2026-11-23T08:00:00Z "
            "(a time without a zone is UTC)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="drillbot", description="Daily interview drills for study groups."
    )
    root.add_argument(
        "--env-file", type=Path, default=Path(".env"), help="settings file (default .env)"
    )
    sub = root.add_subparsers(dest="command", required=True)
    runner = sub.add_parser("run", help="run the bot (the console channel when no tokens are set)")
    runner.add_argument(
        "--console", action="store_true", help="use the console channel even with tokens"
    )
    runner.add_argument(
        "--start",
        type=start_time,
        help="console clock start, ISO 8601; without a zone it is UTC (default: now)",
    )
    runner.add_argument(
        "--transcript", type=Path, help="console: also record posts here, and resume from it"
    )
    runner.add_argument(
        "--files",
        type=Path,
        default=FILES_DIR,
        help=f"console: where files for members are written (default {FILES_DIR})",
    )
    runner.set_defaults(action=run.run)
    sub.add_parser("check", help="validate settings and the drill bank").set_defaults(
        action=run.check
    )
    sub.add_parser("status", help="channels, next posts, pending and failed sends").set_defaults(
        action=run.status
    )
    db = sub.add_parser("db", help="database commands").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="apply migrations").set_defaults(action=run.db_upgrade)
    _drill_commands(sub.add_parser("drills", help="the drill bank"))
    cli_exports.add_parsers(sub)
    discord_commands = sub.add_parser("discord", help="Discord helpers").add_subparsers(
        dest="discord_command", required=True
    )
    invite = discord_commands.add_parser(
        "invite-url", help="the URL that adds Drillbot to a server"
    )
    invite.add_argument("--application-id", type=int, help="default: read from DISCORD_TOKEN")
    invite.set_defaults(action=run.discord_invite_url)
    return root


def _drill_commands(drills: argparse.ArgumentParser) -> None:
    sub = drills.add_subparsers(dest="drills_command", required=True)
    listing = sub.add_parser("list", help="list drills")
    listing.add_argument("--kind")
    listing.set_defaults(action=drills_cli.drills_list)
    show = sub.add_parser("show", help="show one drill")
    show.add_argument("id")
    show.set_defaults(action=drills_cli.drills_show)
    sub.add_parser("export", help="every drill as JSON on stdout").set_defaults(
        action=drills_cli.drills_export
    )
    sub.add_parser("stats", help="counts by kind, difficulty and tag").set_defaults(
        action=drills_cli.drills_stats
    )
    importer = sub.add_parser(
        "import", help="validate a file of drills and add them to one channel"
    )
    importer.add_argument("file", type=Path)
    importer.add_argument(
        "--channel",
        default="console:local:drills",
        help="PLATFORM:SPACE:CHANNEL (default: the console channel)",
    )
    importer.set_defaults(action=drills_cli.drills_import)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(argv)
        sys.stdout.flush()  # inside the guard: a reader that went away is found here too
    except BrokenPipeError:
        # ``drillbot drills export | head``: the reader has all it wanted; end quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE
    return code


def _main(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
    try:
        args.settings = load_settings(args.env_file if args.env_file.exists() else None)
    except SettingsError as error:
        print(f"drillbot: invalid settings:\n{error}", file=sys.stderr)
        return 2
    action: Action = args.action
    try:
        return asyncio.run(action(args))
    except DrillFileError as error:
        print(f"drillbot: the drill bank has problems:\n{error}", file=sys.stderr)
        return 2
    except (run.Refused, PlatformUnavailable, DatabaseUnavailable) as error:
        print(f"drillbot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
