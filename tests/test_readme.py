"""The README's command table is the core's command table, row for row."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core.services.command_table import COMMANDS

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_commands() -> list[tuple[str, str, str]]:
    section = README.read_text(encoding="utf-8").split("## Commands\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (member|admin) \| (private|public) \|", section, re.M)
    return [(usage, who, reply) for usage, who, reply in rows]


def test_the_readme_lists_every_command_with_its_audience_and_reply():
    expected = [
        (c.usage(), "admin" if c.admin else "member", "public" if c.public else "private")
        for c in COMMANDS
    ]
    assert readme_commands() == expected


def test_the_readme_grammar_documents_every_console_line():
    """Each kind of line in the console's own help (event ids and ``mark`` included)."""
    from bot.platforms.console.session import HELP

    section = README.read_text(encoding="utf-8").split("## The console channel\n", 1)[1]
    grammar = section.split("\n## ", 1)[0]
    firsts = {line.split()[0] for line in HELP.splitlines() if re.match(r"  \S", line)}
    assert {"clock", "admins", "bots", "mark", "[e17]", "NAME:"} <= firsts
    for first in firsts:
        assert f"| `{first}" in grammar, first
