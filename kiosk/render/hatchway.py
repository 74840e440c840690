"""The hatchway between the docked craft: warm light down the tunnel, and sleeved arms.

Drawn twice in the exhibit, with different looks: in the handshake illustration
and in the docking animation's interior shot (:mod:`kiosk.docking.art`).  Each
use passes its own :class:`TunnelLight` and sleeve options; the drawing is one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from kiosk.render import primitives as prim
from kiosk.render.palette import Color
from kiosk.render.primitives import RGBA, Point, Vec3


@dataclass(frozen=True, slots=True)
class TunnelLight:
    """How the light beyond an open hatch looks.

    ``focus`` is the brightest point in inner radii from the top left of the
    tunnel's square (1, 1 is the centre); the colour is ``base + gain * k`` with
    ``k = exp(-falloff * t²)`` at ``t`` inner radii from the focus.  ``frames``
    far hatch frames shrink by ``frame_step`` each towards the focus, each a dark
    ring (``shadow``, ``shadow_width``) with a lit edge inside it (``highlight``,
    ``highlight_inset``, ``highlight_width``); widths and insets are in units of
    the picture.  ``blur`` softens the frames.
    """

    focus: tuple[float, float]
    falloff: float
    base: Color
    gain: Color
    frames: int
    frame_step: float
    shadow: RGBA
    shadow_width: float
    highlight: RGBA
    highlight_inset: float
    highlight_width: float
    blur: float


def tunnel_light(
    surface: pygame.Surface, centre: Point, inner: float, unit: float, look: TunnelLight
) -> None:
    """Fill the hatch opening (a circle of radius ``inner`` about ``centre``) with the
    light down the tunnel and its far frames; ``unit`` scales the frames' lines."""
    ri = inner
    d = round(2 * ri)
    lc = (ri * look.focus[0], ri * look.focus[1])
    base, gain = look.base, look.gain

    def shade(x: float, y: float) -> tuple[float, float, float]:
        t = math.hypot(x - lc[0], y - lc[1]) / ri
        k = math.exp(-t * t * look.falloff)
        return (base[0] + gain[0] * k, base[1] + gain[1] * k, base[2] + gain[2] * k)

    beyond = prim.field((d, d), shade, (64, 64))
    rings = prim.new_layer((d, d))
    for n in range(1, look.frames + 1):
        f = 1 - n * look.frame_step
        c = (ri + (lc[0] - ri) * (1 - f), ri + (lc[1] - ri) * (1 - f))
        pygame.draw.circle(rings, look.shadow, c, ri * f, max(1, round(unit * look.shadow_width)))
        pygame.draw.circle(
            rings,
            look.highlight,
            c,
            ri * f - unit * look.highlight_inset,
            max(1, round(unit * look.highlight_width)),
        )
    beyond.blit(prim.soften(rings, look.blur), (0, 0))
    prim.apply_mask(beyond, prim.circle_mask((d, d), (ri, ri), ri))
    surface.blit(beyond, (round(centre[0] - ri), round(centre[1] - ri)))


#: The arms' light: from above, a little to the left and in front.
SLEEVE_LIGHT: Vec3 = (-0.3, -0.8, 0.5)


def sleeve(
    surface: pygame.Surface,
    start: Point,
    end: Point,
    radius: float,
    cloth: Color,
    cuff: Color,
    *,
    light: Vec3 = SLEEVE_LIGHT,
    extend: float | None = None,
    shadow: int = 110,
    seam: bool = False,
) -> None:
    """A forearm in a sleeve from ``start`` to a coloured cuff ending at ``end``.

    ``extend``: start the sleeve that many times the arm's length back from ``end``
    instead (to run it past the picture's edge, whatever its aspect ratio).
    ``shadow`` is the drop shadow's opacity; ``seam`` draws a dark line at the
    cuff's end.
    """
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    if extend is not None:
        start = (end[0] - ux * length * extend, end[1] - uy * length * extend)
    cuff_w = radius * 0.85
    mid = (end[0] - ux * cuff_w, end[1] - uy * cuff_w)
    arm = prim.capsule_polygon(start, mid, radius, radius * 0.96)
    prim.drop_shadow(surface, [("poly", arm)], (radius * 0.1, radius * 0.25), radius * 0.25, shadow)
    prim.shaded_tube(
        surface, arm, cloth, start, end, radius, light=light, specular=0.12, ambient=0.3
    )
    band = prim.capsule_polygon(mid, end, radius * 1.02, radius * 1.0)
    prim.shaded_tube(
        surface, band, cuff, start, end, radius, light=light, specular=0.2, ambient=0.3
    )
    nx, ny = -uy, ux
    stripe = prim.new_layer(surface.get_size())
    p = (mid[0] + ux * cuff_w * 0.3, mid[1] + uy * cuff_w * 0.3)
    pygame.draw.line(
        stripe,
        (255, 255, 255, 110),
        (p[0] + nx * radius * 0.98, p[1] + ny * radius * 0.98),
        (p[0] - nx * radius * 0.98, p[1] - ny * radius * 0.98),
        max(1, round(radius * 0.06)),
    )
    if seam:
        pygame.draw.line(
            stripe,
            (0, 0, 0, 90),
            (end[0] + nx * radius, end[1] + ny * radius),
            (end[0] - nx * radius, end[1] - ny * radius),
            max(1, round(radius * 0.05)),
        )
    surface.blit(stripe, (0, 0))
