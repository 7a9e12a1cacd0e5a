"""An export streams: a channel with 200,000 votes is written with a small, flat peak of memory."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

from sqlalchemy import insert

from bot.core.services import exports
from bot.storage.tables import answers, members, rounds, votes
from bot.storage.uow import UnitOfWork
from tests.core.services.helpers import register

AUTHORS, VOTERS = 500, 400  # 200,000 votes
PEAK_LIMIT = 4 * 1024 * 1024
AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _history(uow: UnitOfWork, channel_id: int) -> None:
    c = uow.connection
    people = [
        {"platform": "test", "space_ref": "guild-1", "user_ref": f"u{i}", "display_name": f"m{i}"}
        for i in range(AUTHORS)
    ]
    c.execute(insert(members), people)
    round_ = dict(claim_key="r1", channel_id=channel_id, mode="daily", local_date=AT.date())
    round_ |= dict(drill_id="d", drill_kind="k", status="closed", opened_at=AT, closes_at=AT)
    round_id = c.execute(insert(rounds).returning(rounds.c.id), round_).scalar_one()
    texts = [
        dict(round_id=round_id, member_id=i + 1, late=False, text="x" * 200, withdrawn=False)
        | {"created_at": AT, "updated_at": AT}
        for i in range(AUTHORS)
    ]
    c.execute(insert(answers), texts)
    for answer_id in range(1, AUTHORS + 1):
        cast = [dict(answer_id=answer_id, voter_id=v + 1, cast_at=AT) for v in range(VOTERS)]
        c.execute(insert(votes), cast)
    uow.commit()


async def test_exporting_200k_votes_keeps_a_small_peak(core, tmp_path, database_url):
    channel = await register(core, AT)
    await core.db.run(lambda uow: _history(uow, channel.id))
    tracemalloc.start()
    try:
        counts = await exports.export_to_folder(core, channel, "csv", tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert counts["votes"] == AUTHORS * VOTERS
    assert (tmp_path / "votes.csv").stat().st_size > 5_000_000
    assert peak < PEAK_LIMIT, f"peak {peak / 1e6:.1f} MB"
