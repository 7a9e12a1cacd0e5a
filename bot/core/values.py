"""Parsing admin values. Each parser returns the value or raises ``ValueError`` with a clear message."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.model import WEEKDAYS

_DURATION = re.compile(r"^(?:(\d{1,5})d)?(?:(\d{1,5})h)?(?:(\d{1,6})m)?$", re.ASCII)
MIN_WINDOW = timedelta(minutes=10)
MAX_WINDOW = timedelta(days=7)


def parse_time(text: str) -> time:
    """``HH:MM`` on a 24-hour clock."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip(), re.ASCII)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(
            f"'{text}' is not a time; use HH:MM on a 24-hour clock, like 09:00 or 18:30."
        )
    return time(int(match[1]), int(match[2]))


def parse_timezone(text: str) -> str:
    """An IANA zone name such as Europe/Berlin."""
    name = text.strip()
    if name.upper() == "UTC":
        return "UTC"
    try:
        if "/" not in name or name not in available_timezones():
            raise ZoneInfoNotFoundError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{text}' is not a time zone I know; use an IANA name like Europe/Berlin or America/New_York."
        ) from None
    return name


def parse_days(text: str) -> frozenset[int]:
    """``daily``, ``weekdays``, ``weekends``, or names and ranges such as ``mon-fri`` or ``mon,wed,fri``."""
    word = text.strip().lower()
    presets = {"daily": range(7), "every": range(7), "weekdays": range(5), "weekends": range(5, 7)}
    if word in presets:
        return frozenset(presets[word])
    days: set[int] = set()
    for part in filter(None, re.split(r"[,\s]+", word)):
        days.update(_day_range(part, text))
    if not days:
        raise ValueError("Give at least one day, like mon-fri or daily.")
    return frozenset(days)


def _day_range(part: str, original: str) -> range:
    ends = part.split("-")
    try:
        first, last = _weekday(ends[0]), _weekday(ends[-1])
    except ValueError:
        raise ValueError(
            f"'{original}' is not a list of days; use names like mon,wed,fri or mon-fri."
        ) from None
    if len(ends) > 2 or last < first:
        raise ValueError(f"'{part}' is not a day range; ranges run forward, like mon-fri.")
    return range(first, last + 1)


_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(word: str) -> int:
    """``mon`` or ``monday`` (not ``monkey``)."""
    if word in WEEKDAYS:
        return WEEKDAYS.index(word)
    return _FULL_NAMES.index(word)


def parse_day(text: str) -> int:
    days = parse_days(text)
    if len(days) != 1:
        raise ValueError(f"'{text}' must be one day, like mon.")
    return next(iter(days))


def parse_kinds(text: str, known: Collection[str]) -> tuple[str, ...]:
    """A comma-separated list of known kinds, or ``all`` (an empty tuple)."""
    if text.strip().lower() == "all":
        return ()
    kinds = tuple(dict.fromkeys(k for k in re.split(r"[,\s]+", text.strip().lower()) if k))
    if not kinds:
        raise ValueError(f"Give at least one kind, or 'all'. Kinds: {', '.join(sorted(known))}.")
    unknown = [kind for kind in kinds if kind not in known]
    if unknown:
        raise ValueError(
            f"Unknown kind(s): {', '.join(unknown)}. Kinds: {', '.join(sorted(known))}."
        )
    return kinds


def parse_window(text: str) -> timedelta:
    """A duration such as ``24h``, ``90m``, ``1d12h`` or a bare number of hours."""
    word = text.strip().lower()
    if word.isascii() and word.isdigit():
        window = timedelta(hours=int(word[:6])) if len(word) <= 6 else MAX_WINDOW * 2
    else:
        match = _DURATION.fullmatch(word)
        if not word or not match:
            raise ValueError(f"'{text}' is not a duration; use forms like 24h, 90m or 1d12h.")
        days, hours, minutes = (int(part or 0) for part in match.groups())
        window = timedelta(days=days, hours=hours, minutes=minutes)
    if not MIN_WINDOW <= window <= MAX_WINDOW:
        raise ValueError("The answer window must be between 10 minutes and 7 days.")
    return window


MAX_ANSWER_NUMBER = 1_000_000_000


def parse_answer_number(text: str) -> int:
    """An answer's number as a member types it (``12`` or ``#12``): ASCII digits, in range."""
    return _number(
        text,
        f"'{text[:20]}' is not an answer number; use 'vote N', like 'vote 2'.",
        "That answer number is out of range; use the number shown in the thread.",
    )


def parse_round_number(text: str) -> int:
    """A drill round's number as a button carries it: ASCII digits, in range."""
    return _number(
        text,
        f"'{text[:20]}' is not a drill's number.",
        "That drill is not one of Drillbot's; use the buttons on a current drill.",
    )


def _number(text: str, not_a_number: str, out_of_range: str) -> int:
    """A positive number of ASCII digits (``#12`` too) that fits the database's ids."""
    word = text.strip().removeprefix("#")
    if not (word.isascii() and word.isdigit()):
        raise ValueError(not_a_number)
    number = int(word[:12])
    if not 1 <= number <= MAX_ANSWER_NUMBER or len(word) > 12:
        raise ValueError(out_of_range)
    return number


MAX_HOLIDAY_SPAN = 60
MIN_ANSWER_CHARS = (0, 2000)


def parse_date_range(text: str) -> list[date]:
    """``2026-12-24`` or ``2026-12-24..2026-12-26``: every date in the range, at most 60."""
    first_text, _, last_text = text.strip().partition("..")
    try:
        first = date.fromisoformat(first_text.strip())
        last = date.fromisoformat(last_text.strip()) if last_text else first
    except ValueError:
        raise ValueError(
            f"'{text[:40]}' is not a date or range; use 2026-12-24 or 2026-12-24..2026-12-26."
        ) from None
    if not first <= last <= first + timedelta(days=MAX_HOLIDAY_SPAN - 1):
        raise ValueError(f"A range runs forwards and spans at most {MAX_HOLIDAY_SPAN} days.")
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def parse_min_length(text: str) -> int:
    """The shortest answer that earns points, in characters."""
    word = text.strip()
    low, high = MIN_ANSWER_CHARS
    if not (word.isascii() and word.isdigit()) or not low <= int(word[:6]) <= high:
        raise ValueError(f"Use a number of characters from {low} to {high}, like 80.")
    return int(word)


VISIBILITY = {"public": True, "on": True, "private": False, "off": False}


def parse_visibility(text: str) -> bool:
    """``public``/``on`` or ``private``/``off``."""
    found = VISIBILITY.get(text.strip().lower())
    if found is None:
        raise ValueError("Use public (results name who ticked what) or private (shares only).")
    return found


SWITCH = {"on": True, "yes": True, "off": False, "no": False}


def parse_switch(text: str) -> bool:
    found = SWITCH.get(text.strip().lower())
    if found is None:
        raise ValueError("Use on or off.")
    return found
