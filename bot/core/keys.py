"""Every idempotency and claim key, built in one place: the exactly-once scheme reads here.

A key is claimed in the database (a unique column) before the work it names is done, so a second
attempt (a restart, a cron job that fires twice, a second process, a platform redelivering a
request) finds the claim and does nothing.
"""

from __future__ import annotations

from datetime import date


def daily_round(channel_id: int, day: date) -> str:
    """The one daily round of a channel's local date (posted or skipped)."""
    return f"daily:{channel_id}:{day.isoformat()}"


def on_demand_round(channel_id: int, request_key: str) -> str:
    """The round a member's ``drill`` request opened; a redelivered request finds the same one."""
    return f"ondemand:{channel_id}:{request_key}"


def drill_post(round_id: int) -> str:
    return f"drill:{round_id}"


def results_post(round_id: int) -> str:
    return f"results:{round_id}"


def weekly_post(channel_id: int, week_start: date) -> str:
    """The weekly leaderboard for the Monday-to-Sunday week starting ``week_start``."""
    return f"weekly:{channel_id}:{week_start.isoformat()}"


def on_demand_post(round_id: int) -> str:
    """Where an on-demand drill is shown (a platform that posts it says so with this key)."""
    return f"ondemand:{round_id}"


def ballot_post(answer_id: int) -> str:
    """The vote button posted under an answer."""
    return f"ballot:{answer_id}"


def notice_post(channel_id: int, request_key: str) -> str:
    """A command's public reply in a channel; a redelivered command finds the same post."""
    return f"notice:{channel_id}:{request_key}"


def vote_request(request_key: str) -> str:
    """A vote click or command, claimed so a redelivered one counts once."""
    return f"vote:{request_key}"
