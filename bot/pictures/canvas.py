"""What every picture shares: the bundled font, the palette, text helpers and PNG encoding."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

BACKGROUND = (255, 255, 255)
INK = (17, 24, 39)
MUTED = (107, 114, 128)
ACCENT = (59, 130, 246)
GRID = (229, 231, 235)
UP = (22, 163, 74)
DOWN = (220, 38, 38)
Colour = tuple[int, int, int]


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's bundled scalable font (Pillow >= 10.1), identical on every machine."""
    loaded = ImageFont.load_default(size=size)
    assert isinstance(loaded, ImageFont.FreeTypeFont), "Pillow >= 10.1 with FreeType is needed"
    return loaded


def canvas(width: int, height: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (width, height), BACKGROUND)
    return image, ImageDraw.Draw(image)


def text(
    draw: ImageDraw.ImageDraw,
    at: tuple[float, float],
    words: str,
    size: int,
    fill: Colour = INK,
    anchor: str = "la",
) -> None:
    draw.text(at, words, fill=fill, font=font(size), anchor=anchor)


def fit(words: str, size: int, width: float) -> str:
    """``words`` cut with an ellipsis to fit ``width`` pixels."""
    face = font(size)
    if face.getlength(words) <= width:
        return words
    while words and face.getlength(words + "…") > width:
        words = words[:-1]
    return words + "…"


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()
