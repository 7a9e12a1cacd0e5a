"""Inbound translation: one module per listener kind, each with ``register(app, services)``."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.platforms.slack_app.listeners import answers, commands, home, messages, reviews, votes
from bot.platforms.slack_app.services import SlackServices

MODULES = (messages, commands, votes, reviews, answers, home)


def register_all(app: AsyncApp, services: SlackServices) -> None:
    for module in MODULES:
        module.register(app, services)
