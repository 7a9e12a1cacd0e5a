"""Outbound translation for views: the App Home tab (with a banner for each problem that keeps
Drillbot from posting, and its fix) and the answer modal with its reveal."""

from __future__ import annotations

from typing import Any

from bot.core.cards import DrillCard, ResultsCard
from bot.core.model import Problem
from bot.core.services.home import HomeSummary, RecentAnswer
from bot.core.text import clip
from bot.core.wording import plural
from bot.platforms.slack_app.blocks import (
    Block,
    button,
    context,
    drill_blocks,
    escape,
    header,
    results_blocks,
    section,
)

View = dict[str, Any]
ANSWER_CALLBACK = "answer"
ANSWER_BLOCK = "answer"
ANSWER_INPUT = "text"
HOME_DRILL_ACTION = "home_drill"
MAX_MODAL_ANSWER = 3_000
MODAL_TITLE = "Drillbot"


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def answer_modal(card: DrillCard) -> View:
    """The drill with an answer box; submitting it answers round ``private_metadata``."""
    shown = [block for block in drill_blocks(card) if block["type"] != "actions"]
    answer_box = {
        "type": "input",
        "block_id": ANSWER_BLOCK,
        "label": _plain("Your answer"),
        "element": {
            "type": "plain_text_input",
            "action_id": ANSWER_INPUT,
            "multiline": True,
            "max_length": MAX_MODAL_ANSWER,
        },
    }
    return {
        "type": "modal",
        "callback_id": ANSWER_CALLBACK,
        "private_metadata": str(card.round_id),
        "title": _plain(MODAL_TITLE),
        "submit": _plain("Submit"),
        "close": _plain("Cancel"),
        "blocks": [*shown, answer_box],
    }


def reveal_modal(card: ResultsCard, notes: tuple[str, ...] = ()) -> View:
    """The reveal, with the member's news (a freeze spent, points earned) under it."""
    return _info_modal([*results_blocks(card), *(context(escape(note)) for note in notes)])


def notice_modal(text: str) -> View:
    return _info_modal([section(escape(text))])


def _info_modal(blocks: list[Block]) -> View:
    return {
        "type": "modal",
        "title": _plain(MODAL_TITLE),
        "close": _plain("Done"),
        "blocks": blocks,
    }


def problem_banner(problems: tuple[Problem, ...]) -> list[Block]:
    """One warning per channel Drillbot cannot post in, with the fix in words."""
    lines = [
        f":warning: *Drillbot cannot post in <#{p.channel_ref}>* ({escape(p.kind)}). "
        f"To fix it: {escape(p.detail)}"
        for p in problems
    ]
    return [section(clip("\n".join(lines), 2_900))] if lines else []


def home_view(summary: HomeSummary) -> View:
    blocks: list[Block] = [header(f"Drillbot for {summary.display_name}")]
    blocks += problem_banner(summary.problems)
    if summary.channel_ref is None:
        blocks.append(
            section("No drill channel here yet: an admin can run `/drill admin channel` in one.")
        )
        return {"type": "home", "blocks": blocks}
    blocks.append(section(_standing_text(summary)))
    blocks.append(section(_recent_text(summary.recent)))
    drill_now = button("Practise a drill now", HOME_DRILL_ACTION, summary.channel_ref, True)
    blocks.append({"type": "actions", "block_id": "home", "elements": [drill_now]})
    blocks.append(context(f"Daily drills and on-demand drills count in <#{summary.channel_ref}>."))
    return {"type": "home", "blocks": blocks}


def _standing_text(summary: HomeSummary) -> str:
    return (
        f"*Streak:* {plural(summary.current, 'day')} (longest {summary.longest})\n"
        f"*Freezes held:* {summary.freezes}\n"
        f"*Points this week:* {summary.points_this_week}"
    )


def _recent_text(recent: tuple[RecentAnswer, ...]) -> str:
    if not recent:
        return "*Recent answers*\nNone yet: reply in the thread of today's drill."
    return "*Recent answers*\n" + "\n".join(_recent_line(answer) for answer in recent)


def _recent_line(answer: RecentAnswer) -> str:
    kind = "daily drill" if answer.mode == "daily" else "on-demand drill"
    late = " · late" if answer.late else ""
    votes = f" · {plural(answer.votes, 'vote')}" if answer.mode == "daily" else ""
    title = escape(clip(answer.title, 120))
    return f"• {answer.day:%a %d %b} · {title} ({kind}){votes}{late}"
