"""handled requests: a retried vote (same interaction or event id) is counted once

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 10:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handled_requests",
        sa.Column("request_key", sa.String(length=160), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("request_key", name=op.f("pk_handled_requests")),
    )


def downgrade() -> None:
    op.drop_table("handled_requests")
