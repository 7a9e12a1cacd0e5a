"""The leaderboard's streak column, read for ten members at once, says what each member's own
``streak`` says: the same missed drill days, skipped days, rest days and freezes."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from bot.core.services import answers, attendance
from bot.core.streaks import replay
from bot.storage.tables import members, rest_days, rounds, streaks
from tests.core.services.helpers import member, place, register

TODAY = date(2026, 12, 10)
NOW = datetime(2026, 12, 10, 12, tzinfo=UTC)
# Member id: (current, freezes, last day answered, rest days); None: no streak row at all.
STREAKS: dict[int, tuple[int, int, date | None, tuple[int, ...]] | None] = {
    201: (5, 0, TODAY - timedelta(days=1), ()),  # answered yesterday: nothing missed
    202: (5, 0, TODAY - timedelta(days=3), ()),  # missed a drill day: streak gone
    203: (5, 2, TODAY - timedelta(days=4), ()),  # missed two, held two freezes
    204: (5, 1, TODAY - timedelta(days=4), (1,)),  # missed two, one a rest day: one freeze
    205: (5, 0, TODAY - timedelta(days=6), (1, 3, 4, 5)),  # a skipped day, the rest rested
    206: (7, 3, TODAY - timedelta(days=30), ()),  # long gone
    207: (2, 0, TODAY, ()),  # answered today
    208: (0, 1, None, ()),  # a streak row, never answered
    209: None,  # no row
}
SKIPPED = TODAY - timedelta(days=2)


def _fill(uow) -> None:  # type: ignore[no-untyped-def]
    opened = NOW - timedelta(days=60)
    people = [
        {"id": m, "platform": "t", "space_ref": "s", "user_ref": f"u{m}", "display_name": f"m{m}"}
        for m in STREAKS
    ]
    uow.connection.execute(insert(members), people)
    days = [TODAY - timedelta(days=n) for n in range(40)]
    uow.connection.execute(insert(rounds), [_round(day, opened) for day in days])
    for member_id, found in STREAKS.items():
        if found is None:
            continue
        current, freezes, last_day, rests = found
        row = {"channel_id": 1, "member_id": member_id, "current": current, "longest": 9}
        uow.connection.execute(insert(streaks), [row | {"freezes": freezes, "last_day": last_day}])
        for back in rests:
            day = TODAY - timedelta(days=back)
            uow.connection.execute(
                insert(rest_days), [{"channel_id": 1, "member_id": member_id, "day": day}]
            )
    uow.commit()


def _round(day: date, opened: datetime) -> dict[str, object]:
    status = "skipped" if day == SKIPPED else ("open" if day == TODAY else "closed")
    row: dict[str, object] = {"claim_key": f"d{day}", "channel_id": 1, "mode": "daily"}
    row |= {"local_date": day, "drill_id": "d", "drill_kind": "k", "status": status}
    return row | {"opened_at": opened, "closes_at": opened}


async def test_the_streak_column_agrees_with_each_members_own_streak(core, monday_morning):
    channel = await register(core, monday_morning)
    await core.db.run(_fill)

    def both(uow):  # type: ignore[no-untyped-def]
        column = attendance.streaks_today(uow, channel, list(STREAKS), NOW)
        own = {m: attendance.standing(uow, channel, m, NOW)[1] for m in STREAKS}
        return column, own

    column, own = await core.db.run(both)
    assert column == {m: n for m, n in own.items() if STREAKS[m] is not None}
    assert column == {201: 5, 202: 0, 203: 5, 204: 5, 205: 5, 206: 0, 207: 2, 208: 0}


RACE_DAYS = 4


def _open_rounds(channel_id: int, first: datetime) -> Any:
    """Daily rounds for RACE_DAYS drill days before ``first``, each still open in its thread."""

    def work(uow):  # type: ignore[no-untyped-def]
        rows = []
        for back in range(RACE_DAYS):
            day = (first - timedelta(days=back)).date()
            row: dict[str, object] = {"claim_key": f"race-{day}", "channel_id": channel_id}
            row |= {"mode": "daily", "local_date": day, "drill_id": "d", "drill_kind": "k"}
            row |= {"status": "open", "opened_at": first - timedelta(days=back)}
            rows.append(row | {"closes_at": first + timedelta(days=1), "thread_ref": f"r{back}"})
        uow.connection.execute(insert(rounds), rows)
        uow.commit()

    return work


async def test_a_members_answers_in_several_rounds_at_once_keep_state_and_log_in_step(
    core, monday_morning
):
    """One member answers several days' drills at the same moment (a client catching up): each
    answer reads the streak, works out the next state and writes it. Whatever order they land
    in, the kept state must be what the streak log says (no answer's day lost to another's
    write), as it is when they come one after another."""
    channel = await register(core, monday_morning)
    now = monday_morning + timedelta(hours=2)
    await core.db.run(_open_rounds(channel.id, now))
    for attempt in range(5):
        who = member(f"racer{attempt}")
        await asyncio.gather(
            *(
                answers.receive_message(
                    core, who, place(f"r{back}"), f"m{attempt}-{back}", "my answer", now
                )
                for back in range(RACE_DAYS)
            )
        )

        state, log = await core.db.run(lambda uow, who=who: _kept_and_logged(uow, channel, who))
        assert state == replay(log), f"attempt {attempt}: kept {state}, log says {replay(log)}"
        assert state.current >= 1


def _kept_and_logged(uow, channel, who):  # type: ignore[no-untyped-def]
    member_id = uow.members.find(who.platform, who.space_ref, who.user_ref)
    return uow.streaks.state(channel.id, member_id), uow.streaks.log(channel.id, member_id)
