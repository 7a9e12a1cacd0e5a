"""One command grammar for every platform, dispatched from the table in ``command_table``.

Adapters turn their slash commands into text (``drill live-debugging``, ``admin time 09:00``) and
show the reply; Slack's single ``/drill`` command is parsed by ``from_drill_command``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.cards import Reply, refuse, tell
from bot.core.errors import StorageUnavailable
from bot.core.model import Actor, Channel, Place
from bot.core.services import admin, attendance
from bot.core.services.command_table import (
    TOP_LEVEL_WORDS,
    Command,
    InOneUnit,
    Invocation,
    admin_commands,
    find,
    top_level_words,
)
from bot.core.services.context import Core
from bot.core.text import MAX_COMMAND_CHARS, clean_input, clip
from bot.storage.uow import UnitOfWork

NOT_A_DRILL_CHANNEL = (
    "This channel is not a drill channel yet: an admin can run 'admin channel' here "
    "(or in the channel where drills should go)."
)
# What a command could not do while the database was locked or down, in the member's words.
COULD_NOT = {
    "vote": "record your vote",
    "streak": "read your streak",
    "leaderboard": "read the leaderboard",
    "drill": "start a drill for you",
    "ask": "look that up",
    "review": "save your review",
    "profile": "read your profile",
    "profile delete": "delete your reviews",
    "drill next": "read your practice schedule",
    "drill due": "read your practice schedule",
    "admin post-now": "queue today's drill",
    "admin skip": "skip the next drill",
}


def unavailable(what: str = "do that") -> Reply:
    """The reply to a member whose action met a locked or unreachable database."""
    return refuse(f"Couldn't {what}: please try again in a minute.")


def from_drill_command(text: str) -> str:
    """Slack's single ``/drill`` command: a known command word, else ``drill [kind]``."""
    words = text.strip().split()
    if words and words[0].lower() in TOP_LEVEL_WORDS:
        return text.strip()
    return f"drill {text.strip()}".strip()


def command_for(text: str) -> Command | None:
    """The table entry a command line names (adapters use it to know a reply's visibility)."""
    return find(_words(text))


def _words(text: str) -> list[str]:
    words = clean_input(clip(text, MAX_COMMAND_CHARS)).strip().lstrip("/").split()
    if words and words[0].lower() == "drill-admin":  # the console's and Discord's admin command
        words[0] = "admin"
    return words


async def handle_command(
    core: Core, actor: Actor, place: Place, text: str, request_key: str, now: datetime
) -> Reply:
    """Run one command for ``actor``; anything unknown or malformed gets a clear refusal."""
    if actor.is_bot:
        return refuse("Drillbot does not take commands from bots.")
    words = _words(text)
    command = find(words) if words else find(["help"])
    if command is None:
        return _unknown(words, actor)
    if command.admin and not actor.is_admin:
        return refuse(admin.NOT_ADMIN)
    args = tuple(words[len(command.words) :])
    problem = _check_args(command, args)
    if problem is not None:
        return refuse(problem)
    try:
        return await _run(core, command, Invocation(core, actor, place, args, request_key, now))
    except StorageUnavailable:
        what = COULD_NOT.get(command.name, "save that" if command.admin else "do that")
        return unavailable(what)


async def _run(core: Core, command: Command, call: Invocation) -> Reply:
    handler = command.handler
    if isinstance(handler, InOneUnit):
        return await core.db.run(lambda uow: _in_one_unit(uow, command, handler, call))
    needs = command.needs_channel
    channel = await core.db.run(lambda uow: _channel_for(uow, call, command)) if needs else None
    if command.needs_channel and channel is None:
        return refuse(NOT_A_DRILL_CHANNEL)
    reply = _shown(command, await handler(replace(call, found_channel=channel)))
    if channel is None or not reply.private:
        return reply
    return await core.db.run(lambda uow: _told(uow, _with_news(uow, call.actor, channel, reply)))


def _in_one_unit(uow: UnitOfWork, command: Command, handler: InOneUnit, call: Invocation) -> Reply:
    """Channel lookup, the handler's work and the member's news in one transaction."""
    channel = _channel_for(uow, call, command) if command.needs_channel else None
    if command.needs_channel and channel is None:
        return refuse(NOT_A_DRILL_CHANNEL)
    reply = _shown(command, handler.work(uow, replace(call, found_channel=channel)))
    if channel is not None and reply.private:
        reply = _with_news(uow, call.actor, channel, reply)
    return _told(uow, reply)


def _told(uow: UnitOfWork, reply: Reply) -> Reply:
    """Commit what the reply tells (news is told once, a new member is kept), then give it."""
    uow.commit()
    return reply


def _shown(command: Command, reply: Reply) -> Reply:
    """A successful reply is public exactly when the command says so."""
    return replace(reply, private=not command.public) if reply.ok else reply


def _unknown(words: list[str], actor: Actor) -> Reply:
    first = clip(words[0], 40)
    if first.lower() != "admin":
        return refuse(f"Unknown command '{first}'. Commands: {', '.join(top_level_words())}.")
    if not actor.is_admin:
        return refuse(admin.NOT_ADMIN)
    names = ", ".join(command.words[1] for command in admin_commands())
    if len(words) == 1:
        return tell(f"Admin commands: {names}. 'help' shows what each takes.")
    return refuse(f"Unknown admin command '{clip(words[1], 40)}'. Admin commands: {names}.")


def _check_args(command: Command, args: tuple[str, ...]) -> str | None:
    """Why ``args`` do not fit the command's arguments, or None when they do."""
    required = [arg for arg in command.args if not arg.optional]
    takes_rest = bool(command.args) and command.args[-1].rest
    if len(args) < len(required):
        missing = required[len(args)]
        return f"'{command.name}' needs {missing.hint}. Usage: {command.usage()}"
    if len(args) > len(command.args) and not takes_rest:
        return f"Too many words for '{command.name}'. Usage: {command.usage()}"
    return None


def _channel_for(uow: UnitOfWork, call: Invocation, command: Command) -> Channel | None:
    """The drill channel a command acts on: this one; for a member's own commands used anywhere
    else in the space, the drill channel they used most recently (or the space's first)."""
    place = call.place
    here = uow.channels.find(place.platform, place.space_ref, place.channel_ref)
    if here is not None or command.admin or not command.personal:
        return here
    return attendance.home_channel(uow, call.actor)


def _with_news(uow: UnitOfWork, actor: Actor, channel: Channel, reply: Reply) -> Reply:
    """What changed for the member since they were last told (a freeze spent, points earned),
    added to a private reply (news never lands in the channel); marked as told on commit."""
    member_id = uow.members.find(actor.platform, actor.space_ref, actor.user_ref)
    news = attendance.news(uow, channel, member_id) if member_id is not None else []
    return replace(reply, notes=(*reply.notes, *news)) if news else reply
