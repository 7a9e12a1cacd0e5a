from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, insert, select

from bot.storage.engine import open_database
from bot.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from bot.storage.tables import metadata


async def test_the_schema_is_at_head_after_upgrade(database):
    assert await current_revision(database) == head_revision()


async def test_a_schema_at_head_is_left_to_itself_and_a_behind_one_is_upgraded(
    database, tmp_path, monkeypatch
):
    from bot.storage import migrate

    def alembic(connection, revision):  # type: ignore[no-untyped-def]
        raise AssertionError("Alembic ran")

    monkeypatch.setattr(migrate, "_upgrade", alembic)
    await upgrade(database)  # already at head: nothing to run
    fresh = open_database(f"sqlite:///{tmp_path}/fresh.db")
    try:
        with pytest.raises(AssertionError, match="Alembic ran"):
            await upgrade(fresh)
    finally:
        await fresh.dispose()


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


MONDAY = date(2026, 11, 23)
AT = datetime(2026, 11, 23, 9, tzinfo=UTC)
WEEKDAYS = [MONDAY + timedelta(days=n) for n in (0, 1, 2, 3, 4, 7)]  # Mon-Fri, then Monday


def _fill_a_weekday_channel(connection):  # type: ignore[no-untyped-def]
    """A mon-fri channel where bob answered six drills in a row (Mon-Fri, then Monday) and carol
    two, written with plain SQL because today's code does not run on an old schema."""
    t = {
        name: metadata.tables[name]
        for name in (
            "channels",
            "members",
            "rounds",
            "answers",
            "answer_messages",
            "votes",
            "round_scores",
            "streaks",
        )
    }
    connection.execute(
        insert(t["channels"]).values(
            id=1,
            platform="test",
            space_ref="g",
            channel_ref="c",
            post_time="09:00",
            timezone="UTC",
            days="01234",
            kinds="",
            answer_window_minutes=1440,
            paused=False,
            weekly_day=0,
            weekly_time="09:00",
            created_at=AT,
        )
    )
    connection.execute(
        insert(t["members"]),
        [
            {
                "id": 1,
                "platform": "test",
                "space_ref": "g",
                "user_ref": "u-bob",
                "display_name": "bob",
            },
            {
                "id": 2,
                "platform": "test",
                "space_ref": "g",
                "user_ref": "u-carol",
                "display_name": "carol",
            },
        ],
    )
    for n, day in enumerate(WEEKDAYS, start=1):
        opened = datetime.combine(day, time(9), tzinfo=UTC)
        connection.execute(
            insert(t["rounds"]).values(
                id=n,
                claim_key=f"daily:1:{day}",
                channel_id=1,
                mode="daily",
                local_date=day,
                drill_id="ld-retry-storm-auth",
                drill_kind="live-debugging",
                status="closed",
                opened_at=opened,
                closes_at=opened + timedelta(days=1),
                thread_ref=f"t{n}",
            )
        )
        authors = [1, 2] if n in (1, 6) else [1]
        for member in authors:
            answer_id = n * 10 + member
            connection.execute(
                insert(t["answers"]).values(
                    id=answer_id,
                    round_id=n,
                    member_id=member,
                    late=False,
                    text=f"answer {answer_id}",
                    withdrawn=False,
                    created_at=opened,
                    updated_at=opened,
                )
            )
            connection.execute(
                insert(t["answer_messages"]).values(
                    answer_id=answer_id,
                    round_id=n,
                    message_ref=f"m{answer_id}",
                    text=f"answer {answer_id}",
                    deleted=False,
                    posted_at=opened,
                )
            )
    connection.execute(insert(t["votes"]).values(answer_id=11, voter_id=2, cast_at=AT))
    # What the calendar-day rules left behind: the weekend broke bob's streak, and carol's.
    connection.execute(
        insert(t["streaks"]),
        [
            {
                "channel_id": 1,
                "member_id": 1,
                "current": 1,
                "longest": 5,
                "freezes": 0,
                "last_day": WEEKDAYS[-1],
            },
            {
                "channel_id": 1,
                "member_id": 2,
                "current": 1,
                "longest": 1,
                "freezes": 0,
                "last_day": WEEKDAYS[-1],
            },
        ],
    )


async def test_upgrading_a_database_full_of_data_loses_nothing(tmp_path):
    """Fill a database at the first revision, upgrade to head: every row is still there."""
    db = open_database(f"sqlite:///{tmp_path}/old.db")
    try:
        await upgrade(db, "0001")
        async with db.engine.begin() as connection:
            await connection.run_sync(_fill_a_weekday_channel)
        before = await _snapshot(db)
        await upgrade(db)
        assert await current_revision(db) == head_revision()
        after = await _snapshot(db)
        assert {k: v for k, v in after.items() if k != "streaks"} == {
            k: v for k, v in before.items() if k != "streaks"
        }
        assert len(after["streaks"]) == len(before["streaks"])
    finally:
        await db.dispose()


async def test_streaks_are_recomputed_over_drill_days_with_their_log(tmp_path):
    """At 0004 the weekend had reset bob's streak; after 0005 it counts six drill days."""
    from bot.core.streaks import replay

    db = open_database(f"sqlite:///{tmp_path}/old.db")
    try:
        await upgrade(db, "0004")
        async with db.engine.begin() as connection:
            await connection.run_sync(_fill_a_weekday_channel)
        await upgrade(db)
        bob, carol, bob_log = await db.run(
            lambda uow: (uow.streaks.state(1, 1), uow.streaks.state(1, 2), uow.streaks.log(1, 1))
        )
        assert (bob.current, bob.longest, bob.last_day) == (6, 6, WEEKDAYS[-1])
        assert (carol.current, carol.longest) == (1, 1)  # carol missed four drill days
        assert replay(bob_log) == bob
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
            name: sorted(map(tuple, uow.connection.execute(select(*_old_columns(name)))))
            for name in names
        }

    return await db.run(rows)


def _old_columns(name):  # type: ignore[no-untyped-def]
    """A table's columns without the ones later migrations added (they have defaults)."""
    table = metadata.tables[name]
    later = {"min_answer_chars", "show_reviewers", "reviews", "reviewing", "blind"}
    later |= {"review_window_minutes", "answers_close_at", "revealed_at"}
    return [column for column in table.columns if column.name not in later]


def test_the_head_read_from_the_files_is_alembics_head():
    """``drillbot check`` reads the head without importing Alembic; it must agree with Alembic."""
    from alembic.script import ScriptDirectory

    from bot.storage.migrate import alembic_config, head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
