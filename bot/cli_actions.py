"""What each ``drillbot`` sub-command does. Each returns the process exit code."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy.exc import DBAPIError

from bot.bootstrap import App, build, load_catalogue
from bot.core.model import Channel
from bot.core.services.admin import import_drills
from bot.logs import setup_logging
from bot.platforms.console.platform import PLATFORM as CONSOLE
from bot.platforms.console.runner import ensure_console_channel, run_console
from bot.status import print_status
from bot.storage.engine import DatabaseUnavailable, open_database
from bot.storage.migrate import current_revision, head_revision, upgrade
from bot.storage.uow import Database
from drills import Drill, kind_label, load_file

THIN_KIND = 10
THIN_TAG = 3


class Refused(Exception):
    """A command that cannot do what was asked; the message says why."""


async def _app(args: argparse.Namespace) -> App:
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
    app = await _app(args)
    start = datetime.fromisoformat(args.start).astimezone(UTC) if args.start else datetime.now(UTC)
    try:
        await run_console(app.core, start, sys.stdin, sys.stdout, args.transcript)
    finally:
        await app.db.dispose()
    return 0


async def check(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args.settings)
    kinds = Counter(drill.kind for drill in catalogue.drills.values())
    print(
        f"settings: ok; drills: {len(catalogue)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
    )
    database = _open(args)
    try:
        revision = await current_revision(database)
    except (DBAPIError, OSError) as error:
        raise Refused(f"cannot open the database: {getattr(error, 'orig', error)}") from error
    finally:
        await database.dispose()
    state = (
        "up to date"
        if revision == head_revision()
        else f"at {revision or 'empty'}, run 'drillbot db upgrade'"
    )
    print(f"database: reachable, schema {state}")
    return 0


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
    app = await _app(args)
    try:
        await print_status(app.core, datetime.now(UTC), sys.stdout)
    finally:
        await app.db.dispose()
    return 0


async def drills_list(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args.settings)
    chosen = [d for d in catalogue.drills.values() if args.kind in (None, d.kind)]
    if not chosen:
        raise Refused(f"no drills of kind '{args.kind}'; kinds: {', '.join(catalogue.kinds())}")
    for drill in sorted(chosen, key=lambda d: (d.kind, d.id)):
        print(f"{drill.id:<40} {drill.kind:<24} {drill.difficulty}  {drill.title}")
    return 0


async def drills_show(args: argparse.Namespace) -> int:
    drill = load_catalogue(args.settings).get(args.id)
    if drill is None:
        raise Refused(f"no drill with id '{args.id}'; 'drillbot drills list' shows them all")
    print(
        f"{drill.title}  [{drill.id}]\n{kind_label(drill.kind)} · difficulty {drill.difficulty} · {', '.join(drill.tags)}\n"
    )
    print(drill.prompt + "\n\nA strong answer covers:")
    print("\n".join(f"- {point}" for point in drill.rubric) + "\n\nFollow-ups:")
    print("\n".join(f"- {question}" for question in drill.follow_ups))
    return 0


async def drills_export(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args.settings)
    json.dump([d.model_dump(mode="json") for d in catalogue.drills.values()], sys.stdout, indent=2)
    print()
    return 0


async def drills_stats(args: argparse.Namespace) -> int:
    drills = list(load_catalogue(args.settings).drills.values())
    for title, counts in (
        ("kind", Counter(d.kind for d in drills)),
        ("difficulty", Counter(str(d.difficulty) for d in drills)),
        ("tag", Counter(tag for d in drills for tag in d.tags)),
    ):
        print(f"by {title}: " + ", ".join(f"{key} {n}" for key, n in sorted(counts.items())))
    for warning in thin_areas(drills):
        print(f"warning: {warning}")
    return 0


def thin_areas(drills: list[Drill]) -> list[str]:
    kinds = Counter(d.kind for d in drills)
    tags = Counter(tag for d in drills for tag in d.tags)
    warnings = [
        f"kind {k} has only {n} drills (fewer than {THIN_KIND})"
        for k, n in sorted(kinds.items())
        if n < THIN_KIND
    ]
    warnings += [
        f"tag {t} appears on only {n} drills" for t, n in sorted(tags.items()) if n < THIN_TAG
    ]
    return warnings


async def drills_import(args: argparse.Namespace) -> int:
    drills = load_file(args.file)
    platform, _, rest = args.channel.partition(":")
    space, _, channel_ref = rest.partition(":")
    app = await _app(args)
    try:
        channel = await _find(app, platform, space, channel_ref)
        if channel is None and platform == CONSOLE:
            await ensure_console_channel(app.core, datetime.now(UTC))
            channel = await _find(app, platform, space, channel_ref)
        if channel is None:
            raise Refused(
                f"no drill channel {args.channel}; an admin registers it with 'admin channel'"
            )
        count = await import_drills(app.core, channel, drills, datetime.now(UTC))
    finally:
        await app.db.dispose()
    print(f"imported {count} drill(s) into the rotation of {args.channel}")
    return 0


async def _find(app: App, platform: str, space: str, channel_ref: str) -> Channel | None:
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
