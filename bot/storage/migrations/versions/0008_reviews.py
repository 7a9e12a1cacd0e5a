"""reviews: rubric reviews as rows, review points in settled scores, whether a channel shows who
ticked what, and blind rounds (answers revealed together, then a review window)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 13:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.String(length=40), nullable=False),
        sa.Column("read", sa.String(length=8), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("self_assessed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answers.id"],
            name=op.f("fk_reviews_answer_id_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_reviews_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["members.id"], name=op.f("fk_reviews_reviewer_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint(
            "answer_id", "reviewer_id", name=op.f("uq_reviews_answer_id_reviewer_id")
        ),
    )
    op.create_table(
        "answer_coverage",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("covered", sa.String(length=40), nullable=False),
        sa.Column("reviewers", sa.Integer(), nullable=False),
        sa.Column("majority", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answers.id"],
            name=op.f("fk_answer_coverage_answer_id_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_answer_coverage_member_id_members")
        ),
        sa.PrimaryKeyConstraint("answer_id", name=op.f("pk_answer_coverage")),
    )
    op.create_index(op.f("ix_answer_coverage_member_id"), "answer_coverage", ["member_id"])
    op.create_index(op.f("ix_reviews_round_id"), "reviews", ["round_id"])
    op.create_index(op.f("ix_reviews_reviewer_id"), "reviews", ["reviewer_id"])
    # Plain ADD COLUMN: a batch copy of a table would, on SQLite, cascade-delete its children.
    op.add_column(
        "round_scores", sa.Column("reviews", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "round_scores", sa.Column("reviewing", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "channels",
        sa.Column("show_reviewers", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "channels", sa.Column("blind", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "channels",
        sa.Column("review_window_minutes", sa.Integer(), nullable=False, server_default="720"),
    )
    op.add_column("rounds", sa.Column("answers_close_at", sa.DateTime(timezone=True)))
    op.add_column("rounds", sa.Column("revealed_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("revealed_at")
        batch.drop_column("answers_close_at")
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("review_window_minutes")
        batch.drop_column("blind")
        batch.drop_column("show_reviewers")
    with op.batch_alter_table("round_scores") as batch:
        batch.drop_column("reviewing")
        batch.drop_column("reviews")
    op.drop_index(op.f("ix_answer_coverage_member_id"), table_name="answer_coverage")
    op.drop_table("answer_coverage")
    op.drop_index(op.f("ix_reviews_reviewer_id"), table_name="reviews")
    op.drop_index(op.f("ix_reviews_round_id"), table_name="reviews")
    op.drop_table("reviews")
