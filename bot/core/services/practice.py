"""What ``drill`` (no kind) gives a member: the kind their schedule says is most overdue, and in it
a drill on their weakest tag. ``drill next`` explains the pick; ``drill due`` lists the schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core import profile as figures
from bot.core import repetition
from bot.core.cards import Reply, tell
from bot.core.model import Actor, Channel
from bot.core.services.context import Core, catalogue_for, kinds_in_rotation
from bot.core.services.profile import History, read_history
from bot.storage.uow import UnitOfWork
from drills import kind_label


@dataclass(frozen=True)
class Pick:
    kind: str
    tag: str | None  # the member's weakest tag among the kind's drills, if they have one
    state: repetition.KindState
    candidates: list[str]  # the kind's drills, those on ``tag`` first


def pick(uow: UnitOfWork, core: Core, channel: Channel, history: History) -> Pick | None:
    state = repetition.pick_kind(history.states, history.today)
    if state is None:
        return None
    catalogue = catalogue_for(uow, core, channel.id)
    drills = kinds_in_rotation(catalogue, channel.settings)[state.kind]
    tags = figures.by_tag([a for a in history.assessed if a.kind == state.kind])
    weakest = figures.weakest(tags, 1)
    tag = weakest[0] if weakest else None
    on_tag = [d for d in drills if tag in catalogue.drills[d].tags]
    return Pick(state.kind, tag, state, on_tag + [d for d in drills if d not in on_tag])


async def explain_next(core: Core, actor: Actor, channel: Channel, now: datetime) -> Reply:
    return await core.db.run(lambda uow: read_next(uow, core, actor, channel, now))


def read_next(uow: UnitOfWork, core: Core, actor: Actor, channel: Channel, now: datetime) -> Reply:
    """``drill next``, read in the caller's unit of work."""
    history = read_history(uow, core, channel, uow.members.ensure(actor), now)
    found = pick(uow, core, channel, history)
    if found is None:
        return tell("This channel has no drills in rotation to practise.")
    return tell(_explain(found, history))


def _explain(found: Pick, history: History) -> str:
    state, label = found.state, kind_label(found.kind)
    if state.last is None:
        why = "you have not practised it yet"
    else:
        quality = f"{state.mean_quality:.0%}" if state.mean_quality is not None else "-"
        why = (
            f"it was due {_due_words(state, history)} (last practised {state.last:%a %d %b}, "
            f"{state.practised} times, average coverage {quality})"
        )
    focus = f", on '{found.tag}', your weakest tag there" if found.tag else ""
    return f"Next for you: {label}{focus}: {why}. 'drill' starts it; 'drill due' shows the rest."


def _due_words(state: repetition.KindState, history: History) -> str:
    due = state.due()
    if due is None:
        return "now"
    late = (history.today - due).days
    return f"{late} days ago" if late > 0 else ("today" if late == 0 else f"on {due:%a %d %b}")


async def list_due(core: Core, actor: Actor, channel: Channel, now: datetime) -> Reply:
    return await core.db.run(lambda uow: read_due(uow, core, actor, channel, now))


def read_due(uow: UnitOfWork, core: Core, actor: Actor, channel: Channel, now: datetime) -> Reply:
    """``drill due``, read in the caller's unit of work."""
    history = read_history(uow, core, channel, uow.members.ensure(actor), now)
    return tell(_due_text(history))


def _due_text(history: History) -> str:
    due = repetition.due_kinds(history.states, history.today)
    lines = ["Due for practice:" if due else "Nothing is due today."]
    lines += [f"  {kind_label(s.kind)}: {_due_words(s, history)}" for s in due]
    later = sorted(
        (s for s in history.states if s not in due), key=lambda s: s.due() or history.today
    )
    if later:
        lines.append("Coming up:")
        lines += [f"  {kind_label(s.kind)}: {_due_words(s, history)}" for s in later]
    lines.append(
        "Intervals grow after answers that cover most of the rubric and shrink after thin ones."
    )
    return "\n".join(lines)
