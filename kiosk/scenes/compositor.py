"""Draw a frame as a background and layers, repainting only what changed.

An animated scene describes each frame as a background (a full-screen picture
drawn ahead) and a list of :class:`Layer` objects in drawing order, each with a
*key* (what it shows), the rectangle it covers and a function that draws it.
:class:`Compositor` compares the list with the previous frame's: where a layer
appeared, disappeared, moved or changed, it puts the background back and draws
every layer that touches the area again, clipped to it.  Everything else on
the surface is already right.  The result is pixel for pixel the full repaint.

A full repaint happens whenever that cannot be guaranteed: a different surface,
a different background, time going backwards or jumping ahead (a new visit, a
skip, the storyboard), or when the changed areas would cost more than the
whole background.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import pygame

#: Longest step between frames that still counts as "the next frame" (seconds).
MAX_STEP = 0.5
#: Repaint areas only while they cover less than this share of the picture.
MAX_SHARE = 0.9
#: Areas are widened to whole groups of this many pixels: SDL copies rows whose
#: start and length are multiples of 64 bytes several times faster.
ALIGN = 16


@dataclass(frozen=True, slots=True)
class Layer:
    """One thing drawn over the background.

    Two layers with equal ``key`` and ``rect`` draw the same pixels.  An ``atomic``
    layer (lines, rounded shapes) must never be drawn partly clipped: an area that
    touches it grows to take all of it in.
    """

    key: Hashable
    rect: pygame.Rect
    draw: Callable[[pygame.Surface], object]
    atomic: bool = False

    @property
    def ident(self) -> tuple[Hashable, tuple[int, int, int, int]]:
        """What identifies the layer's pixels."""
        return (self.key, (self.rect.x, self.rect.y, self.rect.w, self.rect.h))


def aligned(rect: pygame.Rect, width: int) -> pygame.Rect:
    """``rect`` widened to whole groups of :data:`ALIGN` pixels (within ``width``)."""
    x0 = rect.x // ALIGN * ALIGN
    x1 = min(width, -(-rect.right // ALIGN) * ALIGN)
    return pygame.Rect(x0, rect.y, max(0, x1 - x0), rect.h)


def merged(rects: list[pygame.Rect]) -> list[pygame.Rect]:
    """Overlapping rectangles joined into their bounding boxes (none overlap after)."""
    out: list[pygame.Rect] = []
    for rect in rects:
        rect = pygame.Rect(rect)
        hit = rect.collidelist(out)
        while hit != -1:
            rect.union_ip(out.pop(hit))
            hit = rect.collidelist(out)
        out.append(rect)
    return out


class Compositor:
    """Draws frames of background and layers onto a surface, frame after frame."""

    def __init__(self) -> None:
        self._surface: pygame.Surface | None = None
        self._background: Hashable = None
        self._t = float("-inf")
        self._last: list[tuple[Hashable, tuple[int, int, int, int]]] = []
        self.full_repaints = 0

    def forget(self) -> None:
        """Make the next frame a full repaint."""
        self._surface = None

    def frame(
        self,
        surface: pygame.Surface,
        t: float,
        background_key: Hashable,
        background: pygame.Surface,
        origin: tuple[int, int],
        area: pygame.Rect,
        layers: Sequence[Layer],
    ) -> bool:
        """Bring ``surface`` to the frame at ``t``: ``background`` (the screen's top
        left corner at ``origin`` in it; its x a multiple of four) under ``layers``,
        all within ``area`` (nothing is drawn outside it).  Returns whether the whole
        area was repainted."""
        damage = self._damage(surface, t, background_key, area, layers)
        clip = surface.get_clip()
        ox, oy = origin
        full = damage is None
        if damage is None:
            self.full_repaints += 1
            damage = [area]
        rects = [layer.rect for layer in layers]
        for rect in damage:
            surface.set_clip(rect)
            surface.blit(background, rect.topleft, rect.move(ox, oy))
            for index in rect.collidelistall(rects):  # in drawing order
                layers[index].draw(surface)
        surface.set_clip(clip)
        self._surface, self._background, self._t = surface, background_key, t
        self._last = [layer.ident for layer in layers]
        return full

    def _damage(
        self,
        surface: pygame.Surface,
        t: float,
        background_key: Hashable,
        area: pygame.Rect,
        layers: Sequence[Layer],
    ) -> list[pygame.Rect] | None:
        """The areas to repaint, or None for all of it."""
        if not (
            surface is self._surface
            and background_key == self._background
            and self._t < t <= self._t + MAX_STEP
        ):
            return None
        new = {layer.ident for layer in layers}
        old = set(self._last)
        changed = [pygame.Rect(r) for ident in old - new for r in (ident[1],)]
        changed += [layer.rect for layer in layers if layer.ident not in old]
        width = surface.get_width()
        rects = [aligned(r, width).clip(area) for r in changed]
        rects = merged([r for r in rects if r.w > 0 and r.h > 0])
        atomic = [layer.rect.clip(area) for layer in layers if layer.atomic]
        while True:  # take in whole any line or rounded shape an area touches
            grown = False
            for i, rect in enumerate(rects):
                for whole in atomic:
                    if rect.colliderect(whole) and not rect.contains(whole):
                        rects[i] = aligned(rect.union(whole), width).clip(area)
                        grown = True
            if not grown:
                break
            rects = merged(rects)
        if sum(r.w * r.h for r in rects) > MAX_SHARE * area.w * area.h:
            return None
        return rects
