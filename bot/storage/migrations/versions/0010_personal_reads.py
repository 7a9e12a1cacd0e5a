"""personal reads: one member's answers and days by index; weekly and all-time totals per member

``answers`` gets an index on (member_id, created_at) for a member's history (App Home, profile);
round_scores' (channel_id, member_id) index grows a local_date so one member's days are a range.
``weekly_totals`` and ``all_time_totals`` keep running sums of round_scores per member, filled from
the rows already there and kept up by a trigger on every insert, so a leaderboard ranks one row
per member however long the channel's history is.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 16:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_SUMS = ("points", "answers", "votes")
_WEEK_START = {  # the Monday of local_date's week
    "sqlite": "date(local_date, '-6 days', 'weekday 1')",
    "postgresql": "local_date - (extract(isodow FROM local_date)::integer - 1)",
}


def upgrade() -> None:
    op.create_index(op.f("ix_answers_member_id_created_at"), "answers", ["member_id", "created_at"])
    op.create_index(
        op.f("ix_round_scores_channel_id_member_id_local_date"),
        "round_scores",
        ["channel_id", "member_id", "local_date"],
    )
    op.drop_index(op.f("ix_round_scores_channel_id_member_id"), table_name="round_scores")
    _create_totals("weekly_totals", "week_start")
    _create_totals("all_time_totals", None)
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":  # no round_scores row may land between the backfill and the trigger
        op.execute("LOCK TABLE round_scores IN SHARE ROW EXCLUSIVE MODE")
    _backfill(dialect)
    for statement in _TRIGGER[dialect]:
        op.execute(statement)
    if dialect == "postgresql":  # plan with the backfilled sizes, not an empty table's guesses
        op.execute("ANALYZE weekly_totals, all_time_totals")


def _create_totals(name: str, week_column: str | None) -> None:
    keys = ["channel_id", *([week_column] if week_column else []), "member_id"]
    op.create_table(
        name,
        sa.Column("channel_id", sa.Integer(), nullable=False),
        *([sa.Column(week_column, sa.Date(), nullable=False)] if week_column else []),
        sa.Column("member_id", sa.Integer(), nullable=False),
        *(sa.Column(column, sa.Integer(), nullable=False) for column in _SUMS),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f(f"fk_{name}_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f(f"fk_{name}_member_id_members")
        ),
        sa.PrimaryKeyConstraint(*keys, name=op.f(f"pk_{name}")),
    )
    ranked = [*keys[:-1], "points"]
    op.create_index(op.f(f"ix_{name}_{'_'.join(ranked)}"), name, ranked)


def _backfill(dialect: str) -> None:
    """Sums of the rows already there, written week by week as the trigger would have: a week's
    rows stay together on disk (PostgreSQL keeps rows in the order they were written)."""
    week = _WEEK_START[dialect]
    op.execute(
        "INSERT INTO weekly_totals (channel_id, week_start, member_id, points, answers, votes) "
        f"SELECT channel_id, {week}, member_id, sum(points), sum(answers), sum(votes) "
        f"FROM round_scores GROUP BY channel_id, {week}, member_id ORDER BY 2, 1, 3"
    )
    op.execute(
        "INSERT INTO all_time_totals (channel_id, member_id, points, answers, votes) "
        "SELECT channel_id, member_id, sum(points), sum(answers), sum(votes) "
        "FROM round_scores GROUP BY channel_id, member_id ORDER BY 1, 2"
    )


_ADDED = "points = points + excluded.points, answers = answers + excluded.answers, "
_ADDED += "votes = votes + excluded.votes"
_SQLITE_TRIGGER = f"""
CREATE TRIGGER round_scores_add_to_totals AFTER INSERT ON round_scores
BEGIN
  INSERT INTO weekly_totals (channel_id, week_start, member_id, points, answers, votes)
  VALUES (NEW.channel_id, date(NEW.local_date, '-6 days', 'weekday 1'), NEW.member_id,
          NEW.points, NEW.answers, NEW.votes)
  ON CONFLICT (channel_id, week_start, member_id) DO UPDATE SET {_ADDED};
  INSERT INTO all_time_totals (channel_id, member_id, points, answers, votes)
  VALUES (NEW.channel_id, NEW.member_id, NEW.points, NEW.answers, NEW.votes)
  ON CONFLICT (channel_id, member_id) DO UPDATE SET {_ADDED};
END
"""
# Once per statement over the rows it inserted (a round's scores come in one statement).
_POSTGRES_ADDED = ", ".join(f"{column} = t.{column} + excluded.{column}" for column in _SUMS)
_POSTGRES_TRIGGER = (
    f"""
CREATE FUNCTION round_scores_add_to_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO weekly_totals AS t (channel_id, week_start, member_id, points, answers, votes)
  SELECT channel_id, {_WEEK_START["postgresql"]}, member_id, sum(points), sum(answers), sum(votes)
  FROM inserted GROUP BY 1, 2, 3
  ON CONFLICT (channel_id, week_start, member_id) DO UPDATE SET {_POSTGRES_ADDED};
  INSERT INTO all_time_totals AS t (channel_id, member_id, points, answers, votes)
  SELECT channel_id, member_id, sum(points), sum(answers), sum(votes)
  FROM inserted GROUP BY 1, 2
  ON CONFLICT (channel_id, member_id) DO UPDATE SET {_POSTGRES_ADDED};
  RETURN NULL;
END
$$
""",
    """
CREATE TRIGGER round_scores_add_to_totals AFTER INSERT ON round_scores
REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT
EXECUTE FUNCTION round_scores_add_to_totals()
""",
)

_TRIGGER = {"sqlite": (_SQLITE_TRIGGER,), "postgresql": _POSTGRES_TRIGGER}


def downgrade() -> None:
    op.execute("DROP TRIGGER round_scores_add_to_totals" + _ON_TABLE[op.get_bind().dialect.name])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION round_scores_add_to_totals()")
    for name in ("all_time_totals", "weekly_totals"):
        op.drop_table(name)
    op.create_index(
        op.f("ix_round_scores_channel_id_member_id"), "round_scores", ["channel_id", "member_id"]
    )
    op.drop_index(
        op.f("ix_round_scores_channel_id_member_id_local_date"), table_name="round_scores"
    )
    op.drop_index(op.f("ix_answers_member_id_created_at"), table_name="answers")


_ON_TABLE = {"sqlite": "", "postgresql": " ON round_scores"}
