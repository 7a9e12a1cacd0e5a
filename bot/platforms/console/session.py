"""The console session: reads lines, acts as several members, moves the simulated clock.

Grammar (one action per line; blank lines and lines starting with '#' are ignored):

  clock +1d2h30m | clock 2026-11-23 09:00   move the simulated clock forward (UTC)
  admins alice bob                          these members are admins
  bots ci-bot                               these members are bots (ignored by the rules)
  mark TOKEN                                print "mark TOKEN" (a script waits for it)
  [e17] NAME: ...                           an event id: the message's id and the request's key,
                                            so a line fed twice counts once (like a platform id)
  NAME: /drill [kind]                       any command: /streak, /leaderboard [all-time],
  NAME: /vote N                             /vote N, /help, /drill-admin SETTING [VALUE]
  NAME: #t1 text                            post in thread t1 (an answer, if t1 is a drill's)
  NAME: text                                post in the channel
  NAME: !edit m5 new text | NAME: !delete m5  edit or delete your message m5
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.core.cards import AnswerReceipt, DrillCard, Reply
from bot.core.model import Actor, Place
from bot.core.ports import Platform
from bot.core.render import render_text
from bot.core.services import answers, commands, ondemand
from bot.core.services.context import Core
from bot.core.services.sweep import next_wakeup, run_due_work
from bot.core.text import clean_input, clip
from bot.core.wording import answer_receipt
from bot.platforms.console.platform import BOT_NAME, CHANNEL, PLATFORM, SPACE, ConsolePlatform

_STEP = re.compile(r"^\+(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_ACTION = re.compile(r"^([A-Za-z0-9_.-]{1,32}):\s?(.*)$")
_EVENT = re.compile(r"^\[([A-Za-z0-9_.:-]{1,64})\]\s+(.*)$")
HELP = (__doc__ or "").split("\n\n", 1)[1]


@dataclass
class ConsoleSession:
    core: Core
    platform: ConsolePlatform
    now: datetime
    admins: set[str] = field(default_factory=set)
    bots: set[str] = field(default_factory=set)
    authors: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    @property
    def platforms(self) -> Mapping[str, Platform]:
        return {PLATFORM: self.platform}

    async def handle_line(self, line: str) -> None:
        """One input line; a line that cannot be understood gets a hint, never an exception."""
        text = clean_input(line).strip()
        if not text or text.startswith("#"):
            return
        event = _EVENT.match(text)
        event_id, text = (event[1], event[2]) if event else (None, text)
        action = _ACTION.match(text)
        if action:
            await self._member_action(action[1], action[2], event_id)
            return
        word, _, rest = text.partition(" ")
        directives = {
            "clock": self._clock,
            "admins": self._admins,
            "bots": self._bots,
            "mark": self._mark,
        }
        directive = directives.get(word)
        if directive is None:
            self._note(
                f"I don't understand '{clip(text, 60)}'. Lines look like 'alice: /help' or 'clock +1d'."
            )
            return
        await directive(rest.strip())

    async def _clock(self, arg: str) -> None:
        target = self._parse_clock(arg)
        if target is None:
            self._note(
                "Use 'clock +1d', 'clock +2h30m' or 'clock 2026-11-23 09:00' (UTC, forward only)."
            )
            return
        await self.advance_to(target)

    def _parse_clock(self, arg: str) -> datetime | None:
        step = _STEP.match(arg)
        if step and any(step.groups()):
            days, hours, minutes = (int(part or 0) for part in step.groups())
            return self.now + timedelta(days=days, hours=hours, minutes=minutes)
        try:
            target = datetime.fromisoformat(arg).replace(tzinfo=UTC)
        except ValueError:
            return None
        return target if target >= self.now else None

    async def advance_to(self, target: datetime) -> None:
        """Step through every moment something falls due, in order, up to ``target``."""
        while (moment := await next_wakeup(self.core)) is not None and moment <= target:
            if moment <= self.now and not await self._made_progress():
                break  # nothing more can happen at this moment; let the clock move on
            self.now = max(self.now, moment)
            await run_due_work(self.core, self.platforms, self.now)
        self.now = target
        await run_due_work(self.core, self.platforms, self.now)

    async def _made_progress(self) -> bool:
        report = await run_due_work(self.core, self.platforms, self.now)
        return any((report.closed, report.weekly, report.opened, report.sent))

    async def _admins(self, arg: str) -> None:
        self.admins.update(arg.split())
        self._note(f"Admins: {', '.join(sorted(self.admins)) or 'none'}.")

    async def _mark(self, arg: str) -> None:
        self._note(f"mark {arg}")

    async def _bots(self, arg: str) -> None:
        self.bots.update(arg.split())
        self._note(f"Bots: {', '.join(sorted(self.bots)) or 'none'}.")

    def actor(self, name: str) -> Actor:
        return Actor(PLATFORM, SPACE, name, name, name in self.admins, name in self.bots)

    async def _member_action(self, name: str, body: str, event_id: str | None) -> None:
        actor = self.actor(name)
        if body.startswith("/"):
            await self._command(actor, body, event_id or uuid.uuid4().hex)
        elif body.startswith("!"):
            await self._edit_or_delete(actor, body)
        elif body.startswith("#"):
            thread, _, text = body[1:].partition(" ")
            if text.startswith("/"):  # a command used inside a thread (``ask`` there, say)
                await self._command(actor, text, event_id or uuid.uuid4().hex, thread)
            else:
                await self._post(actor, thread, text, event_id)
        else:
            await self._post(actor, None, body, event_id)

    async def _command(
        self, actor: Actor, body: str, request_key: str, thread: str | None = None
    ) -> None:
        place = Place(PLATFORM, SPACE, CHANNEL, thread)
        reply = await commands.handle_command(self.core, actor, place, body, request_key, self.now)
        await self._show_reply(actor, reply)

    async def _show_reply(self, actor: Actor, reply: Reply) -> None:
        card = reply.card
        if isinstance(card, DrillCard):
            posted = await self.platform.deliver(CHANNEL, None, card, f"ondemand:{card.round_id}")
            await ondemand.attach_place(
                self.core, card.round_id, posted.message_ref, posted.thread_ref
            )
            return
        where = f"(to {actor.user_ref})" if reply.private else f"#{CHANNEL}"
        self.platform.say(f"{where} {BOT_NAME}", self.platform.text_of(card))
        for note in reply.notes:
            self.platform.say(f"(to {actor.user_ref}) {BOT_NAME}", note)

    async def _post(
        self, actor: Actor, thread: str | None, text: str, event_id: str | None
    ) -> None:
        ref = event_id or self.platform.new_message_ref()
        self.authors[ref] = (actor.user_ref, thread)
        where = f"thread {thread}" if thread else f"#{CHANNEL}"
        self.platform.say(f"{where} {actor.user_ref} ({ref})", clip(text, 200))
        place = Place(PLATFORM, SPACE, CHANNEL, thread)
        receipt = await answers.receive_message(self.core, actor, place, ref, text, self.now)
        if receipt is not None:
            self._acknowledge(actor, receipt)

    def _acknowledge(self, actor: Actor, receipt: AnswerReceipt) -> None:
        """Tell the member what Discord and Slack tell them: the reveal, or the receipt."""
        shown = render_text(receipt.reveal) if receipt.reveal else answer_receipt(receipt)
        self.platform.say(f"(to {actor.user_ref}) {BOT_NAME}", shown)

    async def _edit_or_delete(self, actor: Actor, body: str) -> None:
        verb, _, rest = body[1:].partition(" ")
        ref, _, text = rest.strip().partition(" ")
        owner, thread = await self._author(ref)
        if verb not in {"edit", "delete"} or owner is None:
            self._note("Use '!edit m5 new text' or '!delete m5' with one of your message ids.")
            return
        if owner != actor.user_ref:
            self._note(f"{actor.user_ref} can only change their own messages.")
            return
        place = Place(PLATFORM, SPACE, CHANNEL, thread)
        if verb == "edit":
            outcome = await answers.edit_message(self.core, place, ref, text, self.now, actor)
        else:
            outcome = await answers.delete_message(self.core, place, ref, self.now)
        self._note(
            _EDIT_NOTES[outcome].format(ref=ref, done="edited" if verb == "edit" else "deleted")
        )

    async def _author(self, ref: str) -> tuple[str | None, str | None]:
        """Who wrote message ``ref``: this session knows its own; the database knows answers
        written before a restart."""
        if ref in self.authors:
            return self.authors[ref]
        found = await answers.message_author(self.core, PLATFORM, SPACE, ref)
        return found if found is not None else (None, None)

    def _note(self, text: str) -> None:
        self.platform.say("(console)", text)


_EDIT_NOTES = {
    answers.Edit.UPDATED: "{ref} {done} (answer updated)",
    answers.Edit.KEPT_AS_JUDGED: "{ref} {done}; the round had closed, so the answer judged and its points stay as they were",
    answers.Edit.KEPT_AFTER_REVIEW: "{ref} {done}; you reviewed in this round, so your answer is judged as it stood then",
    answers.Edit.ALREADY_DELETED: "{ref} was already deleted",
    answers.Edit.NOT_YOURS: "{ref} is not yours to change",
    answers.Edit.NOT_AN_ANSWER: "{ref} {done}",
}
