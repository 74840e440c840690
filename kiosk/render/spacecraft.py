"""Apollo and Soyuz 19 as sprites for the docking animation, at true relative scale.

The hulls come from :func:`kiosk.render.art.draw_apollo` and
:func:`~kiosk.render.art.draw_soyuz`; this module adds what moves: the APAS-75
docking units (structural base ring, guide ring with three petals and capture
latches, the six struts between them), thruster plumes, and Apollo seen end-on
as the disc that eclipses the Sun.

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
from dataclasses import dataclass

import pygame

from kiosk.render import art
from kiosk.render.palette import Color

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
    return art.new_layer((w, h)), (ref_x, ref_y)


def _band(
    surface: pygame.Surface,
    ref: tuple[float, float],
    s: float,
    facing: int,
    a0: float,
    a1: float,
    radius: float,
    colour: Color,
    light: art.Vec3,
) -> None:
    """A short cylinder (a ring seen edge-on) from ``a0`` to ``a1`` metres forward."""
    xs = sorted((ref[0] + facing * a0 * s, ref[0] + facing * a1 * s))
    pts = [
        (xs[0], ref[1] - radius * s),
        (xs[1], ref[1] - radius * s),
        (xs[1], ref[1] + radius * s),
        (xs[0], ref[1] + radius * s),
    ]
    art.shaded_polygon(
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


def petal_shade(azimuth: float, facing: int, light: art.Vec3 = art.LIGHT) -> float:
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
    nx, ny, nz = art.normalise((n[0] * facing, n[1], n[2]))
    lx, ly, lz = art.normalise(light)
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
    light: art.Vec3,
) -> None:
    for az in azimuths:
        z = math.sin(math.radians(az))
        if (z > 1e-6) != front:
            continue
        k = petal_shade(az, facing, light) * (1.0 if front else 0.72)
        colour = art.scale_color(_METAL, k)
        pts = _petal_points(ref, s, facing, face, az)
        pygame.draw.polygon(surface, colour, pts)
        # A recessed panel inside a raised rim, as on the real petals.
        cx = sum(p[0] for p in pts) / 4
        cy = sum(p[1] for p in pts) / 4
        inner = [(cx + (x - cx) * 0.62, cy + (y - cy) * 0.62) for x, y in pts]
        if abs(z) > 0.3:
            pygame.draw.polygon(surface, art.scale_color(colour, 0.86), inner)
        edge = art.scale_color(colour, 1.2 if front else 0.85)
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
    surface: pygame.Surface, ref: tuple[float, float], s: float, facing: int, light: art.Vec3
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
    light = art.LIGHT
    art.draw_apollo(surface, (ref[0] + APOLLO_PORT_AHEAD * s, ref[1]), s, 1, apas=False)
    _band(surface, ref, s, 1, -0.1, 0.02, BASE_RING_RADIUS, _RING_DARK, light)
    return _downsample(surface, ref, ss)


def apollo_ring(scale: float, *, ss: int = 2) -> Sprite:
    """Apollo's guide ring with its petals and capture latches; anchor: the ring's face."""
    s = scale * ss
    surface, ref = _canvas(RING_BOX, s, 1)
    light = art.LIGHT
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
    light = art.LIGHT
    art.draw_soyuz(surface, (ref[0] - SOYUZ_PORT_AHEAD * s, ref[1]), s, -1, apas=False)
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
        colour = art.scale_color((200, 202, 208), k)
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
        fade = (1 - along) ** 1.4 * art.smoothstep(0.0, 0.04, along)
        hot = math.exp(-along * 9) * math.exp(-across * across * 4)  # bright at the nozzle
        k = min(1.0, 1.3 * core * fade + 0.47 * hot)
        return (232 * k, 240 * k, 255 * k)

    surface = art.field((L, H), fn, (min(L, 48), min(H, 48)))
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
    layer = art.new_layer((size, size))
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
        pts = art.ellipse_points(q, R * 0.11, R * 0.07, a, 8)
        pygame.draw.polygon(layer, (*body, 255), pts)
    pygame.draw.circle(layer, (*body, 255), c, R)

    # Earthshine from below and the docking module's rings, very dim.
    def shine(x: float, y: float) -> tuple[float, float, float, float]:
        v = (y - c[1]) / R
        return (16, 28, 52, 255 * art.smoothstep(-0.2, 1.0, v) * 0.9)

    glow = art.field((size, size), shine, (24, 24))
    mask = art.circle_mask((size, size), c, R)
    art.apply_mask(glow, mask)
    layer.blit(glow, (0, 0))
    for rr, col in ((0.36, (22, 24, 32, 255)), (0.33, (14, 15, 20, 255))):
        pygame.draw.circle(layer, col, c, R * rr, max(1, round(R * 0.02)))
    rim = art.new_layer((size, size))
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
    layer.blit(art.soften(rim, 2), (0, 0))
    return _downsample(layer, c, ss)
