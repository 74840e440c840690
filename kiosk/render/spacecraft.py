"""Apollo and Soyuz 19, drawn in code at true relative scale.

The hulls (:func:`draw_apollo`, :func:`draw_soyuz`, :func:`render_spacecraft_pair`)
are side views for the illustrations; the docking animation's sprites add what
moves: the APAS-75 docking units (structural base ring, guide ring with three
petals and capture latches, the six struts between them), thruster plumes, and
Apollo seen end-on as the disc that eclipses the Sun.

Every sprite is drawn once per size (supersampled, then smooth-scaled down) and
carries an *anchor*: the pixel of its reference point.  The hulls' reference is
the centre of their base ring (where the two craft meet at hard dock); the guide
ring's is the centre of its front face.  A :class:`ZoomSprite` keeps a chain of
pre-scaled copies so a zooming camera only needs a cheap nearest-neighbour scale
of a copy at most one eighth of an octave larger.

World geometry (metres along the craft, from the base ring): Apollo's engine bell
ends 13.55 m behind it; Soyuz's tail is 6.93 m behind its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from kiosk.render.palette import Color
from kiosk.render.primitives import (
    LIGHT,
    WHITE_MASK,
    Point,
    Vec3,
    apply_mask,
    bounding_rect,
    circle_mask,
    ellipse_points,
    field,
    new_layer,
    normalise,
    scale_color,
    shaded_polygon,
    shaded_sphere,
    smoothstep,
    soften,
)

# --------------------------------------------------------------------------- hulls
#
# Side views, axis horizontal, drawn from a docking-port point.  Local coordinates are
# metres: ``a`` runs aft from the port tip along the axis, ``r`` across it (negative is
# up on screen).  ``facing=+1`` points the port to the right, ``-1`` to the left.
#
# Apollo (CSM 11.0 m + Docking Module 3.15 m = 14.15 m from APAS tip to engine bell):
#   DM 3.15 m, 1.4 m max dia, ending in the APAS-75 unit (1.3 m dia) with its petals;
#   docking tunnel and probe collar 0.89 m; command module cone 3.23 m tall, 3.91 m
#   base; service module 6.88 m including its engine bell (4.78 m drum of 3.9 m
#   diameter + 2.1 m bell, 2.5 m exit); RCS quads near the forward end of the drum.
# Soyuz 7K-TM (7.48 m, 2.72 m max diameter, solar array span 8.37 m):
#   APAS-75 0.55 m; orbital module ~2.25 m sphere; descent module bell 2.24 m long,
#   2.2 m diameter; service module flaring to 2.72 m with the two solar wings.

APOLLO_CSM_LENGTH_M = 11.0
APOLLO_DM_LENGTH_M = 3.15
APOLLO_DIAMETER_M = 3.9
SOYUZ_LENGTH_M = 7.48
SOYUZ_DIAMETER_M = 2.72
SOYUZ_SPAN_M = 8.37
APAS_DIAMETER_M = 1.3

# Materials: (colour, specular, shine, ambient)
_SILVER = ((196, 200, 208), 0.55, 10.0, 0.22)
_WHITE = ((226, 226, 222), 0.3, 12.0, 0.24)
_DM_WHITE = ((220, 222, 224), 0.3, 12.0, 0.24)
_DARK = ((70, 72, 78), 0.25, 10.0, 0.3)
_BELL = ((92, 88, 86), 0.3, 8.0, 0.28)
_APAS = ((176, 180, 186), 0.4, 10.0, 0.25)
_SOYUZ_GREEN = ((124, 142, 112), 0.12, 8.0, 0.24)
_SOYUZ_GREY = ((198, 200, 194), 0.25, 10.0, 0.24)
_EARTH_FILL = (26, 46, 78)


def apollo_length_m(with_docking_module: bool = True) -> float:
    """Drawn length of Apollo in metres, port tip to engine bell."""
    return APOLLO_CSM_LENGTH_M + (APOLLO_DM_LENGTH_M if with_docking_module else 0.0)


class _Craft:
    """Maps local (a, r) metres to screen pixels for one spacecraft."""

    def __init__(
        self, surface: pygame.Surface, port: Point, scale: float, facing: int, light: Vec3
    ) -> None:
        self.surface = surface
        self.px, self.py = port
        self.s = scale
        self.f = 1 if facing >= 0 else -1
        self.light = light
        self.rect: pygame.Rect | None = None

    def pt(self, a: float, r: float) -> Point:
        return (self.px - self.f * a * self.s, self.py + r * self.s)

    def grow(self, box: pygame.Rect) -> None:
        self.rect = box.copy() if self.rect is None else self.rect.union(box)

    def revolve(
        self,
        profile: Sequence[tuple[float, float]],
        material: tuple[Color, float, float, float],
        radius: float | None = None,
    ) -> None:
        """A body of revolution from (a, r) profile points (r >= 0)."""
        top = [self.pt(a, -r) for a, r in profile]
        bottom = [self.pt(a, r) for a, r in reversed(profile)]
        rad = radius if radius is not None else max(r for _, r in profile)
        self.poly(top + bottom, material, rad)

    def poly(
        self,
        pts: Sequence[Point],
        material: tuple[Color, float, float, float],
        radius: float,
        axis_r: float = 0.0,
    ) -> None:
        colour, spec, shine, amb = material
        box = shaded_polygon(
            self.surface,
            pts,
            colour,
            self.py + axis_r * self.s,
            max(1e-3, radius * self.s),
            light=self.light,
            ambient=amb,
            specular=spec,
            shine=shine,
            fill=_EARTH_FILL,
        )
        self.grow(box)

    def local_poly(
        self,
        pts: Sequence[tuple[float, float]],
        material: tuple[Color, float, float, float],
        radius: float,
        axis_r: float = 0.0,
    ) -> None:
        self.poly([self.pt(a, r) for a, r in pts], material, radius, axis_r)

    def sphere(self, a: float, r: float, radius: float, colour: Color, spec: float = 0.25) -> None:
        box = shaded_sphere(
            self.surface,
            self.pt(a, r),
            radius * self.s,
            colour,
            light=self.light,
            specular=spec,
            ambient=0.2,
        )
        self.grow(box)


def _detail_layer(craft: _Craft) -> tuple[pygame.Surface, Callable[[float, float], Point]]:
    box = craft.rect if craft.rect is not None else pygame.Rect(0, 0, 1, 1)
    layer = new_layer(box.size)

    def lp(a: float, r: float) -> Point:
        x, y = craft.pt(a, r)
        return (x - box.x, y - box.y)

    return layer, lp


def _apas(c: _Craft, a0: float) -> None:
    """APAS-75 unit whose petal tips are at ``a0``: guide ring, three petals, collar."""
    # Petals: one at the top (seen edge-on), one lower and facing us.
    c.local_poly([(a0 + 0.32, -0.66), (a0 + 0.32, -0.3), (a0, -0.46)], _APAS, 0.66)
    c.local_poly([(a0 + 0.32, 0.05), (a0 + 0.32, 0.55), (a0 + 0.02, 0.36)], _APAS, 0.66)
    c.revolve([(a0 + 0.3, 0.6), (a0 + 0.36, 0.65), (a0 + 0.58, 0.65), (a0 + 0.62, 0.6)], _APAS)


def _high_gain_antenna(c: _Craft, a_bell: float) -> None:
    """The high-gain antenna on its boom behind the service module."""
    surface, scale = c.surface, c.s
    p0 = c.pt(a_bell - 0.25, 1.95)
    p1 = c.pt(a_bell + 0.55, 3.05)
    pygame.draw.line(surface, (120, 122, 128), p0, p1, max(1, round(0.09 * scale)))
    dish = [
        (a_bell + 0.1, 3.05),
        (a_bell + 1.2, 3.05),
        (a_bell + 1.2, 3.55),
        (a_bell + 0.1, 3.55),
    ]
    c.local_poly(dish, _DARK, 0.4, 3.3)
    for k in range(2):
        c.sphere(a_bell + 0.38 + 0.55 * k, 3.3, 0.24, (206, 208, 212), 0.35)


def _apollo_details(
    c: _Craft, with_docking_module: bool, a_cm: float, a_sm: float, a_bell: float
) -> None:
    """Surface details on a translucent layer: panel lines, bands, windows, quads."""
    layer, lp = _detail_layer(c)
    s = c.s
    lw = max(1, round(0.035 * s))
    dark = (0, 0, 0, 70)
    light_line = (255, 255, 255, 60)
    if with_docking_module:
        for aa in (0.9, 2.55):
            pygame.draw.line(
                layer, (0, 0, 0, 110), lp(aa, -0.7), lp(aa, 0.7), max(1, round(0.09 * s))
            )
        pygame.draw.line(layer, dark, lp(1.0, -0.35), lp(2.5, -0.35), lw)
        pygame.draw.line(layer, dark, lp(1.0, 0.3), lp(2.5, 0.3), lw)
        pygame.draw.circle(layer, (20, 26, 40, 200), lp(1.7, -0.05), 0.13 * s)
    # CM: generatrix panel lines, rendezvous windows, hatch.
    for k in (-0.62, -0.28, 0.12, 0.5):
        pygame.draw.line(
            layer, (0, 0, 0, 40), lp(a_cm + 0.25, k * 0.68), lp(a_sm - 0.02, k * 1.955), lw
        )
    for aa, rr in ((a_cm + 0.95, -0.62), (a_cm + 0.95, 0.62)):
        win = [
            lp(aa, rr * 0.95),
            lp(aa + 0.32, rr * 1.12),
            lp(aa + 0.36, rr * 0.8),
            lp(aa + 0.06, rr * 0.7),
        ]
        pygame.draw.polygon(layer, (16, 22, 36, 230), win)
    hatch = [
        lp(a_cm + 1.6, -0.45),
        lp(a_cm + 2.55, -0.55),
        lp(a_cm + 2.55, 0.35),
        lp(a_cm + 1.6, 0.3),
    ]
    pygame.draw.polygon(layer, (0, 0, 0, 36), hatch, lw)
    pygame.draw.line(
        layer, (0, 0, 0, 120), lp(a_sm, -1.95), lp(a_sm, 1.95), max(1, round(0.06 * s))
    )
    # SM: circumferential bands and radiator panels.
    for aa, w, col in (
        (a_sm + 0.32, 0.12, (0, 0, 0, 60)),
        (a_sm + 2.3, 0.05, (0, 0, 0, 50)),
        (a_bell - 0.45, 0.3, (0, 0, 0, 55)),
        (a_bell - 0.12, 0.06, (0, 0, 0, 90)),
    ):
        pygame.draw.line(layer, col, lp(aa, -1.95), lp(aa, 1.95), max(1, round(w * s)))
    for rr in (-1.35, -0.75, 0.6, 1.25):
        pygame.draw.line(layer, light_line, lp(a_sm + 2.45, rr), lp(a_bell - 0.65, rr), lw)
    rad = [
        lp(a_sm + 2.45, -0.5),
        lp(a_bell - 0.65, -0.5),
        lp(a_bell - 0.65, 0.35),
        lp(a_sm + 2.45, 0.35),
    ]
    pygame.draw.polygon(layer, (255, 255, 255, 40), rad)
    for k in range(9):
        aa = a_sm + 2.55 + k * (a_bell - 0.75 - a_sm - 2.55) / 8
        pygame.draw.line(layer, (0, 0, 0, 28), lp(aa, -0.5), lp(aa, 0.35), lw)
    # Face-on RCS quad.
    q = [lp(a_sm + 0.8, -0.32), lp(a_sm + 1.4, -0.32), lp(a_sm + 1.4, 0.32), lp(a_sm + 0.8, 0.32)]
    pygame.draw.polygon(layer, (40, 42, 48, 230), q)
    for da, dr in ((-0.45, 0), (0.45, 0), (0, -0.5), (0, 0.5)):
        pygame.draw.line(
            layer,
            (60, 62, 68, 230),
            lp(a_sm + 1.1, 0),
            lp(a_sm + 1.1 + da, dr),
            max(1, round(0.1 * s)),
        )
    # Bell: a lighter lip.
    pygame.draw.line(
        layer, (255, 255, 255, 50), lp(a_bell + 2.08, -1.24), lp(a_bell + 2.08, 1.24), lw
    )
    surface = c.surface
    surface.blit(layer, c.rect.topleft if c.rect else (0, 0))


def draw_apollo(
    surface: pygame.Surface,
    port: Point,
    scale: float,
    facing: int = 1,
    *,
    with_docking_module: bool = True,
    high_gain_antenna: bool = True,
    apas: bool = True,
    light: Vec3 = LIGHT,
) -> pygame.Rect:
    """Draw the Apollo CSM (with the Docking Module) at true scale; returns its rect.

    ``port`` is the tip of the forward docking unit (the DM's APAS-75 petals, or the
    command module's probe without the DM), ``scale`` is pixels per metre and
    ``facing=+1`` points the port to the right.  The drawn length is 14.15 m × scale
    with the DM (11.0 m without).  Place two craft nose to nose by giving them port
    points a small gap apart with opposite ``facing``.  ``apas=False`` leaves out the
    docking unit's guide ring and petals (an animation draws them itself).
    """
    c = _Craft(surface, port, scale, facing, normalise(light))
    a = 0.0
    if with_docking_module:
        if apas:
            _apas(c, 0.0)
        # Docking module drum with a tapered aft adapter.
        c.revolve([(0.6, 0.62), (0.66, 0.7), (2.7, 0.7), (3.15, 0.46)], _DM_WHITE, 0.7)
        c.sphere(2.3, -0.66, 0.27, (214, 214, 210))
        c.sphere(2.3, 0.66, 0.27, (214, 214, 210))
        a = 3.15
    # Docking tunnel / probe collar.
    c.revolve([(a, 0.36), (a + 0.12, 0.42), (a + 0.89, 0.46)], _SILVER, 0.46)
    a_cm = a + 0.89
    # Command module: truncated cone with a slightly rounded shoulder.
    cm = [(a_cm, 0.52), (a_cm + 0.18, 0.68)]
    for i in range(1, 11):
        t = i / 10
        cm.append((a_cm + 0.18 + (3.23 - 0.26) * t, 0.68 + (1.955 - 0.68) * t))
    cm.append((a_cm + 3.23, 1.955))
    c.revolve(cm, _SILVER, 1.96)
    a_sm = a_cm + 3.23
    a_bell = a_sm + 4.78
    # RCS quads (top and bottom, seen edge-on) go behind the drum's silhouette edge.
    for sgn in (-1, 1):
        c.local_poly(
            [
                (a_sm + 0.75, sgn * 1.9),
                (a_sm + 0.75, sgn * 2.14),
                (a_sm + 1.45, sgn * 2.14),
                (a_sm + 1.45, sgn * 1.9),
            ],
            _DARK,
            2.15,
        )
        for aa, da in ((a_sm + 0.75, -0.28), (a_sm + 1.45, 0.28)):
            c.local_poly(
                [(aa, sgn * 1.98), (aa + da, sgn * 1.94), (aa + da, sgn * 2.2), (aa, sgn * 2.1)],
                _DARK,
                2.2,
            )
    # Service module drum.
    c.revolve(
        [(a_sm, 1.95), (a_sm + 0.05, 1.95), (a_bell - 0.05, 1.95), (a_bell, 1.9)], _WHITE, 1.95
    )
    # Aft bulkhead and engine bell.
    c.revolve([(a_bell - 0.02, 0.9), (a_bell + 0.15, 0.78)], _DARK, 1.0)
    bell = []
    for i in range(13):
        t = i / 12
        bell.append((a_bell + 0.1 + 2.0 * t, 0.5 + 0.75 * t**0.62))
    c.revolve(bell, _BELL, 1.25)
    if high_gain_antenna:
        _high_gain_antenna(c, a_bell)
    _apollo_details(c, with_docking_module, a_cm, a_sm, a_bell)
    assert c.rect is not None
    return c.rect


def draw_soyuz(
    surface: pygame.Surface,
    port: Point,
    scale: float,
    facing: int = -1,
    *,
    solar_arrays: bool = True,
    apas: bool = True,
    light: Vec3 = LIGHT,
) -> pygame.Rect:
    """Draw Soyuz 7K-TM (Soyuz 19) at true scale; returns its rect.

    ``port`` is the tip of the APAS-75 docking unit on the orbital module, ``scale``
    pixels per metre, ``facing=-1`` points the port to the left (nose to nose with a
    default Apollo).  Length 7.48 m × scale; with the arrays the rect is 8.37 m × scale
    tall (the wings are seen face-on, above and below the service module).
    ``apas=False`` leaves out the docking unit's guide ring and petals.
    """
    c = _Craft(surface, port, scale, facing, normalise(light))
    s = scale
    a_sm0, a_end = 5.14, SOYUZ_LENGTH_M
    wing_a0, wing_a1 = 5.7, 7.3
    if solar_arrays:
        half = SOYUZ_SPAN_M / 2
        for sgn in (-1, 1):
            # A short boom, then four panels with a cell grid.
            p0, p1 = c.pt(6.5, sgn * 1.2), c.pt(6.5, sgn * 1.66)
            pygame.draw.line(surface, (150, 150, 150), p0, p1, max(1, round(0.12 * s)))
            n_panels = 4
            r0 = 1.62
            seg = (half - r0) / n_panels
            for k in range(n_panels):
                ra, rb = r0 + k * seg + 0.04, r0 + (k + 1) * seg - 0.04
                if k == n_panels - 1:
                    rb = half
                pts = [
                    c.pt(wing_a0, sgn * ra),
                    c.pt(wing_a1, sgn * ra),
                    c.pt(wing_a1, sgn * rb),
                    c.pt(wing_a0, sgn * rb),
                ]
                box = bounding_rect(pts, pad=0)
                panel = new_layer(box.size)
                t_mid = (k + 0.5) / n_panels

                def pfn(
                    x: float, y: float, t_mid: float = t_mid, bw: int = box.w
                ) -> tuple[float, float, float]:
                    sheen = math.exp(-(((x / max(1, bw)) - 0.35 - 0.2 * t_mid) ** 2) / 0.05)
                    return (30 + 40 * sheen, 46 + 50 * sheen, 96 + 60 * sheen)

                panel.blit(field(box.size, pfn, (8, 8)), (0, 0))
                mask = new_layer(box.size)
                pygame.draw.polygon(mask, WHITE_MASK, [(x - box.x, y - box.y) for x, y in pts])
                apply_mask(panel, mask)
                grid = new_layer(box.size)
                cols, rows = 5, 5
                for i in range(1, cols):
                    aa = wing_a0 + (wing_a1 - wing_a0) * i / cols
                    q0, q1 = c.pt(aa, sgn * ra), c.pt(aa, sgn * rb)
                    pygame.draw.line(
                        grid,
                        (150, 170, 210, 90),
                        (q0[0] - box.x, q0[1] - box.y),
                        (q1[0] - box.x, q1[1] - box.y),
                        1,
                    )
                for i in range(1, rows):
                    rr = ra + (rb - ra) * i / rows
                    q0, q1 = c.pt(wing_a0, sgn * rr), c.pt(wing_a1, sgn * rr)
                    pygame.draw.line(
                        grid,
                        (150, 170, 210, 90),
                        (q0[0] - box.x, q0[1] - box.y),
                        (q1[0] - box.x, q1[1] - box.y),
                        1,
                    )
                panel.blit(grid, (0, 0))
                pygame.draw.polygon(
                    panel,
                    (190, 196, 206, 255),
                    [(x - box.x, y - box.y) for x, y in pts],
                    max(1, round(0.04 * s)),
                )
                surface.blit(panel, box.topleft)
                c.grow(box)
    # Service module: transfer section, instrument drum, flared propulsion section.
    c.revolve(
        [
            (a_sm0, 1.0),
            (a_sm0 + 0.35, 1.05),
            (6.0, 1.1),
            (6.15, 1.12),
            (7.1, 1.36),
            (7.3, 1.36),
            (a_end - 0.05, 1.1),
        ],
        _SOYUZ_GREY,
        1.36,
    )
    c.revolve([(a_end - 0.12, 0.3), (a_end, 0.42)], _DARK, 0.45)
    # Descent module: the "headlight" bell, narrow end forward.
    dm = []
    for i in range(13):
        t = i / 12
        dm.append((2.9 + 2.24 * t, 0.58 + 0.52 * (1 - (1 - t) ** 1.6)))
    dm[-1] = (2.9 + 2.24, 1.06)
    c.revolve(dm, _SOYUZ_GREEN, 1.1)
    # Orbital module: the sphere, with a collar to the docking unit.
    c.revolve([(0.55, 0.5), (0.9, 0.56)], _SOYUZ_GREY, 0.6)
    c.sphere(1.86, 0.0, 1.125, _SOYUZ_GREEN[0], 0.12)
    if apas:
        _apas(c, 0.0)

    layer, lp = _detail_layer(c)
    lw = max(1, round(0.035 * s))
    # Orbital module quilting, window, whip antennas.
    for rr in (-0.7, -0.25, 0.25, 0.7):
        w = math.sqrt(max(0.0, 1.125**2 - rr**2))
        pygame.draw.line(layer, (0, 0, 0, 34), lp(1.86 - w * 0.95, rr), lp(1.86 + w * 0.95, rr), lw)
    pygame.draw.circle(layer, (18, 24, 36, 220), lp(1.55, -0.45), 0.11 * s)
    for a0, r0, a1, r1 in ((1.3, -1.0, 0.2, -2.0), (2.5, 0.95, 3.4, 2.0)):
        pygame.draw.line(
            layer, (200, 200, 200, 200), lp(a0, r0), lp(a1, r1), max(1, round(0.04 * s))
        )
    # Descent module window and seam.
    pygame.draw.circle(layer, (18, 24, 36, 220), lp(3.9, -0.35), 0.12 * s)
    pygame.draw.line(layer, (0, 0, 0, 80), lp(5.12, -1.06), lp(5.12, 1.06), max(1, round(0.06 * s)))
    # Service module radiator ribs and the band at the flare.
    for k in range(7):
        rr = -0.9 + k * 0.3
        pygame.draw.line(layer, (0, 0, 0, 30), lp(5.6, rr), lp(6.1, rr), lw)
    pygame.draw.line(layer, (0, 0, 0, 60), lp(6.13, -1.12), lp(6.13, 1.12), lw)
    pygame.draw.line(layer, (255, 255, 255, 50), lp(7.2, -1.36), lp(7.2, 1.36), lw)
    assert c.rect is not None
    surface.blit(layer, c.rect.topleft)
    return c.rect


def render_spacecraft_pair(
    surface: pygame.Surface,
    center: Point,
    scale: float,
    gap_m: float = 0.6,
    *,
    light: Vec3 = LIGHT,
) -> tuple[pygame.Rect, pygame.Rect]:
    """Apollo (left, facing right) and Soyuz (right, facing left) nose to nose about
    ``center``, ``gap_m`` metres apart at the docking units; the pair is centred on
    its overall length.  Returns (apollo_rect, soyuz_rect)."""
    total = apollo_length_m(True) + gap_m + SOYUZ_LENGTH_M
    left = center[0] - total * scale / 2
    ax = left + apollo_length_m(True) * scale
    sx = ax + gap_m * scale
    ra = draw_apollo(surface, (ax, center[1]), scale, 1, light=light)
    rs = draw_soyuz(surface, (sx, center[1]), scale, -1, light=light)
    return ra, rs


# --------------------------------------------------------------------------- sprites

#: Apollo's art "port" (petal tips) lies this far ahead of its base ring.
APOLLO_PORT_AHEAD = 0.6
#: Soyuz's art "port" lies this far ahead of its base ring.
SOYUZ_PORT_AHEAD = 0.55
APAS_RADIUS = 0.65  # m, guide ring (1.3 m overall [B])
BASE_RING_RADIUS = 0.7
PETAL_LENGTH = 0.33
PETAL_BASE_R, PETAL_TIP_R = 0.63, 0.42
PETAL_HALF_ANGLE, PETAL_TIP_HALF_ANGLE = 30.0, 9.0
#: Petal azimuths (degrees from the top, towards the viewer): the two units'
#: petals sit 60° apart so they interleave.
APOLLO_PETALS = (0.0, 120.0, 240.0)
SOYUZ_PETALS = (60.0, 180.0, 300.0)
STRUT_RADIUS = 0.5
STRUT_AZIMUTHS = tuple(a + d for a in (60.0, 180.0, 300.0) for d in (-16.0, 16.0))

# Apollo's reaction-control quads, in metres from the base ring (x forward, y down).
QUADS: dict[str, tuple[float, float]] = {"top": (-7.77, -2.06), "bottom": (-7.77, 2.06)}
SIDE_QUAD = (-7.77, 0.0)
NOZZLE_OFFSET = 0.36  # from a quad's centre to its fore/aft nozzles
PLUME_LENGTH = 2.6  # m, the visible puff

# Extents of the sprites: (back, front, top, bottom) in metres from the base ring,
# forward along the craft's own axis, y down.
APOLLO_BOX = (-13.7, 0.12, -2.35, 3.75)
SOYUZ_BOX = (-7.0, 0.42, -4.3, 4.3)
RING_BOX = (-0.12, PETAL_LENGTH + 0.05, -0.75, 0.75)

_METAL: Color = (196, 200, 206)
_RING_DARK: Color = (120, 124, 132)


@dataclass(frozen=True, slots=True)
class Sprite:
    """A picture and the pixel of its reference point."""

    surface: pygame.Surface
    anchor: tuple[float, float]

    def blit_at(self, target: pygame.Surface, point: tuple[float, float]) -> pygame.Rect:
        """Blit so the reference point lands on ``point``."""
        return target.blit(
            self.surface, (round(point[0] - self.anchor[0]), round(point[1] - self.anchor[1]))
        )


def finish(surface: pygame.Surface, *, rle: bool = True) -> pygame.Surface:
    """Ready a sprite for fast blitting: the display's format and run-length encoding."""
    if pygame.display.get_surface() is not None:
        surface = surface.convert_alpha()
    if rle:
        surface.set_alpha(255, pygame.RLEACCEL)
    return surface


def _downsample(surface: pygame.Surface, anchor: tuple[float, float], ss: int) -> Sprite:
    """Smooth-scale a supersampled drawing down by ``ss`` and crop it to its pixels."""
    if ss > 1:
        w, h = surface.get_size()
        surface = pygame.transform.smoothscale(surface, (max(1, w // ss), max(1, h // ss)))
        anchor = (anchor[0] / ss, anchor[1] / ss)
    box = surface.get_bounding_rect()
    if box.w == 0 or box.h == 0:
        box = pygame.Rect(0, 0, 1, 1)
    cropped = surface.subsurface(box).copy()
    return Sprite(cropped, (anchor[0] - box.x, anchor[1] - box.y))


def _canvas(
    box: tuple[float, float, float, float], s: float, facing: int
) -> tuple[pygame.Surface, tuple[float, float]]:
    """A transparent canvas covering ``box`` (metres, x forward) at ``s`` px/m; returns
    it and the pixel of the reference point.  ``facing`` -1 mirrors x."""
    x0, x1, y0, y1 = box
    pad = 4
    w = math.ceil((x1 - x0) * s) + 2 * pad
    h = math.ceil((y1 - y0) * s) + 2 * pad
    ref_x = pad + (-x0 * s if facing > 0 else x1 * s)
    ref_y = pad - y0 * s
    return new_layer((w, h)), (ref_x, ref_y)


def _band(
    surface: pygame.Surface,
    ref: tuple[float, float],
    s: float,
    facing: int,
    a0: float,
    a1: float,
    radius: float,
    colour: Color,
    light: Vec3,
) -> None:
    """A short cylinder (a ring seen edge-on) from ``a0`` to ``a1`` metres forward."""
    xs = sorted((ref[0] + facing * a0 * s, ref[0] + facing * a1 * s))
    pts = [
        (xs[0], ref[1] - radius * s),
        (xs[1], ref[1] - radius * s),
        (xs[1], ref[1] + radius * s),
        (xs[0], ref[1] + radius * s),
    ]
    shaded_polygon(
        surface,
        pts,
        colour,
        ref[1],
        radius * s,
        light=light,
        ambient=0.24,
        specular=0.45,
        shine=10.0,
        fill=(26, 46, 78),
    )


def _petal_points(
    ref: tuple[float, float], s: float, facing: int, face: float, azimuth: float
) -> list[tuple[float, float]]:
    def p(a: float, r: float, ang: float) -> tuple[float, float]:
        return (ref[0] + facing * a * s, ref[1] - r * math.cos(math.radians(ang)) * s)

    return [
        p(face, PETAL_BASE_R, azimuth - PETAL_HALF_ANGLE),
        p(face + PETAL_LENGTH, PETAL_TIP_R, azimuth - PETAL_TIP_HALF_ANGLE),
        p(face + PETAL_LENGTH, PETAL_TIP_R, azimuth + PETAL_TIP_HALF_ANGLE),
        p(face, PETAL_BASE_R, azimuth + PETAL_HALF_ANGLE),
    ]


def petal_shade(azimuth: float, facing: int, light: Vec3 = LIGHT) -> float:
    """Brightness (0–1.3) of a petal at ``azimuth``: Lambert plus a little specular."""
    th = math.radians(azimuth)
    # Tangent round the ring and the line from the petal's base to its tip, in
    # (forward, y down, z towards the viewer); the normal points outwards.
    tangent = (0.0, math.sin(th), math.cos(th))
    along = (PETAL_LENGTH, (PETAL_BASE_R - PETAL_TIP_R) * math.cos(th), -(0.3) * math.sin(th))
    n = (
        tangent[1] * along[2] - tangent[2] * along[1],
        tangent[2] * along[0] - tangent[0] * along[2],
        tangent[0] * along[1] - tangent[1] * along[0],
    )
    radial = (0.0, -math.cos(th), math.sin(th))
    if n[0] * radial[0] + n[1] * radial[1] + n[2] * radial[2] < 0:
        n = (-n[0], -n[1], -n[2])
    nx, ny, nz = normalise((n[0] * facing, n[1], n[2]))
    lx, ly, lz = normalise(light)
    d = nx * lx + ny * ly + nz * lz
    return 0.5 + 0.6 * max(0.0, d) + 0.25 * max(0.0, d) ** 12


def _petals(
    surface: pygame.Surface,
    ref: tuple[float, float],
    s: float,
    facing: int,
    face: float,
    azimuths: tuple[float, ...],
    front: bool,
    light: Vec3,
) -> None:
    for az in azimuths:
        z = math.sin(math.radians(az))
        if (z > 1e-6) != front:
            continue
        k = petal_shade(az, facing, light) * (1.0 if front else 0.72)
        colour = scale_color(_METAL, k)
        pts = _petal_points(ref, s, facing, face, az)
        pygame.draw.polygon(surface, colour, pts)
        # A recessed panel inside a raised rim, as on the real petals.
        cx = sum(p[0] for p in pts) / 4
        cy = sum(p[1] for p in pts) / 4
        inner = [(cx + (x - cx) * 0.62, cy + (y - cy) * 0.62) for x, y in pts]
        if abs(z) > 0.3:
            pygame.draw.polygon(surface, scale_color(colour, 0.86), inner)
        edge = scale_color(colour, 1.2 if front else 0.85)
        pygame.draw.lines(surface, edge, True, pts, max(1, round(0.014 * s)))


def _latches(
    surface: pygame.Surface,
    ref: tuple[float, float],
    s: float,
    facing: int,
    face: float,
    azimuths: tuple[float, ...],
) -> None:
    """The three capture latches, between the petals on the guide ring's face."""
    for az in azimuths:
        th = math.radians(az + 60)
        if math.sin(th) <= 0.15:
            continue
        y = ref[1] - APAS_RADIUS * 0.93 * math.cos(th) * s
        x = ref[0] + facing * (face + 0.02) * s
        half = 0.07 * s * max(0.3, math.sin(th))
        rect = pygame.Rect(0, 0, max(2, round(0.06 * s)), max(2, round(2 * half)))
        rect.center = (round(x), round(y))
        pygame.draw.rect(surface, (54, 56, 62), rect)
        pygame.draw.rect(surface, (150, 152, 160), rect, max(1, round(0.01 * s)))


def passive_apas(
    surface: pygame.Surface, ref: tuple[float, float], s: float, facing: int, light: Vec3
) -> None:
    """A retracted docking unit (base ring, guide ring, petals) at the base ring ``ref``."""
    _band(surface, ref, s, facing, -0.1, 0.0, BASE_RING_RADIUS, _RING_DARK, light)
    _petals(surface, ref, s, facing, 0.0, SOYUZ_PETALS, False, light)
    _band(surface, ref, s, facing, -0.1, 0.0, APAS_RADIUS, _METAL, light)
    _latches(surface, ref, s, facing, -0.1, SOYUZ_PETALS)
    _petals(surface, ref, s, facing, 0.0, SOYUZ_PETALS, True, light)


def apollo_body(scale: float, *, ss: int = 2, box: tuple | None = None) -> Sprite:
    """Apollo (CSM + docking module) without its moving guide ring; anchor: base ring."""
    s = scale * ss
    surface, ref = _canvas(box or APOLLO_BOX, s, 1)
    light = LIGHT
    draw_apollo(surface, (ref[0] + APOLLO_PORT_AHEAD * s, ref[1]), s, 1, apas=False)
    _band(surface, ref, s, 1, -0.1, 0.02, BASE_RING_RADIUS, _RING_DARK, light)
    return _downsample(surface, ref, ss)


def apollo_ring(scale: float, *, ss: int = 2) -> Sprite:
    """Apollo's guide ring with its petals and capture latches; anchor: the ring's face."""
    s = scale * ss
    surface, ref = _canvas(RING_BOX, s, 1)
    light = LIGHT
    _petals(surface, ref, s, 1, 0.0, APOLLO_PETALS, False, light)
    _band(surface, ref, s, 1, -0.1, 0.0, APAS_RADIUS, _METAL, light)
    _latches(surface, ref, s, 1, -0.1, APOLLO_PETALS)
    _petals(surface, ref, s, 1, 0.0, APOLLO_PETALS, True, light)
    return _downsample(surface, ref, ss)


def soyuz_body(scale: float, *, ss: int = 2, box: tuple | None = None) -> Sprite:
    """Soyuz 19 with its retracted (passive) docking unit; anchor: base ring."""
    s = scale * ss
    x0, x1, y0, y1 = box or SOYUZ_BOX
    surface, ref = _canvas((x0, x1, y0, y1), s, -1)
    light = LIGHT
    draw_soyuz(surface, (ref[0] - SOYUZ_PORT_AHEAD * s, ref[1]), s, -1, apas=False)
    passive_apas(surface, ref, s, -1, light)
    return _downsample(surface, ref, ss)


def draw_struts(
    surface: pygame.Surface,
    base: tuple[float, float],
    scale: float,
    extension: float,
    shade: float = 1.0,
) -> list[pygame.Rect]:
    """The six struts between Apollo's base ring at ``base`` (px) and its guide ring
    ``extension`` metres ahead (a handful of lines: drawn every frame); returns the
    areas drawn."""
    length = extension * scale
    if length < 1.5:
        return []
    drawn = []
    width = max(1, round(0.028 * scale))
    for az in sorted(STRUT_AZIMUTHS, key=lambda a: math.sin(math.radians(a))):
        th = math.radians(az)
        z = math.sin(th)
        k = (0.5 + 0.45 * (z + 1) / 2) * shade
        colour = scale_color((200, 202, 208), k)
        # Each pair of struts crosses over: the far end sits 24° round the ring.
        far = th + math.radians(24 if az % 120 < 60 else -24)
        y0 = base[1] - STRUT_RADIUS * math.cos(th) * scale
        y1 = base[1] - STRUT_RADIUS * math.cos(far) * scale
        drawn.append(
            pygame.draw.line(surface, colour, (base[0], y0), (base[0] + length, y1), width)
        )
    return drawn


def plume(length_px: float) -> pygame.Surface:
    """A thruster puff pointing right, nozzle at the left middle: light on black,
    to be added to the picture."""
    L = max(6, round(length_px))
    H = max(5, round(L * 0.95))
    half = math.tan(math.radians(26))

    def fn(x: float, y: float) -> tuple[float, float, float]:
        along = x / L
        across = abs(y - H / 2) / max(1.0, (0.05 + along * half) * L)
        core = math.exp(-across * across * 2.0)
        fade = (1 - along) ** 1.4 * smoothstep(0.0, 0.04, along)
        hot = math.exp(-along * 9) * math.exp(-across * across * 4)  # bright at the nozzle
        k = min(1.0, 1.3 * core * fade + 0.47 * hot)
        return (232 * k, 240 * k, 255 * k)

    surface = field((L, H), fn, (min(L, 48), min(H, 48)))
    opaque = pygame.Surface((L, H))
    opaque.blit(surface, (0, 0))
    return opaque.convert() if pygame.display.get_surface() is not None else opaque


def plumes(length_px: float) -> dict[str, pygame.Surface]:
    """:func:`plume` for each way the exhaust can point on screen."""
    base = plume(length_px)
    return {
        "right": base,
        "left": pygame.transform.flip(base, True, False),
        "up": pygame.transform.rotate(base, 90),
        "down": pygame.transform.rotate(base, -90),
    }


def nozzle(quad: str, exhaust: str) -> tuple[float, float]:
    """Where a plume starts, metres from Apollo's base ring (x forward, y down)."""
    if quad == "side":
        x, y = SIDE_QUAD
        dx = {"fore": NOZZLE_OFFSET, "aft": -NOZZLE_OFFSET}.get(exhaust, 0.0)
        dy = {"up": -0.42, "down": 0.42}.get(exhaust, 0.0)
        return (x + dx, y + dy)
    x, y = QUADS[quad]
    return (x + (NOZZLE_OFFSET if exhaust == "fore" else -NOZZLE_OFFSET), y)


EXHAUST_ON_SCREEN = {"fore": "right", "aft": "left", "up": "up", "down": "down"}


class ZoomSprite:
    """A sprite pre-scaled to a chain of sizes an eighth of an octave apart, for a
    camera that zooms: :meth:`at` picks the nearest larger copy and scales it down
    (nearest neighbour, less than 9 %), so a frame costs one small scale and a blit."""

    STEP = 2 ** (1 / 8)

    def __init__(self, master: Sprite, master_scale: float, low_scale: float) -> None:
        self.levels: list[tuple[float, Sprite]] = []
        scale = master_scale
        surface, anchor = master.surface, master.anchor
        w0, h0 = surface.get_size()
        while True:
            k = scale / master_scale
            size = (max(1, round(w0 * k)), max(1, round(h0 * k)))
            scaled = surface if k == 1 else pygame.transform.smoothscale(surface, size)
            sx, sy = size[0] / w0, size[1] / h0
            self.levels.append(
                (scale, Sprite(finish(scaled, rle=False), (anchor[0] * sx, anchor[1] * sy)))
            )
            if scale <= low_scale:
                break
            scale /= self.STEP
        self.levels.reverse()  # smallest first
        self._last: tuple[float, Sprite] | None = None

    def at(self, scale: float) -> Sprite:
        """The sprite at ``scale`` px/m."""
        if self._last is not None and self._last[0] == scale:
            return self._last[1]
        level_scale, level = self.levels[-1]
        for s, sprite in self.levels:
            if s >= scale - 1e-9:
                level_scale, level = s, sprite
                break
        k = scale / level_scale
        if abs(k - 1) < 1e-6:
            result = level
        else:
            w, h = level.surface.get_size()
            size = (max(1, round(w * k)), max(1, round(h * k)))
            result = Sprite(
                pygame.transform.scale(level.surface, size),
                (level.anchor[0] * size[0] / w, level.anchor[1] * size[1] / h),
            )
        self._last = (scale, result)
        return result


def apollo_end_on(radius: float, sun_angle: float = -0.5) -> Sprite:
    """Apollo seen end-on against the Sun: a dark disc with its quads and the
    high-gain antenna, a faint earthshine from below, and the edge that faces the
    Sun (``sun_angle``, radians, screen coordinates) catching its light; anchor: centre."""
    ss = 2
    R = radius * ss
    size = round(R * 4.2)
    layer = new_layer((size, size))
    c = (size / 2, size / 2)
    body = (10, 11, 16)
    # The high-gain antenna: a boom and its cluster of four dishes, down and left.
    ang = math.radians(118)
    p0 = (c[0] + math.cos(ang) * R * 0.95, c[1] + math.sin(ang) * R * 0.95)
    p1 = (c[0] + math.cos(ang) * R * 1.42, c[1] + math.sin(ang) * R * 1.42)
    pygame.draw.line(layer, (*body, 255), p0, p1, max(2, round(R * 0.035)))
    hub = (c[0] + math.cos(ang) * R * 1.62, c[1] + math.sin(ang) * R * 1.62)
    pygame.draw.circle(layer, (*body, 255), hub, R * 0.06)
    for k in range(4):
        a = ang + math.pi / 4 + k * math.pi / 2
        d = (hub[0] + math.cos(a) * R * 0.15, hub[1] + math.sin(a) * R * 0.15)
        pygame.draw.circle(layer, (*body, 255), d, R * 0.09)
    # Reaction-control quads at 45° round the service module.
    for k in range(4):
        a = math.radians(45 + 90 * k)
        q = (c[0] + math.cos(a) * R * 1.02, c[1] + math.sin(a) * R * 1.02)
        pts = ellipse_points(q, R * 0.11, R * 0.07, a, 8)
        pygame.draw.polygon(layer, (*body, 255), pts)
    pygame.draw.circle(layer, (*body, 255), c, R)

    # Earthshine from below and the docking module's rings, very dim.
    def shine(x: float, y: float) -> tuple[float, float, float, float]:
        v = (y - c[1]) / R
        return (16, 28, 52, 255 * smoothstep(-0.2, 1.0, v) * 0.9)

    glow = field((size, size), shine, (24, 24))
    mask = circle_mask((size, size), c, R)
    apply_mask(glow, mask)
    layer.blit(glow, (0, 0))
    for rr, col in ((0.36, (22, 24, 32, 255)), (0.33, (14, 15, 20, 255))):
        pygame.draw.circle(layer, col, c, R * rr, max(1, round(R * 0.02)))
    rim = new_layer((size, size))
    for k in range(-12, 13):
        a0 = sun_angle + k * math.radians(6)
        a1 = a0 + math.radians(6.5)
        strength = math.cos(k / 12 * math.pi / 2) ** 2
        pygame.draw.line(
            rim,
            (255, 240, 214, round(210 * strength)),
            (c[0] + math.cos(a0) * R * 0.99, c[1] + math.sin(a0) * R * 0.99),
            (c[0] + math.cos(a1) * R * 0.99, c[1] + math.sin(a1) * R * 0.99),
            max(1, round(R * 0.03)),
        )
    layer.blit(soften(rim, 2), (0, 0))
    return _downsample(layer, c, ss)
