"""Golden images: a rendered PNG is compared with the stored one pixel by pixel, within a small
tolerance (font hinting may move a few edge pixels), never byte for byte.

``DRILLBOT_REGENERATE=1`` rewrites the stored images from the current renderer.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, ImageChops

GOLDEN = Path(__file__).parent / "golden"
CHANNEL_STEP = 24  # a pixel counts as changed when a channel differs by more than this
MAX_CHANGED = 0.002  # the share of pixels that may change


def changed_share(rendered: bytes, stored: bytes) -> float:
    """The share of pixels that differ visibly between two PNGs of the same size."""
    a = Image.open(io.BytesIO(rendered)).convert("RGB")
    b = Image.open(io.BytesIO(stored)).convert("RGB")
    assert a.size == b.size, f"size {a.size} != golden {b.size}"
    grey = ImageChops.difference(a, b).convert("L")
    mask = grey.point(lambda value: 255 if value > CHANNEL_STEP else 0)
    changed = mask.histogram()[255]
    return changed / (a.size[0] * a.size[1])


def assert_matches_golden(rendered: bytes, name: str) -> None:
    path = GOLDEN / name
    if os.environ.get("DRILLBOT_REGENERATE") == "1":
        path.write_bytes(rendered)
        return
    assert path.exists(), f"no golden {path}; run with DRILLBOT_REGENERATE=1 to create it"
    share = changed_share(rendered, path.read_bytes())
    if share > MAX_CHANGED:
        (path.parent / f"{path.stem}.actual.png").write_bytes(rendered)
    assert share <= MAX_CHANGED, f"{share:.2%} of {name} changed (saved as .actual.png)"
