"""Wiring: settings in, a ready core (bank loaded, database migrated) out. Called once from ``main``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.catalogue import load_catalogue
from bot.core.services.context import Core
from bot.storage.engine import open_database
from bot.storage.migrate import check_writable, upgrade
from bot.storage.uow import Database
from config import Settings


@dataclass(frozen=True)
class App:
    settings: Settings
    db: Database
    core: Core


async def build(settings: Settings, migrate: bool = True, schema: str | None = None) -> App:
    """Load and validate the drills, open the database and bring its schema up to date.

    ``schema`` puts every PostgreSQL connection in that schema (tests run each in a fresh one).
    """
    bank = load_catalogue(settings)
    options = {"connect_args": {"server_settings": {"search_path": schema}}} if schema else {}
    db = open_database(settings.core.database_url, **options)
    if migrate:
        try:
            await upgrade(db)
            await check_writable(db)
        except Exception:
            await db.dispose()
            raise
    core = Core(
        db=db,
        bank=bank,
        grace=timedelta(minutes=settings.core.grace_minutes),
        send_lease=timedelta(seconds=settings.core.send_lease_seconds),
    )
    return App(settings, db, core)
