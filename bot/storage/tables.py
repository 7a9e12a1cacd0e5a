"""The schema. Alembic migrations under ``migrations/`` create exactly this."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back aware datetimes (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _when(name: str, nullable: bool = False) -> Column[datetime]:
    return Column(name, UTCDateTime(), nullable=nullable)


channels = Table(
    "channels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("space_ref", String(64), nullable=False),
    Column("channel_ref", String(64), nullable=False),
    Column("post_time", String(5), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("days", String(7), nullable=False),
    Column("kinds", Text, nullable=False),
    Column("answer_window_minutes", Integer, nullable=False),
    Column("paused", Boolean, nullable=False),
    Column("weekly_day", Integer, nullable=False),
    Column("weekly_time", String(5), nullable=False),
    Column("min_answer_chars", Integer, nullable=False, server_default="80"),
    Column("show_reviewers", Boolean, nullable=False, server_default=false()),
    Column("blind", Boolean, nullable=False, server_default=false()),
    Column("review_window_minutes", Integer, nullable=False, server_default="720"),
    _when("next_post_at", nullable=True),
    _when("next_weekly_at", nullable=True),
    _when("created_at"),
    UniqueConstraint("platform", "space_ref", "channel_ref"),
    Index(None, "next_post_at"),
    Index(None, "next_weekly_at"),
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("space_ref", String(64), nullable=False),
    Column("user_ref", String(64), nullable=False),
    Column("display_name", String(100), nullable=False),
    UniqueConstraint("platform", "space_ref", "user_ref"),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_key", String(160), nullable=False, unique=True),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("mode", String(16), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("drill_id", String(64), nullable=False),
    Column("drill_kind", String(40), nullable=False),
    Column("status", String(16), nullable=False),
    Column("requested_by", ForeignKey("members.id"), nullable=True),
    _when("opened_at"),
    _when("closes_at"),
    _when("closed_at", nullable=True),
    _when("answers_close_at", nullable=True),  # blind rounds: answers are revealed at this time
    _when("revealed_at", nullable=True),
    Column("message_ref", String(128), nullable=True),
    Column("thread_ref", String(128), nullable=True),
    Index(None, "channel_id", "mode", "local_date"),
    Index(None, "status", "closes_at"),
    Index(None, "thread_ref"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("late", Boolean, nullable=False),
    Column("text", Text, nullable=False),
    Column("withdrawn", Boolean, nullable=False),
    _when("created_at"),
    _when("updated_at"),
    UniqueConstraint("round_id", "member_id", "late"),
    Index(None, "member_id", "created_at"),  # one member's answers, newest first (migration 0010)
)

answer_messages = Table(
    "answer_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("answer_id", ForeignKey("answers.id", ondelete="CASCADE"), nullable=False),
    Column("round_id", ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("message_ref", String(128), nullable=False),
    Column("text", Text, nullable=False),
    Column("deleted", Boolean, nullable=False),
    _when("posted_at"),
    UniqueConstraint("round_id", "message_ref"),
    Index(None, "answer_id"),
)

votes = Table(
    "votes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("answer_id", ForeignKey("answers.id", ondelete="CASCADE"), nullable=False),
    Column("voter_id", ForeignKey("members.id"), nullable=False),
    _when("cast_at"),
    UniqueConstraint("answer_id", "voter_id"),
)

# Facts a member asked the interviewer for (drill v2 ``facts``), one row per member, round and fact,
# so a review can credit the clarifying questions an answer was built on.
fact_requests = Table(
    "fact_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("fact_index", Integer, nullable=False),
    _when("asked_at"),
    UniqueConstraint("round_id", "member_id", "fact_index"),
)

# Rubric reviews, one row per reviewer and answer (never counters): the points ticked ("1,3,4"),
# the read (staff, senior, not yet) and a note. A member reviewing their own on-demand answer is
# a self-assessment.
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("answer_id", ForeignKey("answers.id", ondelete="CASCADE"), nullable=False),
    Column("round_id", ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("reviewer_id", ForeignKey("members.id"), nullable=False),
    Column("points", String(40), nullable=False),
    Column("read", String(8), nullable=False),
    Column("note", String(200), nullable=True),
    Column("self_assessed", Boolean, nullable=False),
    _when("created_at"),
    _when("updated_at"),
    UniqueConstraint("answer_id", "reviewer_id"),
    Index(None, "round_id"),
    Index(None, "reviewer_id"),
)

# Each reviewed answer's coverage, kept in step with its reviews so the profile reads one row per
# answer: the points at least half its reviewers ticked, how many peers reviewed it (0: only the
# author's self-review counts) and the peers' majority read.
answer_coverage = Table(
    "answer_coverage",
    metadata,
    Column("answer_id", ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("covered", String(40), nullable=False),
    Column("reviewers", Integer, nullable=False),
    Column("majority", String(8), nullable=True),
    Index(None, "member_id"),
)

round_scores = Table(
    "round_scores",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("answers", Integer, nullable=False),
    Column("votes", Integer, nullable=False),
    Column("bonus", Integer, nullable=False),
    Column("reviews", Integer, nullable=False, server_default="0"),  # peer reviews received
    Column("reviewing", Integer, nullable=False, server_default="0"),  # reviews given, paid
    Column("points", Integer, nullable=False),
    UniqueConstraint("round_id", "member_id"),
    Index(None, "channel_id", "local_date"),
    Index(None, "channel_id", "member_id", "local_date"),  # one member's days (migration 0010)
)

# Running sums of ``round_scores`` per member, by week (Monday of ``local_date``) and all time, so a
# leaderboard ranks one row per member instead of summing every round (migration 0010). Database
# triggers add each round_scores row as it is inserted, whoever inserts it (settling a round, an
# on-demand answer, an archive import). round_scores rows are never updated, and leave only with
# their channel, whose totals go with it.
_CARRIED = ["member_id", "answers", "votes"]  # what a ranking reads beside the points
weekly_totals = Table(
    "weekly_totals",
    metadata,
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True),
    Column("week_start", Date, primary_key=True),
    Column("member_id", ForeignKey("members.id"), primary_key=True),
    Column("points", Integer, nullable=False),
    Column("answers", Integer, nullable=False),
    Column("votes", Integer, nullable=False),
    # PostgreSQL reads a week's ranking from the index alone (migration 0011)
    Index(None, "channel_id", "week_start", "points", postgresql_include=_CARRIED),
)

all_time_totals = Table(
    "all_time_totals",
    metadata,
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("members.id"), primary_key=True),
    Column("points", Integer, nullable=False),
    Column("answers", Integer, nullable=False),
    Column("votes", Integer, nullable=False),
    Index(None, "channel_id", "points", postgresql_include=_CARRIED),
)

streaks = Table(
    "streaks",
    metadata,
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("members.id"), primary_key=True),
    Column("current", Integer, nullable=False),
    Column("longest", Integer, nullable=False),
    Column("freezes", Integer, nullable=False),
    Column("last_day", Date, nullable=True),
)

# Every change to a member's streak, in order: the audit log ``bot.core.streaks.replay`` reads.
# ``seen`` marks the changes the member has been told about (a freeze spent, a streak ended).
streak_events = Table(
    "streak_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("count", Integer, nullable=False),
    Column("reason", String(200), nullable=True),
    _when("created_at"),
    Column("seen", Boolean, nullable=False),
    Index(None, "channel_id", "member_id", "id"),
)

# Private notes waiting for a member (what a round earned them), shown on their next action.
member_notices = Table(
    "member_notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("text", String(500), nullable=False),
    _when("created_at"),
    Index(None, "channel_id", "member_id"),
)

# Days a member takes off (``streak rest 3d``): they neither break nor extend the streak.
rest_days = Table(
    "rest_days",
    metadata,
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("members.id"), primary_key=True),
    Column("day", Date, primary_key=True),
)

# Dates an admin declared free of drills (``admin holiday``).
holidays = Table(
    "holidays",
    metadata,
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_key", String(160), nullable=False, unique=True),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("round_id", ForeignKey("rounds.id", ondelete="CASCADE"), nullable=True),
    Column("kind", String(16), nullable=False),
    Column("week_start", Date, nullable=True),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    _when("next_attempt_at"),
    _when("lease_until", nullable=True),
    Column("last_error", Text, nullable=True),
    Column("message_ref", String(128), nullable=True),
    Column("thread_ref", String(128), nullable=True),
    _when("created_at"),
    _when("sent_at", nullable=True),
    Index(None, "status", "next_attempt_at"),
    Index(None, "channel_id", "sent_at"),
)

# What a ballot or notice post shows; other posts derive theirs from their round or week
# (migration 0006).
post_contents = Table(
    "post_contents",
    metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("answer_id", ForeignKey("answers.id", ondelete="CASCADE"), nullable=True),
    Column("body", Text, nullable=True),
)

# Faults only an admin can fix, one row per channel and kind (migration 0006). A row is live until
# a post in its channel is sent after ``last_seen``; ``notified_at`` says the admins were told.
channel_problems = Table(
    "channel_problems",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    _when("first_seen"),
    _when("last_seen"),
    _when("notified_at", nullable=True),
    UniqueConstraint("channel_id", "kind"),
)

# Requests that change state when repeated (a vote toggles), claimed by the platform's id for
# them (an interaction id, an event id) in the same transaction as the change.
handled_requests = Table(
    "handled_requests",
    metadata,
    Column("request_key", String(160), primary_key=True),
    _when("handled_at"),
)

custom_drills = Table(
    "custom_drills",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("drill_id", String(64), nullable=False),
    Column("body", Text, nullable=False),
    _when("created_at"),
    UniqueConstraint("channel_id", "drill_id"),
)


# ----- Slack adapter (migration 0002) ------------------------------------------------------------

# Events API deliveries already handled, claimed by event_id before handling so a retry
# (X-Slack-Retry-Num, or Socket Mode's retry_attempt) is acknowledged and dropped.
slack_events = Table(
    "slack_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(64), nullable=False),
    Column("team_id", String(32), nullable=True),
    _when("received_at"),
    UniqueConstraint("event_id"),
    Index(None, "received_at"),
)

# The tables slack_sdk's AsyncSQLAlchemyInstallationStore and AsyncSQLAlchemyOAuthStateStore
# read and write (multi-workspace OAuth), with the same columns; their datetimes are naive UTC.
slack_installations = Table(
    "slack_installations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False),
    Index(
        "slack_installations_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)

slack_bots = Table(
    "slack_bots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, nullable=False),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    "slack_oauth_states",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)


# ----- Connection states (migration 0006) ------------------------------------------------------

# Each platform's gateway or socket state as its runtime last reported it (``drillbot status``).
connections = Table(
    "connections",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("detail", Text, nullable=True),
    _when("changed_at"),
)


# ----- Gateway IDENTIFY turns (migration 0009) -------------------------------------------------

# When a process sharing the database last IDENTIFYed on Discord's gateway, per concurrency bucket
# (shard id % max_concurrency): the next one waits its turn (PostgreSQL only, under an advisory lock).
identify_turns = Table(
    "identify_turns",
    metadata,
    Column("bucket", Integer, primary_key=True, autoincrement=False),
    _when("identified_at"),
)
