"""The hatchway between the docked craft: light down the tunnel, sleeved arms, clasped hands.

Drawn twice in the exhibit, with different looks: in the handshake illustration
and in the docking animation's interior shot (:mod:`kiosk.docking.art`).  Each
use passes its own :class:`TunnelLight`, sleeve and skin options; the drawing is one.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from kiosk.render import primitives as prim
from kiosk.render.palette import Color
from kiosk.render.primitives import RGBA, Point, Shape, Vec3


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


#: The hands' light (in the picture's plane) and the tunnel's warm light on their rims.
HAND_LIGHT = (-0.35, -0.94)
HAND_RIM: Color = (255, 214, 160)
#: The near hand's skin.
NEAR_SKIN: Color = (236, 190, 150)
#: The far hand's fingers over the back of the near hand: knuckle, tip and radius,
#: in units about the clasp.
_FINGERS = (
    ((0.04, -0.035), (-0.075, 0.0), 0.022),
    ((0.05, 0.006), (-0.075, 0.05), 0.023),
    ((0.05, 0.047), (-0.06, 0.092), 0.021),
    ((0.045, 0.086), (-0.03, 0.122), 0.018),
)


def far_palm(
    surface: pygame.Surface, P: Callable[[float, float], Point], u: float, skin: Color
) -> None:
    """The far hand's palm, under the clasp.  ``P`` maps units about the clasp to
    pixels; ``u`` is the unit in pixels."""
    hand_b: Shape = [("ellipse", P(0.1, 0.035), 0.12 * u, 0.078 * u, 0.3)]
    prim.shaded_shape(
        surface, hand_b, skin, light=HAND_LIGHT, relief=0.03 * u, shadow=0.62, rim=HAND_RIM
    )


def clasp(
    surface: pygame.Surface,
    P: Callable[[float, float], Point],
    u: float,
    far_skin: Color,
    *,
    near_skin: Color = NEAR_SKIN,
    detail: bool = False,
) -> None:
    """Two right hands clasped, over the far palm (:func:`far_palm`): the near hand,
    the far hand's fingers over its back, the near thumb over the top of them.
    ``detail`` adds finger creases, fingertips and a thumbnail."""
    hand_a: Shape = [
        ("ellipse", P(-0.07, 0.03), 0.135 * u, 0.085 * u, -0.28),
        ("capsule", P(-0.19, 0.062), P(-0.1, 0.04), 0.068 * u, 0.075 * u),
    ]
    prim.drop_shadow(surface, hand_a, (0.004 * u, 0.012 * u), 0.016 * u, 110)
    prim.shaded_shape(
        surface, hand_a, near_skin, light=HAND_LIGHT, relief=0.035 * u, shadow=0.62, rim=HAND_RIM
    )
    group: Shape = [("capsule", P(*a0), P(*a1), r * u, r * u * 0.94) for a0, a1, r in _FINGERS]
    prim.drop_shadow(surface, group, (0.004 * u, 0.012 * u), 0.014 * u, 130)
    prim.shaded_shape(
        surface,
        group,
        far_skin,
        light=HAND_LIGHT,
        relief=0.014 * u,
        shadow=0.64,
        highlight=0.14,
        rim=HAND_RIM,
    )
    det = prim.new_layer(surface.get_size())
    lw = max(1, round(u * 0.003))
    for (a0, a1, _r), (b0, b1, _r2) in itertools.pairwise(_FINGERS):
        m0 = ((a0[0] + b0[0]) / 2, (a0[1] + b0[1]) / 2)
        m1 = ((a1[0] + b1[0]) / 2 + 0.02, (a1[1] + b1[1]) / 2)
        pygame.draw.line(det, (90, 46, 24, 150), P(*m0), P(*m1), lw)
    if detail:
        _finger_details(det, P, u, lw)
    surface.blit(det, (0, 0))
    thumb: Shape = [
        ("capsule", P(-0.13, -0.03), P(-0.01, -0.068), 0.03 * u, 0.026 * u),
        ("capsule", P(-0.01, -0.068), P(0.085, -0.078), 0.026 * u, 0.022 * u),
    ]
    prim.drop_shadow(surface, thumb, (0.004 * u, 0.012 * u), 0.012 * u, 130)
    prim.shaded_shape(
        surface,
        thumb,
        near_skin,
        light=HAND_LIGHT,
        relief=0.016 * u,
        shadow=0.64,
        highlight=0.14,
        rim=HAND_RIM,
    )
    if detail:
        nail = prim.new_layer(surface.get_size())
        pygame.draw.polygon(
            nail,
            (255, 230, 212, 90),
            prim.ellipse_points(P(0.075, -0.082), 0.014 * u, 0.009 * u, -0.1, 12),
        )
        pygame.draw.line(nail, (110, 60, 34, 70), P(-0.005, -0.092), P(-0.015, -0.045), lw)
        surface.blit(nail, (0, 0))


def _finger_details(
    layer: pygame.Surface, P: Callable[[float, float], Point], u: float, lw: int
) -> None:
    """Creases across the far hand's fingers and a light on each fingertip."""
    for a0, a1, r in _FINGERS:
        for t in (0.38, 0.68):
            q = (a0[0] + (a1[0] - a0[0]) * t, a0[1] + (a1[1] - a0[1]) * t)
            pygame.draw.line(
                layer,
                (110, 60, 34, 70),
                P(q[0], q[1] - r * 0.6),
                P(q[0] + 0.004, q[1] + r * 0.6),
                lw,
            )
        tip = P(a1[0] + 0.004, a1[1] - r * 0.15)
        pygame.draw.polygon(
            layer,
            (255, 226, 206, 80),
            prim.ellipse_points(tip, r * 0.55 * u, r * 0.38 * u, 0.1, 12),
        )
