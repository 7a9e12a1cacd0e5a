"""Checks Discord applies to what a bot sends; each problem becomes a violation string.

Limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
and https://discord.com/developers/docs/interactions/message-components
"""

from __future__ import annotations

import re
from typing import Any, Final

MAX_CONTENT: Final = 2000
MAX_EMBEDS: Final = 10
MAX_EMBED_TOTAL: Final = 6000
MAX_CUSTOM_ID: Final = 100
MAX_ROWS: Final = 5
MAX_BUTTONS_PER_ROW: Final = 5
_EMBED_LIMITS: Final = {"title": 256, "description": 4096}
_COMMAND_NAME: Final = re.compile(r"^[-_\w]{1,32}$")
ACTION_ROW, BUTTON, TEXT_INPUT, LABEL = 1, 2, 4, 18
SELECTS: Final = frozenset({3, 5, 6, 7, 8})
LINK_STYLE, PREMIUM_STYLE = 5, 6


def message(body: dict[str, Any], *, has_files: bool, where: str) -> list[str]:
    """Problems with a message create/edit body (``where`` names the route for the report)."""
    problems: list[str] = []
    content = body.get("content")
    if isinstance(content, str) and len(content) > MAX_CONTENT:
        problems.append(f"{where}: content is {len(content)} chars (max {MAX_CONTENT})")
    problems += embeds(body.get("embeds") or [], where)
    problems += components(body.get("components") or [], where)
    return problems


def is_empty(body: dict[str, Any], *, has_files: bool) -> bool:
    keys = ("content", "embeds", "components", "sticker_ids", "poll")
    return not has_files and not any(body.get(k) for k in keys)


def embeds(items: list[dict[str, Any]], where: str) -> list[str]:
    problems: list[str] = []
    if len(items) > MAX_EMBEDS:
        problems.append(f"{where}: {len(items)} embeds (max {MAX_EMBEDS})")
    total = 0
    for index, embed in enumerate(items):
        for key, limit in _EMBED_LIMITS.items():
            text = str(embed.get(key) or "")
            total += len(text)
            if len(text) > limit:
                problems.append(f"{where}: embed[{index}].{key} is {len(text)} chars (max {limit})")
        problems += _embed_parts(embed, index, where)
        total += _embed_extra_length(embed)
    if total > MAX_EMBED_TOTAL:
        problems.append(f"{where}: embeds total {total} chars (max {MAX_EMBED_TOTAL})")
    return problems


def _embed_parts(embed: dict[str, Any], index: int, where: str) -> list[str]:
    problems: list[str] = []
    fields = embed.get("fields") or []
    if len(fields) > 25:
        problems.append(f"{where}: embed[{index}] has {len(fields)} fields (max 25)")
    for n, item in enumerate(fields):
        if len(str(item.get("name") or "")) > 256:
            problems.append(f"{where}: embed[{index}].fields[{n}].name over 256 chars")
        if len(str(item.get("value") or "")) > 1024:
            problems.append(f"{where}: embed[{index}].fields[{n}].value over 1024 chars")
    if len(str((embed.get("footer") or {}).get("text") or "")) > 2048:
        problems.append(f"{where}: embed[{index}].footer.text over 2048 chars")
    if len(str((embed.get("author") or {}).get("name") or "")) > 256:
        problems.append(f"{where}: embed[{index}].author.name over 256 chars")
    return problems


def _embed_extra_length(embed: dict[str, Any]) -> int:
    fields = embed.get("fields") or []
    total = sum(len(str(f.get("name") or "")) + len(str(f.get("value") or "")) for f in fields)
    total += len(str((embed.get("footer") or {}).get("text") or ""))
    return total + len(str((embed.get("author") or {}).get("name") or ""))


def components(rows: list[dict[str, Any]], where: str) -> list[str]:
    """Classic (non components-v2) message components: action rows of buttons/selects."""
    problems: list[str] = []
    if len(rows) > MAX_ROWS:
        problems.append(f"{where}: {len(rows)} action rows (max {MAX_ROWS})")
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row.get("type") != ACTION_ROW:
            continue
        children = row.get("components") or []
        buttons = [c for c in children if c.get("type") == BUTTON]
        if len(buttons) > MAX_BUTTONS_PER_ROW:
            problems.append(f"{where}: row {index} has {len(buttons)} buttons (max 5)")
        if any(c.get("type") in SELECTS for c in children) and len(children) > 1:
            problems.append(f"{where}: row {index} mixes a select menu with other components")
        for child in children:
            problems += _component(child, where, seen)
    return problems


def _component(child: dict[str, Any], where: str, seen: set[str]) -> list[str]:
    problems: list[str] = []
    custom_id = child.get("custom_id")
    is_link = child.get("type") == BUTTON and child.get("style") in (LINK_STYLE, PREMIUM_STYLE)
    if custom_id is not None:
        if len(str(custom_id)) > MAX_CUSTOM_ID:
            problems.append(
                f"{where}: custom_id {str(custom_id)[:20]!r}... over {MAX_CUSTOM_ID} chars"
            )
        if custom_id in seen:
            problems.append(f"{where}: duplicate custom_id {custom_id!r}")
        seen.add(str(custom_id))
    elif not is_link:
        problems.append(f"{where}: component of type {child.get('type')} without custom_id")
    if is_link and custom_id is not None:
        problems.append(f"{where}: link button must not have a custom_id")
    if len(str(child.get("label") or "")) > 80:
        problems.append(f"{where}: component label over 80 chars")
    if child.get("type") in SELECTS and len(child.get("options") or []) > 25:
        problems.append(f"{where}: select menu with more than 25 options")
    return problems


def modal(data: dict[str, Any], where: str) -> list[str]:
    problems: list[str] = []
    if len(str(data.get("title") or "")) > 45:
        problems.append(f"{where}: modal title over 45 chars")
    if not data.get("custom_id") or len(str(data["custom_id"])) > MAX_CUSTOM_ID:
        problems.append(f"{where}: modal custom_id missing or over {MAX_CUSTOM_ID} chars")
    items = data.get("components") or []
    if not 1 <= len(items) <= 5:
        problems.append(f"{where}: modal has {len(items)} components (1 to 5 allowed)")
    for item in items:
        inner = item.get("components") or ([item["component"]] if "component" in item else [])
        for child in inner:
            if child.get("type") == TEXT_INPUT and int(child.get("max_length") or 0) > 4000:
                problems.append(f"{where}: text input max_length over 4000")
    return problems


def command(body: dict[str, Any], where: str) -> list[str]:
    problems: list[str] = []
    name = str(body.get("name") or "")
    kind = int(body.get("type") or 1)
    if kind == 1 and (not _COMMAND_NAME.match(name) or name != name.lower()):
        problems.append(f"{where}: invalid slash command name {name!r}")
    if kind == 1 and not 1 <= len(str(body.get("description") or "")) <= 100:
        problems.append(f"{where}: command {name!r} description must be 1-100 chars")
    options = body.get("options") or []
    if len(options) > 25:
        problems.append(f"{where}: command {name!r} has more than 25 options")
    required = [bool(o.get("required")) for o in options if o.get("type") not in (1, 2)]
    if required != sorted(required, reverse=True):
        problems.append(f"{where}: command {name!r} has required options after optional ones")
    return problems
