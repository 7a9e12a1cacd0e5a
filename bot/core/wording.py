"""What Drillbot says, said once: every platform shows these sentences and only styles them (bold,
embeds, blocks). Names and drill text passed in must already be escaped for the platform."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.cards import AnswerReceipt, DrillCard
from bot.core.model import Standing
from bot.core.text import MAX_ANSWER_CHARS
from drills import Drill, kind_label

RESULTS = "Results"
ON_DEMAND_REVEAL = "Thanks for practising"
TOP_ANSWERS = "Top answers"
COVERS = "A strong answer covers"
FOLLOW_UPS = "Follow-up questions"
EMPTY_LEADERBOARD = "No points yet. Answer today's drill to get on the board."
NOT_RECORDED = (
    "Nothing new was recorded: the drill is not open to you, "
    "or the answer was empty or already recorded."
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


def closing_time(card: DrillCard) -> str:
    """When answers close, in the channel's own time zone."""
    local = card.closes_at.astimezone(ZoneInfo(card.timezone))
    return f"{local:%a %d %b %H:%M} ({card.timezone})"


def how_to_answer(mode: str, closes: str, where: str = IN_THREAD) -> str:
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


# --- standings, receipts and ballots --------------------------------------------------------------


def standing_stats(standing: Standing) -> str:
    """One leaderboard line after the member's name."""
    return (
        f"{plural(standing.points, 'point')} · {plural(standing.answers, 'answer')} · "
        f"{votes(standing.votes)} · streak {standing.streak}"
    )


def answer_receipt(receipt: AnswerReceipt) -> str:
    """What a member is told when their message became (part of) an answer."""
    number = f"#{receipt.answer_id}"
    if not receipt.created:
        text = f"Added to your {'late ' if receipt.late else ''}answer {number}."
    elif receipt.late:
        text = (
            f"Recorded as late answer {number}: the drill had closed, so it counts for your "
            "streak but earns no points or votes."
        )
    else:
        text = f"Recorded as answer {number}; members can now vote for it."
    if receipt.truncated:
        text += f" Only its first {MAX_ANSWER_CHARS:,} characters were kept."
    return text


def vote_receipt(author: str, count: int, voted: bool) -> str:
    verb = "Vote recorded for" if voted else "Vote withdrawn from"
    return f"{verb} {author}'s answer (now {count})."


def ballot(answer_id: int, author: str) -> str:
    """The line under each new answer in a round's thread, beside its Vote button."""
    return f"Answer #{answer_id} by {author}: vote if you would hire this answer."
