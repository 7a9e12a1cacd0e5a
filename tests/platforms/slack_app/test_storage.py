"""Migration 0002 and what reads it: slack_sdk's stores, the event claims, the home summary."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table

from bot.core.model import Actor, Place
from bot.core.services import admin, answers, home, places
from bot.core.services.context import Core
from bot.core.services.requests import EventClaims
from bot.core.services.sweep import run_due_work
from bot.storage import tables
from tests.recording_platform import RecordingPlatform

SLACK_TABLES = ("slack_events", "slack_installations", "slack_bots", "slack_oauth_states")


async def test_the_migration_creates_exactly_the_slack_tables(database: Any) -> None:
    def differences(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return [d for d in compare_metadata(context, tables.metadata) if _slack(d)]

    async with database.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


def _slack(difference: Any) -> bool:
    return any(name in repr(difference) for name in SLACK_TABLES)


def _shape(table: Table) -> dict[str, tuple[str, bool]]:
    return {c.name: (repr(c.type), bool(c.nullable)) for c in table.columns}


def test_our_oauth_tables_are_the_ones_slack_sdk_uses() -> None:
    theirs = MetaData()
    ours = {
        "slack_installations": SQLAlchemyInstallationStore.build_installations_table,
        "slack_bots": SQLAlchemyInstallationStore.build_bots_table,
        "slack_oauth_states": SQLAlchemyOAuthStateStore.build_oauth_states_table,
    }
    for name, build in ours.items():
        assert _shape(build(theirs, name)) == _shape(tables.metadata.tables[name]), name


async def test_event_claims_are_unique_and_pruned(
    core: Core, database: Any, monday_morning: datetime
) -> None:
    claims = EventClaims(core, keep=timedelta(hours=1))
    assert await claims.claim("Ev1", "T1", monday_morning)
    assert not await claims.claim("Ev1", "T1", monday_morning)
    await claims.prune(monday_morning + timedelta(hours=2))
    assert await claims.claim("Ev1", "T1", monday_morning + timedelta(hours=2))
    await claims.release("Ev1")
    assert await claims.claim("Ev1", "T1", monday_morning + timedelta(hours=2))


def _member(name: str, team: str = "T1") -> Actor:
    return Actor("slack", team, f"U-{name}", name)


async def test_the_home_summary_follows_the_members_latest_channel(
    core: Core, monday_morning: datetime
) -> None:
    for team, channel in (("T1", "C-first"), ("T1", "C-second"), ("T2", "C-other")):
        await admin.register_channel(core, Place("slack", team, channel), monday_morning)
    assert (await home.home_summary(core, _member("bob"), monday_morning)).channel_ref == "C-first"
    assert (await home.home_summary(core, _member("bob", "T3"), monday_morning)).channel_ref is None
    platform = RecordingPlatform(name="slack")
    at = monday_morning + timedelta(hours=1)
    await run_due_work(core, {"slack": platform}, at)
    second = next(d for d in platform.deliveries if d.channel_ref == "C-second")
    thread = f"thread-{platform.deliveries.index(second) + 1}"
    place = Place("slack", "T1", "C-second", thread)
    long = "An answer that is long enough to count: " + "a clear next step " * 3
    assert await answers.receive_message(core, _member("bob"), place, "m1", long, at)
    summary = await home.home_summary(core, _member("bob"), at)
    assert (summary.channel_ref, summary.current, summary.points_this_week) == ("C-second", 1, 2)
    assert [(r.mode, r.votes, r.late) for r in summary.recent] == [("daily", 0, False)]
    assert await places.channel_space(core, "slack", "C-other") == "T2"
    assert await places.channel_space(core, "slack", "C-none") is None
