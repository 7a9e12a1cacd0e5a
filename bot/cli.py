"""The ``drillbot`` command line."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.paths import FILES_DIR

# Only the standard library is imported here: ``drillbot --help`` and a mistyped command answer at
# once, and each command imports what it uses when it runs (``action`` names "module:function").
Action = Callable[[argparse.Namespace], int | Coroutine[Any, Any, int]]
BROKEN_PIPE = 141  # what a shell reports for a writer whose reader went away (128 + SIGPIPE)
ACTIONS, DRILLS, EXPORTS = "bot.cli_actions", "bot.cli_drills", "bot.cli_exports"


class Refused(Exception):
    """A command that cannot do what was asked; the message says why."""


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
    runner.set_defaults(action=f"{ACTIONS}:run")
    sub.add_parser("check", help="validate settings and the drill bank").set_defaults(
        action="bot.cli_check:check"
    )
    sub.add_parser("status", help="channels, next posts, pending and failed sends").set_defaults(
        action=f"{ACTIONS}:status"
    )
    db = sub.add_parser("db", help="database commands").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="apply migrations").set_defaults(action=f"{ACTIONS}:db_upgrade")
    _drill_commands(sub.add_parser("drills", help="the drill bank"))
    _export_commands(sub)
    discord_commands = sub.add_parser("discord", help="Discord helpers").add_subparsers(
        dest="discord_command", required=True
    )
    invite = discord_commands.add_parser(
        "invite-url", help="the URL that adds Drillbot to a server"
    )
    invite.add_argument("--application-id", type=int, help="default: read from DISCORD_TOKEN")
    invite.set_defaults(action=f"{ACTIONS}:discord_invite_url")
    return root


def _drill_commands(drills: argparse.ArgumentParser) -> None:
    sub = drills.add_subparsers(dest="drills_command", required=True)
    listing = sub.add_parser("list", help="list drills")
    listing.add_argument("--kind")
    # The bank alone: these read only the folder of custom drills, not every setting.
    listing.set_defaults(action=f"{DRILLS}:drills_list", settings=None)
    show = sub.add_parser("show", help="show one drill")
    show.add_argument("id")
    show.set_defaults(action=f"{DRILLS}:drills_show", settings=None)
    sub.add_parser("export", help="every drill as JSON on stdout").set_defaults(
        action=f"{DRILLS}:drills_export", settings=None
    )
    sub.add_parser("stats", help="counts by kind, difficulty and tag").set_defaults(
        action=f"{DRILLS}:drills_stats", settings=None
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
    importer.set_defaults(action=f"{DRILLS}:drills_import")


def _export_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exporter = sub.add_parser(
        "export", help="a channel's rounds, answers, votes and standings as files"
    )
    exporter.add_argument("--channel", required=True, help="PLATFORM:SPACE:CHANNEL")
    exporter.add_argument("--format", default="csv", choices=["csv", "json"])
    exporter.add_argument("--out", type=Path, required=True, help="the folder to write")
    exporter.add_argument("--member", help="only this member's answers and scores (user id)")
    exporter.set_defaults(action=f"{EXPORTS}:export")
    importer = sub.add_parser("import-export", help="read a channel export into this database")
    importer.add_argument("folder", type=Path)
    importer.add_argument("--channel", required=True, help="PLATFORM:SPACE:CHANNEL to import into")
    importer.set_defaults(action=f"{EXPORTS}:import_folder")
    report = sub.add_parser("stats", help="a channel's participation over the last 8 weeks")
    report.add_argument("--channel", required=True, help="PLATFORM:SPACE:CHANNEL")
    report.add_argument("--at", help="the 8 weeks up to this ISO 8601 instant (default: now)")
    report.set_defaults(action=f"{EXPORTS}:stats")


# Failures a command reports in one line, by module: a module never imported raised nothing.
BANK_FAILURES = (("drills.loader", "DrillFileError"),)
REFUSALS = (
    ("bot.cli", "Refused"),
    ("bot.service", "PlatformUnavailable"),
    ("bot.storage.probe", "DatabaseUnavailable"),
)


def _failures(names: Sequence[tuple[str, str]]) -> tuple[type[BaseException], ...]:
    return tuple(
        getattr(sys.modules[module], name) for module, name in names if module in sys.modules
    )


def resolve(name: str) -> Action:
    """The function a parser named as "module:function", imported now."""
    module, _, function = name.partition(":")
    found: Action = getattr(importlib.import_module(module), function)
    return found


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
    from config.env import SettingsError

    try:
        read_settings(args)
    except SettingsError as error:
        print(f"drillbot: invalid settings:\n{error}", file=sys.stderr)
        return 2
    action = resolve(args.action)
    try:
        return _finish(action(args))
    except _failures(BANK_FAILURES) as error:
        print(f"drillbot: the drill bank has problems:\n{error}", file=sys.stderr)
        return 2
    except _failures(REFUSALS) as error:
        print(f"drillbot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def read_settings(args: argparse.Namespace) -> None:
    """``args.settings``, every setting validated, unless the command set it to None (it needs
    only the drill folders); ``args.drill_folders`` either way."""
    from config.env import custom_drills_dir
    from drills.bank_cache import bank_folders

    env_file = args.env_file if args.env_file.exists() else None
    if not hasattr(args, "settings"):
        from config import load_settings  # pydantic: a fifth of a second

        args.settings = load_settings(env_file)
    custom = args.settings.core.custom_drills_dir if args.settings else custom_drills_dir(env_file)
    args.drill_folders = bank_folders(custom)


def _finish(outcome: int | Coroutine[Any, Any, int]) -> int:
    if isinstance(outcome, int):
        return outcome
    import asyncio  # tens of milliseconds: paid only by commands that wait on something

    return asyncio.run(outcome)


if __name__ == "__main__":
    sys.exit(main())
