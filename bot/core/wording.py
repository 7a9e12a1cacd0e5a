"""What Drillbot says, said once: every platform shows these sentences and only styles them (bold,
embeds, blocks). Names and drill text passed in must already be escaped for the platform."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.cards import AnswerReceipt, DrillCard, ResultsCard
from bot.core.model import AnswerTally, Standing
from bot.core.text import LIMIT_FULL, MAX_ANSWER_CHARS
from drills import Drill, FollowUp, Level, kind_info, kind_label

RESULTS = "Results"
ON_DEMAND_REVEAL = "Thanks for practising"
TOP_ANSWERS = "Top answers"
COVERS = "A strong answer covers"
SENIOR_BAR = "Senior bar"
STAFF_BAR = "Staff bar"
RED_FLAGS = "Red flags"
SKETCH = "A strong answer sketch"
FOLLOW_UPS = "Follow-up questions"
REVIEWS = "What reviewers saw"
EMPTY_LEADERBOARD = "No points yet. Answer today's drill to get on the board."
FACTS_ON_REQUEST = "Ask the interviewer: `ask` lists the questions, `ask N` answers one, privately."
NOT_RECORDED = (
    "Nothing new was recorded: the drill is not open to you, "
    "or the answer was empty or already recorded."
)

BLIND_THREAD = (
    "This drill is blind: answers in the thread are not taken until the reveal. Answer privately "
    "with the answer command (or the Answer button) so nobody anchors on yours."
)

# Where a member answers, for ``how_to_answer``: each platform names its own way in.
IN_THREAD = "in this thread"
IN_THREAD_OR_BUTTON = "in this thread or with the Answer button"
BY_BUTTON = "with the Answer button"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def votes(count: int) -> str:
    return plural(count, "vote")


# --- drill posts ----------------------------------------------------------------------------------


def drill_meta(drill: Drill) -> str:
    """The kind, difficulty and tags line under a drill's title."""
    return f"{kind_label(drill.kind)} · difficulty {drill.difficulty}/3 · {', '.join(drill.tags)}"


def approach(kind: str) -> str | None:
    """The kind's time box and the steps a strong answer walks through; None for a custom kind."""
    info = kind_info(kind)
    if info is None:
        return None
    return f"Time box: {info.time_box} · Walk through: {' → '.join(info.scaffold)}"


def drill_notes(drill: Drill) -> list[str]:
    """The lines between a drill's prompt and how to answer it. Facts themselves stay private."""
    notes = [approach(drill.kind), FACTS_ON_REQUEST if drill.facts else None]
    return [note for note in notes if note is not None]


def closing_time(card: DrillCard) -> str:
    """When answers close, in the channel's own time zone."""
    local = card.closes_at.astimezone(ZoneInfo(card.timezone))
    return f"{local:%a %d %b %H:%M} ({card.timezone})"


def reveal_time(card: DrillCard) -> str | None:
    """When a blind drill's answers are revealed, in the channel's own time zone."""
    if card.answers_close_at is None:
        return None
    local = card.answers_close_at.astimezone(ZoneInfo(card.timezone))
    return f"{local:%a %d %b %H:%M} ({card.timezone})"


def how_to_answer(mode: str, closes: str, where: str = IN_THREAD, reveal: str | None = None) -> str:
    if reveal is not None:
        button = " or the Answer button" if where != IN_THREAD else ""
        return (
            f"Blind drill: answer privately with the answer command{button} before {reveal}. "
            f"All answers are revealed together then; vote and review until {closes}."
        )
    if mode == "daily":
        return f"Answer {where} before {closes}, then vote for the answers you would hire."
    return f"Answer {where} before {closes}; what a strong answer covers is shown once you answer."


# --- results and the on-demand reveal -------------------------------------------------------------


def results_title(title: str, on_demand: bool) -> str:
    return f"{ON_DEMAND_REVEAL if on_demand else RESULTS}: {title}"


def turnout(answers: int, voters: int) -> str:
    if not answers:
        return "No answers this time; what a strong answer covers is below."
    return f"{plural(answers, 'answer')}, {plural(voters, 'voter')}."


@dataclass(frozen=True)
class Section:
    """One heading of a reveal with its items: bullet points, or one paragraph."""

    heading: str
    items: tuple[str, ...]
    bulleted: bool = True


def results_sections(card: ResultsCard) -> tuple[Section, ...]:
    """The reviews of the round's answers (member text: escape it fully), then the reveal."""
    reviews = (Section(REVIEWS, card.reviews),) if card.reviews else ()
    return (*reviews, *reveal_sections(card.drill))


def reveal_sections(drill: Drill) -> tuple[Section, ...]:
    """What strong answers cover, in reading order; a section with nothing in it is left out."""
    sketch = (drill.strong_answer,) if drill.strong_answer else ()
    sections = (
        *_rubric(drill),
        Section(RED_FLAGS, drill.red_flags),
        Section(SKETCH, sketch, bulleted=False),
        Section(FOLLOW_UPS, tuple(_follow_up(question) for question in drill.follow_ups)),
    )
    return tuple(section for section in sections if section.items)


def _rubric(drill: Drill) -> tuple[Section, ...]:
    # A v1 drill's points only default to senior: calling them a senior bar would mislabel the
    # bank's "Staff: ..." points, so they keep one plain heading.
    if drill.version == 1:
        return (Section(COVERS, _points(drill, Level.SENIOR)),)
    return (
        Section(SENIOR_BAR, _points(drill, Level.SENIOR)),
        Section(STAFF_BAR, _points(drill, Level.STAFF)),
    )


def _points(drill: Drill, level: Level) -> tuple[str, ...]:
    return tuple(
        f"{p.point} (x{p.weight})" if p.weight > 1 else p.point for p in drill.points_at(level)
    )


def _follow_up(question: FollowUp) -> str:
    if question.probe is None:
        return question.ask
    return f"{question.ask} [{question.probe.value.replace('-', ' ')}]"


# --- standings, receipts and ballots --------------------------------------------------------------


def standing_stats(standing: Standing) -> str:
    """One leaderboard line after the member's name."""
    return (
        f"{plural(standing.points, 'point')} · {plural(standing.answers, 'answer')} · "
        f"{votes(standing.votes)} · streak {standing.streak}"
    )


def answer_receipt(receipt: AnswerReceipt) -> str:
    """What a member is told when their message became (part of) an answer."""
    if receipt.full:
        return LIMIT_FULL
    if receipt.blind:
        return BLIND_THREAD
    text = _receipt_head(receipt, f"#{receipt.number or receipt.answer_id}")
    if receipt.truncated:
        text += f" Only its first {MAX_ANSWER_CHARS:,} characters were kept."
    return "\n".join([text, *receipt.news])


def _receipt_head(receipt: AnswerReceipt, number: str) -> str:
    late = "late " if receipt.late else ""
    if receipt.after_review:
        return _after_review(receipt, number)
    if receipt.too_short:
        where = "with the answer command" if receipt.hidden else "in this thread"
        privately = "privately " if receipt.hidden else ""
        return (
            f"Recorded {privately}as {late}answer {number}, but answers under "
            f"{receipt.too_short} characters earn no points and no streak day: add more {where} "
            "and it joins your answer."
        )
    if not receipt.created:
        return f"Added to your {late}answer {number}."
    if receipt.late:
        return (
            f"Recorded as late answer {number}: the answer window had closed, so it counts for "
            "your streak but earns no points or votes."
        )
    if receipt.hidden:
        return (
            f"Recorded privately as answer {number}; nobody sees it until all answers are "
            "revealed together. Send more with the answer command to add to it."
        )
    return f"Recorded as answer {number}; members can now vote for it."


def _after_review(receipt: AnswerReceipt, number: str) -> str:
    if receipt.created:
        return (
            f"Recorded as late answer {number}: you reviewed in this round before answering, and "
            "reviewing shows the rubric, so it counts for your streak but earns no points or votes."
        )
    return (
        f"Kept in the thread, but answer {number} is judged as it stood at your first review: "
        "reviewing showed you the rubric."
    )


def others_line(others: Sequence[AnswerTally], limit: int = 900) -> str | None:
    """Every other on-time answer of a round, by number and name, clipped to ``limit``."""
    if not others:
        return None
    parts = [f"#{t.number} {t.display_name} ({votes(t.votes)})" for t in others]
    line = "Also answered: " + ", ".join(parts)
    while len(line) > limit and len(parts) > 1:
        parts.pop()
        line = f"Also answered: {', '.join(parts)} and {len(others) - len(parts)} more"
    return line


def answer_name(tally: AnswerTally, name: str) -> str:
    """How a top answer is named in results: its author and its number in the round."""
    return (
        f"{name} (answer #{tally.number}, {votes(tally.votes)})"
        if tally.number
        else f"{name} ({votes(tally.votes)})"
    )


def vote_receipt(author: str, count: int, voted: bool) -> str:
    verb = "Vote recorded for" if voted else "Vote withdrawn from"
    return f"{verb} {author}'s answer (now {count})."


def ballot(number: int, author: str) -> str:
    """The line under each new answer in a round's thread, beside its Vote button."""
    return f"Answer #{number} by {author}: vote if you would hire this answer."


def _export_rows(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name.replace('_', ' ')} {count}" for name, count in counts.items())


def export_summary(who: str, counts: Mapping[str, int]) -> str:
    """The text beside an export archive: what it holds, file by file."""
    return f"Drillbot export for {who}: a zip archive of {len(counts)} files ({_export_rows(counts)} rows)."


def export_alt_text(counts: Mapping[str, int]) -> str:
    return f"A zip archive of Drillbot data: {_export_rows(counts)} rows."


def file_sent_to_dm(summary: str) -> str:
    return f"{summary} Sent to you in a direct message from Drillbot."


def file_not_sent(reason: str) -> str:
    return f"Drillbot could not send you the file ({reason}); please try again later."
