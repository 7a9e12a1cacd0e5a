"""The weekly leaderboard picture: golden image, movement labels and its alt text."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

from PIL import Image

from bot.core.cards import LeaderboardCard
from bot.core.model import Standing
from bot.core.stats import leaderboard_alt_text
from bot.pictures.leaderboard import move_label, render_leaderboard
from tests.pictures.golden import GOLDEN, assert_matches_golden, changed_share

NAMES = [
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "a very long name indeed, longer than the column",
]


def card() -> LeaderboardCard:
    rows = tuple(
        Standing(n, name, 30 - 3 * n, 5 - n // 3, 12 - n, 10 - n) for n, name in enumerate(NAMES)
    )
    moves = (2, -1, 0, None, 1, -3, 0, 0, None, -1)
    first, last = date(2026, 11, 23), date(2026, 11, 29)
    return LeaderboardCard("Weekly leaderboard: 23 Nov–29 Nov", rows, first, last, moves)


def test_the_picture_matches_its_golden_image():
    rendered = render_leaderboard(card())
    assert Image.open(io.BytesIO(rendered)).size == (720, 96 + 10 * 34 + 16)
    assert_matches_golden(rendered, "leaderboard.png")


def test_a_changed_row_is_seen_by_the_comparison():
    golden = (GOLDEN / "leaderboard.png").read_bytes()
    moved = replace(card(), moves=(None,) * 10)
    assert changed_share(render_leaderboard(moved), golden) > 0


def test_movement_labels_and_alt_text():
    assert [move_label(m)[0] for m in (2, -1, 0, None)] == ["▲2", "▼1", "=", "new"]
    words = leaderboard_alt_text(card().title, card().standings, card().moves)
    assert words.startswith("Weekly leaderboard: 23 Nov–29 Nov, top 10. 1. bob: 30 points")
    assert "1. bob: 30 points, 5 answers, 12 votes, streak 10, up 2 places." in words
    assert "2. carol: 27 points, 5 answers, 11 votes, streak 9, down 1 place." in words
    assert "4. erin: 21 points, 4 answers, 9 votes, streak 7, new in the top 10." in words
