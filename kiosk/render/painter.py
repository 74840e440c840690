"""Draw text into boxes, optionally auditing every line for overflow and contrast.

With an audit list attached, each line drawn is recorded with the box it was
meant to stay inside and the worst WCAG contrast between its colour and the
pixels behind it (sampled just before the text is drawn).  Tests and
``kiosk render --check`` read the audit; the running exhibit leaves it off.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk.layout import Box
from kiosk.render.fonts import FontBook
from kiosk.render.palette import Color, contrast_ratio
from kiosk.render.text import TextBlock, fit


@dataclass(frozen=True, slots=True)
class TextRecord:
    """One line of text as drawn: where, inside which box, and how legible."""

    text: str
    rect: Box
    box: Box
    size: int
    color: Color
    contrast: float
    fits: bool


def to_rect(box: Box) -> pygame.Rect:
    """A layout box as a pygame rectangle."""
    return pygame.Rect(box.x, box.y, box.w, box.h)


def to_box(rect: pygame.Rect) -> Box:
    """A pygame rectangle as a layout box."""
    return Box(rect.x, rect.y, rect.w, rect.h)


def worst_contrast(surface: pygame.Surface, rect: pygame.Rect, color: Color) -> float:
    """Lowest contrast between ``color`` and a grid of background pixels in ``rect``."""
    area = rect.clip(surface.get_rect())
    if area.w <= 0 or area.h <= 0:
        return 21.0
    cols = min(48, area.w)
    rows = min(8, area.h)
    worst = 21.0
    for j in range(rows):
        y = area.y + (area.h - 1) * j // max(1, rows - 1)
        for i in range(cols):
            x = area.x + (area.w - 1) * i // max(1, cols - 1)
            pixel = surface.get_at((x, y))
            worst = min(worst, contrast_ratio(color, (pixel.r, pixel.g, pixel.b)))
    return worst


class Painter:
    """Draws text on one surface with one font book."""

    def __init__(
        self, surface: pygame.Surface, fonts: FontBook, audit: list[TextRecord] | None = None
    ) -> None:
        self.surface = surface
        self.fonts = fonts
        self.audit = audit

    def block(
        self,
        text: str,
        box: Box,
        color: Color,
        max_size: int,
        min_size: int,
        *,
        bold: bool = False,
        leading: float = 1.35,
        align: str = "left",
        valign: str = "top",
        max_lines: int | None = None,
        alpha: int = 255,
        balance: bool = False,
    ) -> Box:
        """Fit ``text`` into ``box`` and draw it; return the area actually used."""
        block = fit(
            text,
            self.fonts,
            to_rect(box),
            max_size,
            min_size,
            bold=bold,
            leading=leading,
            max_lines=max_lines,
            balance=balance,
        )
        return self.draw_block(block, box, color, align=align, valign=valign, alpha=alpha)

    def draw_block(
        self,
        block: TextBlock,
        box: Box,
        color: Color,
        *,
        align: str = "left",
        valign: str = "top",
        alpha: int = 255,
    ) -> Box:
        """Draw an already fitted :class:`TextBlock` inside ``box``."""
        font = self.fonts.get(block.size, block.bold)
        y = box.y
        if valign == "middle":
            y = box.y + (box.h - block.height) // 2
        elif valign == "bottom":
            y = box.bottom - block.height
        used = pygame.Rect(box.x, y, 0, 0)
        for line in block.lines:
            if line:
                image = font.render(line, True, color)
                if alpha < 255:
                    image.set_alpha(alpha)
                rect = image.get_rect()
                rect.y = y
                if align == "center":
                    rect.centerx = box.x + box.w // 2
                elif align == "right":
                    rect.right = box.right
                else:
                    rect.x = box.x
                self._record(line, rect, box, block, color)
                self.surface.blit(image, rect)
                used = used.union(rect) if used.w else rect.copy()
            y += block.line_height
        return to_box(used)

    def _record(
        self, line: str, rect: pygame.Rect, box: Box, block: TextBlock, color: Color
    ) -> None:
        if self.audit is None:
            return
        self.audit.append(
            TextRecord(
                text=line,
                rect=to_box(rect),
                box=box,
                size=block.size,
                color=color,
                contrast=worst_contrast(self.surface, rect, color),
                fits=block.fits,
            )
        )
