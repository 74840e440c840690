"""Reusable drawing helpers for the exhibit's illustrations.

Everything here draws with plain pygame 2.6 (no pygame-ce API, no numpy, no images):
gradients, star fields, soft glows, the Earth, the Moon, the Sun, and the two spacecraft
of the Apollo–Soyuz Test Project drawn at true relative scale.

Conventions
-----------
* Colours are ``(r, g, b)`` tuples (see :mod:`kiosk.render.palette`).
* A light direction is a 3-vector ``(x, y, z)`` in screen space pointing *towards* the
  light: x to the right, y downwards, z out of the screen towards the viewer.
* Helpers draw on whatever surface they are given.  The illustrations draw on a surface
  twice the final size and smooth-scale it down, so edges come out anti-aliased; nothing
  here needs a display mode (no ``convert``).
* Soft effects are made the cheap way: compute or draw at low resolution and
  ``smoothscale`` up; crisp edges are then restored with a multiplied mask.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from functools import lru_cache

import pygame

from kiosk.render.palette import (
    ATMOSPHERE,
    EARTH_DEEP,
    EARTH_OCEAN,
    SUN,
    Color,
    mix,
)

Point = tuple[float, float]
Vec3 = tuple[float, float, float]
RGBA = tuple[int, int, int, int]

#: Default light: from the upper left and in front of the picture.
LIGHT: Vec3 = (-0.45, -0.62, 0.64)

WHITE_MASK: RGBA = (255, 255, 255, 255)


# --------------------------------------------------------------------------- basics


def _clamp(v: float) -> int:
    return 0 if v < 0 else 255 if v > 255 else int(v)


def scale_color(c: Sequence[float], k: float) -> Color:
    """``c`` with every channel multiplied by ``k`` (clamped to 0–255)."""
    return (_clamp(c[0] * k), _clamp(c[1] * k), _clamp(c[2] * k))


def normalise(v: Vec3) -> Vec3:
    """``v`` scaled to unit length (a zero vector is returned unchanged)."""
    n = math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) or 1.0
    return (v[0] / n, v[1] / n, v[2] / n)


def smoothstep(e0: float, e1: float, x: float) -> float:
    """Hermite smooth step from 0 (at ``e0``) to 1 (at ``e1``)."""
    if e1 == e0:
        return 0.0 if x < e0 else 1.0
    t = min(1.0, max(0.0, (x - e0) / (e1 - e0)))
    return t * t * (3 - 2 * t)


def ellipse_points(
    center: Point, rx: float, ry: float, angle: float = 0.0, n: int = 28
) -> list[Point]:
    """Polygon approximating an ellipse with semi-axes ``rx``, ``ry`` rotated by
    ``angle`` radians about ``center``."""
    ca, sa = math.cos(angle), math.sin(angle)
    cx, cy = center
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        pts.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return pts


def bounding_rect(points: Sequence[Point], pad: float = 1.0) -> pygame.Rect:
    """Integer rect enclosing ``points`` with ``pad`` px to spare."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, y0 = math.floor(min(xs) - pad), math.floor(min(ys) - pad)
    x1, y1 = math.ceil(max(xs) + pad), math.ceil(max(ys) + pad)
    return pygame.Rect(x0, y0, max(1, x1 - x0), max(1, y1 - y0))


def new_layer(size: tuple[int, int], fill: RGBA = (0, 0, 0, 0)) -> pygame.Surface:
    """A per-pixel-alpha surface of ``size``, filled with ``fill`` (transparent)."""
    layer = pygame.Surface((max(1, int(size[0])), max(1, int(size[1]))), pygame.SRCALPHA)
    layer.fill(fill)
    return layer


def soften(surface: pygame.Surface, amount: float) -> pygame.Surface:
    """A blurred copy of ``surface`` (blur of about ``amount`` px): shrink by
    ``amount``, then smooth-scale back up in two steps so no blocks show."""
    w, h = surface.get_size()
    if amount <= 1:
        return surface.copy()
    sw, sh = max(1, round(w / amount)), max(1, round(h / amount))
    small = pygame.transform.smoothscale(surface, (sw, sh))
    if amount > 4:
        k = math.sqrt(amount)
        small = pygame.transform.smoothscale(small, (max(sw, round(w / k)), max(sh, round(h / k))))
    return pygame.transform.smoothscale(small, (w, h))


def apply_mask(layer: pygame.Surface, mask: pygame.Surface) -> None:
    """Multiply ``layer`` (RGBA) by ``mask`` in place: white keeps, transparent cuts."""
    layer.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MULT)


def circle_mask(size: tuple[int, int], center: Point, radius: float) -> pygame.Surface:
    """White disc on transparent, for :func:`apply_mask`."""
    mask = new_layer(size)
    pygame.draw.circle(mask, WHITE_MASK, center, radius)
    return mask


def dotted_path(
    surface: pygame.Surface,
    points: Sequence[Point],
    colour: Color,
    spacing: float,
    radius: float,
    *,
    fade: Callable[[float], float] | None = None,
) -> None:
    """Evenly spaced dots along a polyline, alpha-blended; ``fade(t)`` (t in 0..1 along
    the path) scales each dot's opacity."""
    if len(points) < 2:
        return
    seg = [math.dist(points[i], points[i + 1]) for i in range(len(points) - 1)]
    total = sum(seg)
    if total <= 0:
        return
    box = bounding_rect(points, pad=radius + 2)
    layer = new_layer(box.size)
    n = int(total // spacing)
    i, acc = 0, 0.0
    for k in range(n + 1):
        d = k * spacing
        while i < len(seg) - 1 and acc + seg[i] < d:
            acc += seg[i]
            i += 1
        t = 0.0 if seg[i] == 0 else (d - acc) / seg[i]
        (x0, y0), (x1, y1) = points[i], points[i + 1]
        x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        a = 255 if fade is None else _clamp(255 * fade(d / total))
        pygame.draw.circle(layer, (*colour, a), (x - box.x, y - box.y), radius)
    surface.blit(layer, box.topleft)


def bezier(p0: Point, p1: Point, p2: Point, p3: Point | None = None, n: int = 64) -> list[Point]:
    """Points on a quadratic (or, given ``p3``, cubic) Bézier curve."""
    pts = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        if p3 is None:
            x = u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0]
            y = u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1]
        else:
            x = u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0]
            y = u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1]
        pts.append((x, y))
    return pts


def thick_polyline(
    surface: pygame.Surface, points: Sequence[Point], colour: Sequence[int], width: float
) -> None:
    """A polyline of round-jointed thick segments (draws opaque or, on an RGBA
    layer, with the colour's alpha)."""
    r = max(0.5, width / 2)
    for i in range(len(points) - 1):
        pygame.draw.line(surface, colour, points[i], points[i + 1], max(1, round(width)))
        pygame.draw.circle(surface, colour, points[i + 1], r)
    if points:
        pygame.draw.circle(surface, colour, points[0], r)


# --------------------------------------------------------------------------- gradients


def gradient_stops(
    surface: pygame.Surface,
    stops: Sequence[tuple[float, Color]],
    rect: pygame.Rect | None = None,
    *,
    horizontal: bool = False,
) -> None:
    """Fill ``rect`` (default: the whole surface) with a multi-stop linear gradient.

    ``stops`` are ``(position, colour)`` pairs, positions from 0 (top, or left when
    ``horizontal``) to 1.  Rows are error-diffused between adjacent 8-bit levels, so
    the gentle dark gradients of a night sky don't band after smooth-scaling.
    """
    rect = pygame.Rect(rect) if rect is not None else surface.get_rect()
    n = rect.w if horizontal else rect.h
    if n <= 0 or not stops:
        return
    stops = sorted(stops)
    err = [0.0, 0.0, 0.0]
    j = 0
    for i in range(n):
        t = (i + 0.5) / n
        while j < len(stops) - 2 and t > stops[j + 1][0]:
            j += 1
        (t0, c0), (t1, c1) = stops[j], stops[min(j + 1, len(stops) - 1)]
        k = 0.0 if t1 <= t0 else min(1.0, max(0.0, (t - t0) / (t1 - t0)))
        col = []
        for ch in range(3):
            v = c0[ch] + (c1[ch] - c0[ch]) * k + err[ch]
            q = _clamp(round(v))
            err[ch] = v - q
            col.append(q)
        if horizontal:
            x = rect.x + i
            pygame.draw.line(surface, col, (x, rect.top), (x, rect.bottom - 1))
        else:
            y = rect.y + i
            pygame.draw.line(surface, col, (rect.left, y), (rect.right - 1, y))


def vertical_gradient(
    surface: pygame.Surface, top: Color, bottom: Color, rect: pygame.Rect | None = None
) -> None:
    """Fill ``rect`` (default: the whole surface) with a top-to-bottom gradient."""
    gradient_stops(surface, [(0.0, top), (1.0, bottom)], rect)


def field(
    size: tuple[int, int],
    fn: Callable[[float, float], Sequence[float]],
    res: tuple[int, int],
) -> pygame.Surface:
    """A smooth RGBA surface of ``size`` whose pixel at (x, y) is ``fn(x, y)``.

    ``fn`` is evaluated only on a coarse ``res`` grid (in full-size coordinates, at the
    cell centres) and the result is smooth-scaled up, so use it for soft light, haze
    and shading, never for edges.  ``fn`` returns 3 or 4 numbers (alpha defaults to 255).
    """
    w, h = max(1, int(size[0])), max(1, int(size[1]))
    lw, lh = max(2, min(w, int(res[0]))), max(2, min(h, int(res[1])))
    buf = bytearray(lw * lh * 4)
    sx, sy = w / lw, h / lh
    i = 0
    for j in range(lh):
        y = (j + 0.5) * sy
        for k in range(lw):
            v = fn((k + 0.5) * sx, y)
            buf[i] = _clamp(v[0])
            buf[i + 1] = _clamp(v[1])
            buf[i + 2] = _clamp(v[2])
            buf[i + 3] = _clamp(v[3]) if len(v) > 3 else 255
            i += 4
    small = pygame.image.frombytes(bytes(buf), (lw, lh), "RGBA")
    return pygame.transform.smoothscale(small, (w, h))


def vignette(surface: pygame.Surface, strength: float = 0.35, colour: Color = (0, 0, 0)) -> None:
    """Darken the corners gently (an elliptical fall-off towards ``colour``)."""
    w, h = surface.get_size()

    def fn(x: float, y: float) -> tuple[float, float, float, float]:
        dx, dy = (x / w - 0.5) * 2, (y / h - 0.5) * 2
        d = math.sqrt(dx * dx + dy * dy) / math.sqrt(2)
        return (*colour, 255 * strength * smoothstep(0.45, 1.05, d))

    surface.blit(field((w, h), fn, (32, 32)), (0, 0))


# --------------------------------------------------------------------------- glow


@lru_cache(maxsize=128)
def _glow_sprite(colour: Color, falloff: float) -> pygame.Surface:
    """A 128 px radial glow made of stacked concentric circles, brightest inside.

    Drawn as opaque RGB on black (for additive blending): each circle, from the outside
    in, is a little brighter than the one under it, like stacked translucent discs.
    """
    n, steps = 128, 64
    sprite = pygame.Surface((n, n))
    sprite.fill((0, 0, 0))
    c = n / 2
    for i in range(steps):
        t = 1 - i / steps  # radius as a fraction of the whole
        k = (1 - t) ** falloff
        pygame.draw.circle(sprite, scale_color(colour, k), (c, c), t * c)
    return sprite


def _blit_scaled(
    surface: pygame.Surface,
    sprite: pygame.Surface,
    x: float,
    y: float,
    w: float,
    h: float,
    flags: int = 0,
) -> None:
    """Blit ``sprite`` smooth-scaled to (w, h) at (x, y), scaling only the part that
    is visible (so a glow far bigger than the screen stays cheap)."""
    if w < 1 or h < 1:
        return
    clip = surface.get_clip()
    vx0, vy0 = max(x, clip.left), max(y, clip.top)
    vx1, vy1 = min(x + w, clip.right), min(y + h, clip.bottom)
    if vx1 <= vx0 or vy1 <= vy0:
        return
    sw, sh = sprite.get_size()
    fx, fy = sw / w, sh / h
    sx0 = max(0, math.floor((vx0 - x) * fx) - 1)
    sy0 = max(0, math.floor((vy0 - y) * fy) - 1)
    sx1 = min(sw, math.ceil((vx1 - x) * fx) + 1)
    sy1 = min(sh, math.ceil((vy1 - y) * fy) + 1)
    sub = sprite.subsurface((sx0, sy0, sx1 - sx0, sy1 - sy0))
    tw = max(1, round((sx1 - sx0) / fx))
    th = max(1, round((sy1 - sy0) / fy))
    scaled = pygame.transform.smoothscale(sub, (tw, th))
    surface.blit(scaled, (round(x + sx0 / fx), round(y + sy0 / fy)), special_flags=flags)


def glow(
    surface: pygame.Surface,
    center: Point,
    radius: float,
    colour: Color,
    strength: float = 1.0,
    *,
    falloff: float = 2.2,
    squash: float = 1.0,
) -> None:
    """Add a soft radial glow of light (additive) centred on ``center``.

    The glow fades from ``colour × strength`` at the centre to nothing at ``radius``;
    ``falloff`` shapes the fade (higher: tighter core), ``squash`` < 1 flattens it
    vertically into an ellipse.  Built from stacked concentric circles, smooth-scaled.
    """
    if radius < 1 or strength <= 0:
        return
    col = scale_color(colour, strength)
    sprite = _glow_sprite(col, round(falloff, 2))
    rx, ry = radius, radius * squash
    _blit_scaled(
        surface, sprite, center[0] - rx, center[1] - ry, 2 * rx, 2 * ry, pygame.BLEND_RGB_ADD
    )


def soft_light(
    surface: pygame.Surface,
    rect: pygame.Rect,
    fn: Callable[[float, float], Sequence[float]],
    res: tuple[int, int] = (48, 48),
) -> None:
    """Add light computed by ``fn(x, y) -> (r, g, b)`` (surface coordinates) over
    ``rect`` — a cheap, smooth, additive light field."""
    rect = pygame.Rect(rect).clip(surface.get_clip())
    if rect.w <= 0 or rect.h <= 0:
        return
    ox, oy = rect.x, rect.y
    layer = field(rect.size, lambda x, y: fn(x + ox, y + oy), res)
    surface.blit(layer, rect.topleft, special_flags=pygame.BLEND_RGB_ADD)


# --------------------------------------------------------------------------- stars

_STAR_TINTS: tuple[Color, ...] = (
    (255, 255, 255),
    (222, 232, 255),
    (200, 218, 255),
    (255, 240, 218),
    (255, 222, 190),
)
_RARE_TINTS: tuple[Color, ...] = ((255, 196, 150), (170, 196, 255), (255, 176, 160))


def starfield(
    surface: pygame.Surface,
    rng: random.Random,
    density: float = 1.0,
    rect: pygame.Rect | None = None,
    *,
    brightness: float = 1.0,
    weight: Callable[[float, float], float] | None = None,
) -> None:
    """Scatter stars (added as light) over ``rect`` (default: whole surface).

    ``density`` 1.0 is a dark country sky; the count scales with the rect's area
    relative to the surface's smaller side, so it doesn't depend on resolution.  Most
    stars are faint pin-points, a few are bright with a soft halo, a few are tinted
    warm or cool.  ``weight(x, y)`` in 0..1, if given, thins stars out where it is low
    (a band of sky, the area above a horizon...).
    """
    rect = pygame.Rect(rect) if rect is not None else surface.get_rect()
    rect = rect.clip(surface.get_clip())
    if rect.w <= 0 or rect.h <= 0 or density <= 0:
        return
    s = min(surface.get_size())
    unit = s / 900.0
    n = int(density * 1300 * rect.w * rect.h / (s * s))
    layer = pygame.Surface(rect.size)
    layer.fill((0, 0, 0))
    halos: list[tuple[Point, float, Color]] = []
    for _ in range(n):
        x = rng.uniform(0, rect.w)
        y = rng.uniform(0, rect.h)
        m = rng.random() ** 3.2  # most stars faint
        tint_roll = rng.random()
        if weight is not None and rng.random() > weight(x + rect.x, y + rect.y):
            continue
        if tint_roll < 0.03:
            tint = _RARE_TINTS[int(tint_roll * 1000) % len(_RARE_TINTS)]
        else:
            tint = _STAR_TINTS[int(tint_roll * 97) % len(_STAR_TINTS)]
        k = (0.22 + 0.78 * m) * brightness
        col = scale_color(tint, k)
        r = unit * (0.55 + 2.1 * m * m)
        if r < 1.15:
            layer.set_at((int(x), int(y)), col)
        else:
            pygame.draw.circle(layer, col, (x, y), r)
        if m > 0.72:
            halos.append(((x, y), r, tint))
    surface.blit(layer, rect.topleft, special_flags=pygame.BLEND_RGB_ADD)
    for (x, y), r, tint in halos:
        glow(surface, (x + rect.x, y + rect.y), r * 7, tint, 0.22 * brightness, falloff=2.6)


def milky_way(
    surface: pygame.Surface,
    rng: random.Random,
    start: Point,
    end: Point,
    width: float,
    strength: float = 1.0,
) -> None:
    """A faint band of the Milky Way from ``start`` to ``end``: soft, uneven clouds of
    light with a darker dust lane, plus a dusting of tiny stars concentrated in it."""
    w, h = surface.get_size()
    f = 8  # low-resolution factor: the band is soft anyway
    lw, lh = max(2, w // f), max(2, h // f)
    clouds = pygame.Surface((lw, lh))
    clouds.fill((0, 0, 0))
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    nx, ny = -uy, ux
    lane = pygame.Surface((lw, lh), pygame.SRCALPHA)
    lane.fill((0, 0, 0, 0))
    for _ in range(220):
        t = rng.random()
        off = rng.gauss(0, 0.28) * width
        cx = start[0] + dx * t + nx * off
        cy = start[1] + dy * t + ny * off
        r = width * rng.uniform(0.10, 0.34)
        k = strength * rng.uniform(0.008, 0.03) * math.exp(-((off / width) ** 2) * 2)
        col = (150 * k, 160 * k, 200 * k)
        blob = ellipse_points((cx / f, cy / f), r / f * 1.8, r / f, math.atan2(dy, dx))
        tmp = pygame.Surface((lw, lh))
        tmp.fill((0, 0, 0))
        pygame.draw.polygon(tmp, scale_color(col, 1.0), blob)
        if max(col) < 1:
            continue
        clouds.blit(tmp, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    for _ in range(26):
        t = rng.random()
        off = rng.gauss(0.05, 0.1) * width
        cx = start[0] + dx * t + nx * off
        cy = start[1] + dy * t + ny * off
        r = width * rng.uniform(0.05, 0.14)
        pts = ellipse_points((cx / f, cy / f), r / f * 2.6, r / f, math.atan2(dy, dx))
        pygame.draw.polygon(lane, (0, 0, 0, 110), pts)
    clouds = soften(clouds, 3)
    lane = soften(lane, 3)
    clouds.blit(lane, (0, 0))
    surface.blit(
        pygame.transform.smoothscale(clouds, (w, h)), (0, 0), special_flags=pygame.BLEND_RGB_ADD
    )

    def in_band(x: float, y: float) -> float:
        off = (x - start[0]) * nx + (y - start[1]) * ny
        return math.exp(-((off / (0.45 * width)) ** 2))

    starfield(surface, rng, 3.0 * strength, brightness=0.55, weight=in_band)


# --------------------------------------------------------------------------- shading


def _sphere_rgb(
    u: float, v: float, colour: Color, light: Vec3, ambient: float, specular: float, shine: float
) -> tuple[float, float, float]:
    rr = u * u + v * v
    if rr > 0.998:
        k = math.sqrt(0.998 / rr)
        u, v, rr = u * k, v * k, 0.998
    z = math.sqrt(1 - rr)
    d = u * light[0] + v * light[1] + z * light[2]
    lam = ambient + (1 - ambient) * max(0.0, d)
    hx, hy, hz = normalise((light[0], light[1], light[2] + 1))
    s = max(0.0, u * hx + v * hy + z * hz) ** shine * specular * 255
    return (colour[0] * lam + s, colour[1] * lam + s, colour[2] * lam + s)


@lru_cache(maxsize=32)
def _sphere_sprite(
    diameter: int, colour: Color, light: Vec3, ambient: float, specular: float, shine: float
) -> pygame.Surface:
    res = max(8, min(72, diameter))

    def fn(x: float, y: float) -> tuple[float, float, float]:
        return _sphere_rgb(
            2 * x / diameter - 1, 2 * y / diameter - 1, colour, light, ambient, specular, shine
        )

    sprite = field((diameter, diameter), fn, (res, res))
    apply_mask(
        sprite, circle_mask((diameter, diameter), (diameter / 2, diameter / 2), diameter / 2)
    )
    return sprite


def shaded_sphere(
    surface: pygame.Surface,
    center: Point,
    radius: float,
    colour: Color,
    *,
    light: Vec3 = LIGHT,
    ambient: float = 0.16,
    specular: float = 0.3,
    shine: float = 18.0,
) -> pygame.Rect:
    """A lit sphere (Lambert diffuse + a soft specular highlight); returns its rect."""
    d = max(2, round(2 * radius))
    light = normalise(light)
    key_light = (round(light[0], 3), round(light[1], 3), round(light[2], 3))
    sprite = _sphere_sprite(d, tuple(colour), key_light, ambient, specular, shine)  # type: ignore[arg-type]
    pos = (round(center[0] - d / 2), round(center[1] - d / 2))
    surface.blit(sprite, pos)
    return pygame.Rect(pos, (d, d))


def hatch_ring(
    surface: pygame.Surface,
    center: Point,
    inner: float,
    outer: float,
    *,
    bolts: int,
    bolt_radius: float,
    ambient: float = 0.2,
    warmth: float = 70.0,
    rim: Color = (24, 22, 24),
    rim_width: int = 2,
) -> None:
    """A hatch's metal ring seen face on: a lit torus from ``inner`` to ``outer``
    radius, warm light from the tunnel on its inner edge, a circle of bolts and a
    dark rim round the opening."""
    light = normalise((-0.4, -0.75, 0.55))
    d = round(2 * outer)
    mid, half = (outer + inner) / 2, (outer - inner) / 2

    def ring(x: float, y: float) -> tuple[float, float, float]:
        dx, dy = x - outer, y - outer
        dist = math.hypot(dx, dy) or 1.0
        t = max(-1.0, min(1.0, (dist - mid) / half))
        nx, ny = dx / dist * t, dy / dist * t
        nz = math.sqrt(max(0.0, 1 - t * t))
        lam = ambient + 0.8 * max(0.0, nx * light[0] + ny * light[1] + nz * light[2])
        warm = max(0.0, -t) ** 2 * warmth
        return (150 * lam + warm * 1.2, 154 * lam + warm * 0.8, 162 * lam + warm * 0.4)

    layer = field((d, d), ring, (96, 96))
    mask = new_layer((d, d))
    pygame.draw.circle(mask, WHITE_MASK, (outer, outer), outer)
    pygame.draw.circle(mask, (0, 0, 0, 0), (outer, outer), inner)
    apply_mask(layer, mask)
    cx, cy = center
    surface.blit(layer, (round(cx - outer), round(cy - outer)))
    for k in range(bolts):
        a = k / bolts * 2 * math.pi
        shaded_sphere(
            surface,
            (cx + math.cos(a) * mid, cy + math.sin(a) * mid),
            bolt_radius,
            (176, 176, 178),
            light=light,
            specular=0.5,
        )
    pygame.draw.circle(surface, rim, center, inner, rim_width)


def cylinder_profile(
    v: float,
    colour: Color,
    *,
    light: Vec3 = LIGHT,
    ambient: float = 0.2,
    specular: float = 0.3,
    shine: float = 14.0,
    fill: Color = (0, 0, 0),
) -> Color:
    """Colour of a lit cylinder at ``v`` in -1..1 across it (-1 = the side towards
    negative screen y, or x for a vertical cylinder); ``fill`` is a faint bounce
    light added on the far side (e.g. blue from the Earth below)."""
    v = max(-0.999, min(0.999, v))
    z = math.sqrt(1 - v * v)
    lx, ly, lz = light
    d = v * ly + z * lz
    lam = ambient + (1 - ambient) * max(0.0, d)
    _hx, hy, hz = normalise((lx, ly, lz + 1))
    s = max(0.0, v * hy + z * hz) ** shine * specular * 255
    b = max(0.0, v) ** 1.5
    return (
        _clamp(colour[0] * lam + s + fill[0] * b),
        _clamp(colour[1] * lam + s + fill[1] * b),
        _clamp(colour[2] * lam + s + fill[2] * b),
    )


def shaded_polygon(
    surface: pygame.Surface,
    points: Sequence[Point],
    colour: Color,
    axis: float,
    radius: float,
    *,
    vertical: bool = False,
    light: Vec3 = LIGHT,
    ambient: float = 0.2,
    specular: float = 0.3,
    shine: float = 14.0,
    fill: Color = (0, 0, 0),
) -> pygame.Rect:
    """Fill a polygon as part of a lit body of revolution.

    The body's axis is horizontal at ``y = axis`` (or, with ``vertical``, vertical at
    ``x = axis``) and ``radius`` is its radius in pixels: every pixel is shaded as if
    on a cylinder of that radius, which reads correctly for cones, bells and drums.
    Returns the polygon's bounding rect.
    """
    full = bounding_rect(points, pad=1)
    box = full.clip(surface.get_clip())
    if box.w <= 0 or box.h <= 0:
        return full
    light = normalise(light)
    if vertical:
        lt = (light[1], light[0], light[2])
        strip = pygame.Surface((box.w, 1))
        for i in range(box.w):
            v = (box.x + i + 0.5 - axis) / max(1e-6, radius)
            strip.set_at(
                (i, 0),
                cylinder_profile(
                    v, colour, light=lt, ambient=ambient, specular=specular, shine=shine, fill=fill
                ),
            )
    else:
        strip = pygame.Surface((1, box.h))
        for i in range(box.h):
            v = (box.y + i + 0.5 - axis) / max(1e-6, radius)
            strip.set_at(
                (0, i),
                cylinder_profile(
                    v,
                    colour,
                    light=light,
                    ambient=ambient,
                    specular=specular,
                    shine=shine,
                    fill=fill,
                ),
            )
    layer = new_layer(box.size)
    layer.blit(pygame.transform.scale(strip, box.size), (0, 0))
    mask = new_layer(box.size)
    pygame.draw.polygon(mask, WHITE_MASK, [(x - box.x, y - box.y) for x, y in points])
    apply_mask(layer, mask)
    surface.blit(layer, box.topleft)
    return full


def shaded_tube(
    surface: pygame.Surface,
    points: Sequence[Point],
    colour: Color,
    p0: Point,
    p1: Point,
    radius: float,
    *,
    light: Vec3 = LIGHT,
    ambient: float = 0.2,
    specular: float = 0.3,
    shine: float = 14.0,
) -> pygame.Rect:
    """Fill a polygon as part of a lit cylinder whose axis runs from ``p0`` towards
    ``p1`` (any direction) with ``radius`` px — :func:`shaded_polygon` for slanted
    bodies such as arms or tilted rockets.  Returns the polygon's rect."""
    full = bounding_rect(points, pad=1)
    box = full.clip(surface.get_clip())
    if box.w <= 0 or box.h <= 0:
        return full
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    d = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / d, dx / d
    if nx * light[0] + ny * light[1] > 0:  # measure v from the lit side
        nx, ny = -nx, -ny
    L = normalise(light)
    lt = (0.0, -abs(L[0] * nx + L[1] * ny), L[2])

    def fn(x: float, y: float) -> Color:
        v = ((x + box.x - p0[0]) * nx + (y + box.y - p0[1]) * ny) / max(1e-6, radius)
        return cylinder_profile(
            v, colour, light=lt, ambient=ambient, specular=specular, shine=shine
        )

    res = (max(4, min(64, box.w // 6)), max(4, min(64, box.h // 6)))
    layer = field(box.size, fn, res)
    mask = new_layer(box.size)
    pygame.draw.polygon(mask, WHITE_MASK, [(x - box.x, y - box.y) for x, y in points])
    apply_mask(layer, mask)
    surface.blit(layer, box.topleft)
    return full


# A "shape" is a list of primitives drawn in one colour:
#   ("poly", [points]) | ("circle", center, r) | ("capsule", p0, p1, r0[, r1])
#   | ("ellipse", center, rx, ry, angle)
Shape = list[tuple]


def capsule_polygon(p0: Point, p1: Point, r0: float, r1: float) -> list[Point]:
    """The four corners of a tapered band from ``p0`` (half-width ``r0``) to ``p1``
    (half-width ``r1``): a capsule without its round ends."""
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    d = math.hypot(dx, dy) or 1e-6
    nx, ny = -dy / d, dx / d
    return [
        (p0[0] + nx * r0, p0[1] + ny * r0),
        (p1[0] + nx * r1, p1[1] + ny * r1),
        (p1[0] - nx * r1, p1[1] - ny * r1),
        (p0[0] - nx * r0, p0[1] - ny * r0),
    ]


def draw_shape(
    surface: pygame.Surface, shape: Shape, colour: Sequence[int], offset: Point = (0, 0)
) -> None:
    """Draw every primitive of ``shape`` in ``colour``, shifted by ``offset``."""
    ox, oy = offset
    for prim in shape:
        kind = prim[0]
        if kind == "poly":
            pygame.draw.polygon(surface, colour, [(x + ox, y + oy) for x, y in prim[1]])
        elif kind == "circle":
            pygame.draw.circle(surface, colour, (prim[1][0] + ox, prim[1][1] + oy), prim[2])
        elif kind == "capsule":
            p0 = (prim[1][0] + ox, prim[1][1] + oy)
            p1 = (prim[2][0] + ox, prim[2][1] + oy)
            r0 = prim[3]
            r1 = prim[4] if len(prim) > 4 else r0
            pygame.draw.polygon(surface, colour, capsule_polygon(p0, p1, r0, r1))
            pygame.draw.circle(surface, colour, p0, r0)
            pygame.draw.circle(surface, colour, p1, r1)
        elif kind == "ellipse":
            c = (prim[1][0] + ox, prim[1][1] + oy)
            pygame.draw.polygon(surface, colour, ellipse_points(c, prim[2], prim[3], prim[4], 40))
        else:  # pragma: no cover - programming error
            raise ValueError(f"unknown shape primitive {kind!r}")


def shape_bounds(shape: Shape) -> pygame.Rect:
    """Bounding rect of a shape."""
    pts: list[Point] = []
    for prim in shape:
        kind = prim[0]
        if kind == "poly":
            pts.extend(prim[1])
        elif kind == "circle":
            (x, y), r = prim[1], prim[2]
            pts += [(x - r, y - r), (x + r, y + r)]
        elif kind == "capsule":
            r = max(prim[3], prim[4] if len(prim) > 4 else prim[3])
            for x, y in (prim[1], prim[2]):
                pts += [(x - r, y - r), (x + r, y + r)]
        elif kind == "ellipse":
            (x, y), r = prim[1], max(prim[2], prim[3])
            pts += [(x - r, y - r), (x + r, y + r)]
    return bounding_rect(pts, pad=2)


def shaded_shape(
    surface: pygame.Surface,
    shape: Shape,
    colour: Color,
    *,
    light: Point = (-0.6, -0.8),
    relief: float = 10.0,
    shadow: float = 0.55,
    highlight: float = 0.18,
    softness: float | None = None,
    rim: Color | None = None,
) -> pygame.Rect:
    """Draw ``shape`` as a rounded, lit object: a shadow tone, a lit tone on the side
    towards ``light`` (a 2-D screen direction) and a soft highlight.

    The lit area is the shape intersected with itself shifted ``relief`` px towards
    the light, blurred by ``softness`` px (default: about the relief) so the terminator
    is gentle; the outline stays crisp.  ``rim``, if given, adds a thin back-light on
    the shadow edge.
    """
    soft = min(14.0, max(2.0, relief * 0.9) if softness is None else max(1.0, softness))
    box = shape_bounds(shape)
    box.inflate_ip(4, 4)
    margin = round(relief * 3 + 40)
    box = box.clip(surface.get_clip().inflate(margin * 2, margin * 2))
    if box.w <= 0 or box.h <= 0:
        return box
    o = (-box.x, -box.y)
    lx, ly = light
    ln = math.hypot(lx, ly) or 1.0
    lx, ly = lx / ln, ly / ln
    layer = new_layer(box.size)
    draw_shape(layer, shape, scale_color(colour, shadow), o)
    mask = new_layer(box.size)
    draw_shape(mask, shape, WHITE_MASK, o)
    lit = new_layer(box.size)
    draw_shape(lit, shape, colour, (o[0] - lx * relief, o[1] - ly * relief))
    apply_mask(lit, mask)
    lit = soften(lit, soft)
    layer.blit(lit, (0, 0))
    if highlight > 0:
        hi = new_layer(box.size)
        k = 1 + highlight
        draw_shape(
            hi,
            shape,
            (*scale_color(colour, k), 150),
            (o[0] - lx * relief * 2.2, o[1] - ly * relief * 2.2),
        )
        apply_mask(hi, mask)
        hi = soften(hi, soft * 1.6)
        apply_mask(hi, mask)
        layer.blit(hi, (0, 0))
    if rim is not None:
        rl = new_layer(box.size)
        draw_shape(rl, shape, (*rim, 150), o)
        cut = new_layer(box.size, (255, 255, 255, 255))
        draw_shape(cut, shape, (0, 0, 0, 0), (o[0] - lx * relief * 0.35, o[1] - ly * relief * 0.35))
        apply_mask(rl, cut)
        rl = soften(rl, max(1.5, soft * 0.4))
        apply_mask(rl, mask)
        layer.blit(rl, (0, 0))
    apply_mask(layer, mask)
    surface.blit(layer, box.topleft)
    return box


def drop_shadow(
    surface: pygame.Surface,
    shape: Shape,
    offset: Point,
    blur: float,
    alpha: int = 120,
    colour: Color = (0, 0, 0),
) -> None:
    """A soft shadow of ``shape`` cast by ``offset`` px and blurred by ``blur`` px."""
    box = shape_bounds(shape)
    pad = int(blur * 2 + 4)
    box.inflate_ip(pad * 2, pad * 2)
    box.move_ip(round(offset[0]), round(offset[1]))
    box = box.clip(surface.get_clip().inflate(pad * 4, pad * 4))
    if box.w <= 0 or box.h <= 0:
        return
    layer = new_layer(box.size)
    draw_shape(layer, shape, (*colour, alpha), (offset[0] - box.x, offset[1] - box.y))
    surface.blit(soften(layer, max(1.0, blur)), box.topleft)


def chrome_sphere(
    surface: pygame.Surface,
    center: Point,
    radius: float,
    *,
    light: Vec3 = LIGHT,
    sky: Color = (44, 52, 72),
    horizon: Color = (214, 228, 246),
    ground: Color = (46, 100, 172),
    tint: Color = (236, 238, 242),
) -> pygame.Rect:
    """A polished metal ball mirroring a simple world: dark sky above, a bright
    horizon and the blue Earth below, with a hard specular glint from ``light``."""
    d = max(4, round(2 * radius))
    R = d / 2
    L = normalise(light)

    def fn(x: float, y: float) -> tuple[float, float, float]:
        u, v = x / R - 1, y / R - 1
        rr = u * u + v * v
        if rr > 0.998:
            k = math.sqrt(0.998 / rr)
            u, v, rr = u * k, v * k, 0.998
        z = math.sqrt(1 - rr)
        rx, ry, rz = 2 * z * u, 2 * z * v, 2 * z * z - 1
        if ry > 0.0:
            col = mix(horizon, ground, smoothstep(0.0, 0.55, ry))
        else:
            col = mix(horizon, sky, smoothstep(0.0, -0.3, ry))
        fres = 0.72 + 0.28 * (1 - z) ** 2
        spec = max(0.0, rx * L[0] + ry * L[1] + rz * L[2]) ** 90 * 330
        soft = max(0.0, rx * L[0] + ry * L[1] + rz * L[2]) ** 6 * 50
        return (
            col[0] * fres * tint[0] / 255 + spec + soft,
            col[1] * fres * tint[1] / 255 + spec + soft,
            col[2] * fres * tint[2] / 255 + spec + soft * 0.9,
        )

    body = field((d, d), fn, (min(d, 96), min(d, 96)))
    apply_mask(body, circle_mask((d, d), (R, R), R))
    pos = (round(center[0] - R), round(center[1] - R))
    surface.blit(body, pos)
    return pygame.Rect(pos, (d, d))


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
    (cx, cy), R, (ux, uy) = _limb_geometry(rect, side)
    W, H = surface.get_size()
    S = min(W, H)
    tx, ty = -uy, ux  # tangent (left to right for a bottom limb)
    phimax = max(1e-6, math.asin(min(1.0, (rect.w if ux == 0 else rect.h) / 2 / R)))
    if (ux == 0 and uy > 0) or ux < 0:
        tx, ty = -tx, -ty

    def along(x: float, y: float) -> float:
        """-1..1 along the visible limb."""
        dx, dy = x - cx, y - cy
        a = math.atan2(dx * tx + dy * ty, dx * ux + dy * uy)
        return max(-1.5, min(1.5, a / phimax))

    depth_scale = 0.33 * S
    sr = None if sunrise is None else 2 * sunrise - 1
    region = pygame.Rect(round(cx - R), round(cy - R), round(2 * R), round(2 * R)).clip(
        surface.get_clip()
    )
    if region.w <= 0 or region.h <= 0:
        return (cx, cy), R
    ox, oy = region.x, region.y

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
        s = along(x, y)
        k = 1.0 + 0.16 * sun_side * s
        r_, g_, b_ = c[0] * k, c[1] * k, c[2] * k
        if sr is not None:
            w = math.exp(-(((s - sr) / 0.35) ** 2)) * math.exp(-t * 10)
            r_ += 120 * w
            g_ += 60 * w
            b_ += 10 * w
        return (r_, g_, b_)

    lr = (max(8, region.w // 12), max(8, region.h // 12))
    body = field(region.size, body_fn, lr)
    local_c = (cx - ox, cy - oy)

    def tangent_frame(s: float, t: float) -> tuple[Point, float]:
        """Screen point at position s (-1..1 along) and depth t (px below the limb)."""
        a = s * phimax
        dirx = ux * math.cos(a) + tx * math.sin(a)
        diry = uy * math.cos(a) + ty * math.sin(a)
        r = R - t
        return (cx + dirx * r - ox, cy + diry * r - oy), math.atan2(dirx, -diry)

    def cells(
        layer: pygame.Surface,
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
        items = []
        for _ in range(systems):
            s0 = rng.uniform(-1.15, 1.15)
            t0 = (rng.random() ** 1.3) * depth_scale * 1.25
            ds = rng.uniform(0.5, 1.5) * spread
            for _k in range(rng.randint(*per)):
                s_ = s0 + rng.gauss(0, ds)
                t_ = max(1.0, t0 + rng.gauss(0, ds * 0.35) * depth_scale)
                (px, py), ang = tangent_frame(s_, t_)
                fs = 0.1 + 0.9 * min(1.0, (t_ / depth_scale) ** 0.8)
                wdt = S * rng.uniform(*size)
                a = rng.uniform(*alpha) * (0.5 + 0.5 * smoothstep(0, 0.3, t_ / depth_scale))
                items.append((a, (px / f, py / f), wdt * stretch / f, wdt * fs / f, ang))
        items.sort(key=lambda it: it[0])
        for a, c, rx, ry, ang in items:
            pygame.draw.polygon(
                layer, (*colour, _clamp(255 * a)), ellipse_points(c, rx, ry, ang, 16)
            )

    if land > 0:
        f = 4
        ll = new_layer((max(1, region.w // f), max(1, region.h // f)))
        land_c = (78, 96, 84) if not night else (14, 20, 30)
        cells(ll, f, land_c, int(3 * land) + 1, (30, 60), (0.02, 0.06), (0.25, 0.45), 0.12, 1.8)
        ll = pygame.transform.smoothscale(soften(ll, 1.5), region.size)
        body.blit(ll, (0, 0))

    if clouds > 0:
        f = 2
        cl = new_layer((max(1, region.w // f), max(1, region.h // f)))
        ccol = (238, 243, 250) if not night else (44, 54, 78)
        cells(cl, f, ccol, int(10 * clouds), (20, 45), (0.008, 0.03), (0.2, 0.55), 0.09, 2.2)
        cells(cl, f, ccol, int(5 * clouds), (6, 12), (0.03, 0.07), (0.05, 0.12), 0.12, 2.6)
        cl = pygame.transform.smoothscale(soften(cl, 2), region.size)
        body.blit(cl, (0, 0))

    if night and city_lights > 0:
        lights = pygame.Surface(region.size)
        lights.fill((0, 0, 0))
        haze = pygame.Surface((max(1, region.w // 4), max(1, region.h // 4)))
        haze.fill((0, 0, 0))
        dot = max(1.0, S / 900)
        for _ in range(int(34 * city_lights)):
            s0 = rng.uniform(-1.05, 1.05)
            t0 = (rng.random() ** 1.1) * depth_scale * 1.2 + 4
            fs = 0.12 + 0.88 * min(1.0, (t0 / depth_scale) ** 0.8)
            spread = S * rng.uniform(0.006, 0.035)
            # A city, and a few towns strung along a line from it (a coast, a road).
            ang_line = rng.uniform(0, math.pi)
            for k in range(rng.randint(12, 60)):
                if k % 3 == 0:
                    dd = rng.gauss(0, spread * 2.5)
                    ds_, dt_ = math.cos(ang_line) * dd, math.sin(ang_line) * dd * fs
                else:
                    ds_, dt_ = rng.gauss(0, spread), rng.gauss(0, spread * fs)
                (px, py), _ = tangent_frame(s0 + ds_ / (R * phimax), t0 + dt_)
                b = rng.random() ** 2.5
                col = scale_color((255, 204, 130), 0.3 + 0.7 * b)
                if b > 0.75:
                    pygame.draw.circle(lights, col, (px, py), dot * 1.3)
                else:
                    pygame.draw.circle(lights, col, (px, py), dot * 0.7)
            (px, py), _ = tangent_frame(s0, t0)
            pygame.draw.polygon(
                haze,
                (16, 10, 4),
                ellipse_points((px / 4, py / 4), spread / 4 * 1.3, spread / 4 * 1.3 * fs, 0, 16),
            )
        haze = pygame.transform.smoothscale(soften(haze, 2), region.size)
        body.blit(haze, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
        body.blit(soften(lights, 2), (0, 0), special_flags=pygame.BLEND_RGB_ADD)
        body.blit(lights, (0, 0), special_flags=pygame.BLEND_RGB_ADD)

    apply_mask(body, circle_mask(region.size, local_c, R))
    if sr is not None:
        # The dawn's wide glow sits behind the Earth, above the limb.
        (px, py), _ = tangent_frame(sr, 0)
        glow(surface, (px + ox, py + oy), S * 0.55, (255, 160, 90), 0.4, falloff=2.4, squash=0.4)
    surface.blit(body, region.topleft)

    # The atmosphere: a thin bright rim and a soft blue glow above it.
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
        s = along(x, y)
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
    if sr is not None:
        (px, py), _ = tangent_frame(sr, 0)
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

    def project(poly: Sequence[tuple[float, float]]) -> list[Point]:
        pts = []
        for lon, lat in poly:
            x, y, z = _ortho(lon, lat, lon0, lat0)
            if z < 0:
                n = math.hypot(x, y) or 1.0
                x, y = x / n, y / n
            pts.append((R + x * R, R - y * R))
        return pts

    land_c = (92, 112, 70)
    desert_c = (188, 160, 112)
    for poly in (_AFRICA, _EURASIA, _S_AMERICA, _MADAGASCAR, _BRITAIN, _IRELAND):
        pygame.draw.polygon(body, land_c, project(poly))
    pygame.draw.polygon(body, (214, 222, 230), project(_GREENLAND))
    dl = new_layer((d, d))
    pygame.draw.polygon(dl, (52, 84, 46, 200), project(_CONGO))
    for poly in (_SAHARA, _ARABIA, _KALAHARI):
        pygame.draw.polygon(dl, (*desert_c, 210), project(poly))
    dl = soften(dl, max(1.0, R / 14))
    mask_land = new_layer((d, d))
    for poly in (_AFRICA, _EURASIA):
        pygame.draw.polygon(mask_land, WHITE_MASK, project(poly))
    apply_mask(dl, mask_land)
    body.blit(dl, (0, 0))
    for poly in (_BLACK_SEA, _CASPIAN):
        pygame.draw.polygon(body, mix(EARTH_DEEP, EARTH_OCEAN, 0.5), project(poly))
    # Antarctic ice along the bottom.
    ice = [(lon, -72.0) for lon in range(-100, 140, 10)] + [(130, -90), (-100, -90)]
    pygame.draw.polygon(body, (228, 234, 240), project(ice))

    if clouds > 0:
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
                cl, (246, 248, 252, _clamp(255 * a)), ellipse_points(c, rx, ry, ang, 16)
            )
        cl = pygame.transform.smoothscale(soften(cl, 2.2), (d, d))
        body.blit(cl, (0, 0))

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


# --------------------------------------------------------------------------- spacecraft
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

    # Surface details on a translucent layer: panel lines, bands, windows, quads.
    layer, lp = _detail_layer(c)
    s = scale
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
    surface.blit(layer, c.rect.topleft if c.rect else (0, 0))
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
