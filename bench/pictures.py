"""Pictures: how long a stats card and a weekly leaderboard image take to render, and whether
rendering many cards grows the process.

Usage: python -m bench.pictures [--cards 1000]
Targets (issue 15): a stats card under 150 ms and a leaderboard image under 100 ms (median of
20 renders), resident memory growth under 20 MB over 1,000 cards.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

import psutil

from bot.core.cards import LeaderboardCard
from bot.core.model import Standing
from bot.core.stats import CALENDAR_WEEKS, StatsFigures, calendar_start, day_marks, weekly_points
from bot.pictures.leaderboard import render_leaderboard
from bot.pictures.stats_card import render_stats_card

TODAY = date(2026, 11, 25)
RUNS = 20


def figures(seed: int) -> StatsFigures:
    rnd = random.Random(seed)
    first = calendar_start(TODAY)
    days = [first + timedelta(days=n) for n in range(CALENDAR_WEEKS * 7)]
    drills = {d for d in days if d.weekday() < 5 and d <= TODAY}
    answered = {d for d in drills if rnd.random() < 0.75}
    points = {d: rnd.randint(2, 8) for d in answered}
    marks = day_marks(first, TODAY, answered, drills, set(), set())
    name = f"member {seed}"
    return StatsFigures(name, rnd.randint(0, 40), 40, 1, first, marks, weekly_points(points, TODAY))


def board() -> LeaderboardCard:
    rows = tuple(Standing(n, f"member {n}", 40 - n, 5, 9 - n, 12 - n) for n in range(10))
    moves = (1, -1, 0, None, 2, -2, 0, 0, None, -1)
    return LeaderboardCard("Weekly leaderboard: 23 Nov–29 Nov", rows, TODAY, TODAY, moves)


def median_ms(render: Callable[[], bytes]) -> float:
    render()  # fonts loaded once, like a running bot
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        render()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def rss_growth_mb(cards: int) -> float:
    process = psutil.Process()
    render_stats_card(figures(0))
    gc.collect()
    before = process.memory_info().rss
    for seed in range(cards):
        render_stats_card(figures(seed))
    gc.collect()
    return (process.memory_info().rss - before) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=1000)
    args = parser.parse_args()
    card = figures(1)
    print(f"stats card: median {median_ms(lambda: render_stats_card(card)):.1f} ms of {RUNS}")
    print(f"leaderboard image: median {median_ms(lambda: render_leaderboard(board())):.1f} ms")
    print(f"RSS growth over {args.cards} stats cards: {rss_growth_mb(args.cards):.1f} MB")


if __name__ == "__main__":
    main()
