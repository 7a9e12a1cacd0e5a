"""Rotation over the real bank, driven through the core day by day."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.core.cards import DrillCard
from tests.core.services.helpers import register, tick


async def test_no_repeat_for_ninety_days_and_kinds_spread_across_each_week(
    core, platform, monday_morning
):
    await register(core, monday_morning)
    for day in range(96):
        await tick(core, platform, monday_morning + timedelta(days=day, hours=1))
    drills = [d.card.drill for d in platform.of_type(DrillCard)]  # type: ignore[union-attr]
    assert len(drills) == 96
    assert len({d.id for d in drills[:90]}) == 90
    every_kind = {d.kind for d in drills}
    for week in range(13):
        kinds = Counter(d.kind for d in drills[week * 7 : week * 7 + 7])
        assert max(kinds.values()) <= 2 and len(kinds) >= 4, (week, kinds)
        fortnight = {d.kind for d in drills[week * 7 : week * 7 + 14]}
        assert fortnight == every_kind, (week, every_kind - fortnight)
