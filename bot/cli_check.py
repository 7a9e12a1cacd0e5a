"""``drillbot check``: settings, the drill bank and the database, each said in one line.

It imports no platform, no Alembic and, for the URLs ``bot.storage.probe`` covers, no SQLAlchemy:
the bank comes from its cache when the files have not changed, the database is asked with the
bare driver. So it answers at once."""

from __future__ import annotations

import argparse
from collections import Counter

from bot.cli import Refused
from bot.storage.probe import DatabaseUnavailable, covers, database_state, head_revision
from drills.bank_cache import cached_bank


async def check(args: argparse.Namespace) -> int:
    bank = cached_bank(args.drill_folders)
    kinds = Counter(drill["kind"] for drill in bank.drills)
    print(
        f"settings: ok; drills: {len(bank.drills)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
    )
    for note in bank.notes:
        print(f"note: {note}")
    try:
        revision = await _revision(args.settings.core.database_url)
    except DatabaseUnavailable as error:
        raise Refused(str(error)) from error
    state = (
        "up to date"
        if revision == head_revision()
        else f"at {revision or 'empty'}, run 'drillbot db upgrade'"
    )
    print(f"database: reachable and writable, schema {state}")
    return 0


async def _revision(url: str) -> str | None:
    if covers(url):
        return await database_state(url)
    return await _revision_through_the_engine(url)


async def _revision_through_the_engine(url: str) -> str | None:
    """A URL form the probe does not read (PostgreSQL hosts in the query): SQLAlchemy reads it."""
    from sqlalchemy.exc import DBAPIError

    from bot.storage.engine import open_database
    from bot.storage.migrate import check_writable, current_revision

    database = open_database(url)
    try:
        revision = await current_revision(database)
        await check_writable(database)
        return revision
    except (DBAPIError, OSError) as error:
        reason = getattr(error, "orig", error)
        raise DatabaseUnavailable(f"cannot open the database: {reason}") from error
    finally:
        await database.dispose()
