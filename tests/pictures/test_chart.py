"""The admin stats chart against its golden image."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.analytics import ChannelStats, RoundTurnout
from bot.pictures.chart import render_chart
from tests.pictures.golden import assert_matches_golden


def test_the_chart_matches_its_golden_image():
    first = date(2026, 10, 5)
    rounds = tuple(
        RoundTurnout(first + timedelta(days=n), "live-debugging", n % 6, timedelta(minutes=5 + n))
        for n in range(0, 56, 1)
        if (first + timedelta(days=n)).weekday() < 5
    )
    kinds = (("live-debugging", 12), ("migration-review", 10), ("design-warmup", 8))
    stats = ChannelStats(
        first,
        first + timedelta(days=55),
        6,
        rounds,
        kinds,
        (("rollout", 9),),
        412,
        timedelta(minutes=47),
    )
    assert_matches_golden(render_chart(stats), "chart.png")
