"""Who is acting: a Slack user as the core's ``Actor``, from ``users.info`` (cached briefly).

Admin means a workspace admin or owner, or a user id listed in ``DRILLBOT_SLACK_ADMINS``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.model import Actor
from bot.platforms.slack_app.failures import TRANSPORT_ERRORS, error_code
from bot.platforms.slack_app.refs import PLATFORM

log = logging.getLogger(__name__)
CACHE_SECONDS = 300.0
MAX_NAME = 80


def parse_admins(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.replace(" ", ",").split(",") if part.strip())


class MemberDirectory:
    def __init__(self, admins: frozenset[str] = frozenset(), ttl: float = CACHE_SECONDS) -> None:
        self.admins = admins
        self.ttl = ttl
        self._cache: dict[tuple[str, str], tuple[float, Actor]] = {}

    async def actor(self, client: AsyncWebClient, team_id: str, user_id: str) -> Actor:
        key = (team_id, user_id)
        cached = self._cache.get(key)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        user = await self._look_up(client, user_id)
        if user is None:  # not cached: the next event tries again
            return self._unknown(team_id, user_id)
        actor = self._from_user(team_id, user)
        self._cache[key] = (time.monotonic() + self.ttl, actor)
        return actor

    async def _look_up(self, client: AsyncWebClient, user_id: str) -> dict[str, Any] | None:
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as error:
            log.warning("users.info for %s failed: %s", user_id, error_code(error))
            return None
        except TRANSPORT_ERRORS as error:
            log.warning("users.info for %s failed: %s", user_id, type(error).__name__)
            return None
        user = response.get("user")
        return user if isinstance(user, dict) else None

    def _from_user(self, team_id: str, user: dict[str, Any]) -> Actor:
        user_id = str(user.get("id", ""))
        admin = bool(user.get("is_admin") or user.get("is_owner")) or user_id in self.admins
        bot = bool(user.get("is_bot")) or user_id == "USLACKBOT"
        return Actor(PLATFORM, team_id, user_id, display_name(user), admin, bot)

    def _unknown(self, team_id: str, user_id: str) -> Actor:
        """Without ``users.info`` the id stands in for the name; admin only if listed."""
        return Actor(PLATFORM, team_id, user_id, user_id, user_id in self.admins)


def display_name(user: dict[str, Any]) -> str:
    profile = user.get("profile") or {}
    for name in (profile.get("display_name"), profile.get("real_name"), user.get("name")):
        if name and str(name).strip():
            return str(name).strip()[:MAX_NAME]
    return str(user.get("id", "someone"))
