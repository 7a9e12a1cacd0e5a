"""``drillbot check``: settings, the drill bank and the database, each said in one line.

It imports no platform and no Alembic, so it answers quickly."""

from __future__ import annotations

import argparse
from collections import Counter

from sqlalchemy.exc import DBAPIError

from bot.catalogue import load_catalogue
from bot.cli import Refused
from bot.storage.engine import open_database
from bot.storage.migrate import DatabaseUnavailable, check_writable, current_revision, head_revision
from bot.storage.uow import Database
from drills import upgrade_hints


async def check(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args.settings)
    kinds = Counter(drill.kind for drill in catalogue.drills.values())
    print(
        f"settings: ok; drills: {len(catalogue)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
    )
    for hint in (line for drill in catalogue.drills.values() for line in upgrade_hints(drill)):
        print(f"note: {hint}")
    database = _open(args)
    try:
        revision = await current_revision(database)
        await check_writable(database)
    except (DBAPIError, OSError) as error:
        raise Refused(f"cannot open the database: {getattr(error, 'orig', error)}") from error
    except DatabaseUnavailable as error:
        raise Refused(str(error)) from error
    finally:
        await database.dispose()
    state = (
        "up to date"
        if revision == head_revision()
        else f"at {revision or 'empty'}, run 'drillbot db upgrade'"
    )
    print(f"database: reachable and writable, schema {state}")
    return 0


def _open(args: argparse.Namespace) -> Database:
    try:
        return open_database(args.settings.core.database_url)
    except DatabaseUnavailable as error:
        raise Refused(str(error)) from error
