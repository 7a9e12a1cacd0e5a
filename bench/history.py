"""A channel's vote history of any size, generated inside the database with set-based SQL.

One daily round a day, a thousand answers a round from 10,000 members (300 regulars answer every
day, the others now and then, so a week's leaderboard has leaders), 5 to 15 votes an answer
(10 on average), settled scores for closed rounds, the streak log and streak state, and two peer
reviews on every tenth answer. Rows come from ``generate_series`` on PostgreSQL and a recursive
CTE on SQLite, so 10 M votes load in a minute or two instead of being built in Python. The numbers
are arithmetic, not random, so every run and both databases get the same history. Rows are written
in the order the bot would write them (round by round), because PostgreSQL keeps that order on
disk and a round's answers read together cost a fraction of answers scattered across the table.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, insert, text

from bot.core.model import ChannelSettings
from bot.storage.repos.channels import settings_columns
from bot.storage.tables import channels, members, rounds
from drills import Catalogue

MEMBERS = 10_000
ANSWERS_PER_ROUND = 1_000  # a tenth of the channel answers each day
REGULARS = 300  # members 1 to 300 answer every day; the other 700 answers a day come from the rest
VOTES_PER_ANSWER = 10  # on average: 5 to 15
WEEK = date(2026, 11, 16)  # the measured week, Monday to Sunday; Sunday's round is still open
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def numbers(connection: Connection, count: int) -> str:
    """A FROM item yielding ``n`` = 0 .. count-1."""
    if connection.dialect.name == "postgresql":
        return f"generate_series(0, {count - 1}) AS numbers(n)"
    return (
        f"(WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < {count - 1})"
        " SELECT n FROM s) AS numbers"
    )


def days_for(total_votes: int) -> int:
    return max(7, total_votes // (ANSWERS_PER_ROUND * VOTES_PER_ANSWER))


def load_history(connection: Connection, total_votes: int, bank: Catalogue) -> None:
    """Everything in one transaction: a half-loaded database is never mistaken for a loaded one."""
    _channel_and_members(connection)
    _rounds(connection, days_for(total_votes), bank)
    for statement, count in _STATEMENTS:
        source = numbers(connection, count) if count else ""
        connection.execute(text(statement.format(numbers=source)))
    if connection.dialect.name == "postgresql":
        _advance_sequences(connection)
    connection.commit()


def _channel_and_members(connection: Connection) -> None:
    created = datetime(2024, 1, 1, tzinfo=UTC)
    place = {"platform": "b", "space_ref": "s"}
    channel = {"id": 1, **place, "channel_ref": "c", "created_at": created}
    connection.execute(insert(channels), [{**channel, **settings_columns(ChannelSettings())}])
    people = [
        {"id": i, **place, "user_ref": f"u{i}", "display_name": f"member {i}"}
        for i in range(1, MEMBERS + 1)
    ]
    connection.execute(insert(members), people)


def _rounds(connection: Connection, days: int, bank: Catalogue) -> None:
    """One daily round a day up to the measured week's Sunday, whose round is still open."""
    drills = sorted(bank.drills.values(), key=lambda drill: drill.id)
    first_day = WEEK + timedelta(days=7 - days)
    rows = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        opened = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
        drill = drills[offset % len(drills)]
        rows.append(
            {
                "id": offset + 1,
                "claim_key": f"daily:1:{day}",
                "channel_id": 1,
                "mode": "daily",
                "local_date": day,
                "drill_id": drill.id,
                "drill_kind": drill.kind,
                "status": "open" if offset == days - 1 else "closed",
                "opened_at": opened,
                "closes_at": opened + timedelta(hours=24),
            }
        )
    connection.execute(insert(rounds), rows)


# Authors: the regulars, then the others, each about one day in fourteen:
# (round * 7919 + n * 104729) mod 9,700 is distinct for n < 9,700 (104729 and 9,700 are coprime).
_OTHERS = MEMBERS - REGULARS
_AUTHOR = (
    f"CASE WHEN n < {REGULARS} THEN n + 1 "
    f"ELSE {REGULARS} + (r.id * 7919 + n * 104729) % {_OTHERS} + 1 END"
)
_ANSWERS = f"""
INSERT INTO answers (id, round_id, member_id, late, text, withdrawn, created_at, updated_at)
SELECT (r.id - 1) * {ANSWERS_PER_ROUND} + n + 1, r.id, {_AUTHOR},
       false, 'an answer', false, r.opened_at, r.opened_at
FROM rounds r CROSS JOIN {{numbers}} ORDER BY 1
"""
_VOTE_COUNT = "(5 + (a.id * 7) % 11)"
# Voters: member + n * 997 is distinct for n < 15, so no one votes twice for an answer.
_VOTES = f"""
INSERT INTO votes (id, answer_id, voter_id, cast_at)
SELECT a.id * 16 + n, a.id, (a.member_id + n * 997 + a.round_id * 31) % {MEMBERS} + 1, a.created_at
FROM answers a CROSS JOIN {{numbers}} WHERE n < {_VOTE_COUNT} ORDER BY 1
"""
_SCORES = f"""
INSERT INTO round_scores
    (round_id, channel_id, member_id, local_date, answers, votes, bonus, reviews, reviewing, points)
SELECT a.round_id, 1, a.member_id, r.local_date, 1, {_VOTE_COUNT}, 0, 0, 0, 2 + {_VOTE_COUNT}
FROM answers a JOIN rounds r ON r.id = a.round_id WHERE r.status = 'closed' ORDER BY a.id
"""
_STREAK_LOG = """
INSERT INTO streak_events (channel_id, member_id, day, kind, count, created_at, seen)
SELECT 1, a.member_id, r.local_date, 'answered', 0, a.created_at, true
FROM answers a JOIN rounds r ON r.id = a.round_id ORDER BY a.id
"""
_STREAKS = """
INSERT INTO streaks (channel_id, member_id, current, longest, freezes, last_day)
SELECT 1, a.member_id, 1, 3, 0, max(r.local_date)
FROM answers a JOIN rounds r ON r.id = a.round_id GROUP BY a.member_id
"""
_COVERAGE = """
INSERT INTO answer_coverage (answer_id, member_id, covered, reviewers, majority)
SELECT id, member_id, '1,2', 2, 'senior' FROM answers WHERE id % 10 = 0
"""
_REVIEWS = f"""
INSERT INTO reviews (answer_id, round_id, reviewer_id, points, read, note, self_assessed,
                     created_at, updated_at)
SELECT a.id, a.round_id, (a.member_id + n) % {MEMBERS} + 1, '1,2', 'senior', NULL, false,
       a.created_at, a.created_at
FROM answers a CROSS JOIN {{numbers}} WHERE a.id % 10 = 0 ORDER BY a.id, n
"""


# Each statement with the count of numbers it draws on (0: none).
_STATEMENTS = (
    (_ANSWERS, ANSWERS_PER_ROUND),
    (_VOTES, 15),
    (_SCORES, 0),
    (_STREAK_LOG, 0),
    (_STREAKS, 0),
    (_COVERAGE, 0),
    (_REVIEWS, 2),
)


def _advance_sequences(connection: Connection) -> None:
    """Rows were given their ids; the id sequences move past them as if the app had written them."""
    for table in ("channels", "members", "rounds", "answers", "votes"):
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        )
