"""How each admin setting's value changes a channel's settings: the ``Change`` functions the
command table's settings use. Each raises ``ValueError`` with a message for a bad value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.core import values
from bot.core.model import ChannelSettings
from bot.core.services.admin import Change
from drills import Catalogue


def plain(change: Callable[[ChannelSettings, str], ChannelSettings]) -> Change:
    """A setting whose value needs no catalogue to parse."""
    return lambda settings, value, _catalogue: change(settings, value)


def post_time(s: ChannelSettings, v: str) -> ChannelSettings:
    return replace(s, post_time=values.parse_time(v))


def timezone(s: ChannelSettings, v: str) -> ChannelSettings:
    return replace(s, timezone=values.parse_timezone(v))


def days(s: ChannelSettings, v: str) -> ChannelSettings:
    return replace(s, days=values.parse_days(v))


def kinds(s: ChannelSettings, v: str, catalogue: Catalogue) -> ChannelSettings:
    return replace(s, kinds=values.parse_kinds(v, catalogue.kinds()))


def window(s: ChannelSettings, v: str) -> ChannelSettings:
    return replace(s, answer_window=values.parse_window(v))


def weekly_day(s: ChannelSettings, v: str) -> ChannelSettings:
    return replace(s, weekly_day=values.parse_day(v))


def min_length(s: ChannelSettings, v: str) -> ChannelSettings:
    return replace(s, min_answer_chars=values.parse_min_length(v))


def weekly_time(s: ChannelSettings, v: str) -> ChannelSettings:
    return replace(s, weekly_time=values.parse_time(v))


def show_reviewers(s: ChannelSettings, v: str) -> ChannelSettings:
    return replace(s, show_reviewers=values.parse_visibility(v))


def blind(s: ChannelSettings, v: str) -> ChannelSettings:
    return replace(s, blind=values.parse_switch(v))


def review_window(s: ChannelSettings, v: str) -> ChannelSettings:
    return replace(s, review_window=values.parse_window(v))
