"""Checks of what an app sends against Slack's documented limits.

Problems are returned as human-readable strings (collected in ``fake.violations``), never
raised: real Slack often truncates or silently accepts, so a test decides what matters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

MAX_TEXT = 40_000
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3_000
MAX_SECTION_FIELD = 2_000
MAX_HEADER_TEXT = 150
MAX_ACTION_ID = 255
MAX_BLOCK_ID = 255
MAX_BUTTON_VALUE = 2_000
MAX_BUTTON_TEXT = 75
MAX_MODAL_TITLE = 24

_BROADCAST = re.compile(r"<!(channel|here|everyone)(\|[^>]*)?>")
_LINKED_NAME = re.compile(r"(?<![\w<&])@(channel|here|everyone)\b")


def check_message(method: str, params: dict[str, Any]) -> list[str]:
    """Problems with a chat.postMessage / chat.update / chat.postEphemeral payload."""
    text = params.get("text")
    blocks = _list(params.get("blocks"))
    out: list[str] = []
    if isinstance(text, str) and len(text) > MAX_TEXT:
        out.append(f"{method}: text is {len(text)} chars (max {MAX_TEXT})")
    if blocks and not (isinstance(text, str) and text.strip()):
        out.append(f"{method}: blocks given without a top-level text fallback")
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        out.append(f"{method}: {len(blocks)} blocks (max {MAX_MESSAGE_BLOCKS})")
    out += check_blocks(method, blocks)
    out += _check_mentions(method, params, text, blocks)
    return out


def check_view(method: str, view: dict[str, Any]) -> list[str]:
    """Problems with a view (``views.publish`` / ``views.open`` / ``views.update``)."""
    blocks = _list(view.get("blocks"))
    out: list[str] = []
    if len(blocks) > MAX_VIEW_BLOCKS:
        out.append(f"{method}: view has {len(blocks)} blocks (max {MAX_VIEW_BLOCKS})")
    title = view.get("title")
    is_modal = view.get("type") == "modal" and isinstance(title, dict)
    if is_modal and len(_text_of(title)) > MAX_MODAL_TITLE:
        out.append(f"{method}: modal title over {MAX_MODAL_TITLE} chars")
    return out + check_blocks(method, blocks)


def check_blocks(method: str, blocks: list[Any]) -> list[str]:
    out: list[str] = []
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            out.append(f"{method}: blocks[{index}] is not an object")
            continue
        where = f"{method}: blocks[{index}] ({block.get('type')})"
        out += _check_block(where, block)
        for element in _walk_dicts(block):
            out += _check_element(where, element)
    return out


def _check_block(where: str, block: dict[str, Any]) -> list[str]:
    out: list[str] = []
    if len(str(block.get("block_id", ""))) > MAX_BLOCK_ID:
        out.append(f"{where}: block_id over {MAX_BLOCK_ID} chars")
    kind = block.get("type")
    if kind == "section":
        text = _text_of(block.get("text"))
        if len(text) > MAX_SECTION_TEXT:
            out.append(f"{where}: section text is {len(text)} chars (max {MAX_SECTION_TEXT})")
        for field in block.get("fields") or []:
            if len(_text_of(field)) > MAX_SECTION_FIELD:
                out.append(f"{where}: section field over {MAX_SECTION_FIELD} chars")
    if kind == "header" and len(_text_of(block.get("text"))) > MAX_HEADER_TEXT:
        out.append(f"{where}: header text over {MAX_HEADER_TEXT} chars")
    return out


def _check_element(where: str, element: dict[str, Any]) -> list[str]:
    out: list[str] = []
    action_id = element.get("action_id")
    if isinstance(action_id, str) and len(action_id) > MAX_ACTION_ID:
        out.append(f"{where}: action_id is {len(action_id)} chars (max {MAX_ACTION_ID})")
    if element.get("type") == "button":
        value = element.get("value")
        if isinstance(value, str) and len(value) > MAX_BUTTON_VALUE:
            out.append(f"{where}: button value is {len(value)} chars (max {MAX_BUTTON_VALUE})")
        if len(_text_of(element.get("text"))) > MAX_BUTTON_TEXT:
            out.append(f"{where}: button text over {MAX_BUTTON_TEXT} chars")
    return out


def _check_mentions(method: str, params: dict[str, Any], text: Any, blocks: list[Any]) -> list[str]:
    texts = [text] if isinstance(text, str) else []
    texts += list(_block_texts(blocks))
    texts += list(_block_texts(_list(params.get("attachments"))))
    linked = str(params.get("link_names", "")).lower() in {"1", "true"}
    out: list[str] = []
    for value in texts:
        for match in _BROADCAST.finditer(value):
            out.append(f"{method}: unescaped broadcast mention {match.group(0)!r}")
        if linked:
            for match in _LINKED_NAME.finditer(value):
                out.append(f"{method}: {match.group(0)!r} with link_names pings everyone")
    return out


def _block_texts(items: list[Any]) -> Iterator[str]:
    for node in _walk_dicts(items):
        for key in ("text", "fallback", "pretext"):
            if isinstance(node.get(key), str):
                yield node[key]


def _walk_dicts(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk_dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_dicts(value)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text_of(obj: Any) -> str:
    if isinstance(obj, dict):
        return str(obj.get("text", ""))
    return obj if isinstance(obj, str) else ""
