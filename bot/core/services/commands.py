"""One command grammar for every platform: ``drill [kind]``, ``streak``, ``leaderboard [all-time]``,
``vote N``, ``help`` and ``admin SETTING [VALUE]``. Adapters turn their slash commands into this text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core.cards import Reply, refuse, tell
from bot.core.model import Actor, Channel, Place
from bot.core.services import admin, ondemand, standings, votes
from bot.core.services.context import Core
from bot.core.text import MAX_COMMAND_CHARS, clip

MEMBER_COMMANDS = ("drill", "streak", "leaderboard", "vote", "help", "admin")
ADMIN_HELP = (
    "admin channel | show | time HH:MM | timezone Area/City | days mon-fri | kinds a,b|all | "
    "window 24h | weekly-day mon | weekly-time 09:00 | pause | resume | skip | post-now"
)
HELP = (
    "Drillbot commands:\n"
    "  drill [kind]            a drill just for you, now\n"
    "  streak                  your streak, freezes and points this week\n"
    "  leaderboard [all-time]  this week's standings (or all time)\n"
    "  vote N                  vote for answer N (again to withdraw)\n"
    f"  {ADMIN_HELP}\n"
    "Answer the daily drill by replying in its thread. On Slack, slash commands do not work "
    "inside threads: use /drill in the channel."
)


@dataclass(frozen=True)
class Invocation:
    core: Core
    actor: Actor
    place: Place
    args: list[str]
    request_key: str
    now: datetime


Handler = Callable[[Invocation, Channel], Awaitable[Reply]]


def from_drill_command(text: str) -> str:
    """Slack's single ``/drill`` command: a known sub-command word, else ``drill [kind]``."""
    words = text.strip().split()
    if words and words[0].lower() in MEMBER_COMMANDS:
        return text.strip()
    return f"drill {text.strip()}".strip()


async def handle_command(
    core: Core, actor: Actor, place: Place, text: str, request_key: str, now: datetime
) -> Reply:
    """Run one command for ``actor``; anything unknown or malformed gets a clear refusal."""
    if actor.is_bot:
        return refuse("Drillbot does not take commands from bots.")
    words = clip(text, MAX_COMMAND_CHARS).strip().lstrip("/").split()
    if not words:
        return tell(HELP)
    name = "admin" if words[0].lower() == "drill-admin" else words[0].lower()
    if name == "help":
        return tell(HELP)
    handler = HANDLERS.get(name)
    if handler is None:
        return refuse(f"Unknown command '{clip(words[0], 40)}'. Try 'help'.")
    invocation = Invocation(core, actor, place, words[1:], request_key, now)
    if name == "admin" and invocation.args[:1] == ["channel"]:
        return (
            await admin.register_channel(core, place, now) if actor.is_admin else _not_admin(actor)
        )
    channel = await _channel(core, place)
    if channel is None:
        return refuse(
            "This channel is not a drill channel yet: an admin can run 'admin channel' here."
        )
    return await handler(invocation, channel)


def _not_admin(actor: Actor) -> Reply:
    refusal = admin.require_admin(actor)
    assert refusal is not None
    return refusal


async def _channel(core: Core, place: Place) -> Channel | None:
    return await core.db.run(
        lambda uow: uow.channels.find(place.platform, place.space_ref, place.channel_ref)
    )


async def _drill(call: Invocation, channel: Channel) -> Reply:
    kind = call.args[0].lower() if call.args else None
    return await ondemand.request_drill(
        call.core, call.actor, channel, kind, call.request_key, call.now
    )


async def _streak(call: Invocation, channel: Channel) -> Reply:
    return await standings.streak_card(call.core, call.actor, channel, call.now)


async def _leaderboard(call: Invocation, channel: Channel) -> Reply:
    all_time = bool(call.args) and call.args[0].lower() in {"all-time", "all", "alltime"}
    if call.args and not all_time:
        return refuse("Use 'leaderboard' for this week or 'leaderboard all-time'.")
    return await standings.leaderboard(call.core, channel, all_time, call.now)


async def _vote(call: Invocation, channel: Channel) -> Reply:
    if len(call.args) != 1 or not call.args[0].lstrip("#a").isdigit():
        return refuse("Use 'vote N' with the answer's number, like 'vote 12'.")
    answer_id = int(call.args[0].lstrip("#a"))
    return await votes.toggle_vote(call.core, call.actor, answer_id, call.now, call.request_key)


async def _admin(call: Invocation, channel: Channel) -> Reply:
    refusal = admin.require_admin(call.actor)
    if refusal is not None:
        return refusal
    if not call.args:
        return refuse(f"Admin commands: {ADMIN_HELP}")
    sub, rest = call.args[0].lower(), " ".join(call.args[1:])
    simple = {
        "show": lambda: admin.show(call.core, channel),
        "pause": lambda: admin.set_paused(call.core, channel, True, call.now),
        "resume": lambda: admin.set_paused(call.core, channel, False, call.now),
        "skip": lambda: admin.skip(call.core, channel, call.now),
        "post-now": lambda: admin.post_now(call.core, channel, call.now),
    }
    if sub in simple:
        return await simple[sub]()
    if sub in admin.CHANGES and not rest:
        return refuse(f"'admin {sub}' needs a value. {ADMIN_HELP}")
    return await admin.change_setting(call.core, channel, sub, rest, call.now)


HANDLERS: dict[str, Handler] = {
    "drill": _drill,
    "streak": _streak,
    "leaderboard": _leaderboard,
    "vote": _vote,
    "admin": _admin,
}
