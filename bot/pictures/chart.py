"""The admin stats chart: members answering each daily drill of the last 8 weeks (out of the
channel's active members), the kinds covered, and the medians."""

from __future__ import annotations

from PIL import ImageDraw

from bot.core.analytics import ChannelStats, duration_words
from bot.pictures.canvas import ACCENT, GRID, INK, MUTED, canvas, fit, png, text

WIDTH, HEIGHT = 900, 420
LEFT, RIGHT, BOTTOM, TALL = 48, 600, 330, 220
KINDS_X = 640


def _bars(draw: ImageDraw.ImageDraw, stats: ChannelStats) -> None:
    text(
        draw,
        (LEFT, 70),
        f"Members answering each daily drill (of {stats.active} active)",
        14,
        MUTED,
    )
    for share in (0.5, 1.0):
        y = BOTTOM - TALL * share
        draw.line((LEFT, y, RIGHT, y), fill=GRID, width=1)
        text(draw, (LEFT - 6, y), f"{share:.0%}", 10, MUTED, "rm")
    draw.line((LEFT, BOTTOM, RIGHT, BOTTOM), fill=MUTED, width=1)
    pitch = (RIGHT - LEFT) / max(1, len(stats.rounds))
    for index, turnout in enumerate(stats.rounds):
        height = round(TALL * stats.share(turnout))
        x = LEFT + index * pitch + pitch * 0.15
        if height:
            draw.rectangle((x, BOTTOM - height, x + pitch * 0.7, BOTTOM), fill=ACCENT)
        if index % max(1, len(stats.rounds) // 8) == 0:
            text(draw, (x, BOTTOM + 6), f"{turnout.day:%d/%m}", 10, MUTED)


def _kinds(draw: ImageDraw.ImageDraw, stats: ChannelStats) -> None:
    text(draw, (KINDS_X, 70), "Kinds covered", 14, MUTED)
    top = max([count for _, count in stats.kinds] + [1])
    for row, (kind, count) in enumerate(stats.kinds[:8]):
        y = 98 + row * 28
        draw.rectangle((KINDS_X, y + 16, KINDS_X + round(200 * count / top), y + 22), fill=ACCENT)
        text(draw, (KINDS_X, y), fit(f"{kind} ({count})", 13, 240), 13, INK)


def render_chart(stats: ChannelStats) -> bytes:
    image, draw = canvas(WIDTH, HEIGHT)
    title = f"Drill channel, {stats.first:%d %b} to {stats.last:%d %b}"
    text(draw, (LEFT, 22), title, 24)
    _bars(draw, stats)
    _kinds(draw, stats)
    length = f"{stats.median_length} chars" if stats.median_length is not None else "none"
    first = duration_words(stats.median_first_answer)
    footer = f"Median answer length: {length}    ·    Median time to first answer: {first}"
    text(draw, (LEFT, HEIGHT - 40), footer, 14, INK)
    return png(image)
