"""Admin value parsers: what they accept and how they refuse."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.values import (
    parse_day,
    parse_days,
    parse_kinds,
    parse_round_number,
    parse_time,
    parse_timezone,
    parse_window,
)

KINDS = ("live-debugging", "migration-review", "design-warmup")

# --- parse_time ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9, 0)),
        ("9:00", time(9, 0)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        (" 18:30 ", time(18, 30)),
    ],
)
def test_parse_time_valid(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text", ["25:00", "24:00", "12:60", "9", "", "noon", "9:5", "09:00:00", "-1:00", "9.30"]
)
def test_parse_time_invalid(text: str) -> None:
    with pytest.raises(ValueError, match="24-hour clock") as caught:
        parse_time(text)
    assert f"'{text}'" in str(caught.value)
    assert "HH:MM" in str(caught.value)


@given(st.integers(0, 23), st.integers(0, 59))
def test_parse_time_round_trips(hour: int, minute: int) -> None:
    assert parse_time(f"{hour:02d}:{minute:02d}") == time(hour, minute)
    assert parse_time(f"{hour}:{minute:02d}") == time(hour, minute)


# --- parse_timezone -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        (" America/New_York ", "America/New_York"),
        ("Pacific/Tongatapu", "Pacific/Tongatapu"),
        ("Australia/Lord_Howe", "Australia/Lord_Howe"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
    ],
)
def test_parse_timezone_valid(text: str, expected: str) -> None:
    assert parse_timezone(text) == expected


@pytest.mark.parametrize(
    "text", ["Mars/Olympus", "", "Berlin", "EST", "europe/berlin", "../etc/passwd", "Europe/"]
)
def test_parse_timezone_invalid(text: str) -> None:
    with pytest.raises(ValueError, match="IANA name like Europe/Berlin") as caught:
        parse_timezone(text)
    assert f"'{text}'" in str(caught.value)


# --- parse_days / parse_day ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("daily", set(range(7))),
        ("every", set(range(7))),
        ("Weekdays", {0, 1, 2, 3, 4}),
        ("weekends", {5, 6}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("mon,wed,fri", {0, 2, 4}),
        ("mon wed  fri", {0, 2, 4}),
        ("tue", {1}),
        ("Monday, Thursday", {0, 3}),
        ("sat-sun", {5, 6}),
        ("mon-tue,thu-fri", {0, 1, 3, 4}),
        ("sun-sun", {6}),
    ],
)
def test_parse_days_valid(text: str, expected: set[int]) -> None:
    assert parse_days(text) == frozenset(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fri-mon", "ranges run forward"),
        ("mon-tue-wed", "ranges run forward"),
        ("blah", "not a list of days"),
        ("mon,blah", "not a list of days"),
        ("monkey", "not a list of days"),
        ("mon-", "not a list of days"),
        ("", "at least one day"),
        (" , ", "at least one day"),
    ],
)
def test_parse_days_invalid(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_days(text)


def test_parse_days_error_quotes_the_input() -> None:
    with pytest.raises(ValueError, match="'blah'"):
        parse_days("blah")
    with pytest.raises(ValueError, match="'fri-mon'"):
        parse_days("fri-mon")


def test_parse_day() -> None:
    assert parse_day("wed") == 2
    assert parse_day("Sunday") == 6
    with pytest.raises(ValueError, match="must be one day"):
        parse_day("mon-fri")
    with pytest.raises(ValueError, match="must be one day"):
        parse_day("daily")
    with pytest.raises(ValueError, match="not a list of days"):
        parse_day("blah")


@given(st.frozensets(st.integers(0, 6), min_size=1))
def test_parse_days_round_trips_names(days: frozenset[int]) -> None:
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    assert parse_days(",".join(names[d] for d in sorted(days))) == days


# --- parse_kinds --------------------------------------------------------------------------------


def test_parse_kinds_valid() -> None:
    assert parse_kinds("all", KINDS) == ()
    assert parse_kinds(" ALL ", KINDS) == ()
    assert parse_kinds("live-debugging", KINDS) == ("live-debugging",)
    assert parse_kinds("design-warmup, Live-Debugging", KINDS) == (
        "design-warmup",
        "live-debugging",
    )
    assert parse_kinds("design-warmup design-warmup", KINDS) == ("design-warmup",)


def test_parse_kinds_unknown_names_them_and_lists_known() -> None:
    with pytest.raises(ValueError, match="Unknown kind") as caught:
        parse_kinds("live-debugging,cooking,knitting", KINDS)
    message = str(caught.value)
    assert "cooking, knitting" in message
    assert "design-warmup, live-debugging, migration-review" in message


@pytest.mark.parametrize("text", ["", " , ", ","])
def test_parse_kinds_empty(text: str) -> None:
    with pytest.raises(ValueError, match="at least one kind"):
        parse_kinds(text, KINDS)


# --- parse_window -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", timedelta(hours=24)),
        ("90m", timedelta(minutes=90)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1d", timedelta(days=1)),
        ("2h30m", timedelta(hours=2, minutes=30)),
        ("12", timedelta(hours=12)),
        (" 36H ", timedelta(hours=36)),
        ("10m", timedelta(minutes=10)),
        ("7d", timedelta(days=7)),
    ],
)
def test_parse_window_valid(text: str, expected: timedelta) -> None:
    assert parse_window(text) == expected


@pytest.mark.parametrize("text", ["", "blah", "1h 30m", "h", "30m2h", "-1h", "1.5h", "24 hours"])
def test_parse_window_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration") as caught:
        parse_window(text)
    assert "24h" in str(caught.value)


@pytest.mark.parametrize("text", ["0m", "8d", "9m", "0", "169", "7d1m"])
def test_parse_window_out_of_range(text: str) -> None:
    with pytest.raises(ValueError, match="between 10 minutes and 7 days"):
        parse_window(text)


@settings(max_examples=200)
@given(st.integers(0, 9), st.integers(0, 200), st.integers(0, 600))
def test_parse_window_components(days: int, hours: int, minutes: int) -> None:
    text = f"{days}d{hours}h{minutes}m"
    window = timedelta(days=days, hours=hours, minutes=minutes)
    if timedelta(minutes=10) <= window <= timedelta(days=7):
        assert parse_window(text) == window
    else:
        with pytest.raises(ValueError, match="between 10 minutes and 7 days"):
            parse_window(text)


# --- numbers members type (huge, non-ASCII) ------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["9" * 30, "99999999999h", "1d99999h", "99999999999999999999999m", "١٢h", "٣"]
)
def test_parse_window_refuses_huge_and_non_ascii_numbers(text: str) -> None:
    with pytest.raises(ValueError, match=r"not a duration|between 10 minutes and 7 days"):
        parse_window(text)


@pytest.mark.parametrize("text", ["٠٩:٠٠", "09:٣٠"])
def test_parse_time_takes_ascii_digits_only(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time"):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [("12", None), ("#3", None), ("0", "not one of"), ("9" * 19, "not one of"), ("٣", "not a")],
)
def test_parse_round_number(text: str, message: str | None) -> None:
    if message is None:
        assert parse_round_number(text) == int(text.lstrip("#"))
        return
    with pytest.raises(ValueError, match=message):
        parse_round_number(text)
