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
