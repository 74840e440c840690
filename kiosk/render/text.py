"""Word wrapping and fitting text into boxes.

Measuring goes through the real font (``font.size``), so what fits here fits
on screen.  Lines break only at ordinary spaces: a no-break space (U+00A0)
keeps a date or a name together.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk.render.fonts import FontBook


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Wrapped lines set in one font size, and whether they fit their box."""

    lines: tuple[str, ...]
    size: int
    bold: bool
    line_height: int
    width: int
    height: int
    fits: bool


def wrap(text: str, font: pygame.font.Font, width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width``; ``\\n\\n`` starts a paragraph.

    An empty string marks the gap between paragraphs.  A single word wider
    than the box is split between characters as a last resort.
    """
    lines: list[str] = []
    for p_index, paragraph in enumerate(text.split("\n\n")):
        if p_index:
            lines.append("")
        current = ""
        for word in paragraph.replace("\n", " ").split(" "):
            if not word:
                continue
            candidate = f"{current} {word}" if current else word
            if font.size(candidate)[0] <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while font.size(current)[0] > width and len(current) > 1:
                cut = len(current) - 1
                while cut > 1 and font.size(current[:cut])[0] > width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        if current:
            lines.append(current)
    return lines


def fit(
    text: str,
    fonts: FontBook,
    box: pygame.Rect,
    max_size: int,
    min_size: int,
    *,
    bold: bool = False,
    leading: float = 1.35,
    max_lines: int | None = None,
    balance: bool = False,
) -> TextBlock:
    """Set ``text`` in the largest size from ``max_size`` down to ``min_size`` that fits.

    If nothing fits, the block is set at ``min_size`` with ``fits=False``
    (the content check reports it; the screen still shows the text).
    ``balance`` evens out the line lengths (for titles: no lonely last word).
    """
    size = max(max_size, min_size)
    block: TextBlock | None = None
    while True:
        font = fonts.get(size, bold)
        lines = wrap(text, font, box.width)
        if balance and len(lines) > 1:
            lines = balanced(text, font, box.width, len(lines))
        line_height = max(1, round(font.get_linesize() * leading))
        height = font.get_height() + line_height * (len(lines) - 1) if lines else 0
        width = max((font.size(line)[0] for line in lines), default=0)
        fits = height <= box.height and width <= box.width
        if max_lines is not None:
            fits = fits and len([x for x in lines if x]) <= max_lines
        block = TextBlock(tuple(lines), size, bold, line_height, width, height, fits)
        if fits or size <= min_size:
            return block
        size = max(min_size, min(size - 1, round(size * 0.94)))


def balanced(text: str, font: pygame.font.Font, width: int, count: int) -> list[str]:
    """The narrowest wrapping of ``text`` that still takes ``count`` lines.

    Never narrower than the widest word, so balancing never splits a word.
    """
    widest_word = max((font.size(w)[0] for w in text.split()), default=1)
    low, high = min(widest_word, width), width
    best = wrap(text, font, width)
    while low < high:
        mid = (low + high) // 2
        lines = wrap(text, font, mid)
        if len(lines) <= count and all(font.size(x)[0] <= mid for x in lines):
            best, high = lines, mid
        else:
            low = mid + 1
    return best
