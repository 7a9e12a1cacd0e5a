"""Every command Drillbot understands, declared once.

Help text, dispatch, the unknown-command messages, Discord's slash-command tree, Slack's ``/drill``
sub-commands and the README's command list are all derived from ``COMMANDS``. Adding a command
(or an admin setting) is one entry here plus its handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core import values
from bot.core.cards import Reply, refuse, tell
from bot.core.model import Actor, Channel, Place
from bot.core.services import (
    admin,
    analytics,
    attendance,
    blind,
    exports,
    facts,
    ondemand,
    practice,
    profile,
    reviews,
    standings,
    stats_cards,
    votes,
)
from bot.core.services import setting_changes as changes
from bot.core.services.admin import Change
from bot.core.services.context import Core


@dataclass(frozen=True)
class Invocation:
    """One command as a member typed it, with what its handler needs to run it."""

    core: Core
    actor: Actor
    place: Place
    args: tuple[str, ...]
    request_key: str
    now: datetime
    found_channel: Channel | None = None

    @property
    def channel(self) -> Channel:
        """The drill channel; the dispatcher only runs ``needs_channel`` commands where one exists."""
        if self.found_channel is None:
            raise LookupError("this command needs a drill channel")
        return self.found_channel


Handler = Callable[[Invocation], Awaitable[Reply]]


@dataclass(frozen=True)
class Arg:
    name: str
    hint: str  # what a value looks like, for help text and Discord's option description
    optional: bool = False
    rest: bool = False  # takes the rest of the line, spaces included

    def usage(self) -> str:
        return f"[{self.name}]" if self.optional else self.name.upper()


@dataclass(frozen=True)
class Command:
    name: str  # one word, or "admin WORD" for an admin setting or action
    summary: str
    handler: Handler
    args: tuple[Arg, ...] = ()
    admin: bool = False
    public: bool = False  # a successful reply is shown to the channel, not just the caller
    wakes: bool = False  # moves the schedule or queues a post (its use case signals the core)
    needs_channel: bool = True  # runs only in a registered drill channel
    personal: bool = False  # the caller's own business: works from any channel of the space

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.name.split())

    def usage(self) -> str:
        return " ".join([self.name, *(arg.usage() for arg in self.args)])


async def _drill(call: Invocation) -> Reply:
    kind = call.args[0].lower() if call.args else None
    return await ondemand.request_drill(
        call.core, call.actor, call.channel, kind, call.request_key, call.now
    )


async def _answer(call: Invocation) -> Reply:
    text = " ".join(call.args)
    return await blind.answer_privately(
        call.core, call.actor, call.channel, call.place, text, call.request_key, call.now
    )


async def _drill_next(call: Invocation) -> Reply:
    return await practice.explain_next(call.core, call.actor, call.channel, call.now)


async def _drill_due(call: Invocation) -> Reply:
    return await practice.list_due(call.core, call.actor, call.channel, call.now)


async def _review(call: Invocation) -> Reply:
    return await reviews.review(
        call.core, call.actor, call.channel, call.place, call.args, call.now
    )


async def _profile(call: Invocation) -> Reply:
    return await profile.show_profile(call.core, call.actor, call.channel, call.now)


async def _profile_delete(call: Invocation) -> Reply:
    return await profile.delete_profile(call.core, call.actor, call.args, call.now)


async def _streak(call: Invocation) -> Reply:
    return await standings.streak_card(call.core, call.actor, call.channel, call.now)


ALL_TIME = frozenset({"all-time", "all", "alltime"})


async def _leaderboard(call: Invocation) -> Reply:
    period = call.args[0].lower() if call.args else "week"
    if period not in ALL_TIME | {"week"}:
        return refuse("Use 'leaderboard' for this week or 'leaderboard all-time'.")
    return await standings.leaderboard(call.core, call.channel, period in ALL_TIME, call.now)


async def _vote(call: Invocation) -> Reply:
    try:
        number = values.parse_answer_number(call.args[0])
    except ValueError as error:
        return refuse(str(error))
    return await votes.vote_by_number(
        call.core, call.actor, call.place, number, call.now, call.request_key
    )


async def _ask(call: Invocation) -> Reply:
    question = " ".join(call.args)
    return await facts.ask(call.core, call.actor, call.channel, call.place, question, call.now)


async def _help(call: Invocation) -> Reply:
    return tell(help_text(with_admin=call.actor.is_admin))


async def _register(call: Invocation) -> Reply:
    return await admin.register_channel(call.core, call.place, call.now)


async def _show(call: Invocation) -> Reply:
    return await admin.show(call.core, call.channel, call.now)


async def _pause(call: Invocation) -> Reply:
    return await admin.set_paused(call.core, call.channel, True, call.now)


async def _resume(call: Invocation) -> Reply:
    return await admin.set_paused(call.core, call.channel, False, call.now)


async def _skip(call: Invocation) -> Reply:
    return await admin.skip(call.core, call.channel, call.now)


async def _unskip(call: Invocation) -> Reply:
    return await admin.unskip(call.core, call.channel, call.now)


async def _holiday(call: Invocation) -> Reply:
    return await admin.set_holidays(call.core, call.channel, " ".join(call.args), call.now)


async def _rest(call: Invocation) -> Reply:
    return await attendance.take_rest(call.core, call.actor, call.channel, call.args[0], call.now)


async def _repair(call: Invocation) -> Reply:
    return await attendance.repair_streak(call.core, call.channel, call.args, call.now)


async def _streak_card(call: Invocation) -> Reply:
    return await stats_cards.stats_card(call.core, call.actor, call.channel, call.now)


async def _streak_export(call: Invocation) -> Reply:
    fmt = call.args[0] if call.args else None
    return await exports.member_archive(call.core, call.actor, call.channel, fmt, call.now)


async def _admin_stats(call: Invocation) -> Reply:
    return await analytics.admin_stats(call.core, call.channel, call.now)


async def _admin_export(call: Invocation) -> Reply:
    fmt = call.args[0] if call.args else None
    return await exports.channel_archive(call.core, call.channel, fmt, call.now)


async def _post_now(call: Invocation) -> Reply:
    return await admin.post_now(call.core, call.channel, call.now)


def _setting(word: str, summary: str, hint: str, change: Change) -> Command:
    """An admin setting: ``admin WORD VALUE``, refused (and nothing changed) when VALUE is bad."""

    async def handler(call: Invocation) -> Reply:
        value = " ".join(call.args)
        return await admin.change_setting(call.core, call.channel, word, change, value, call.now)

    arg = Arg("value", hint, rest=True)
    return Command(f"admin {word}", summary, handler, (arg,), admin=True, public=True, wakes=True)


KIND = Arg("kind", "a drill kind (default: any in this channel's rotation)", optional=True)
PERIOD = Arg("period", "all-time for every week so far", optional=True)
ANSWER = Arg("N", "the answer's number in its round")
QUESTION = Arg("question", "a number from the list, or your question in words", True, rest=True)
TIME_HINT = "HH:MM on a 24-hour clock, like 09:00"
REST = Arg("days", "a number of days, like 3d (at most 14 in 90 days)")
DATES = Arg("dates", "a date or range, like 2026-12-24..2026-12-26", rest=True)
FORMAT = Arg("format", "csv (the default) or json", optional=True)
WHICH = Arg("N", "the answer's number in its round, or self for your on-demand drill")
TICKS = Arg("points", "the rubric points it covers, like 1,3 (or none)", optional=True)
READ = Arg("read", "staff, senior or not-yet", optional=True)
NOTE = Arg("note", "one line for the author", optional=True, rest=True)
CONFIRM = Arg("confirm", "type confirm to delete", optional=True)
REPAIR = Arg("member days reason", "the member, the streak in days and why", rest=True)

COMMANDS: tuple[Command, ...] = (
    Command("drill", "a drill just for you, now", _drill, (KIND,), wakes=True, personal=True),
    Command("drill next", "what 'drill' will pick for you, and why", _drill_next, personal=True),
    Command(
        "drill due", "your practice schedule: kinds due now and soon", _drill_due, personal=True
    ),
    Command(
        "review",
        "review answer N against the rubric (N alone shows the rubric)",
        _review,
        (WHICH, TICKS, READ, NOTE),
    ),
    Command("profile", "your private skill profile", _profile, personal=True),
    Command(
        "profile delete",
        "delete every review you gave and received",
        _profile_delete,
        (CONFIRM,),
        personal=True,
    ),
    Command(
        "profile export",
        "your own answers and scores, as a file",
        _streak_export,
        (FORMAT,),
        personal=True,
    ),
    Command("streak", "your streak, freezes and points this week", _streak, personal=True),
    Command(
        "streak rest",
        "days off that neither break nor extend your streak",
        _rest,
        (REST,),
        personal=True,
    ),
    Command(
        "streak card",
        "your streak calendar and weekly points, as a picture",
        _streak_card,
        personal=True,
    ),
    Command(
        "streak export",
        "your own answers and scores, as a file",
        _streak_export,
        (FORMAT,),
        personal=True,
    ),
    Command(
        "leaderboard",
        "this week's standings (or all time)",
        _leaderboard,
        (PERIOD,),
        personal=True,
    ),
    Command(
        "answer",
        "answer the open drill privately (how a blind drill is answered)",
        _answer,
        (Arg("text", "your answer; send more to add to it", rest=True),),
    ),
    Command("vote", "vote for answer N (again to withdraw)", _vote, (ANSWER,)),
    Command("ask", "ask the interviewer for a fact about the open drill", _ask, (QUESTION,)),
    Command("help", "what Drillbot understands", _help, needs_channel=False),
    Command(
        "admin channel",
        "make this channel a drill channel",
        _register,
        admin=True,
        public=True,
        wakes=True,
        needs_channel=False,
    ),
    Command("admin show", "this channel's settings", _show, admin=True),
    _setting("time", "the daily post time", TIME_HINT, changes.plain(changes.post_time)),
    _setting(
        "timezone",
        "the channel's time zone",
        "an IANA name like Europe/Berlin",
        changes.plain(changes.timezone),
    ),
    _setting(
        "days",
        "the days drills are posted",
        "mon-fri, daily, weekdays or mon,wed,fri",
        changes.plain(changes.days),
    ),
    _setting(
        "kinds", "the kinds of drill in rotation", "comma-separated kinds, or all", changes.kinds
    ),
    _setting(
        "window",
        "how long answers stay open",
        "a duration like 24h, 90m or 1d12h",
        changes.plain(changes.window),
    ),
    _setting(
        "weekly-day",
        "the weekly leaderboard's day",
        "a day like mon",
        changes.plain(changes.weekly_day),
    ),
    _setting(
        "weekly-time",
        "the weekly leaderboard's time",
        TIME_HINT,
        changes.plain(changes.weekly_time),
    ),
    _setting(
        "min-length",
        "the shortest answer that earns points",
        "a number of characters, like 80",
        changes.plain(changes.min_length),
    ),
    _setting(
        "blind",
        "answers private until the answer window ends, then revealed together",
        "on or off",
        changes.plain(changes.blind),
    ),
    _setting(
        "review-window",
        "blind drills: how long votes and reviews stay open after the reveal",
        "a duration like 12h",
        changes.plain(changes.review_window),
    ),
    _setting(
        "reviewers",
        "whether results name who ticked what",
        "public or private (the default)",
        changes.plain(changes.show_reviewers),
    ),
    Command(
        "admin holiday",
        "dates with no drill (clear DATES to undo)",
        _holiday,
        (DATES,),
        admin=True,
        public=True,
        wakes=True,
    ),
    Command("admin pause", "pause the daily drills", _pause, admin=True, public=True, wakes=True),
    Command(
        "admin resume", "resume the daily drills", _resume, admin=True, public=True, wakes=True
    ),
    Command("admin skip", "skip the next daily drill", _skip, admin=True, public=True, wakes=True),
    Command(
        "admin unskip",
        "restore the nearest skipped drill",
        _unskip,
        admin=True,
        public=True,
        wakes=True,
    ),
    Command("admin post-now", "post today's drill now", _post_now, admin=True, wakes=True),
    Command(
        "admin streak-repair",
        "set a member's streak after an outage, logged",
        _repair,
        (REPAIR,),
        admin=True,
    ),
    Command(
        "admin stats",
        "participation, kinds, tags and answer times of the last 8 weeks, as a chart",
        _admin_stats,
        admin=True,
    ),
    Command(
        "admin export",
        "the channel's rounds, answers, votes, standings and streak history, as a file",
        _admin_export,
        (FORMAT,),
        admin=True,
    ),
)
BY_NAME = {command.name: command for command in COMMANDS}


def member_commands() -> list[Command]:
    return [command for command in COMMANDS if not command.admin]


def admin_commands() -> list[Command]:
    return [command for command in COMMANDS if command.admin]


def top_level_words() -> list[str]:
    """The first word of every command, in table order (``admin`` once)."""
    return list(dict.fromkeys(command.words[0] for command in COMMANDS))


def find(words: Sequence[str]) -> Command | None:
    """The command named by the first one or two words (case-insensitive), if any."""
    lowered = [word.lower() for word in words[:2]]
    return BY_NAME.get(" ".join(lowered)) or BY_NAME.get(lowered[0] if lowered else "")


def help_text(with_admin: bool) -> str:
    """Every command with its arguments and summary; admin ones for admins only."""
    shown = COMMANDS if with_admin else tuple(member_commands())
    width = max(len(command.usage()) for command in shown)
    lines = ["Drillbot commands:"]
    lines += [f"  {command.usage():<{width}}  {command.summary}" for command in shown]
    if not with_admin:
        lines.append(f"  {'admin ...':<{width}}  channel settings, for admins ('admin' lists them)")
    lines.append(ANSWERING)
    return "\n".join(lines)


ANSWERING = (
    "Answer the daily drill by replying in its thread. On Slack, slash commands do not work "
    "inside threads: use /drill in the channel."
)
