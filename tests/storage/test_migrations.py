from __future__ import annotations

from sqlalchemy import func, select

from bot.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from bot.storage.tables import metadata


async def test_the_schema_is_at_head_after_upgrade(database):
    assert await current_revision(database) == head_revision()


async def test_migrations_create_exactly_the_tables_the_code_describes(database):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def differences(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)

    async with database.engine.connect() as connection:
        diff = await connection.run_sync(differences)
    assert diff == []


async def test_upgrading_again_is_harmless_and_keeps_data(core, monday_morning):
    from tests.core.services.helpers import register

    await register(core, monday_morning)
    await upgrade(core.db)
    count = await core.db.run(
        lambda uow: uow.connection.execute(
            select(func.count()).select_from(metadata.tables["channels"])
        ).scalar_one()
    )
    assert count == 1


def test_there_is_one_head_and_a_linear_history():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert revisions[-1].down_revision is None


async def test_upgrading_a_database_full_of_data_loses_nothing(tmp_path, bank, monday_morning):
    """Fill a database at the first revision through the real core, upgrade to head, compare."""
    from datetime import timedelta

    from bot.core.services.context import Core
    from bot.core.services.votes import toggle_vote
    from bot.storage.engine import open_database
    from tests.core.services.helpers import answer, drill_threads, member, register, tick
    from tests.recording_platform import RecordingPlatform

    db = open_database(f"sqlite:///{tmp_path}/old.db")
    try:
        await upgrade(db, "0001")
        core, platform = Core(db=db, bank=bank), RecordingPlatform()
        await register(core, monday_morning)
        for day in range(3):
            at = monday_morning + timedelta(days=day, hours=1)
            await tick(core, platform, at)
            thread = drill_threads(platform)[-1]
            bob = await answer(core, member("bob"), thread, f"b{day}", f"bob on day {day}", at)
            await answer(core, member("carol"), thread, f"c{day}", f"carol on day {day}", at)
            assert bob is not None
            await toggle_vote(core, member("dave"), bob.answer_id, at)
        before = await _snapshot(db)
        await upgrade(db)
        assert await current_revision(db) == head_revision()
        assert await _snapshot(db) == before
    finally:
        await db.dispose()


async def _snapshot(db):  # type: ignore[no-untyped-def]
    names = (
        "channels",
        "members",
        "rounds",
        "answers",
        "answer_messages",
        "votes",
        "round_scores",
        "streaks",
        "posts",
    )

    def rows(uow):  # type: ignore[no-untyped-def]
        return {
            name: sorted(map(tuple, uow.connection.execute(select(metadata.tables[name]))))
            for name in names
        }

    return await db.run(rows)
