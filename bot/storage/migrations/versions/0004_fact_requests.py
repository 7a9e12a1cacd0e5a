"""fact requests: which facts of a drill each member asked the interviewer for

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fact_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("fact_index", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_fact_requests_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_fact_requests_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_requests")),
        sa.UniqueConstraint(
            "round_id",
            "member_id",
            "fact_index",
            name=op.f("uq_fact_requests_round_id_member_id_fact_index"),
        ),
    )


def downgrade() -> None:
    op.drop_table("fact_requests")
