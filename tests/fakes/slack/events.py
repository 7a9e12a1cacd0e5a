"""Builders for the inner ``event`` of an Events API ``event_callback``."""

from __future__ import annotations

from tests.fakes.slack import defaults
from tests.fakes.slack.models import JSON
from tests.fakes.slack.templates import new_client_msg_id, new_ts, rich_text, template


def message_event(
    text: str,
    *,
    user: str = defaults.USER_ID,
    channel: str = defaults.CHANNEL_ID,
    ts: str | None = None,
    thread_ts: str | None = None,
    parent_user_id: str | None = None,
    channel_type: str = "channel",
    team: str = defaults.TEAM_ID,
) -> JSON:
    """A person's message; with ``thread_ts`` it is a reply in that thread."""
    event = template("message")
    ts = ts or new_ts()
    event.update(
        text=text,
        user=user,
        channel=channel,
        ts=ts,
        event_ts=ts,
        team=team,
        channel_type=channel_type,
        blocks=rich_text(text),
        client_msg_id=new_client_msg_id(),
    )
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
        event["parent_user_id"] = parent_user_id or user
    return event


def message_changed_event(
    *,
    ts: str,
    text: str,
    previous_text: str,
    user: str = defaults.USER_ID,
    channel: str = defaults.CHANNEL_ID,
    thread_ts: str | None = None,
) -> JSON:
    """``message_changed``: the message at ``ts`` was edited from ``previous_text`` to ``text``."""
    event = template("message_changed")
    event_ts = new_ts()
    event.update(channel=channel, ts=event_ts, event_ts=event_ts)
    edited = {"user": user, "ts": event_ts}
    event["message"].update(text=text, user=user, ts=ts, blocks=rich_text(text), edited=edited)
    event["previous_message"].update(
        text=previous_text, user=user, ts=ts, blocks=rich_text(previous_text)
    )
    if thread_ts is not None:
        for part in (event["message"], event["previous_message"]):
            part.update(thread_ts=thread_ts, parent_user_id=user)
    return event


def message_deleted_event(
    *,
    deleted_ts: str,
    previous_text: str = "",
    user: str = defaults.USER_ID,
    channel: str = defaults.CHANNEL_ID,
) -> JSON:
    """``message_deleted``: the message at ``deleted_ts`` was removed."""
    event = template("message_deleted")
    event_ts = new_ts()
    event.update(channel=channel, deleted_ts=deleted_ts, ts=event_ts, event_ts=event_ts)
    event["previous_message"].update(text=previous_text, user=user, ts=deleted_ts)
    return event


def app_home_opened_event(
    *,
    user: str = defaults.USER_ID,
    channel: str = "D0FAKEDM01",
    tab: str = "home",
    view: JSON | None = None,
) -> JSON:
    """``app_home_opened``; ``view`` is the published home view, absent on first open."""
    event = template("app_home_opened")
    event.update(user=user, channel=channel, tab=tab, event_ts=new_ts())
    if view is None:
        del event["view"]
    else:
        event["view"] = view
    return event
