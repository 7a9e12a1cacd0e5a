"""Text hygiene: mass mentions defanged, clipping, one-line previews."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.text import ELLIPSIS, ZERO_WIDTH_SPACE, clip, defang_mentions, one_line

ZWSP = ZERO_WIDTH_SPACE
RAW_MENTION = re.compile(r"@(everyone|here|channel)", re.IGNORECASE)
SLACK_BROADCAST = re.compile(r"<!(everyone|here|channel)", re.IGNORECASE)

MENTIONS = [
    "@everyone",
    "@here",
    "@channel",
    "@EVERYONE",
    "@Here",
    "@cHaNnEl",
    "<!here>",
    "<!channel>",
    "<!everyone>",
    "<!channel|channel>",
    "<!here|@here>",
    "<!EVERYONE>",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@everyone look", f"@{ZWSP}everyone look"),
        ("hi @here!", f"hi @{ZWSP}here!"),
        ("@channel", f"@{ZWSP}channel"),
        ("@EveryOne", f"@{ZWSP}EveryOne"),
        ("@HERE.", f"@{ZWSP}HERE."),
        ("<!here>", f"@{ZWSP}here"),
        ("<!channel|channel> now", f"@{ZWSP}channel now"),
        ("<!everyone>", f"@{ZWSP}everyone"),
        ("<!Here>", f"@{ZWSP}Here"),
        ("mail me@here.com", f"mail me@{ZWSP}here.com"),
        ("@@everyone", f"@@{ZWSP}everyone"),
        # Prefixes are broken too: a harmless zero-width space beats a missed ping.
        ("@heretic", f"@{ZWSP}heretic"),
        ("@channels", f"@{ZWSP}channels"),
    ],
)
def test_defang_mentions(text: str, expected: str) -> None:
    assert defang_mentions(text) == expected


@pytest.mark.parametrize(
    "text",
    ["@everybody", "@chan", "@her", "everyone here", "<@123456789012345678>", "<#C123>"],
)
def test_defang_leaves_other_text_alone(text: str) -> None:
    assert defang_mentions(text) == text


def test_defang_is_idempotent() -> None:
    once = defang_mentions("@everyone <!here> @channel")
    assert defang_mentions(once) == once


@pytest.mark.parametrize("text", ["@everyone_team", "@here2", "@everyoneee"])
def test_defang_mentions_followed_by_word_characters(text: str) -> None:
    assert RAW_MENTION.search(defang_mentions(text)) is None


words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="@<>\u200b"),
    max_size=12,
)
separators = st.sampled_from([" ", "\n", ", ", ". ", "! ", "(", ")", " - ", "\t"])


@st.composite
def member_texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(MENTIONS), words), max_size=10))
    text = ""
    for part in parts:
        text += part + draw(separators)
    return text


@given(member_texts())
def test_defanged_text_has_no_mass_mention(text: str) -> None:
    out = defang_mentions(text)
    assert RAW_MENTION.search(out) is None
    assert SLACK_BROADCAST.search(out) is None
    # Nothing but the mentions changed.
    assert out.replace(ZWSP, "") == re.sub(
        r"<!(everyone|here|channel)[^>]*>", r"@\1", text, flags=re.IGNORECASE
    )


# --- clip / one_line ----------------------------------------------------------------------------


def test_clip_examples() -> None:
    assert clip("short", 10) == "short"
    assert clip("exactly10!", 10) == "exactly10!"
    assert clip("one two three four", 9) == f"one two{ELLIPSIS}"
    assert clip("abcdef", 4) == f"abc{ELLIPSIS}"
    assert clip("ab   cd", 5) == f"ab{ELLIPSIS}"  # no space before the ellipsis
    assert clip("abc", 1) == ELLIPSIS


@given(st.text(max_size=60), st.integers(1, 70))
def test_clip_properties(text: str, limit: int) -> None:
    out = clip(text, limit)
    assert len(out) <= limit
    if len(text) <= limit:
        assert out == text
    else:
        assert out.endswith(ELLIPSIS)
        assert text.startswith(out[: -len(ELLIPSIS)])


def test_clip_to_zero() -> None:
    assert len(clip("abc", 0)) <= 0


def test_one_line() -> None:
    assert one_line("  first line\n\nsecond\tline  ") == "first line second line"
    assert one_line("") == ""
    assert one_line(f"@{ZWSP}here x") == f"@{ZWSP}here x"  # keeps the defanging
