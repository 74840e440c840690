"""The Sun, the Moon and the Earth, drawn in code.

Built on :mod:`kiosk.render.primitives` (same conventions: ``(r, g, b)`` colours, a
light direction pointing towards the light, x right, y down, z towards the viewer).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from kiosk.render.palette import ATMOSPHERE, EARTH_DEEP, EARTH_OCEAN, SUN, Color, mix
from kiosk.render.primitives import (
    WHITE_MASK,
    Point,
    Vec3,
    apply_mask,
    circle_mask,
    clamp_byte,
    ellipse_points,
    field,
    glow,
    new_layer,
    normalise,
    scale_color,
    smoothstep,
    soften,
)

# --------------------------------------------------------------------------- sun & moon


def sun(
    surface: pygame.Surface,
    center: Point,
    radius: float,
    *,
    strength: float = 1.0,
    halo: float = 9.0,
) -> None:
    """The Sun: a white-hot disc inside layered warm glows (``halo`` × radius wide)."""
    warm = (255, 214, 150)
    glow(surface, center, radius * halo, warm, 0.28 * strength, falloff=3.2)
    glow(surface, center, radius * halo * 0.45, SUN, 0.45 * strength, falloff=2.6)
    glow(surface, center, radius * 2.2, (255, 250, 235), 0.9 * strength, falloff=1.8)
    pygame.draw.circle(surface, (255, 253, 246), center, radius)
    glow(surface, center, radius * 1.05, (255, 255, 255), 0.5 * strength, falloff=1.0)


@dataclass(frozen=True, slots=True)
class Streamers:
    """The look of the corona's streamers (:func:`corona_streamers`).

    ``count`` streamers at random angles, gathered towards the solar equator (at
    ``tilt`` radians) by ``|cos|`` to the power ``focus``; each ``length[0] +
    length[1]·eq·U(0.4, 1) + U(0, 0.5)`` disc radii long and ``width[0] + width[1]·eq``
    radii wide (times ``U(0.5, 1)``), of ``brightness`` (a range) times ``colour``,
    bent towards the equator by ``bend``.  Drawn at 1/``shrink`` of the size and
    softened by ``blur``.
    """

    count: int
    tilt: float
    focus: float
    length: tuple[float, float]
    width: tuple[float, float]
    brightness: tuple[float, float]
    bend: float
    colour: Color
    shrink: int
    blur: float


def corona_streamers(
    target: pygame.Surface,
    centre: Point,
    radius: float,
    rng: random.Random,
    look: Streamers,
    *,
    root: float,
    root_k: float = 1.0,
    reach_from: float,
) -> None:
    """Add the corona's streamers round a disc of ``radius`` at ``centre`` to
    ``target``: each rises from ``root * root_k`` pixels from the centre and reaches
    its length beyond ``reach_from``."""
    f = look.shrink
    w, h = target.get_size()
    lw_, lh_ = max(2, w // f), max(2, h // f)
    streams = pygame.Surface((lw_, lh_))
    streams.fill((0, 0, 0))
    tmp = pygame.Surface((lw_, lh_))
    tilt = look.tilt
    for _ in range(look.count):
        a = rng.uniform(0, 2 * math.pi)
        eq = abs(math.cos(a - tilt)) ** look.focus
        length = radius * (
            look.length[0] + look.length[1] * eq * rng.uniform(0.4, 1.0) + rng.uniform(0, 0.5)
        )
        wd = radius * (look.width[0] + look.width[1] * eq) * rng.uniform(0.5, 1.0)
        k = rng.uniform(*look.brightness)
        bend = math.sin(2 * (a - tilt)) * -look.bend * eq
        bx = centre[0] + math.cos(a) * root * root_k
        by = centre[1] + math.sin(a) * root * root_k
        tx = centre[0] + math.cos(a + bend) * (reach_from + length)
        ty = centre[1] + math.sin(a + bend) * (reach_from + length)
        mx = centre[0] + math.cos(a + bend * 0.4) * (reach_from + length * 0.45)
        my = centre[1] + math.sin(a + bend * 0.4) * (reach_from + length * 0.45)
        nx, ny = -math.sin(a), math.cos(a)
        shape = [
            (bx + nx * wd, by + ny * wd),
            (mx + nx * wd * 0.55, my + ny * wd * 0.55),
            (tx, ty),
            (mx - nx * wd * 0.55, my - ny * wd * 0.55),
            (bx - nx * wd, by - ny * wd),
        ]
        tmp.fill((0, 0, 0))
        pygame.draw.polygon(tmp, scale_color(look.colour, k), [(x / f, y / f) for x, y in shape])
        streams.blit(tmp, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    streams = soften(streams, look.blur)
    target.blit(
        pygame.transform.smoothscale(streams, (w, h)), (0, 0), special_flags=pygame.BLEND_RGB_ADD
    )


# Near-side maria, in disc coordinates (x right, y down, unit radius): (x, y, rx, ry).
_MARIA: tuple[tuple[float, float, float, float], ...] = (
    (-0.58, -0.02, 0.24, 0.4),  # Oceanus Procellarum
    (-0.42, 0.22, 0.2, 0.18),
    (-0.24, -0.44, 0.27, 0.24),  # Imbrium
    (0.17, -0.38, 0.16, 0.15),  # Serenitatis
    (0.34, -0.1, 0.2, 0.17),  # Tranquillitatis
    (0.0, -0.18, 0.09, 0.07),  # Vaporum
    (0.7, -0.3, 0.1, 0.13),  # Crisium
    (0.56, 0.12, 0.13, 0.16),  # Fecunditatis
    (0.34, 0.3, 0.09, 0.09),  # Nectaris
    (-0.2, 0.34, 0.16, 0.12),  # Nubium
    (-0.5, 0.42, 0.09, 0.09),  # Humorum
    (0.05, -0.74, 0.26, 0.05),  # Frigoris
)


def sphere_light(
    radius: float,
    light: Vec3,
    terminator: tuple[float, float],
    gain: tuple[float, float],
    floor: tuple[float, float, float],
) -> Callable[[float, float], tuple[float, float, float]]:
    """A light map for a sphere of ``radius`` drawn in a (2r × 2r) box, for :func:`field`.

    Lambert lighting with a soft terminator from ``terminator[0]`` to ``[1]`` (in
    cos-angle units), brightness ``gain[0] + gain[1] * cos``, and ``floor`` added so
    the night side keeps a faint earthshine tint.
    """

    def shade(x: float, y: float) -> tuple[float, float, float]:
        u, v = x / radius - 1, y / radius - 1
        rr = u * u + v * v
        if rr > 0.998:
            k = math.sqrt(0.998 / rr)
            u, v, rr = u * k, v * k, 0.998
        z = math.sqrt(1 - rr)
        dd = u * light[0] + v * light[1] + z * light[2]
        lam = smoothstep(terminator[0], terminator[1], dd) * (gain[0] + gain[1] * max(0.0, dd))
        return (255 * lam + floor[0], 255 * lam + floor[1], 255 * lam + floor[2])

    return shade


def moon(
    surface: pygame.Surface,
    center: Point,
    radius: float,
    rng: random.Random,
    *,
    light: Vec3 = (0.8, -0.25, 0.55),
    glow_strength: float = 0.35,
    craters: int = 50,
) -> None:
    """The Moon's near side: grey highlands, the familiar dark maria, craters (Tycho
    with its rays, Copernicus) and a soft terminator on the side away from ``light``."""
    cx, cy = center
    d = max(4, round(2 * radius))
    R = d / 2
    light = normalise(light)
    if glow_strength > 0:
        glow(surface, center, radius * 1.9, (190, 200, 225), glow_strength, falloff=2.8)
        glow(surface, center, radius * 1.25, (225, 228, 235), glow_strength * 0.8, falloff=2.0)
    base = (214, 211, 202)

    def albedo(x: float, y: float) -> tuple[float, float, float]:
        u, v = x / R - 1, y / R - 1
        rr = min(1.0, u * u + v * v)
        k = 1.0 - 0.06 * rr
        return (base[0] * k, base[1] * k, base[2] * (k + 0.01))

    body = field((d, d), albedo, (48, 48))
    # Maria: smooth irregular blots (a radius wobbling with a few harmonics), each
    # stacked from a pale rim to a darker core so the edges are soft; multiplied in.
    f = 2
    ms = max(2, d // f)
    maria = pygame.Surface((ms, ms))
    maria.fill((255, 255, 255))
    mrng = random.Random(rng.random())
    blobs = []
    for mx, my, rx, ry in _MARIA:
        harm = [(mrng.uniform(0.03, 0.1), n, mrng.uniform(0, 2 * math.pi)) for n in (2, 3, 5)]
        blobs.append((mx, my, rx, ry, harm, mrng.uniform(0.0, 0.06)))

    def blob_pts(
        mx: float, my: float, rx: float, ry: float, harm: list, grow: float
    ) -> list[Point]:
        pts = []
        for i in range(48):
            t = 2 * math.pi * i / 48
            k = grow * (1 + sum(a * math.sin(n * t + ph) for a, n, ph in harm))
            pts.append(
                ((mx + 1 + rx * k * math.cos(t)) * R / f, (my + 1 + ry * k * math.sin(t)) * R / f)
            )
        return pts

    for step in range(6):
        grow = 1.2 - step * 0.05
        tone = 236 - step * 13
        for mx, my, rx, ry, harm, dk in blobs:
            t = tone - dk * 200 * (step / 5)
            pygame.draw.polygon(maria, (t, t + 1, t + 5), blob_pts(mx, my, rx, ry, harm, grow))
    maria = soften(maria, 3.5)
    body.blit(
        pygame.transform.smoothscale(maria, (d, d)), (0, 0), special_flags=pygame.BLEND_RGB_MULT
    )
    # Craters: a darker bowl, its floor lit on the side away from the light.
    lx, ly = light[0], light[1]
    ln = math.hypot(lx, ly) or 1.0
    lx, ly = lx / ln, ly / ln

    def crater(u: float, v: float, r: float, depth: float = 1.0) -> None:
        rho = math.hypot(u, v)
        if rho + r > 0.97:
            return
        squash = math.sqrt(max(0.05, 1 - rho * rho))
        ang = math.atan2(v, u)
        c = ((u + 1) * R, (v + 1) * R)
        col = body.get_at((int(min(d - 1, c[0])), int(min(d - 1, c[1]))))[:3]
        pygame.draw.polygon(
            body,
            scale_color(col, 1.08),
            ellipse_points(c, r * R * squash * 1.12, r * R * 1.12, ang, 24),
        )
        pygame.draw.polygon(
            body,
            scale_color(col, 1 - 0.2 * depth),
            ellipse_points(c, r * R * squash, r * R, ang, 24),
        )
        c2 = (c[0] - lx * r * R * 0.22, c[1] - ly * r * R * 0.22)
        pygame.draw.polygon(
            body,
            scale_color(col, 1 - 0.05 * depth),
            ellipse_points(c2, r * R * squash * 0.8, r * R * 0.8, ang, 24),
        )

    for _ in range(craters):
        rho = math.sqrt(rng.random()) * 0.93
        t = rng.uniform(0, 2 * math.pi)
        r = 0.012 + 0.05 * rng.random() ** 3
        crater(rho * math.cos(t), rho * math.sin(t), r, rng.uniform(0.5, 1.0))
    crater(-0.3, -0.15, 0.045)  # Copernicus
    crater(-0.1, 0.7, 0.04)  # Tycho
    # Tycho's rays and Copernicus' splash: faint bright streaks.
    rays = new_layer((d, d))
    for (ru, rv), n, length in (((-0.1, 0.7), 12, 0.8),):
        for _ in range(n):
            a = rng.uniform(0, 2 * math.pi)
            ll = length * rng.uniform(0.4, 1.0)
            p0 = ((ru + 1) * R, (rv + 1) * R)
            p1 = ((ru + math.cos(a) * ll + 1) * R, (rv + math.sin(a) * ll + 1) * R)
            pygame.draw.line(rays, (255, 255, 250, 26), p0, p1, max(1, round(R * 0.025)))
    body.blit(soften(rays, 4), (0, 0))
    pygame.draw.circle(body, (238, 236, 230), ((-0.1 + 1) * R, (0.7 + 1) * R), 0.02 * R)

    # Light: Lambert with a soft terminator and a little earthshine on the night side.
    terminator = sphere_light(R, light, (-0.06, 0.22), (0.9, 0.12), (14, 17, 28))
    body.blit(field((d, d), terminator, (64, 64)), (0, 0), special_flags=pygame.BLEND_RGB_MULT)
    apply_mask(body, circle_mask((d, d), (R, R), R))
    surface.blit(body, (round(cx - R), round(cy - R)))


# --------------------------------------------------------------------------- the Earth


def _limb_geometry(rect: pygame.Rect, side: str) -> tuple[Point, float, Point]:
    """Centre, radius and outward 'up' direction of the circle whose cap fills rect."""
    if side in ("bottom", "top"):
        h, c = rect.h, rect.w / 2
    elif side in ("left", "right"):
        h, c = rect.w, rect.h / 2
    else:
        raise ValueError(f"side must be bottom, top, left or right, not {side!r}")
    h = max(1.0, h)
    R = (h * h + c * c) / (2 * h)
    if side == "bottom":
        return (rect.centerx, rect.top + R), R, (0.0, -1.0)
    if side == "top":
        return (rect.centerx, rect.bottom - R), R, (0.0, 1.0)
    if side == "left":
        return (rect.right - R, rect.centery), R, (1.0, 0.0)
    return (rect.left + R, rect.centery), R, (-1.0, 0.0)


@dataclass(frozen=True, slots=True)
class _Limb:
    """A limb's geometry: the Earth's circle (centre, radius ``R``), the outward 'up'
    ``(ux, uy)`` and tangent ``(tx, ty)`` directions, the visible half-angle ``phimax``,
    the picture's scale ``S``, how deep the ocean's shading runs, and the offset of the
    region the body is drawn in."""

    cx: float
    cy: float
    R: float
    ux: float
    uy: float
    tx: float
    ty: float
    phimax: float
    S: float
    depth_scale: float
    ox: int
    oy: int

    def along(self, x: float, y: float) -> float:
        """-1..1 along the visible limb."""
        dx, dy = x - self.cx, y - self.cy
        a = math.atan2(dx * self.tx + dy * self.ty, dx * self.ux + dy * self.uy)
        return max(-1.5, min(1.5, a / self.phimax))

    def tangent_frame(self, s: float, t: float) -> tuple[Point, float]:
        """Region point at position s (-1..1 along) and depth t (px below the limb)."""
        a = s * self.phimax
        dirx = self.ux * math.cos(a) + self.tx * math.sin(a)
        diry = self.uy * math.cos(a) + self.ty * math.sin(a)
        r = self.R - t
        return (self.cx + dirx * r - self.ox, self.cy + diry * r - self.oy), math.atan2(dirx, -diry)

    def cells(
        self,
        layer: pygame.Surface,
        rng: random.Random,
        f: float,
        colour: Color,
        systems: int,
        per: tuple[int, int],
        size: tuple[float, float],
        alpha: tuple[float, float],
        spread: float,
        stretch: float,
    ) -> None:
        """Scatter soft cells in clusters, flattened by perspective near the limb."""
        depth_scale, S = self.depth_scale, self.S
        items = []
        for _ in range(systems):
            s0 = rng.uniform(-1.15, 1.15)
            t0 = (rng.random() ** 1.3) * depth_scale * 1.25
            ds = rng.uniform(0.5, 1.5) * spread
            for _k in range(rng.randint(*per)):
                s_ = s0 + rng.gauss(0, ds)
                t_ = max(1.0, t0 + rng.gauss(0, ds * 0.35) * depth_scale)
                (px, py), ang = self.tangent_frame(s_, t_)
                fs = 0.1 + 0.9 * min(1.0, (t_ / depth_scale) ** 0.8)
                wdt = S * rng.uniform(*size)
                a = rng.uniform(*alpha) * (0.5 + 0.5 * smoothstep(0, 0.3, t_ / depth_scale))
                items.append((a, (px / f, py / f), wdt * stretch / f, wdt * fs / f, ang))
        items.sort(key=lambda it: it[0])
        for a, c, rx, ry, ang in items:
            pygame.draw.polygon(
                layer, (*colour, clamp_byte(255 * a)), ellipse_points(c, rx, ry, ang, 16)
            )


def _limb_of(
    rect: pygame.Rect, side: str, S: float, clip: pygame.Rect
) -> tuple[_Limb, pygame.Rect]:
    """The limb filling ``rect`` from ``side`` and the region (inside ``clip``) its body covers."""
    (cx, cy), R, (ux, uy) = _limb_geometry(rect, side)
    tx, ty = -uy, ux  # tangent (left to right for a bottom limb)
    phimax = max(1e-6, math.asin(min(1.0, (rect.w if ux == 0 else rect.h) / 2 / R)))
    if (ux == 0 and uy > 0) or ux < 0:
        tx, ty = -tx, -ty
    region = pygame.Rect(round(cx - R), round(cy - R), round(2 * R), round(2 * R)).clip(clip)
    limb = _Limb(cx, cy, R, ux, uy, tx, ty, phimax, S, 0.33 * S, region.x, region.y)
    return limb, region


def _limb_body(
    limb: _Limb, region: pygame.Rect, night: bool, sun_side: float, sr: float | None
) -> pygame.Surface:
    """The ocean: deep blue to a hazy rim, brighter towards the Sun, warm at sunrise."""
    cx, cy, R, depth_scale = limb.cx, limb.cy, limb.R, limb.depth_scale
    ox, oy = limb.ox, limb.oy
    if night:
        rim_c, mid_c, deep_c = (34, 56, 96), (12, 24, 50), (5, 11, 26)
    else:
        rim_c, mid_c, deep_c = (132, 178, 226), EARTH_OCEAN, scale_color(EARTH_DEEP, 0.8)

    def body_fn(x: float, y: float) -> tuple[float, float, float]:
        x += ox
        y += oy
        dist = math.hypot(x - cx, y - cy)
        t = max(0.0, (R - dist) / depth_scale)
        if t < 0.12:
            c = mix(rim_c, mid_c, smoothstep(0.0, 0.12, t) ** 0.8)
        else:
            c = mix(mid_c, deep_c, smoothstep(0.12, 1.2, t))
        s = limb.along(x, y)
        k = 1.0 + 0.16 * sun_side * s
        r_, g_, b_ = c[0] * k, c[1] * k, c[2] * k
        if sr is not None:
            w = math.exp(-(((s - sr) / 0.35) ** 2)) * math.exp(-t * 10)
            r_ += 120 * w
            g_ += 60 * w
            b_ += 10 * w
        return (r_, g_, b_)

    lr = (max(8, region.w // 12), max(8, region.h // 12))
    return field(region.size, body_fn, lr)


def _limb_land(
    body: pygame.Surface,
    limb: _Limb,
    region: pygame.Rect,
    rng: random.Random,
    night: bool,
    land: float,
) -> None:
    """Soft patches of land over the ocean."""
    f = 4
    ll = new_layer((max(1, region.w // f), max(1, region.h // f)))
    land_c = (78, 96, 84) if not night else (14, 20, 30)
    limb.cells(
        ll, rng, f, land_c, int(3 * land) + 1, (30, 60), (0.02, 0.06), (0.25, 0.45), 0.12, 1.8
    )
    ll = pygame.transform.smoothscale(soften(ll, 1.5), region.size)
    body.blit(ll, (0, 0))


def _limb_clouds(
    body: pygame.Surface,
    limb: _Limb,
    region: pygame.Rect,
    rng: random.Random,
    night: bool,
    clouds: float,
) -> None:
    """Cloud bands: many small cells and a few wide, thin ones."""
    f = 2
    cl = new_layer((max(1, region.w // f), max(1, region.h // f)))
    ccol = (238, 243, 250) if not night else (44, 54, 78)
    limb.cells(cl, rng, f, ccol, int(10 * clouds), (20, 45), (0.008, 0.03), (0.2, 0.55), 0.09, 2.2)
    limb.cells(cl, rng, f, ccol, int(5 * clouds), (6, 12), (0.03, 0.07), (0.05, 0.12), 0.12, 2.6)
    cl = pygame.transform.smoothscale(soften(cl, 2), region.size)
    body.blit(cl, (0, 0))


def _city(
    lights: pygame.Surface,
    limb: _Limb,
    rng: random.Random,
    s0: float,
    t0: float,
    fs: float,
    spread: float,
) -> None:
    """A city, and a few towns strung along a line from it (a coast, a road)."""
    dot = max(1.0, limb.S / 900)
    ang_line = rng.uniform(0, math.pi)
    for k in range(rng.randint(12, 60)):
        if k % 3 == 0:
            dd = rng.gauss(0, spread * 2.5)
            ds_, dt_ = math.cos(ang_line) * dd, math.sin(ang_line) * dd * fs
        else:
            ds_, dt_ = rng.gauss(0, spread), rng.gauss(0, spread * fs)
        (px, py), _ = limb.tangent_frame(s0 + ds_ / (limb.R * limb.phimax), t0 + dt_)
        b = rng.random() ** 2.5
        col = scale_color((255, 204, 130), 0.3 + 0.7 * b)
        if b > 0.75:
            pygame.draw.circle(lights, col, (px, py), dot * 1.3)
        else:
            pygame.draw.circle(lights, col, (px, py), dot * 0.7)


def _city_lights(
    body: pygame.Surface, limb: _Limb, region: pygame.Rect, rng: random.Random, city_lights: float
) -> None:
    """Clusters of warm lights on the night side, each in a faint haze."""
    depth_scale, S = limb.depth_scale, limb.S
    lights = pygame.Surface(region.size)
    lights.fill((0, 0, 0))
    haze = pygame.Surface((max(1, region.w // 4), max(1, region.h // 4)))
    haze.fill((0, 0, 0))
    for _ in range(int(34 * city_lights)):
        s0 = rng.uniform(-1.05, 1.05)
        t0 = (rng.random() ** 1.1) * depth_scale * 1.2 + 4
        fs = 0.12 + 0.88 * min(1.0, (t0 / depth_scale) ** 0.8)
        spread = S * rng.uniform(0.006, 0.035)
        _city(lights, limb, rng, s0, t0, fs, spread)
        (px, py), _ = limb.tangent_frame(s0, t0)
        pygame.draw.polygon(
            haze,
            (16, 10, 4),
            ellipse_points((px / 4, py / 4), spread / 4 * 1.3, spread / 4 * 1.3 * fs, 0, 16),
        )
    haze = pygame.transform.smoothscale(soften(haze, 2), region.size)
    body.blit(haze, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    body.blit(soften(lights, 2), (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    body.blit(lights, (0, 0), special_flags=pygame.BLEND_RGB_ADD)


def _limb_atmosphere(
    surface: pygame.Surface, limb: _Limb, night: bool, sun_side: float, sr: float | None
) -> None:
    """The atmosphere: a thin bright rim and a soft blue glow above it (warm at sunrise)."""
    cx, cy, R, S = limb.cx, limb.cy, limb.R, limb.S
    band = S * (0.05 if not night else 0.03)
    atm_region = pygame.Rect(
        round(cx - R - band), round(cy - R - band), round(2 * (R + band)), round(2 * (R + band))
    ).clip(surface.get_clip())
    aox, aoy = atm_region.x, atm_region.y
    atm_c = ATMOSPHERE if not night else (70, 120, 200)
    base_k = 1.0 if not night else 0.35

    def atm_fn(x: float, y: float) -> tuple[float, float, float]:
        x += aox
        y += aoy
        h = math.hypot(x - cx, y - cy) - R
        s = limb.along(x, y)
        k = base_k * (1.0 + 0.25 * sun_side * s)
        if h >= 0:
            a = math.exp(-h / (band * 0.28)) * 0.75 + math.exp(-h / (band * 0.9)) * 0.25
            a *= smoothstep(band, band * 0.55, h)
        else:
            a = math.exp(h / (band * 0.22)) * 0.55
        r_, g_, b_ = atm_c[0] * a * k, atm_c[1] * a * k, atm_c[2] * a * k
        if sr is not None:
            w = math.exp(-(((s - sr) / 0.3) ** 2))
            hh = max(0.0, h) / band
            warm = math.exp(-hh * 2.2) * w * smoothstep(1.0, 0.55, hh)
            if h < 0:
                warm *= math.exp(h / (band * 0.3))
            r_ += 255 * warm * 1.25
            g_ += 150 * warm * 1.05
            b_ += 60 * warm * 0.5
        return (r_ * 0.7, g_ * 0.7, b_ * 0.7)

    res = (max(8, atm_region.w // 10), max(8, atm_region.h // 6))
    atm = field(atm_region.size, atm_fn, res)
    surface.blit(atm, atm_region.topleft, special_flags=pygame.BLEND_RGB_ADD)
    line = pygame.Surface(atm_region.size)
    line.fill((0, 0, 0))
    lc = (110, 170, 235) if not night else (40, 80, 140)
    pygame.draw.circle(line, lc, (cx - aox, cy - aoy), R + S * 0.002, max(2, round(S * 0.004)))
    surface.blit(soften(line, 2), atm_region.topleft, special_flags=pygame.BLEND_RGB_ADD)


def earth_limb(
    surface: pygame.Surface,
    rect: pygame.Rect,
    rng: random.Random,
    *,
    side: str = "bottom",
    night: bool = False,
    sunrise: float | None = None,
    sun_side: float = -0.5,
    clouds: float = 1.0,
    land: float = 0.0,
    city_lights: float = 0.0,
) -> tuple[Point, float]:
    """The curved limb of the Earth as seen from orbit.

    The visible cap of a huge circle spans ``rect``: its chord runs along the rect's
    edge on ``side`` and its highest point touches the opposite edge (let the rect
    stick out of the picture for a flatter horizon).  Ocean shades from deep blue to a
    hazy rim, with soft cloud bands foreshortened towards the horizon, optional land,
    and a blue atmosphere glowing above the limb.

    ``night`` darkens it (``city_lights`` 0..1 adds clusters of warm lights);
    ``sunrise`` (0..1 along the limb, left to right for a bottom limb) puts a warm
    dawn glow on the atmosphere there; ``sun_side`` (-1..1) brightens one end.
    Returns ``(center, radius)`` of the Earth's circle.
    """
    rect = pygame.Rect(rect)
    W, H = surface.get_size()
    limb, region = _limb_of(rect, side, min(W, H), surface.get_clip())
    cx, cy, R, S = limb.cx, limb.cy, limb.R, limb.S
    if region.w <= 0 or region.h <= 0:
        return (cx, cy), R
    ox, oy = region.x, region.y
    sr = None if sunrise is None else 2 * sunrise - 1
    body = _limb_body(limb, region, night, sun_side, sr)
    if land > 0:
        _limb_land(body, limb, region, rng, night, land)
    if clouds > 0:
        _limb_clouds(body, limb, region, rng, night, clouds)
    if night and city_lights > 0:
        _city_lights(body, limb, region, rng, city_lights)
    apply_mask(body, circle_mask(region.size, (cx - ox, cy - oy), R))
    if sr is not None:
        # The dawn's wide glow sits behind the Earth, above the limb.
        (px, py), _ = limb.tangent_frame(sr, 0)
        glow(surface, (px + ox, py + oy), S * 0.55, (255, 160, 90), 0.4, falloff=2.4, squash=0.4)
    surface.blit(body, region.topleft)
    _limb_atmosphere(surface, limb, night, sun_side, sr)
    if sr is not None:
        (px, py), _ = limb.tangent_frame(sr, 0)
        p = (px + ox, py + oy)
        glow(surface, p, S * 0.14, (255, 226, 170), 0.6, falloff=2.4, squash=0.45)
    return (cx, cy), R


# Coarse coastlines (lon, lat) for the whole-Earth view, centred on Africa.
# fmt: off
_AFRICA = (
    (-6, 35.8), (-10, 31), (-13, 27.5), (-17, 21), (-17.5, 14.7), (-15, 11), (-13, 8),
    (-8, 4.5), (-3, 5), (2, 6.3), (6, 4.3), (9.5, 4), (9.8, 2), (9, -1), (12, -5), (13, -9),
    (12.5, -13), (11.8, -17), (14.5, -23), (16.5, -28.6), (18.5, -34), (20, -34.8),
    (25.6, -34), (30, -31), (32.8, -26), (35.5, -24), (35, -20), (36.8, -17.8), (40.5, -15),
    (40, -10), (39.3, -7), (39.5, -4.5), (41.5, -1.5), (44, 1.5), (47.5, 4.5), (50.5, 9.5),
    (51.2, 11.8), (48, 11.2), (44.5, 10.4), (43.3, 12.5), (39.5, 15.5), (37.5, 18.5),
    (36.5, 22), (35.5, 24), (33.5, 27.5), (32.5, 29.8), (32.3, 31.2), (29, 30.9), (25, 31.8),
    (20, 30.8), (19.5, 30.3), (15.5, 31.5), (11, 33.2), (10.2, 36.8), (5, 36.8), (0, 35.8),
    (-2, 35.1),
)
_MADAGASCAR = (
    (44, -25), (47, -25), (50.3, -15.5), (49.3, -12), (47.5, -14), (44, -17), (43.3, -22),
)
_EURASIA = (
    (-9, 37), (-9.5, 39), (-8.8, 42.5), (-8, 43.7), (-3, 43.4), (-1.5, 43.5), (-1.2, 46),
    (-2.5, 47.3), (-4.6, 48.4), (-1.5, 48.7), (1.5, 50.2), (4, 51.5), (5, 53.2), (8.5, 53.7),
    (8.6, 57), (10.5, 57.7), (10.6, 56), (12.5, 55.5), (12, 54.2), (14, 54), (18.5, 54.7),
    (21, 55.5), (21.5, 57.5), (24, 57.5), (23.5, 59.3), (28, 59.7), (22.5, 60.2), (21.5, 61.5),
    (21.5, 63.2), (25, 65), (22, 65.8), (17.8, 62.5), (17, 61), (18.8, 59.8), (16.5, 57),
    (14, 55.5), (12.8, 55.6), (11, 58.8), (8, 58.1), (5.5, 58.8), (5, 61), (5.2, 62.5),
    (8, 63.5), (12.5, 66), (15, 68.5), (18, 69.8), (23.5, 70.8), (28, 71), (33, 69.3),
    (40, 67.8), (44, 68.5), (53, 68.5), (60, 69.5), (68, 68.5), (73, 72), (80, 72.5),
    (90, 75.5), (100, 77), (112, 73), (120, 60), (120, 45), (118, 30), (110, 22), (106, 20),
    (105.5, 18), (108, 15), (109, 11.5), (105, 8.6), (103, 10.5), (100.5, 13.5), (100, 10),
    (98.5, 8), (100.5, 6), (103.5, 1.5), (101, 3), (98.5, 8.5), (97.7, 16.5), (94.5, 18),
    (94, 21), (92, 22.5), (88.5, 21.8), (86.8, 20), (80.3, 15.5), (80, 10), (77.5, 8),
    (76, 10), (73, 16.5), (72.6, 21.5), (70, 22.5), (67, 24.8), (61.5, 25.2), (57.3, 25.8),
    (56.3, 26.6), (54, 24.2), (51.5, 24.5), (51, 26), (50, 26.5), (48.5, 28.5), (48, 30),
    (50.2, 30), (51.5, 27.9), (54, 26.8), (56.4, 27.1), (57, 25.7), (59.8, 22.5), (57, 18.8),
    (52, 16), (45, 13), (43.2, 13), (42.6, 16), (39, 21.5), (35, 28), (34.5, 29.5),
    (34.2, 31.3), (35, 33), (36, 35.5), (36, 36.8), (32, 36.2), (30, 36.2), (27, 37),
    (26.3, 39.5), (26.5, 40.3), (24, 40.6), (23, 38), (22.5, 36.5), (21, 38.5), (19.5, 40.5),
    (19, 42), (15, 44.7), (13.7, 45.6), (12.3, 45.3), (12.5, 44), (14, 42.5), (16, 41.5),
    (18.5, 40.2), (17, 39), (16, 38), (15.7, 40.2), (12.5, 41.5), (10.5, 43), (8.5, 44.3),
    (6.5, 43.1), (3, 43.3), (3.2, 41.9), (0.5, 40.5), (0, 38.7), (-2, 36.7), (-5.6, 36),
)
_BLACK_SEA = (
    (28, 41.2), (31, 41.2), (36, 41.6), (41.5, 41.5), (41.5, 42.5), (38, 44.5), (34, 44.5),
    (33, 46), (30.8, 46.5), (29.6, 45.2), (28, 43.5),
)
_CASPIAN = (
    (47, 45), (50, 46.5), (53, 45), (52.5, 41), (54, 37.5), (50, 37), (49, 38.5), (49.5, 40.5),
    (47.5, 43),
)
_BRITAIN = (
    (-5.5, 50), (1.5, 51), (1.7, 52.7), (0, 53.5), (-1.6, 55.5), (-2, 57.7), (-3.3, 58.6),
    (-5, 58.6), (-6, 56.5), (-4.8, 54.8), (-3, 53.3), (-4.5, 52.5), (-5.3, 51.7), (-3.5, 51.4),
    (-5.7, 50.1),
)
_IRELAND = (
    (-6, 52), (-6, 54), (-7.5, 55.3), (-10, 54), (-10, 51.6),
)
_S_AMERICA = (
    (-80, 0), (-77, 8.5), (-72, 12), (-63, 10.7), (-60, 8.5), (-52, 5), (-50, 0), (-44, -2.5),
    (-35, -5.5), (-35, -9), (-39, -15), (-41, -22), (-48, -25.5), (-53, -34), (-58, -38.5),
    (-62, -41), (-65, -45), (-68, -51), (-68.5, -55), (-72, -53), (-75, -47), (-73.5, -40),
    (-71.5, -30), (-70.3, -18.5), (-76, -14), (-79.5, -7), (-81, -4.5),
)
_GREENLAND = (
    (-45, 60), (-42, 62), (-40, 65), (-22, 70), (-20, 76), (-30, 82), (-55, 82), (-65, 76),
    (-55, 68), (-52, 64),
)
_SAHARA = (
    (-16, 19), (-14, 24), (-12, 27), (-8, 29.5), (-3, 30.5), (3, 31.5), (9, 31), (14, 30),
    (20, 29.5), (25, 30.5), (30, 30), (33, 28), (35, 24), (37, 20), (36, 17), (32, 15.5),
    (27, 16.5), (22, 15), (16, 16.5), (10, 15), (4, 16.5), (-2, 15.5), (-8, 17), (-13, 16),
)
_CONGO = (
    (9, 4), (14, 5), (20, 5), (27, 4), (30, 1), (29, -4), (25, -6), (18, -5), (13, -3),
    (10, 0),
)
_ARABIA = (
    (36, 30), (47, 30), (50, 26), (56, 24), (58, 21), (52, 17), (45, 14), (42.6, 16),
    (39, 21.5),
)
_KALAHARI = (
    (15, -18), (25, -18), (27, -24), (22, -30), (17, -29), (14, -24),
)
# fmt: on


def _ortho(lon: float, lat: float, lon0: float, lat0: float) -> tuple[float, float, float]:
    lo, la = math.radians(lon - lon0), math.radians(lat)
    p0 = math.radians(lat0)
    x = math.cos(la) * math.sin(lo)
    y = math.cos(p0) * math.sin(la) - math.sin(p0) * math.cos(la) * math.cos(lo)
    z = math.sin(p0) * math.sin(la) + math.cos(p0) * math.cos(la) * math.cos(lo)
    return x, y, z


def _project(
    R: float, lon0: float, lat0: float, poly: Sequence[tuple[float, float]]
) -> list[Point]:
    """``poly`` (lon, lat) on a disc of radius ``R`` seen from above ``(lon0, lat0)``;
    points on the far side fall on the rim."""
    pts = []
    for lon, lat in poly:
        x, y, z = _ortho(lon, lat, lon0, lat0)
        if z < 0:
            n = math.hypot(x, y) or 1.0
            x, y = x / n, y / n
        pts.append((R + x * R, R - y * R))
    return pts


def _disc_land(body: pygame.Surface, d: int, R: float, lon0: float, lat0: float) -> None:
    """Africa, Eurasia and their neighbours, with forest, deserts, seas and the ice."""
    land_c = (92, 112, 70)
    desert_c = (188, 160, 112)
    for poly in (_AFRICA, _EURASIA, _S_AMERICA, _MADAGASCAR, _BRITAIN, _IRELAND):
        pygame.draw.polygon(body, land_c, _project(R, lon0, lat0, poly))
    pygame.draw.polygon(body, (214, 222, 230), _project(R, lon0, lat0, _GREENLAND))
    dl = new_layer((d, d))
    pygame.draw.polygon(dl, (52, 84, 46, 200), _project(R, lon0, lat0, _CONGO))
    for poly in (_SAHARA, _ARABIA, _KALAHARI):
        pygame.draw.polygon(dl, (*desert_c, 210), _project(R, lon0, lat0, poly))
    dl = soften(dl, max(1.0, R / 14))
    mask_land = new_layer((d, d))
    for poly in (_AFRICA, _EURASIA):
        pygame.draw.polygon(mask_land, WHITE_MASK, _project(R, lon0, lat0, poly))
    apply_mask(dl, mask_land)
    body.blit(dl, (0, 0))
    for poly in (_BLACK_SEA, _CASPIAN):
        pygame.draw.polygon(body, mix(EARTH_DEEP, EARTH_OCEAN, 0.5), _project(R, lon0, lat0, poly))
    # Antarctic ice along the bottom.
    ice = [(lon, -72.0) for lon in range(-100, 140, 10)] + [(130, -90), (-100, -90)]
    pygame.draw.polygon(body, (228, 234, 240), _project(R, lon0, lat0, ice))


def _disc_clouds(
    body: pygame.Surface, d: int, R: float, rng: random.Random, view: Point, clouds: float
) -> None:
    """Cloud bands at the latitudes where weather gathers, streaked near the rim."""
    lon0, lat0 = view
    f = 2
    cl = new_layer((max(1, d // f), max(1, d // f)))
    items = []
    for lat_c, spread, n, streak in (
        (6, 4, 26, 1.0),
        (-45, 7, 30, 2.2),
        (50, 7, 28, 2.2),
        (-60, 4, 16, 2.6),
        (25, 10, 10, 1.4),
    ):
        for _ in range(int(n * clouds)):
            lon_c = rng.uniform(lon0 - 95, lon0 + 95)
            lat_s = lat_c + rng.gauss(0, spread)
            tilt = rng.uniform(-0.5, 0.5)
            for _k in range(rng.randint(4, 12)):
                lon = lon_c + rng.gauss(0, 6)
                lat = lat_s + rng.gauss(0, 1.6) + (lon - lon_c) * tilt * 0.3
                x, y, z = _ortho(lon, lat, lon0, lat0)
                if z <= 0.03:
                    continue
                r = R * math.radians(rng.uniform(0.8, 3.2))
                a = rng.uniform(0.15, 0.6)
                ang = math.atan2(-y, x) + math.pi / 2 if z < 0.5 else rng.uniform(-0.3, 0.3)
                items.append(
                    (
                        a,
                        ((R + x * R) / f, (R - y * R) / f),
                        r * streak / f,
                        r * (0.25 + 0.75 * z) / f,
                        ang,
                    )
                )
    items.sort(key=lambda it: it[0])
    for a, c, rx, ry, ang in items:
        pygame.draw.polygon(
            cl, (246, 248, 252, clamp_byte(255 * a)), ellipse_points(c, rx, ry, ang, 16)
        )
    cl = pygame.transform.smoothscale(soften(cl, 2.2), (d, d))
    body.blit(cl, (0, 0))


def earth_disc(
    surface: pygame.Surface,
    center: Point,
    radius: float,
    rng: random.Random,
    *,
    light: Vec3 = (-0.62, -0.3, 0.72),
    view: Point = (12.0, 14.0),
    clouds: float = 1.0,
    halo: float = 1.0,
) -> None:
    """The whole Earth seen from far away: oceans, Africa and Eurasia (``view`` is the
    ``(longitude, latitude)`` under the viewer), swirling clouds, a soft terminator on
    the side away from ``light`` and a thin blue atmosphere."""
    cx, cy = center
    d = max(4, round(2 * radius))
    R = d / 2
    light = normalise(light)
    lon0, lat0 = view
    if halo > 0:
        glow(surface, center, R * 1.35, ATMOSPHERE, 0.16 * halo, falloff=2.0)

    def ocean(x: float, y: float) -> tuple[float, float, float]:
        u, v = x / R - 1, y / R - 1
        rr = min(1.0, u * u + v * v)
        c = mix(scale_color(EARTH_DEEP, 0.95), EARTH_OCEAN, 0.35 + 0.5 * rr)
        return c

    body = field((d, d), ocean, (40, 40))

    _disc_land(body, d, R, lon0, lat0)
    if clouds > 0:
        _disc_clouds(body, d, R, rng, view, clouds)

    terminator = sphere_light(R, light, (-0.12, 0.4), (0.8, 0.3), (8, 12, 26))
    body.blit(field((d, d), terminator, (64, 64)), (0, 0), special_flags=pygame.BLEND_RGB_MULT)

    def haze(x: float, y: float) -> tuple[float, float, float]:
        u, v = x / R - 1, y / R - 1
        rr = u * u + v * v
        rho = math.sqrt(rr)
        k = math.sqrt(0.998 / rr) if rr > 0.998 else 1.0
        z = math.sqrt(max(0.0, 1 - min(rr, 0.998)))
        dd = u * k * light[0] + v * k * light[1] + z * light[2]
        lit = smoothstep(-0.25, 0.3, dd)
        a = smoothstep(0.7, 1.0, rho) ** 2 * 0.55 * lit
        return (ATMOSPHERE[0] * a, ATMOSPHERE[1] * a, ATMOSPHERE[2] * a)

    body.blit(field((d, d), haze, (64, 64)), (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    apply_mask(body, circle_mask((d, d), (R, R), R))
    surface.blit(body, (round(cx - R), round(cy - R)))

    # The thin outer atmosphere, on the lit side.
    pad = R * 0.12
    size = (round(2 * (R + pad)), round(2 * (R + pad)))
    c0 = R + pad

    def rim(x: float, y: float) -> tuple[float, float, float]:
        dx, dy = x - c0, y - c0
        dist = math.hypot(dx, dy) or 1.0
        h = (dist - R) / R
        u, v = dx / dist, dy / dist
        lit = smoothstep(-0.35, 0.45, u * light[0] + v * light[1] + 0.3 * light[2])
        a = math.exp(-abs(h) / 0.03) * 0.7 if h >= 0 else math.exp(h / 0.015) * 0.35
        a *= lit * smoothstep(0.12, 0.08, h)
        return (ATMOSPHERE[0] * a, ATMOSPHERE[1] * a, ATMOSPHERE[2] * a)

    surface.blit(
        field(size, rim, (160, 160)),
        (round(cx - c0), round(cy - c0)),
        special_flags=pygame.BLEND_RGB_ADD,
    )
