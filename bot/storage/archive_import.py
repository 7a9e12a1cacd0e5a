"""Reading an export back into a database (``drillbot import-export`` and the round-trip test).

Rows are read a line at a time and members matched by their platform user id, so an export taken
from one database recreates the channel's rounds, answers, votes, scores and streak history in
another; standings, computed from the scores, come out the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.core.archive import read_rows
from bot.core.model import Actor, ChannelSettings
from bot.storage.tables import answers, reviews, round_scores, rounds, streak_events, votes
from bot.storage.uow import UnitOfWork

Row = dict[str, Any]


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value not in (None, "") else None


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value not in (None, "") else None


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in {"true", "1"}


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


class _Importer:
    def __init__(self, uow: UnitOfWork, folder: Path, channel_id: int, actor: Callable[..., Actor]):
        self.uow, self.folder, self.channel_id, self.actor = uow, folder, channel_id, actor
        self.suffix = ".json" if (folder / "rounds.json").exists() else ".csv"
        self.members: dict[str, int] = {}
        self.rounds: dict[str, int] = {}
        self.answers: dict[str, int] = {}

    def rows(self, name: str) -> Iterator[Row]:
        path = self.folder / f"{name}{self.suffix}"
        return read_rows(path) if path.exists() else iter(())

    def member(self, user_ref: Any, name: Any) -> int:
        key = str(user_ref)
        if key not in self.members:
            self.members[key] = self.uow.members.ensure(self.actor(key, str(name)))
        return self.members[key]

    def insert(self, table: Any, values: Row) -> int:
        result = self.uow.connection.execute(insert(table).returning(table.c.id), values)
        return int(result.scalar_one())

    def round_(self, row: Row) -> None:
        values = dict(
            claim_key=f"import:{self.channel_id}:{row['round_id']}",
            channel_id=self.channel_id,
            mode=row["mode"],
            local_date=_day(row["local_date"]),
            drill_id=row["drill_id"],
            drill_kind=row["drill_kind"],
            status=row["status"],
            opened_at=_when(row["opened_at"]),
            closes_at=_when(row["closes_at"]),
            closed_at=_when(row["closed_at"]),
        )
        self.rounds[str(row["round_id"])] = self.insert(rounds, values)

    def answer(self, row: Row) -> None:
        values = dict(
            round_id=self.rounds[str(row["round_id"])],
            member_id=self.member(row["user_ref"], row["display_name"]),
            late=_flag(row["late"]),
            withdrawn=_flag(row["withdrawn"]),
            text=str(row["text"] or ""),
            created_at=_when(row["created_at"]),
            updated_at=_when(row["updated_at"]),
        )
        self.answers[str(row["answer_id"])] = self.insert(answers, values)

    def vote(self, row: Row) -> None:
        values = dict(
            answer_id=self.answers[str(row["answer_id"])],
            voter_id=self.member(row["voter_ref"], row["voter_name"]),
            cast_at=_when(row["cast_at"]),
        )
        self.insert(votes, values)

    def review(self, row: Row) -> None:
        answer_id = self.answers[str(row["answer_id"])]
        values = dict(
            answer_id=answer_id,
            round_id=self.uow.answers.round_of(answer_id),
            reviewer_id=self.member(row["reviewer_ref"], row["reviewer_name"]),
            points=str(row["points"] or ""),
            read=str(row["read"]),
            note=_text(row["note"]),
            self_assessed=_flag(row["self_assessed"]),
            created_at=_when(row["created_at"]),
            updated_at=_when(row["updated_at"]),
        )
        self.insert(reviews, values)
        self.uow.reviews.refresh_coverage(answer_id)

    def score(self, row: Row) -> None:
        # Exports made before reviews existed have no review columns: they count as 0.
        keys = ("answers", "votes", "bonus", "reviews", "reviewing", "points")
        numbers = {key: int(row.get(key) or 0) for key in keys}
        values = dict(
            round_id=self.rounds[str(row["round_id"])],
            channel_id=self.channel_id,
            member_id=self.member(row["user_ref"], row["display_name"]),
            local_date=_day(row["local_date"]),
            **numbers,
        )
        self.insert(round_scores, values)

    def streak_event(self, row: Row) -> None:
        values = dict(
            channel_id=self.channel_id,
            member_id=self.member(row["user_ref"], row["display_name"]),
            day=_day(row["day"]),
            kind=row["kind"],
            count=int(row["count"]),
            reason=_text(row["reason"]),
            created_at=_when(row["created_at"]),
            seen=True,
        )
        self.insert(streak_events, values)


def import_export(
    uow: UnitOfWork, folder: Path, platform: str, space_ref: str, channel_ref: str, now: datetime
) -> dict[str, int]:
    """Import the export in ``folder`` into the channel (registered with default settings if
    new); the number of rows read per file. The caller commits."""
    uow.channels.add(platform, space_ref, channel_ref, ChannelSettings(), now)
    channel = uow.channels.find(platform, space_ref, channel_ref)
    assert channel is not None

    def actor(user_ref: str, name: str) -> Actor:
        return Actor(platform, space_ref, user_ref, name)

    importer = _Importer(uow, folder, channel.id, actor)
    steps = {
        "rounds": importer.round_,
        "answers": importer.answer,
        "votes": importer.vote,
        "reviews": importer.review,
        "scores": importer.score,
        "streak_events": importer.streak_event,
    }
    counts = {}
    for name, step in steps.items():
        counts[name] = sum(1 for row in importer.rows(name) if step(row) is None)
    return counts
