"""Pieces shared by several scenes: the footer with progress and button hints."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk.content import Language
from kiosk.layout import Box, Footer
from kiosk.render import palette
from kiosk.render.painter import Painter, to_rect
from kiosk.render.palette import Color
from kiosk.scenes.context import SceneContext


@dataclass(frozen=True, slots=True)
class Hint:
    """One on-screen button hint: the physical button's colour and a label."""

    color: Color
    label: str


def hints_for(lang: Language, *, back: bool, next_: bool, dock: bool) -> list[Hint]:
    """The hints to show, in the order the buttons sit on the console."""
    hints = []
    if back:
        hints.append(Hint(palette.BUTTON_BACK, lang.ui["back"]))
    if next_:
        hints.append(Hint(palette.BUTTON_NEXT, lang.ui["next"]))
    if dock:
        hints.append(Hint(palette.BUTTON_DOCK, lang.ui["dock"]))
    hints.append(Hint(palette.BUTTON_LANGUAGE, f"{lang.ui['language']}: {lang.name}"))
    return hints


def draw_footer(
    ctx: SceneContext,
    surface: pygame.Surface,
    foot: Footer,
    lang: Language,
    hints: list[Hint],
    *,
    chapter: int | None = None,
    dock_chapter: int | None = None,
) -> int:
    """Draw the footer: a hairline, progress (when ``chapter`` is given) and hints.

    Returns the x where the hints begin, so a scene can use the space to their left.
    """
    g = ctx.grid
    line_colour = palette.mix(palette.SPACE_BOTTOM, palette.INK_MUTED, 0.25)
    pygame.draw.line(
        surface, line_colour, (g.margin, foot.bar.y), (g.width - g.margin, foot.bar.y), 1
    )
    painter = ctx.painter(surface)
    if chapter is not None:
        total = len(foot.dots)
        label = lang.ui["progress"].format(n=chapter + 1, total=total)
        painter.block(
            label,
            foot.progress_label,
            palette.INK_MUTED,
            g.px(34),
            g.px(22),
            valign="middle",
            max_lines=1,
        )
        for i, dot in enumerate(foot.dots):
            draw_dot(surface, dot, i, chapter, dock_chapter)
    return draw_hints(painter, g.px(34), g.px(22), foot.hints, hints)


def draw_dot(surface: pygame.Surface, dot: Box, i: int, current: int, dock: int | None) -> None:
    """One progress dot: filled amber for here, filled grey for seen, a ring ahead."""
    cx, cy = dot.center
    r = max(2, dot.w // 2)
    if i == current:
        pygame.draw.circle(surface, palette.ACCENT, (cx, cy), r)
    elif i < current:
        pygame.draw.circle(surface, palette.INK_MUTED, (cx, cy), max(2, r * 2 // 3))
    else:
        ring = palette.BUTTON_DOCK if i == dock else palette.INK_MUTED
        pygame.draw.circle(surface, ring, (cx, cy), max(2, r * 2 // 3), max(1, r // 4))


def draw_hints(painter: Painter, max_size: int, min_size: int, box: Box, hints: list[Hint]) -> None:
    """Right-aligned button hints, each a coloured button disc and a label."""
    if not hints:
        return
    size = max_size
    while True:
        font = painter.fonts.get(size)
        disc = round(size * 0.95)
        gap_inner = round(size * 0.45)
        gap_outer = round(size * 1.3)
        widths = [disc + gap_inner + font.size(h.label)[0] for h in hints]
        total = sum(widths) + gap_outer * (len(hints) - 1)
        if total <= box.w or size <= min_size:
            break
        size -= 1
    x = left = box.right - total
    cy = box.y + box.h // 2
    for hint, width in zip(hints, widths, strict=True):
        r = disc // 2
        pygame.draw.circle(
            painter.surface, palette.mix(hint.color, (0, 0, 0), 0.45), (x + r, cy), r
        )
        pygame.draw.circle(painter.surface, hint.color, (x + r, cy), r, max(2, r // 3))
        label_box = Box(x + disc + gap_inner, box.y, width - disc - gap_inner + 2, box.h)
        painter.block(hint.label, label_box, palette.INK, size, size, valign="middle", max_lines=1)
        x += width + gap_outer
    return left


def footer_note_box(foot: Footer, hints_left: int, gap: int) -> Box:
    """The free space at the left of a footer without progress dots."""
    label = foot.progress_label
    return Box(label.x, label.y, max(1, hints_left - gap - label.x), label.h)


def draw_pill(surface: pygame.Surface, box: Box, color: Color, fill: Color) -> None:
    """A rounded call-to-action frame."""
    rect = to_rect(box)
    radius = box.h // 2
    pygame.draw.rect(surface, fill, rect, border_radius=radius)
    pygame.draw.rect(surface, color, rect, width=max(2, box.h // 24), border_radius=radius)


def faded(picture: pygame.Surface, fade_width: int, side: str = "right") -> pygame.Surface:
    """A copy of ``picture`` whose ``side`` edge fades to transparent over ``fade_width``."""
    w, h = picture.get_size()
    out = picture.convert_alpha() if pygame.display.get_surface() else picture.copy()
    if out.get_flags() & pygame.SRCALPHA == 0:
        with_alpha = pygame.Surface((w, h), pygame.SRCALPHA)
        with_alpha.blit(picture, (0, 0))
        out = with_alpha
    mask = pygame.Surface((w, h), pygame.SRCALPHA)
    mask.fill((255, 255, 255, 255))
    for i in range(min(fade_width, w)):
        t = i / max(1, fade_width - 1)
        alpha = round(255 * (t * t * (3 - 2 * t)))
        x = i if side == "left" else w - 1 - i
        pygame.draw.line(mask, (255, 255, 255, alpha), (x, 0), (x, h))
    out.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MULT)
    return out
