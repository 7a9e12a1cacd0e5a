"""Facts on request: the interviewer's side of a drill (schema v2 ``facts``).

A member asks with ``ask`` (lists the questions the interviewer can answer), ``ask N`` or ``ask``
followed by their own words (matched to the closest question). Answers are private, so each member
earns their own clarifying questions; every question asked is recorded for later review.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.cards import Reply, refuse, tell
from bot.core.model import Actor, Channel, Place, Round
from bot.core.services.context import Core, catalogue_for
from bot.core.text import clip, defang_mentions
from bot.storage.uow import UnitOfWork
from drills import Drill
from drills.schema import Fact

NO_ROUND = (
    "There is no open drill here to ask about: ask in a drill's thread, or wait for the next one."
)
NO_FACTS = "This drill has no facts to ask for: everything you need is in the prompt."
MATCH_THRESHOLD = 0.5
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "is",
        "are",
        "was",
        "were",
        "what",
        "which",
        "how",
        "who",
        "does",
        "do",
        "any",
    ]
)


async def ask(
    core: Core, actor: Actor, channel: Channel, place: Place, question: str, now: datetime
) -> Reply:
    """Answer ``question`` from the facts of the round this place points at."""

    def work(uow: UnitOfWork) -> Reply:
        member_id = uow.members.ensure(actor)
        round_ = _round_here(uow, channel, place, member_id)
        drill = catalogue_for(uow, core, channel.id).get(round_.drill_id) if round_ else None
        if round_ is None or drill is None:
            return refuse(NO_ROUND)
        if not drill.facts:
            return tell(NO_FACTS)
        index = pick_fact(drill, question)
        if index is None:
            return tell(fact_menu(drill, question))
        uow.rounds.record_question(round_.id, member_id, index, now)
        uow.commit()
        return tell(fact_text(drill.facts[index], index))

    return await core.db.run(work)


def _round_here(uow: UnitOfWork, channel: Channel, place: Place, member_id: int) -> Round | None:
    if place.thread_ref is not None:
        found = uow.rounds.by_thread(place.thread_ref)
        if found is not None and found.channel_id == channel.id:
            return found
    return uow.rounds.latest_open_for(channel.id, member_id)


def pick_fact(drill: Drill, question: str) -> int | None:
    """The fact a question names: its number, or the ask sharing the most words with it."""
    text = question.strip()
    if not text:
        return None
    number = text.removeprefix("#")
    if number.isascii() and number.isdigit():
        index = int(number[:6]) - 1
        return index if 0 <= index < len(drill.facts) else None
    asked = _words(text)
    scores = [_share_known(asked, _words(fact.ask)) for fact in drill.facts]
    best = max(range(len(scores)), key=scores.__getitem__)
    return best if scores[best] >= MATCH_THRESHOLD else None


def _words(text: str) -> set[str]:
    found = re.findall(r"[a-z0-9]+", text.casefold())
    return {word.rstrip("s") for word in found if len(word) > 2 and word not in _STOP}


def _share_known(asked: set[str], known: set[str]) -> float:
    """How much of the member's question the interviewer's question covers."""
    return len(asked & known) / len(asked) if asked else 0.0


def fact_menu(drill: Drill, question: str) -> str:
    """The questions the interviewer can answer, after a word on why ``question`` got none."""
    asked = question.strip().removeprefix("#")
    if not asked:
        lead = ""
    elif asked.isascii() and asked.isdigit():
        lead = f"There is no question {clip(asked, 12)}. "
    else:
        lead = f"The interviewer has no answer to '{clip(defang_mentions(asked), 80)}'. "
    lines = [f"{lead}The interviewer can tell you:"]
    lines += [f"{number}. {fact.ask}" for number, fact in enumerate(drill.facts, start=1)]
    lines.append("Use 'ask N', or ask in your own words.")
    return "\n".join(lines)


def fact_text(fact: Fact, index: int) -> str:
    return f"Q{index + 1}: {fact.ask}\nA: {fact.answer}"
