"""drill-day streaks: streak events, rest days, holidays, a minimum answer length; streaks recomputed

Streaks used to count calendar days; they now count the channel's drill days (days a daily drill
was posted). Every existing streak is recomputed from the answers already stored, and its history
is written to the new event log, so the kept state and the log agree from the start.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 10:00:00.000000
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

from bot.core.streaks import StreakState, missed_between, record_day
from bot.storage.tables import UTCDateTime

_EVENTS = sa.table(
    "streak_events",
    *(sa.column(name, sa.Integer()) for name in ("channel_id", "member_id", "count")),
    sa.column("day", sa.Date()),
    sa.column("kind", sa.String()),
    sa.column("reason", sa.String()),
    sa.column("created_at", UTCDateTime()),
    sa.column("seen", sa.Boolean()),
)
_STREAKS = sa.table(
    "streaks",
    *(
        sa.column(n, sa.Integer())
        for n in ("channel_id", "member_id", "current", "longest", "freezes")
    ),
    sa.column("last_day", sa.Date()),
)

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _create_tables()
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("min_answer_chars", sa.Integer(), server_default="80", nullable=False)
        )
    _recompute_streaks(op.get_bind())


def _create_tables() -> None:
    op.create_table(
        "streak_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen", sa.Boolean(), nullable=False),
        _fk("streak_events", "channel_id", "channels", cascade=True),
        _fk("streak_events", "member_id", "members"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_streak_events")),
    )
    op.create_index(
        op.f("ix_streak_events_channel_id_member_id_id"),
        "streak_events",
        ["channel_id", "member_id", "id"],
    )
    op.create_table(
        "member_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("member_notices", "channel_id", "channels", cascade=True),
        _fk("member_notices", "member_id", "members"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_notices")),
    )
    op.create_index(
        op.f("ix_member_notices_channel_id_member_id"),
        "member_notices",
        ["channel_id", "member_id"],
    )
    op.create_table(
        "rest_days",
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _fk("rest_days", "channel_id", "channels", cascade=True),
        _fk("rest_days", "member_id", "members"),
        sa.PrimaryKeyConstraint("channel_id", "member_id", "day", name=op.f("pk_rest_days")),
    )
    op.create_table(
        "holidays",
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _fk("holidays", "channel_id", "channels", cascade=True),
        sa.PrimaryKeyConstraint("channel_id", "day", name=op.f("pk_holidays")),
    )


def _fk(table: str, column: str, target: str, cascade: bool = False) -> sa.ForeignKeyConstraint:
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=name, ondelete="CASCADE" if cascade else None
    )


def _recompute_streaks(bind: sa.Connection) -> None:
    """Replay every member's answered drill days through the drill-day rules."""
    drill_days = defaultdict(list)
    for channel_id, day in bind.execute(
        sa.text(
            "SELECT channel_id, local_date FROM rounds WHERE mode = 'daily' "
            "AND status != 'skipped' ORDER BY local_date"
        )
    ):
        drill_days[channel_id].append(_day(day))
    answered = defaultdict(set)
    for channel_id, member_id, day in bind.execute(
        sa.text(
            "SELECT r.channel_id, a.member_id, r.local_date FROM answers a "
            "JOIN rounds r ON r.id = a.round_id WHERE a.withdrawn = :no"
        ),
        {"no": False},
    ):
        answered[(channel_id, member_id)].add(_day(day))
    longest = dict(
        ((c, m), n)
        for c, m, n in bind.execute(sa.text("SELECT channel_id, member_id, longest FROM streaks"))
    )
    bind.execute(sa.text("DELETE FROM streaks"))
    for key, days in answered.items():
        _write(bind, key, drill_days[key[0]], days, longest.get(key, 0))


def _write(
    bind: sa.Connection,
    key: tuple[int, int],
    calendar: list[date],
    days: set[date],
    longest: int,
) -> None:
    channel_id, member_id = key
    state, events = StreakState(), []
    for day in sorted(set(calendar) & days):
        state, changes = record_day(state, day, missed_between(calendar, (), state.last_day, day))
        events += [
            {
                "channel_id": channel_id,
                "member_id": member_id,
                "day": change.day,
                "kind": change.kind.value,
                "count": change.count,
                "seen": True,
                "reason": "recomputed by migration 0005",
                "created_at": datetime.now(UTC),
            }
            for change in changes
        ]
    if events:
        bind.execute(sa.insert(_EVENTS), events)
    row = {
        "channel_id": channel_id,
        "member_id": member_id,
        "current": state.current,
        "longest": max(longest, state.longest),
        "freezes": state.freezes,
        "last_day": state.last_day,
    }
    bind.execute(sa.insert(_STREAKS), [row])


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def downgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_column("min_answer_chars")
    op.drop_table("holidays")
    op.drop_index(op.f("ix_member_notices_channel_id_member_id"), table_name="member_notices")
    op.drop_table("member_notices")
    op.drop_table("rest_days")
    op.drop_index(op.f("ix_streak_events_channel_id_member_id_id"), table_name="streak_events")
    op.drop_table("streak_events")
