"""identify_turns: when a process sharing the database last IDENTIFYed on Discord's gateway, per
concurrency bucket, so processes running different shards take turns

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identify_turns",
        sa.Column("bucket", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("identified_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bucket", name=op.f("pk_identify_turns")),
    )


def downgrade() -> None:
    op.drop_table("identify_turns")
