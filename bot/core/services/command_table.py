"""Every command Drillbot understands, declared once.

Help text, dispatch, the unknown-command messages, Discord's slash-command tree, Slack's ``/drill``
sub-commands and the README's command list are all derived from ``COMMANDS``. Adding a command
(or an admin setting) is one entry here plus its handler in ``handlers``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bot.core.cards import Reply, tell
from bot.core.services import admin, handlers
from bot.core.services import setting_changes as changes
from bot.core.services.admin import Change
from bot.core.services.handlers import InOneUnit, Invocation

__all__ = ["COMMANDS", "Arg", "Command", "InOneUnit", "Invocation", "find", "help_text"]

Handler = Callable[[Invocation], Awaitable[Reply]] | InOneUnit


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


async def _help(call: Invocation) -> Reply:
    return tell(help_text(with_admin=call.actor.is_admin))


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
    Command(
        "drill", "a drill just for you, now", handlers.drill, (KIND,), wakes=True, personal=True
    ),
    Command(
        "drill next", "what 'drill' will pick for you, and why", handlers.drill_next, personal=True
    ),
    Command(
        "drill due",
        "your practice schedule: kinds due now and soon",
        handlers.drill_due,
        personal=True,
    ),
    Command(
        "review",
        "review answer N against the rubric (N alone shows the rubric)",
        handlers.review,
        (WHICH, TICKS, READ, NOTE),
    ),
    Command("profile", "your private skill profile", handlers.show_profile, personal=True),
    Command(
        "profile delete",
        "delete every review you gave and received",
        handlers.profile_delete,
        (CONFIRM,),
        personal=True,
    ),
    Command(
        "profile export",
        "your own answers and scores, as a file",
        handlers.streak_export,
        (FORMAT,),
        personal=True,
    ),
    Command("streak", "your streak, freezes and points this week", handlers.streak, personal=True),
    Command(
        "streak rest",
        "days off that neither break nor extend your streak",
        handlers.rest,
        (REST,),
        personal=True,
    ),
    Command(
        "streak card",
        "your streak calendar and weekly points, as a picture",
        handlers.streak_card,
        personal=True,
    ),
    Command(
        "streak export",
        "your own answers and scores, as a file",
        handlers.streak_export,
        (FORMAT,),
        personal=True,
    ),
    Command(
        "leaderboard",
        "this week's standings (or all time)",
        handlers.leaderboard,
        (PERIOD,),
        personal=True,
    ),
    Command(
        "answer",
        "answer the open drill privately (how a blind drill is answered)",
        handlers.answer,
        (Arg("text", "your answer; send more to add to it", rest=True),),
    ),
    Command("vote", "vote for answer N (again to withdraw)", handlers.vote, (ANSWER,)),
    Command(
        "ask", "ask the interviewer for a fact about the open drill", handlers.ask, (QUESTION,)
    ),
    Command("help", "what Drillbot understands", _help, needs_channel=False),
    Command(
        "admin channel",
        "make this channel a drill channel",
        handlers.register,
        admin=True,
        public=True,
        wakes=True,
        needs_channel=False,
    ),
    Command("admin show", "this channel's settings", handlers.show, admin=True),
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
        handlers.holiday,
        (DATES,),
        admin=True,
        public=True,
        wakes=True,
    ),
    Command(
        "admin pause", "pause the daily drills", handlers.pause, admin=True, public=True, wakes=True
    ),
    Command(
        "admin resume",
        "resume the daily drills",
        handlers.resume,
        admin=True,
        public=True,
        wakes=True,
    ),
    Command(
        "admin skip",
        "skip the next daily drill",
        handlers.skip,
        admin=True,
        public=True,
        wakes=True,
    ),
    Command(
        "admin unskip",
        "restore the nearest skipped drill",
        handlers.unskip,
        admin=True,
        public=True,
        wakes=True,
    ),
    Command("admin post-now", "post today's drill now", handlers.post_now, admin=True, wakes=True),
    Command(
        "admin streak-repair",
        "set a member's streak after an outage, logged",
        handlers.repair,
        (REPAIR,),
        admin=True,
    ),
    Command(
        "admin stats",
        "participation, kinds, tags and answer times of the last 8 weeks, as a chart",
        handlers.admin_stats,
        admin=True,
    ),
    Command(
        "admin export",
        "the channel's rounds, answers, votes, standings and streak history, as a file",
        handlers.admin_export,
        (FORMAT,),
        admin=True,
    ),
)
BY_NAME = {command.name: command for command in COMMANDS}


def member_commands() -> list[Command]:
    return [command for command in COMMANDS if not command.admin]


def admin_commands() -> list[Command]:
    return [command for command in COMMANDS if command.admin]


TOP_LEVEL_WORDS = tuple(dict.fromkeys(command.words[0] for command in COMMANDS))


def top_level_words() -> list[str]:
    """The first word of every command, in table order (``admin`` once)."""
    return list(TOP_LEVEL_WORDS)


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
    "Answer the daily drill by replying in its thread (a blind drill: with the answer command). On Slack, slash commands do not work "
    "inside threads: use /drill in the channel."
)
