"""The weekly leaderboard's picture, attached to its post (the text stays, for search and screen
readers); rendered off the event loop, after the unit of work that read the standings."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.core.cards import Card, FileCard, LeaderboardCard
from bot.core.render import leaderboard_text
from bot.core.stats import leaderboard_alt_text
from bot.pictures.leaderboard import render_leaderboard


async def with_image(card: Card) -> Card:
    """A weekly leaderboard card with its picture; any other card as it is."""
    if not isinstance(card, LeaderboardCard) or not card.standings or card.first is None:
        return card
    data = await asyncio.to_thread(render_leaderboard, card)
    alt = leaderboard_alt_text(card.title, card.standings, card.moves)
    image = FileCard(f"leaderboard-{card.first:%Y-%m-%d}.png", data, alt, leaderboard_text(card))
    return replace(card, image=image)
