"""Drawing primitives for the exhibit's pictures.

Everything here draws with plain pygame 2.6 (no pygame-ce API, no numpy, no images):
colour and vector maths, masks, soft layers, paths, gradients, star fields, soft glows
and shaded shapes.  The celestial bodies are in :mod:`kiosk.render.bodies`, the two
spacecraft in :mod:`kiosk.render.spacecraft`.

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

from kiosk.render.palette import Color, mix

Point = tuple[float, float]
Vec3 = tuple[float, float, float]
RGBA = tuple[int, int, int, int]

#: Default light: from the upper left and in front of the picture.
LIGHT: Vec3 = (-0.45, -0.62, 0.64)

WHITE_MASK: RGBA = (255, 255, 255, 255)


# --------------------------------------------------------------------------- basics


def clamp_byte(v: float) -> int:
    """``v`` as a colour channel: an int limited to 0–255."""
    return 0 if v < 0 else 255 if v > 255 else int(v)


def scale_color(c: Sequence[float], k: float) -> Color:
    """``c`` with every channel multiplied by ``k`` (clamped to 0–255)."""
    return (clamp_byte(c[0] * k), clamp_byte(c[1] * k), clamp_byte(c[2] * k))


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
        a = 255 if fade is None else clamp_byte(255 * fade(d / total))
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
            q = clamp_byte(round(v))
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
            buf[i] = clamp_byte(v[0])
            buf[i + 1] = clamp_byte(v[1])
            buf[i + 2] = clamp_byte(v[2])
            buf[i + 3] = clamp_byte(v[3]) if len(v) > 3 else 255
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
        clamp_byte(colour[0] * lam + s + fill[0] * b),
        clamp_byte(colour[1] * lam + s + fill[1] * b),
        clamp_byte(colour[2] * lam + s + fill[2] * b),
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
