"""A member's stats card: name and streaks, a 26-week calendar of drill days, points per week."""

from __future__ import annotations

from datetime import timedelta

from PIL import ImageDraw

from bot.core.stats import CALENDAR_WEEKS, DayMark, StatsFigures
from bot.pictures.canvas import ACCENT, GRID, INK, MUTED, Colour, canvas, fit, png, text

WIDTH, HEIGHT = 840, 360
CELL, STEP = 13, 16  # calendar squares and their pitch
CAL_X, CAL_Y = 36, 126
BARS_X, BARS_RIGHT, BARS_BOTTOM, BARS_HEIGHT = 500, 812, 290, 150
COLOURS: dict[DayMark, Colour] = {
    DayMark.ANSWERED: (34, 197, 94),
    DayMark.MISSED: (239, 68, 68),
    DayMark.REST: (96, 165, 250),
    DayMark.HOLIDAY: (245, 158, 11),
    DayMark.NO_DRILL: GRID,
    DayMark.OPEN: (253, 230, 138),
    DayMark.AHEAD: (249, 250, 251),
}
LEGEND = (DayMark.ANSWERED, DayMark.MISSED, DayMark.REST, DayMark.HOLIDAY, DayMark.NO_DRILL)


def _header(draw: ImageDraw.ImageDraw, figures: StatsFigures) -> None:
    text(draw, (CAL_X - 8, 22), fit(figures.display_name, 30, WIDTH - 60), 30)
    line = (
        f"Current streak {figures.current}   ·   Longest {figures.longest}"
        f"   ·   Freezes {figures.freezes}"
    )
    text(draw, (CAL_X - 8, 64), line, 17, ACCENT)


def _calendar(draw: ImageDraw.ImageDraw, figures: StatsFigures) -> None:
    text(draw, (CAL_X - 8, CAL_Y - 38), f"Drill days, last {CALENDAR_WEEKS} weeks", 14, MUTED)
    for index, mark in enumerate(figures.days):
        week, weekday = divmod(index, 7)
        x, y = CAL_X + week * STEP, CAL_Y + weekday * STEP
        draw.rectangle((x, y, x + CELL, y + CELL), fill=COLOURS[mark])
    for week in range(CALENDAR_WEEKS):
        monday = figures.first_day + timedelta(weeks=week)
        if monday.day <= 7:  # the first Monday of a month names the month
            text(draw, (CAL_X + week * STEP, CAL_Y - 16), f"{monday:%b}", 11, MUTED)
    for weekday, name in ((0, "M"), (2, "W"), (4, "F")):
        text(draw, (CAL_X - 20, CAL_Y + weekday * STEP), name, 11, MUTED)


def _legend(draw: ImageDraw.ImageDraw) -> None:
    x, y = CAL_X, CAL_Y + 7 * STEP + 18
    for mark in LEGEND:
        draw.rectangle((x, y, x + CELL, y + CELL), fill=COLOURS[mark])
        text(draw, (x + CELL + 5, y), str(mark.value), 12, MUTED)
        x += CELL + 14 + int(len(mark.value) * 7)


def _bars(draw: ImageDraw.ImageDraw, figures: StatsFigures) -> None:
    text(draw, (BARS_X, CAL_Y - 38), f"Points per week, last {len(figures.weeks)} weeks", 14, MUTED)
    pitch = (BARS_RIGHT - BARS_X) / max(1, len(figures.weeks))
    top = max([points for _, points in figures.weeks] + [1])
    draw.line((BARS_X, BARS_BOTTOM, BARS_RIGHT, BARS_BOTTOM), fill=GRID, width=1)
    for index, (monday, points) in enumerate(figures.weeks):
        left = BARS_X + index * pitch + 3
        height = round(BARS_HEIGHT * points / top)
        if height:
            draw.rectangle((left, BARS_BOTTOM - height, left + pitch - 6, BARS_BOTTOM), fill=ACCENT)
        centre = left + (pitch - 6) / 2
        text(draw, (centre, BARS_BOTTOM - height - 4), str(points), 11, INK, "ms")
        if index % 2 == 1 or index == len(figures.weeks) - 1:
            text(draw, (centre, BARS_BOTTOM + 6), f"{monday:%d/%m}", 10, MUTED, "ma")


COVER_Y, COVER_ROW, COVER_BAR = 350, 22, 420  # the coverage panel, drawn under the rest


def _coverage(draw: ImageDraw.ImageDraw, figures: StatsFigures) -> None:
    text(draw, (CAL_X - 8, COVER_Y), "Rubric coverage by kind (answers reviewed)", 14, MUTED)
    for row, (kind, share, answers) in enumerate(figures.coverage):
        y = COVER_Y + 26 + row * COVER_ROW
        text(draw, (CAL_X, y), fit(kind, 13, 220), 13, INK)
        left = CAL_X + 230
        draw.rectangle((left, y + 2, left + COVER_BAR, y + 14), fill=GRID)
        if share > 0:
            draw.rectangle((left, y + 2, left + round(COVER_BAR * share), y + 14), fill=ACCENT)
        text(draw, (left + COVER_BAR + 10, y), f"{share:.0%} ({answers})", 13, INK)


def render_stats_card(figures: StatsFigures) -> bytes:
    """The card as PNG bytes; taller when it shows rubric coverage by kind."""
    height = HEIGHT + (40 + COVER_ROW * len(figures.coverage) if figures.coverage else 0)
    image, draw = canvas(WIDTH, height)
    _header(draw, figures)
    _calendar(draw, figures)
    _legend(draw)
    _bars(draw, figures)
    if figures.coverage:
        _coverage(draw, figures)
    return png(image)
