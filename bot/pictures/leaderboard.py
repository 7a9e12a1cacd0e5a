"""The weekly leaderboard as a picture: the top 10 with points, answers, votes, streak and the
places each moved since the week before."""

from __future__ import annotations

from PIL import ImageDraw

from bot.core.cards import LeaderboardCard
from bot.core.model import Standing
from bot.pictures.canvas import ACCENT, DOWN, GRID, INK, MUTED, UP, canvas, fit, png, text

WIDTH, ROW, TOP, LEFT = 720, 34, 96, 28
COLUMNS = (("points", 420), ("answers", 500), ("votes", 580), ("streak", 660))


def move_label(move: int | None) -> tuple[str, tuple[int, int, int]]:
    """``▲2`` up, ``▼1`` down, ``=`` unchanged, ``new`` for a newcomer to the top 10 (the
    bundled font has no arrows, so ``_move`` draws the triangles)."""
    if move is None:
        return "new", ACCENT
    if move > 0:
        return f"▲{move}", UP
    if move < 0:
        return f"▼{-move}", DOWN
    return "=", MUTED


def _move(draw: ImageDraw.ImageDraw, x: int, y: int, move: int | None) -> None:
    label, colour = move_label(move)
    if label[0] in "▲▼":
        up = label[0] == "▲"
        tip, base = (y + 1, y + 10) if up else (y + 10, y + 1)
        draw.polygon([(x, base), (x + 10, base), (x + 5, tip)], fill=colour)
        label, x = label[1:], x + 13
    text(draw, (x, y - 1), label, 13, colour)


def _header(draw: ImageDraw.ImageDraw, card: LeaderboardCard) -> None:
    title = card.title.replace("–", "-")  # the bundled font has no en dash
    text(draw, (LEFT, 22), fit(title, 26, WIDTH - 2 * LEFT), 26)
    for name, x in COLUMNS:
        text(draw, (x, TOP - 22), name, 13, MUTED, "ma")
    draw.line((LEFT, TOP - 4, WIDTH - LEFT, TOP - 4), fill=GRID, width=1)


def _row(draw: ImageDraw.ImageDraw, place: int, s: Standing, move: int | None) -> None:
    y = TOP + (place - 1) * ROW + 6
    text(draw, (LEFT + 24, y), f"{place}.", 18, INK, "ra")
    _move(draw, LEFT + 34, y + 5, move)
    text(draw, (LEFT + 80, y), fit(s.display_name, 18, 290), 18)
    for (_, x), value in zip(COLUMNS, (s.points, s.answers, s.votes, s.streak), strict=True):
        text(draw, (x, y), str(value), 18, INK, "ma")
    if place > 1:
        draw.line((LEFT, y - 6, WIDTH - LEFT, y - 6), fill=GRID, width=1)


def render_leaderboard(card: LeaderboardCard) -> bytes:
    """The card as PNG bytes (a row per standing, at most the top 10)."""
    rows = card.standings[:10]
    image, draw = canvas(WIDTH, TOP + max(1, len(rows)) * ROW + 16)
    _header(draw, card)
    moves = card.moves or (None,) * len(rows)
    for place, (standing, move) in enumerate(zip(rows, moves, strict=False), start=1):
        _row(draw, place, standing, move)
    return png(image)
