"""covering totals: leaderboard indexes carry the columns a ranking reads (PostgreSQL)

A week's totals rows are rewritten by every round's scores, so on PostgreSQL their current versions
end up scattered over the table as the history grows: reading one week's rows for the ranking
touched a heap page per member (4,500 rows, 2,460 pages, 4.5 ms at 10 M votes). With the member,
answers and votes INCLUDEd in the ranking index, the week is read from the index alone. SQLite has
no INCLUDE, and its leaderboard stays flat without it: nothing changes there.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 19:40:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_RANKED = {
    "weekly_totals": ["channel_id", "week_start", "points"],
    "all_time_totals": ["channel_id", "points"],
}
_CARRIED = ["member_id", "answers", "votes"]


def upgrade() -> None:
    _rebuild(include=_CARRIED)


def downgrade() -> None:
    _rebuild(include=None)


def _rebuild(include: list[str] | None) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in _RANKED.items():
        name = op.f(f"ix_{table}_{'_'.join(columns)}")
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, postgresql_include=include or [])
