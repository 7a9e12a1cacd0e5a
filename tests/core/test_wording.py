"""The sentences every platform shares: receipts, ballots, turnout and how to answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.core import wording
from bot.core.cards import AnswerReceipt, DrillCard
from tests.support.drills import v2_drill


def receipt(created: bool = True, late: bool = False, truncated: bool = False) -> AnswerReceipt:
    return AnswerReceipt(7, 1, created=created, late=late, truncated=truncated)


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (receipt(), "Recorded as answer #7; members can now vote for it."),
        (receipt(created=False), "Added to your answer #7."),
        (receipt(created=False, late=True), "Added to your late answer #7."),
        (
            receipt(late=True),
            "Recorded as late answer #7: the answer window had closed, so it counts for your "
            "streak but earns no points or votes.",
        ),
        (
            receipt(truncated=True),
            "Recorded as answer #7; members can now vote for it. "
            "Only its first 16,000 characters were kept.",
        ),
    ],
)
def test_answer_receipts(given: AnswerReceipt, said: str) -> None:
    assert wording.answer_receipt(given) == said


def test_a_blind_answers_receipts_say_it_is_private_and_grows_by_command() -> None:
    hidden = AnswerReceipt(7, 1, created=True, late=False, truncated=False, hidden=True)
    assert wording.answer_receipt(hidden).startswith("Recorded privately as answer #7; nobody ")
    short = replace(hidden, too_short=80)
    assert wording.answer_receipt(short) == (
        "Recorded privately as answer #7, but answers under 80 characters earn no points and no "
        "streak day: add more with the answer command and it joins your answer."
    )
    assert "in this thread" not in wording.answer_receipt(replace(short, created=False))
    added = replace(hidden, created=False)
    assert wording.answer_receipt(added) == "Added to your private answer #7."


def test_a_short_private_answer_is_grown_privately_not_in_the_thread() -> None:
    short = AnswerReceipt(7, 1, True, False, False, too_short=80, hidden=True)
    said = wording.answer_receipt(short)
    assert said.startswith("Recorded privately as answer #7, but answers under 80 characters")
    assert said.endswith("add more with the answer command and it joins your answer.")
    assert "thread" not in said


def test_votes_ballots_and_turnout() -> None:
    assert wording.vote_receipt("bob", 3, True) == "Vote recorded for bob's answer (now 3)."
    assert wording.vote_receipt("bob", 2, False) == "Vote withdrawn from bob's answer (now 2)."
    assert wording.ballot(4, "Ana") == "Answer #4 by Ana: vote if you would hire this answer."
    assert wording.turnout(3, 1) == "3 answers, 1 voter."
    assert wording.turnout(0, 0).startswith("No answers this time")


def test_how_to_answer_names_the_platforms_way_in() -> None:
    closes = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
    card = DrillCard(1, "daily", v2_drill(), closes, "Europe/Berlin")
    assert wording.closing_time(card) == "Wed 11 Mar 09:00 (Europe/Berlin)"
    daily = wording.how_to_answer("daily", "noon", wording.IN_THREAD_OR_BUTTON)
    assert daily == (
        "Answer in this thread or with the Answer button before noon, "
        "then vote for the answers you would hire."
    )
    on_demand = wording.how_to_answer("on_demand", "noon", wording.BY_BUTTON)
    assert on_demand.startswith("Answer with the Answer button before noon; what a strong")


def test_drill_notes_follow_the_kind_and_the_facts() -> None:
    notes = wording.drill_notes(v2_drill())
    assert notes[0].startswith("Time box: 20 minutes · Walk through: size the impact → ")
    assert notes[1] == wording.FACTS_ON_REQUEST
    assert wording.drill_notes(v2_drill(kind="chaos-day", facts=[])) == []
