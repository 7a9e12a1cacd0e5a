"""``drillbot export`` and ``drillbot import-export``: a channel's data as files, and back."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from bot.cli import Refused
from bot.cli_actions import find_channel, open_app
from bot.core.archive import parse_format
from bot.core.model import Channel
from bot.core.services.analytics import stats_report
from bot.core.services.exports import export_to_folder
from bot.storage.archive_import import import_export
from bot.storage.uow import UnitOfWork


def channel_parts(text: str) -> tuple[str, str, str]:
    platform, _, rest = text.partition(":")
    space, _, channel_ref = rest.partition(":")
    if not (platform and space and channel_ref):
        raise Refused(
            f"--channel takes PLATFORM:SPACE:CHANNEL, like console:local:drills, not {text!r}"
        )
    return platform, space, channel_ref


async def export(args: argparse.Namespace) -> int:
    try:
        fmt = parse_format(args.format)
    except ValueError as error:
        raise Refused(str(error)) from error
    app = await open_app(args)
    try:
        channel: Channel | None = await find_channel(app, *channel_parts(args.channel))
        if channel is None:
            raise Refused(f"no drill channel {args.channel}")
        try:
            counts = await export_to_folder(app.core, channel, fmt, args.out, args.member)
        except LookupError as error:
            raise Refused(str(error)) from error
    finally:
        await app.db.dispose()
    for name, count in counts.items():
        print(f"{Path(args.out) / f'{name}.{fmt}'}: {count} rows")
    return 0


def _has_export(folder: Path) -> bool:
    return any((folder / f"rounds.{fmt}").exists() for fmt in ("csv", "json"))


async def import_folder(args: argparse.Namespace) -> int:
    if not _has_export(Path(args.folder)):
        raise Refused(f"{args.folder} holds no channel export (rounds.csv or rounds.json)")
    parts = channel_parts(args.channel)
    app = await open_app(args)

    def work(uow: UnitOfWork) -> dict[str, int]:
        counts = import_export(uow, Path(args.folder), *parts, datetime.now(UTC))
        uow.commit()
        return counts

    try:
        counts = await app.core.db.run(work)
    finally:
        await app.db.dispose()
    print(", ".join(f"{name} {count}" for name, count in counts.items()) + " rows imported")
    return 0


async def stats(args: argparse.Namespace) -> int:
    app = await open_app(args)
    try:
        channel = await find_channel(app, *channel_parts(args.channel))
        if channel is None:
            raise Refused(f"no drill channel {args.channel}")
        at = datetime.fromisoformat(args.at).astimezone(UTC) if args.at else datetime.now(UTC)
        print(await stats_report(app.core, channel, at))
    finally:
        await app.db.dispose()
    return 0
