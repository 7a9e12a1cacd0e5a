"""The stats card: its picture against a golden image, and the figures it draws."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

from PIL import Image

from bot.core.stats import (
    CALENDAR_WEEKS,
    DayMark,
    StatsFigures,
    calendar_start,
    day_marks,
    stats_alt_text,
    stats_summary,
    weekly_points,
)
from bot.pictures.stats_card import HEIGHT, WIDTH, render_stats_card
from tests.pictures.golden import GOLDEN, assert_matches_golden, changed_share

TODAY = date(2026, 11, 25)  # a Wednesday


def figures() -> StatsFigures:
    """Weekday drills for 26 weeks: answered but for a pattern of misses, rests and a holiday."""
    first = calendar_start(TODAY)
    days = [first + timedelta(days=n) for n in range(CALENDAR_WEEKS * 7)]
    drills = {d for d in days if d.weekday() < 5 and d <= TODAY and d != date(2026, 10, 5)}
    missed = {d for n, d in enumerate(sorted(drills)) if n % 7 == 3}
    rest = {date(2026, 8, 12), date(2026, 8, 13)}
    answered = drills - missed - rest - {TODAY}
    points = {d: 2 + d.day % 4 for d in answered}
    marks = day_marks(first, TODAY, answered, drills, rest, {date(2026, 10, 5)})
    return StatsFigures("Bob the Builder", 9, 21, 1, first, marks, weekly_points(points, TODAY))


def test_the_card_matches_its_golden_image():
    rendered = render_stats_card(figures())
    assert Image.open(io.BytesIO(rendered)).size == (WIDTH, HEIGHT)
    assert_matches_golden(rendered, "stats_card.png")


def test_a_changed_figure_is_seen_by_the_comparison():
    golden = (GOLDEN / "stats_card.png").read_bytes()
    other = replace(figures(), current=8)
    assert changed_share(render_stats_card(other), golden) > 0
    weeks = ((figures().weeks[0][0], 40), *figures().weeks[1:])
    assert changed_share(render_stats_card(replace(figures(), weeks=weeks)), golden) > 0.01


def test_the_marks_and_weeks_follow_the_calendar():
    card = figures()
    assert card.first_day == date(2026, 6, 1) and len(card.days) == 26 * 7
    assert card.days[-7:] == (
        DayMark.ANSWERED,
        DayMark.ANSWERED,
        DayMark.OPEN,
        DayMark.AHEAD,
        DayMark.AHEAD,
        DayMark.AHEAD,
        DayMark.AHEAD,
    )
    assert card.days[(date(2026, 10, 5) - card.first_day).days] == DayMark.HOLIDAY
    assert card.count(DayMark.REST) == 2
    assert [monday.weekday() for monday, _ in card.weeks] == [0] * 12
    assert card.weeks[-1][0] == date(2026, 11, 23)


def test_the_alt_text_and_summary_say_the_drawn_figures():
    card = figures()
    answered, missed = card.count(DayMark.ANSWERED), card.count(DayMark.MISSED)
    for words in (stats_alt_text(card), stats_summary(card)):
        assert "Bob the Builder: current streak 9 drill days, longest 21, 1 freeze held." in words
        assert f"{answered} drill days answered, {missed} missed, 2 rest days, 1 holiday" in words
        shown = ", ".join(f"{m:%d %b} {p}" for m, p in card.weeks)
        assert f"oldest first: {shown}." in words
