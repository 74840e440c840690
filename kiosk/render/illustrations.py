"""The exhibit's named illustrations, drawn entirely in code.

Each entry of :data:`ILLUSTRATIONS` paints a complete, opaque picture over the whole
surface it is given (any aspect ratio from 0.5 to 2.0), with the subject centred and
sized by ``min(width, height)``.  :func:`render_illustration` draws one at twice the
requested size and smooth-scales it down, which anti-aliases every edge.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable

import pygame

from kiosk.render import bodies
from kiosk.render import primitives as prim
from kiosk.render import spacecraft as sc
from kiosk.render.palette import (
    APOLLO_BLUE,
    INK,
    SOYUZ_RED,
    SPACE_BOTTOM,
    SPACE_TOP,
    Color,
    mix,
)
from kiosk.render.primitives import Point, Shape, scale_color, smoothstep

Illustration = Callable[[pygame.Surface, random.Random], None]

SUPERSAMPLE = 2


def _dims(surf: pygame.Surface) -> tuple[int, int, float, float, float]:
    w, h = surf.get_size()
    return w, h, float(min(w, h)), w / 2, h / 2


def _space(surf: pygame.Surface, rng: random.Random, density: float = 0.9) -> None:
    """Deep navy sky with stars."""
    prim.gradient_stops(surf, [(0.0, (3, 7, 18)), (0.55, SPACE_TOP), (1.0, SPACE_BOTTOM)])
    prim.starfield(surf, rng, density)


# --------------------------------------------------------------------------- starfield


def draw_starfield(surf: pygame.Surface, rng: random.Random) -> None:
    """A deep sky with a faint Milky Way band."""
    w, h, u, _cx, _cy = _dims(surf)
    prim.gradient_stops(surf, [(0.0, (2, 6, 16)), (0.5, SPACE_TOP), (1.0, (9, 20, 42))])
    prim.glow(surf, (w * 0.25, h * 0.7), u * 0.7, (40, 30, 70), 0.35, falloff=1.6)
    prim.glow(surf, (w * 0.8, h * 0.25), u * 0.6, (20, 50, 70), 0.3, falloff=1.6)
    prim.milky_way(surf, rng, (-0.1 * w, 0.92 * h), (1.1 * w, 0.08 * h), 0.42 * u, 1.0)
    prim.starfield(surf, rng, 1.1)
    prim.vignette(surf, 0.35)


# --------------------------------------------------------------------------- sputnik


def _sputnik(surf: pygame.Surface, c: Point, r: float, tilt: float) -> None:
    """Sputnik 1 flying right: polished ball, four swept-back whip antennas."""
    ca, sa = math.cos(tilt), math.sin(tilt)

    def rot(x: float, y: float) -> Point:
        return (c[0] + x * ca - y * sa, c[1] + x * sa + y * ca)

    # Antennas 2.4 m and 2.9 m on a 0.58 m ball (about 8 and 10 radii), 35 degrees
    # off the axis, spaced 90 degrees round it; turned 25 degrees so all four show.
    cone = math.radians(33)
    rods = []
    for k, length in enumerate((10.0, 8.3, 10.0, 8.3)):
        phi = math.radians(25 + 90 * k)
        spread, depth = math.cos(phi), math.sin(phi)
        base = (-0.35 * r, 0.82 * r * spread)
        tip = (
            base[0] - math.cos(cone) * length * r,
            base[1] + math.sin(cone) * spread * length * r,
        )
        rods.append((depth, base, tip))
    width = max(2, round(r * 0.06))

    def rod(base: Point, tip: Point, depth: float) -> None:
        k = 0.8 + 0.2 * depth
        b, t = rot(*base), rot(*tip)
        pygame.draw.line(surf, scale_color((150, 156, 168), k), b, t, width)
        pygame.draw.line(
            surf,
            scale_color((226, 230, 238), k),
            (b[0], b[1] - width * 0.35),
            (t[0], t[1] - width * 0.35),
            max(1, width // 2),
        )

    for depth, base, tip in sorted(rods):
        if depth < 0:
            rod(base, tip, depth)
    prim.chrome_sphere(surf, c, r, light=(-0.55, -0.6, 0.6))
    for depth, base, tip in sorted(rods):
        if depth >= 0:
            rod(base, tip, depth)
            prim.shaded_sphere(surf, rot(*base), r * 0.1, (160, 164, 172), specular=0.6)


def draw_sputnik(surf: pygame.Surface, rng: random.Random) -> None:
    """Sputnik 1 over the Earth's limb, on a faint dotted orbit."""
    w, h, u, cx, cy = _dims(surf)
    _space(surf, rng, 0.8)
    bodies.sun(surf, (w * 0.1, h * 0.09), u * 0.02, strength=0.9)
    (ex, ey), _er = bodies.earth_limb(
        surf, pygame.Rect(-0.6 * w, h * 0.7, 2.2 * w, h * 0.3 + 2), rng, sun_side=-0.6, land=0.7
    )
    sp = (cx + 0.22 * u, cy - 0.12 * u)
    # The orbit: an ellipse about the Earth's centre through the satellite.
    ry = ey - sp[1]
    rx = (sp[0] - ex) / math.cos(math.radians(80)) if sp[0] != ex else ry
    rx = max(ry * 0.9, min(rx, ry * 1.6))
    t_sat = math.acos(max(-1.0, min(1.0, (sp[0] - ex) / rx)))
    ry2 = ry / max(1e-6, math.sin(t_sat))
    pts = [
        (ex + rx * math.cos(t), ey - ry2 * math.sin(t))
        for t in [math.pi * (0.12 + 0.76 * i / 240) for i in range(241)]
    ]
    pts.reverse()

    def fade(t: float) -> float:
        return 0.55 * smoothstep(0.0, 0.2, t) * smoothstep(1.0, 0.8, t)

    prim.dotted_path(surf, pts, (200, 214, 236), u * 0.014, u * 0.0026, fade=fade)
    _sputnik(surf, sp, u * 0.062, -0.22)
    prim.vignette(surf, 0.3)


# --------------------------------------------------------------------------- vostok


def _vostok(
    surf: pygame.Surface, nose: Point, s: float, light: prim.Vec3, *, airlock: bool = False
) -> pygame.Rect:
    """Vostok (or, with ``airlock``, Voskhod 2) flying right; ``nose`` is the front
    of the descent sphere, ``s`` px per metre.  Returns the rect."""
    nx, ny = nose

    def pt(a: float, r: float) -> Point:
        return (nx - a * s, ny + r * s)

    sphere_col = (186, 182, 172)
    im_mat = ((206, 210, 216), 0.45, 10.0)
    # Whip antennas behind everything.
    for a0, r0, a1, r1 in ((0.3, -0.7, -1.9, -1.8), (0.3, 0.7, -1.6, 1.9)):
        pygame.draw.line(surf, (170, 172, 178), pt(a0, r0), pt(a1, r1), max(1, round(0.045 * s)))
    # Instrument module: two cones base to base, and its nozzle.
    prof = [(1.9, 0.55), (2.75, 1.215), (4.25, 0.56), (4.4, 0.42)]
    top = [pt(a, -r) for a, r in prof]
    bot = [pt(a, r) for a, r in reversed(prof)]
    prim.shaded_polygon(surf, top + bot, im_mat[0], ny, 1.215 * s, light=light, specular=im_mat[1])
    bell = [pt(4.35, -0.22), pt(4.75, -0.38), pt(4.75, 0.38), pt(4.35, 0.22)]
    prim.shaded_polygon(surf, bell, (80, 78, 76), ny, 0.4 * s, light=light)
    # The ring of gas bottles round the forward cone.
    for k in range(8):
        t = (k + 0.5) / 8 * math.pi
        r = -math.cos(t) * 1.05
        prim.shaded_sphere(surf, pt(2.28, r), 0.22 * s, (200, 204, 210), light=light, specular=0.4)
    layer = prim.new_layer(surf.get_size())
    for a in (2.75, 3.5):
        rr = 1.215 if a == 2.75 else 0.9
        pygame.draw.line(layer, (0, 0, 0, 60), pt(a, -rr), pt(a, rr), max(1, round(0.04 * s)))
    for k in range(5):
        a = 2.9 + k * 0.25
        rr = 1.2 - (a - 2.75) * 0.44
        pygame.draw.line(layer, (0, 0, 0, 34), pt(a, -rr), pt(a, rr), max(1, round(0.03 * s)))
    surf.blit(layer, (0, 0))
    # The descent sphere with its straps, hatch and window.
    c = pt(1.15, 0.0)
    prim.shaded_sphere(surf, c, 1.15 * s, sphere_col, light=light, specular=0.2, ambient=0.14)
    layer = prim.new_layer(surf.get_size())
    for k in (-0.55, 0.5):
        pts = [
            pt(1.15 - 1.15 * math.cos(t) * 0.98, k * 1.15 * math.sin(t) + (0.1 if k > 0 else -0.1))
            for t in [i / 24 * math.pi for i in range(25)]
        ]
        prim.thick_polyline(layer, pts, (40, 40, 44, 110), max(1.0, 0.07 * s))
    pygame.draw.circle(layer, (16, 20, 30, 230), pt(0.8, -0.25), 0.16 * s)
    pygame.draw.circle(
        layer, (255, 255, 255, 60), pt(0.8, -0.25), 0.16 * s, max(1, round(0.03 * s))
    )
    pygame.draw.circle(layer, (0, 0, 0, 50), pt(1.35, 0.35), 0.42 * s, max(1, round(0.04 * s)))
    surf.blit(layer, (0, 0))
    if airlock:
        # Voskhod 2's inflatable Volga airlock, standing up from the sphere.
        al = [pt(1.45, -0.9), pt(1.45, -3.2), pt(0.45, -3.2), pt(0.45, -0.9)]
        prim.shaded_polygon(
            surf,
            al,
            (214, 210, 196),
            pt(0.95, 0)[0],
            0.5 * s,
            vertical=True,
            light=(light[1], light[0], light[2]),
        )
        layer = prim.new_layer(surf.get_size())
        for k in range(7):
            y = -1.1 - k * 0.33
            pygame.draw.line(
                layer, (0, 0, 0, 50), pt(1.45, y), pt(0.45, y), max(1, round(0.04 * s))
            )
        pygame.draw.ellipse(
            layer,
            (30, 28, 26, 230),
            pygame.Rect(
                min(pt(1.45, 0)[0], pt(0.45, 0)[0]),
                pt(0, -3.32)[1],
                abs(s),
                0.24 * s,
            ),
        )
        surf.blit(layer, (0, 0))
    return prim.bounding_rect([pt(-1.9, -1.8), pt(4.75, 1.9)], 2)


def draw_vostok(surf: pygame.Surface, rng: random.Random) -> None:
    """Vostok 1 over the Earth's limb with a sunrise glowing on the horizon."""
    w, h, u, cx, cy = _dims(surf)
    prim.gradient_stops(surf, [(0.0, (3, 7, 18)), (0.6, (8, 16, 36)), (1.0, (20, 30, 56))])
    prim.starfield(surf, rng, 0.7)
    bodies.earth_limb(
        surf,
        pygame.Rect(-0.6 * w, h * 0.68, 2.2 * w, h * 0.32 + 2),
        rng,
        sunrise=0.38,
        sun_side=-0.7,
        land=0.5,
    )
    s = u * 0.1
    _vostok(surf, (cx + 0.2 * u, cy - 0.08 * u), s, (-0.75, -0.25, 0.6))
    prim.vignette(surf, 0.3)


# --------------------------------------------------------------------------- moon


def draw_moon(surf: pygame.Surface, rng: random.Random) -> None:
    """The Moon large and luminous, a dotted trajectory from a small Earth."""
    _w, _h, u, cx, cy = _dims(surf)
    _space(surf, rng, 0.8)
    mc = (cx + 0.12 * u, cy - 0.1 * u)
    mr = 0.28 * u
    ec = (cx - 0.34 * u, cy + 0.34 * u)
    er = 0.055 * u
    bodies.earth_disc(surf, ec, er, rng, light=(0.75, -0.3, 0.6), view=(-40, 20), clouds=0.7)
    p0 = (ec[0] + er * 1.5 * 0.6, ec[1] - er * 1.5 * 0.8)
    p2 = (mc[0] - mr * 1.08 * 0.8, mc[1] + mr * 1.08 * 0.6)
    mid = ((p0[0] + p2[0]) / 2, (p0[1] + p2[1]) / 2)
    dx, dy = p2[0] - p0[0], p2[1] - p0[1]
    ctrl = (mid[0] + dy * 0.35, mid[1] - dx * 0.35)
    pts = prim.bezier(p0, ctrl, p2, n=120)

    def fade(t: float) -> float:
        return 0.7 * smoothstep(0.0, 0.1, t) * smoothstep(1.0, 0.88, t)

    prim.dotted_path(surf, pts, (214, 222, 240), u * 0.015, u * 0.003, fade=fade)
    bodies.moon(surf, mc, mr, rng, light=(0.75, -0.25, 0.6), glow_strength=0.5)
    prim.vignette(surf, 0.3)


# --------------------------------------------------------------------------- spacewalk


def _spacewalker(surf: pygame.Surface, c: Point, size: float, angle: float) -> Point:
    """Leonov floating in his white Berkut suit, ``size`` px tall-ish, rotated by
    ``angle``; returns the tether's attachment point at his waist."""
    ca, sa = math.cos(angle), math.sin(angle)

    def p(x: float, y: float) -> Point:
        x, y = x * size, y * size
        return (c[0] + x * ca - y * sa, c[1] + x * sa + y * ca)

    def cap(a: Point, b: Point, r0: float, r1: float | None = None) -> tuple:
        return ("capsule", p(*a), p(*b), r0 * size, (r1 if r1 is not None else r0) * size)

    def ell(a: Point, rx: float, ry: float, rot: float = 0.0) -> tuple:
        return ("ellipse", p(*a), rx * size, ry * size, angle + rot)

    suit = (234, 231, 222)
    far = scale_color(suit, 0.82)
    light = (-0.55, -0.83)
    relief = size * 0.045
    parts: list[tuple[Shape, Color]] = [
        # Far leg and far arm (in shade), backpack, torso, near leg, near arm, helmet.
        (
            [
                cap((0.06, 0.3), (0.2, 0.6), 0.085, 0.075),
                cap((0.2, 0.6), (0.14, 0.9), 0.07, 0.062),
                ell((0.18, 0.95), 0.085, 0.05, 0.2),
            ],
            far,
        ),
        (
            [
                cap((0.12, -0.2), (0.34, -0.02), 0.065, 0.058),
                cap((0.34, -0.02), (0.46, 0.2), 0.058, 0.05),
                ("circle", p(0.48, 0.25), 0.056 * size),
            ],
            far,
        ),
        ([cap((-0.17, -0.24), (-0.2, 0.16), 0.11, 0.1)], (200, 196, 184)),
        ([cap((0.0, -0.24), (0.0, 0.2), 0.16, 0.14), ell((0.0, 0.3), 0.14, 0.1)], suit),
        (
            [
                cap((-0.06, 0.3), (-0.14, 0.62), 0.092, 0.082),
                cap((-0.14, 0.62), (-0.02, 0.9), 0.074, 0.064),
                ell((0.04, 0.96), 0.09, 0.052, 0.25),
            ],
            suit,
        ),
        (
            [
                cap((-0.12, -0.2), (-0.36, -0.04), 0.07, 0.064),
                cap((-0.36, -0.04), (-0.44, -0.26), 0.062, 0.056),
                ("circle", p(-0.45, -0.32), 0.06 * size),
            ],
            suit,
        ),
        ([("circle", p(0.02, -0.44), 0.18 * size)], suit),
    ]
    for shape, col in parts:
        prim.drop_shadow(surf, shape, (size * 0.012, size * 0.018), size * 0.02, 80)
        prim.shaded_shape(surf, shape, col, light=light, relief=relief, shadow=0.56, highlight=0.1)
    # Visor: dark glass with the blue Earth and a window of sky reflected in it.
    visor: Shape = [ell((0.08, -0.43), 0.12, 0.1)]
    prim.shaded_shape(
        surf, visor, (34, 44, 70), light=light, relief=size * 0.03, shadow=0.5, highlight=0.0
    )
    hl = prim.new_layer(surf.get_size())
    pygame.draw.polygon(
        hl,
        (255, 255, 255, 80),
        prim.ellipse_points(p(0.03, -0.48), 0.05 * size, 0.022 * size, angle - 0.5),
    )
    pygame.draw.polygon(
        hl,
        (110, 170, 240, 110),
        prim.ellipse_points(p(0.12, -0.37), 0.07 * size, 0.022 * size, angle - 0.25),
    )
    surf.blit(prim.soften(hl, 2), (0, 0))
    # Suit details: joint rings, chest regulator, the red band on the helmet.
    det = prim.new_layer(surf.get_size())
    lw = max(1, round(size * 0.012))
    for a, b in (
        ((-0.31, -0.12), (-0.4, 0.02)),
        ((-0.2, 0.56), (-0.07, 0.64)),
        ((0.12, 0.56), (0.26, 0.61)),
        ((-0.12, 0.26), (0.12, 0.26)),
    ):
        pygame.draw.line(det, (0, 0, 0, 45), p(*a), p(*b), lw)
    reg = [p(-0.07, -0.14), p(0.09, -0.14), p(0.09, 0.02), p(-0.07, 0.02)]
    pygame.draw.polygon(det, (160, 160, 158, 220), reg)
    pygame.draw.polygon(det, (0, 0, 0, 70), reg, lw)
    pygame.draw.circle(det, (200, 70, 56, 230), p(0.01, -0.06), size * 0.022)
    pygame.draw.line(
        det, (196, 56, 46, 230), p(-0.13, -0.57), p(-0.02, -0.6), max(2, round(size * 0.022))
    )
    surf.blit(det, (0, 0))
    return p(-0.18, 0.2)


def draw_spacewalk(surf: pygame.Surface, rng: random.Random) -> None:
    """Alexei Leonov on his tether outside Voskhod 2, the Earth below."""
    w, h, u, cx, cy = _dims(surf)
    _space(surf, rng, 0.7)
    bodies.sun(surf, (w * 0.06, h * 0.06), u * 0.018, strength=0.6)
    bodies.earth_limb(
        surf, pygame.Rect(-1.4 * w, h * 0.66, 2.6 * w, h * 0.5), rng, sun_side=-0.5, land=0.8
    )
    s = u * 0.05
    craft = (cx - 0.16 * u, cy - 0.06 * u)
    _vostok(surf, craft, s, (-0.6, -0.55, 0.58), airlock=True)
    hatch = (craft[0] - 0.95 * s, craft[1] - 3.26 * s)
    walker = (cx + 0.24 * u, cy + 0.02 * u)
    size = u * 0.3
    ang = -0.4
    # Where the tether will meet him (same maths as _spacewalker's return value).
    ax, ay = -0.18 * size, 0.2 * size
    attach = (
        walker[0] + ax * math.cos(ang) - ay * math.sin(ang),
        walker[1] + ax * math.sin(ang) + ay * math.cos(ang),
    )
    pts = prim.bezier(
        hatch,
        (hatch[0] + 0.02 * u, hatch[1] - 0.2 * u),
        (attach[0] - 0.3 * u, attach[1] + 0.02 * u),
        attach,
        90,
    )
    prim.thick_polyline(surf, pts, (150, 144, 128), max(2.0, u * 0.007))
    prim.thick_polyline(
        surf,
        [(x - u * 0.0015, y - u * 0.0015) for x, y in pts],
        (226, 218, 196),
        max(1.0, u * 0.0035),
    )
    _spacewalker(surf, walker, size, ang)
    prim.vignette(surf, 0.3)


# --------------------------------------------------------------------------- blueprint


def _font(size: float) -> pygame.font.Font:
    if not pygame.font.get_init():
        pygame.font.init()
    return pygame.font.Font(None, max(8, round(size)))


def _text(
    surf: pygame.Surface,
    text: str,
    pos: Point,
    size: float,
    colour: Color,
    anchor: str = "center",
    angle: float = 0.0,
) -> None:
    img = _font(size).render(text, True, colour)
    if angle:
        img = pygame.transform.rotate(img, angle)
    r = img.get_rect()
    setattr(r, anchor, (round(pos[0]), round(pos[1])))
    surf.blit(img, r)


def _arrow(
    surf: pygame.Surface, a: Point, b: Point, colour: Color, width: int, head: float
) -> None:
    pygame.draw.line(surf, colour, a, b, width)
    for p, q in ((a, b), (b, a)):
        ang = math.atan2(p[1] - q[1], p[0] - q[0])
        pts = [
            p,
            (p[0] - head * math.cos(ang - 0.3), p[1] - head * math.sin(ang - 0.3)),
            (p[0] - head * math.cos(ang + 0.3), p[1] - head * math.sin(ang + 0.3)),
        ]
        pygame.draw.polygon(surf, colour, pts)


def _dashed(
    surf: pygame.Surface,
    a: Point,
    b: Point,
    colour: Color,
    width: int,
    dash: float,
    pattern: tuple[float, ...] = (1.0, 0.6),
) -> None:
    length = math.dist(a, b)
    if length <= 0:
        return
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    d, i = 0.0, 0
    while d < length:
        seg = pattern[i % len(pattern)] * dash
        if i % 2 == 0:
            e = min(length, d + seg)
            pygame.draw.line(
                surf, colour, (a[0] + ux * d, a[1] + uy * d), (a[0] + ux * e, a[1] + uy * e), width
            )
        d += seg
        i += 1


def draw_blueprint(surf: pygame.Surface, rng: random.Random) -> None:
    """A blueprint of the R-7 'Vostok' rocket, a tribute to the chief designer."""
    w, h, u, cx, cy = _dims(surf)
    prim.gradient_stops(surf, [(0.0, (22, 66, 124)), (1.0, (14, 48, 98))])
    prim.glow(surf, (cx - 0.1 * u, cy - 0.15 * u), u * 0.9, (30, 50, 70), 0.35, falloff=1.5)
    # Paper texture: faint fibres and specks.
    tex = prim.new_layer((w, h))
    for _ in range(int(w * h / 900)):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        a = rng.uniform(0, math.pi)
        ln = rng.uniform(2, 10) * u / 900
        col = (
            (255, 255, 255, rng.randint(6, 16))
            if rng.random() < 0.6
            else (0, 10, 30, rng.randint(8, 22))
        )
        pygame.draw.line(tex, col, (x, y), (x + math.cos(a) * ln, y + math.sin(a) * ln), 1)
    surf.blit(tex, (0, 0))
    ink = (226, 236, 250)
    grid = prim.new_layer((w, h))
    g = u / 40
    for i in range(int(w / g) + 2):
        x = cx + (i - int(w / g / 2) - 1) * g
        a = 44 if (i - int(w / g / 2) - 1) % 5 == 0 else 18
        pygame.draw.line(grid, (*ink, a), (x, 0), (x, h), 1)
    for i in range(int(h / g) + 2):
        y = cy + (i - int(h / g / 2) - 1) * g
        a = 44 if (i - int(h / g / 2) - 1) % 5 == 0 else 18
        pygame.draw.line(grid, (*ink, a), (0, y), (w, y), 1)
    surf.blit(grid, (0, 0))
    m = 0.035 * u
    lw = max(2, round(u * 0.0022))
    pygame.draw.rect(surf, ink, pygame.Rect(m, m, w - 2 * m, h - 2 * m), lw)
    pygame.draw.rect(
        surf, ink, pygame.Rect(m * 1.35, m * 1.35, w - 2.7 * m, h - 2.7 * m), max(1, lw // 2)
    )

    # The title block sits bottom right; the rocket stands above it.
    tb_w, tb_h = 0.34 * u, 0.12 * u
    tb = pygame.Rect(
        round(w - m * 1.35 - tb_w), round(h - m * 1.35 - tb_h), round(tb_w), round(tb_h)
    )
    height_m, span_m = 30.84, 10.3
    top_limit = m * 1.35 + 0.07 * u
    ox = cx - 0.05 * u
    # Use the full height if the drawing clears the title block sideways.
    bottom_limit = h - m * 1.35 - 0.03 * u
    s = min((bottom_limit - top_limit) / (height_m + 4.0), 0.6 * w / (span_m + 3.0))
    if ox + 6.6 * s + 0.05 * u > tb.left:
        bottom_limit = tb.top - 0.03 * u
        s = min((bottom_limit - top_limit) / (height_m + 4.0), 0.6 * w / (span_m + 3.0))
    base_y = bottom_limit - 3.6 * s

    def P(x: float, y: float) -> Point:
        return (ox + x * s, base_y - y * s)

    line = ink
    lw2 = max(2, round(u * 0.0028))
    # Core (Blok A) profile: narrow at the bottom, widest near the top.
    core = [(1.03, 0.6), (1.2, 6), (1.47, 16.5), (1.47, 19.2), (1.3, 20.6)]
    pts = [P(x, y) for x, y in core] + [P(-x, y) for x, y in reversed(core)]
    pygame.draw.lines(surf, line, False, pts, lw2)
    # Lattice interstage.
    y0, y1 = 20.6, 21.6
    for k in range(4):
        xa = -1.3 + k * 0.65
        pygame.draw.line(surf, line, P(xa, y0), P(xa + 0.65, y1), max(1, lw2 - 1))
        pygame.draw.line(surf, line, P(xa + 0.65, y0), P(xa, y1), max(1, lw2 - 1))
    pygame.draw.line(surf, line, P(-1.3, y0), P(1.3, y0), lw2)
    # Blok E and the Vostok shroud.
    upper = [
        (1.3, 21.6),
        (1.3, 24.4),
        (1.2, 24.8),
        (1.2, 27.4),
        (0.9, 29.0),
        (0.35, 30.5),
        (0.0, 30.84),
    ]
    pts = [P(x, y) for x, y in upper] + [P(-x, y) for x, y in reversed(upper)]
    pygame.draw.lines(surf, line, False, pts, lw2)
    for y in (24.4, 24.8, 27.4):
        xx = 1.3 if y == 24.4 else 1.2
        pygame.draw.line(surf, line, P(-xx, y), P(xx, y), max(1, lw2 - 1))
    for wx, wy in ((-0.55, 28.0), (0.55, 28.0)):
        pygame.draw.circle(surf, line, P(wx, wy), 0.22 * s, max(1, lw2 - 1))
    # Side boosters: cones from a 2.68 m base to a point on the core.
    for sgn in (-1, 1):
        b = [
            (sgn * 1.05, 0.5),
            (sgn * 3.7, 0.5),
            (sgn * 3.7, 3.2),
            (sgn * 2.95, 9.0),
            (sgn * 1.47, 19.6),
        ]
        pygame.draw.lines(surf, line, False, [P(x, y) for x, y in b], lw2)
        fin = [(sgn * 3.7, 0.6), (sgn * 4.7, 0.2), (sgn * 4.9, 1.4), (sgn * 3.7, 2.6)]
        pygame.draw.lines(surf, line, False, [P(x, y) for x, y in fin], max(1, lw2 - 1))
        for k in range(2):
            nx = sgn * (1.7 + k * 1.0)
            pygame.draw.polygon(
                surf,
                line,
                [P(nx - 0.35, 0.5), P(nx + 0.35, 0.5), P(nx + 0.45, -0.4), P(nx - 0.45, -0.4)],
                max(1, lw2 - 1),
            )
    # The front booster, drawn over the core; the rear one hidden (dashed).
    fb = [
        (-1.34, 0.5),
        (-1.34, 3.2),
        (-0.9, 9.0),
        (0.0, 19.6),
        (0.9, 9.0),
        (1.34, 3.2),
        (1.34, 0.5),
    ]
    pygame.draw.lines(surf, line, False, [P(x, y) for x, y in fb], lw2)
    for k in range(4):
        nx = -0.9 + k * 0.6
        pygame.draw.polygon(
            surf,
            line,
            [P(nx - 0.25, 0.5), P(nx + 0.25, 0.5), P(nx + 0.32, -0.4), P(nx - 0.32, -0.4)],
            max(1, lw2 - 1),
        )
    pygame.draw.line(surf, line, P(-1.34, 3.2), P(1.34, 3.2), max(1, lw2 - 1))
    for y in (6.0, 12.0):
        _dashed(surf, P(-1.2, y), P(1.2, y), line, max(1, lw2 - 1), u * 0.008)
    # Centre line.
    _dashed(
        surf, P(0, -1.5), P(0, 32.0), (*line,), max(1, lw2 - 1), u * 0.02, (1.0, 0.35, 0.15, 0.35)
    )
    # Dimensions.
    dim_x = P(5.9, 0)[0]
    for y in (0.0, 30.84):
        pygame.draw.line(surf, line, P(1.6 if y else 5.0, y), (dim_x + 0.01 * u, P(0, y)[1]), 1)
    _arrow(surf, (dim_x, P(0, 0)[1]), (dim_x, P(0, 30.84)[1]), line, max(1, lw2 - 1), u * 0.018)
    _text(surf, "30,84", (dim_x + 0.012 * u, P(0, 15.4)[1]), u * 0.034, line, "center", 90)
    dim_y = P(0, -2.6)[1]
    for x in (-4.9, 4.9):
        pygame.draw.line(surf, line, P(x, 0.0), (P(x, 0)[0], dim_y + 0.01 * u), 1)
    _arrow(surf, (P(-4.9, 0)[0], dim_y), (P(4.9, 0)[0], dim_y), line, max(1, lw2 - 1), u * 0.018)
    _text(surf, "10,30", (P(0, 0)[0], dim_y - 0.022 * u), u * 0.034, line)
    dy2 = P(0, 17.8)[1]
    _arrow(surf, P(-1.47, 17.8), P(1.47, 17.8), line, 1, u * 0.012)
    _text(surf, "Ø2,95", (P(-1.6, 0)[0], dy2 - 0.02 * u), u * 0.026, line, "midright")
    # Plan view of the cluster, top left.
    pc = (m * 1.35 + 0.14 * u, m * 1.35 + 0.14 * u)
    pr = 0.028 * u
    pygame.draw.circle(surf, line, pc, pr, lw2)
    for k in range(4):
        a = k * math.pi / 2 + math.pi / 4
        pygame.draw.circle(
            surf,
            line,
            (pc[0] + math.cos(a) * pr * 1.9, pc[1] + math.sin(a) * pr * 1.9),
            pr * 0.9,
            max(1, lw2 - 1),
        )
    _dashed(
        surf,
        (pc[0] - 0.1 * u, pc[1]),
        (pc[0] + 0.1 * u, pc[1]),
        line,
        1,
        u * 0.012,
        (1, 0.4, 0.2, 0.4),
    )
    _dashed(
        surf,
        (pc[0], pc[1] - 0.1 * u),
        (pc[0], pc[1] + 0.1 * u),
        line,
        1,
        u * 0.012,
        (1, 0.4, 0.2, 0.4),
    )
    # Title block.
    pygame.draw.rect(surf, line, tb, lw)
    pygame.draw.line(
        surf, line, (tb.left, tb.top + tb_h * 0.55), (tb.right, tb.top + tb_h * 0.55), 1
    )
    pygame.draw.line(
        surf,
        line,
        (tb.left + tb_w * 0.6, tb.top + tb_h * 0.55),
        (tb.left + tb_w * 0.6, tb.bottom),
        1,
    )
    _text(surf, "ВОСТОК  8К72К", (tb.centerx, tb.top + tb_h * 0.28), u * 0.036, line)
    _text(surf, "С. П. Королёв", (tb.left + tb_w * 0.3, tb.top + tb_h * 0.78), u * 0.026, line)
    _text(surf, "1961", (tb.left + tb_w * 0.8, tb.top + tb_h * 0.78), u * 0.028, line)
    prim.vignette(surf, 0.35, (4, 14, 34))


# --------------------------------------------------------------------------- earth


def draw_earth(surf: pygame.Surface, rng: random.Random) -> None:
    """The whole Earth, a small Moon beside it, a faint ring of stars: one world."""
    w, h, u, cx, cy = _dims(surf)
    _space(surf, rng, 0.6)
    ec = (cx - 0.04 * u, cy + 0.03 * u)
    er = 0.28 * u
    ring = prim.new_layer((w, h))
    rr = 0.42 * u
    for k in range(72):
        a = k / 72 * 2 * math.pi + rng.uniform(-0.02, 0.02)
        d = rr * (1 + rng.gauss(0, 0.015))
        b = rng.uniform(0.35, 1.0)
        pygame.draw.circle(
            ring,
            (230, 236, 250, round(150 * b)),
            (ec[0] + math.cos(a) * d, ec[1] + math.sin(a) * d),
            u * 0.0022 * (1 + b),
        )
    surf.blit(ring, (0, 0))
    light = (-0.62, -0.32, 0.72)
    bodies.earth_disc(surf, ec, er, rng, light=light, view=(14.0, 12.0))
    bodies.moon(
        surf,
        (ec[0] + 0.36 * u, ec[1] - 0.3 * u),
        0.05 * u,
        rng,
        light=light,
        glow_strength=0.25,
        craters=20,
    )
    prim.vignette(surf, 0.3)


# --------------------------------------------------------------------------- moon landing


def _lunar_module(surf: pygame.Surface, foot: Point, s: float) -> None:
    """The Apollo lunar module standing on the ground at ``foot`` (centre), ``s`` px/m,
    lit by a low Sun from the left."""
    fx, fy = foot

    def P(x: float, y: float) -> Point:
        return (fx + x * s, fy - y * s)

    light = (-0.85, -0.4)
    gold = (214, 164, 74)
    lw = max(1, round(0.06 * s))
    # Long shadow on the ground, to the right.
    sh = prim.new_layer(surf.get_size())
    pygame.draw.polygon(
        sh,
        (0, 0, 0, 130),
        [P(-2.0, 0.05), P(2.4, 0.25), P(15.0, -0.2), P(14.5, -0.9), P(6.0, -0.9), P(-1.2, -0.5)],
    )
    surf.blit(prim.soften(sh, 3), (0, 0))
    leg = (196, 184, 150)
    pad = (176, 170, 150)
    # Side legs splayed out, with their struts and footpads.
    for sgn in (-1, 1):
        prim.shaded_shape(
            surf,
            [("capsule", P(sgn * 2.0, 2.6), P(sgn * 4.3, 0.4), 0.1 * s)],
            leg,
            light=light,
            relief=0.08 * s,
        )
        pygame.draw.line(surf, (150, 140, 110), P(sgn * 2.2, 1.6), P(sgn * 3.7, 1.05), lw)
        pygame.draw.line(surf, (150, 140, 110), P(sgn * 2.2, 2.9), P(sgn * 3.5, 1.3), lw)
        prim.shaded_shape(
            surf,
            [("ellipse", P(sgn * 4.4, 0.16), 0.5 * s, 0.15 * s, 0.0)],
            pad,
            light=light,
            relief=0.08 * s,
        )
    # Descent stage: gold foil, a front face and two angled side faces.
    front = [P(-1.65, 1.5), P(1.65, 1.5), P(1.65, 3.25), P(-1.65, 3.25)]
    left = [P(-2.35, 1.7), P(-1.65, 1.5), P(-1.65, 3.25), P(-2.35, 3.15)]
    right = [P(1.65, 1.5), P(2.35, 1.7), P(2.35, 3.15), P(1.65, 3.25)]
    pygame.draw.polygon(surf, scale_color(gold, 1.08), left)
    pygame.draw.polygon(surf, scale_color(gold, 0.92), front)
    pygame.draw.polygon(surf, scale_color(gold, 0.5), right)
    foil = prim.new_layer(surf.get_size())
    frng = random.Random(7)
    for _ in range(90):
        x, y = frng.uniform(-2.3, 2.2), frng.uniform(1.55, 3.15)
        dx, dy = frng.uniform(0.15, 0.45), frng.uniform(0.12, 0.35)
        col = (
            (255, 236, 180, frng.randint(25, 80))
            if frng.random() < 0.5
            else (70, 36, 0, frng.randint(25, 70))
        )
        pygame.draw.polygon(
            foil,
            col,
            [P(x, y), P(x + dx, y + dy * 0.3), P(x + dx * 0.6, y + dy), P(x - 0.1, y + dy * 0.7)],
        )
    mask = prim.new_layer(surf.get_size())
    for poly in (front, left, right):
        pygame.draw.polygon(mask, prim.WHITE_MASK, poly)
    prim.apply_mask(foil, mask)
    surf.blit(foil, (0, 0))
    pygame.draw.polygon(
        surf, (40, 36, 30), [P(-1.65, 1.5), P(1.65, 1.5), P(1.65, 1.62), P(-1.65, 1.62)]
    )
    # Front leg with the ladder, and the porch.
    prim.shaded_shape(
        surf, [("capsule", P(0.0, 1.55), P(0.0, 0.4), 0.1 * s)], leg, light=light, relief=0.08 * s
    )
    for x in (-0.38, 0.38):
        pygame.draw.line(surf, (172, 162, 130), P(x, 0.5), P(x, 1.5), lw)
    for k in range(5):
        y = 0.6 + k * 0.2
        pygame.draw.line(surf, (150, 140, 110), P(-0.38, y), P(0.38, y), lw)
    prim.shaded_shape(
        surf,
        [("ellipse", P(0.0, 0.16), 0.55 * s, 0.16 * s, 0.0)],
        pad,
        light=light,
        relief=0.08 * s,
    )
    # Ascent stage: a faceted aluminium cabin.
    grey = (196, 196, 192)
    body = [
        P(-2.0, 3.25),
        P(2.0, 3.25),
        P(2.2, 4.5),
        P(1.7, 5.8),
        P(0.7, 6.3),
        P(-0.8, 6.3),
        P(-1.8, 5.8),
        P(-2.2, 4.5),
    ]
    prim.shaded_shape(
        surf, [("poly", body)], grey, light=light, relief=0.9 * s, shadow=0.55, highlight=0.06
    )
    panels = prim.new_layer(surf.get_size())
    # Black thermal paint on the shaded flank, a dark band round the top.
    pygame.draw.polygon(
        panels,
        (30, 30, 34, 210),
        [P(1.3, 3.4), P(2.05, 3.4), P(2.15, 4.5), P(1.6, 5.7), P(1.3, 5.7)],
    )
    pygame.draw.polygon(
        panels, (30, 30, 34, 170), [P(-1.7, 5.75), P(1.65, 5.75), P(0.7, 6.25), P(-0.8, 6.25)]
    )
    # The crew cabin's front: two small triangular windows set high, the hatch below.
    face = [P(-1.1, 3.4), P(1.1, 3.4), P(1.1, 5.1), P(0.55, 5.6), P(-0.55, 5.6), P(-1.1, 5.1)]
    pygame.draw.polygon(panels, (0, 0, 0, 70), face, lw)
    for sgn in (-1, 1):
        win = [P(sgn * 0.3, 4.95), P(sgn * 0.85, 5.05), P(sgn * 0.5, 5.45)]
        pygame.draw.polygon(panels, (22, 26, 36, 235), win)
    hatch = [P(-0.42, 3.55), P(0.42, 3.55), P(0.42, 4.3), P(-0.42, 4.3)]
    pygame.draw.polygon(panels, (0, 0, 0, 50), hatch, lw)
    for y in (4.55, 3.45):
        pygame.draw.line(panels, (0, 0, 0, 40), P(-1.1, y), P(1.1, y), lw)
    pygame.draw.line(panels, (255, 255, 255, 50), P(-1.95, 4.4), P(-1.2, 4.4), lw)
    surf.blit(panels, (0, 0))
    # RCS quads on the flanks, the docking tunnel and antennas on top.
    for sgn in (-1, 1):
        q = [P(sgn * 2.2, 5.0), P(sgn * 2.75, 5.0), P(sgn * 2.75, 5.45), P(sgn * 2.2, 5.45)]
        pygame.draw.polygon(surf, (150, 150, 146) if sgn < 0 else (70, 70, 70), q)
        for d in ((0.45, 0), (0, 0.4), (0, -0.4)):
            pygame.draw.line(
                surf,
                (110, 110, 108),
                P(sgn * 2.47, 5.22),
                P(sgn * (2.47 + d[0]), 5.22 + d[1]),
                max(1, round(0.1 * s)),
            )
    prim.shaded_shape(
        surf,
        [("poly", [P(-0.55, 6.2), P(0.55, 6.2), P(0.55, 6.7), P(-0.55, 6.7)])],
        (176, 176, 172),
        light=light,
        relief=0.2 * s,
    )
    pygame.draw.line(surf, (170, 170, 170), P(1.2, 6.1), P(1.9, 7.2), max(1, round(0.07 * s)))
    prim.shaded_shape(
        surf,
        [("ellipse", P(1.95, 7.3), 0.5 * s, 0.26 * s, -0.5)],
        (210, 210, 206),
        light=light,
        relief=0.1 * s,
    )
    pygame.draw.line(surf, (170, 170, 170), P(-1.0, 6.2), P(-1.5, 7.4), max(1, round(0.05 * s)))
    prim.shaded_shape(
        surf,
        [("ellipse", P(-0.9, 6.55), 0.36 * s, 0.3 * s, 0.3)],
        (206, 206, 202),
        light=light,
        relief=0.1 * s,
    )


def draw_moon_landing(surf: pygame.Surface, rng: random.Random) -> None:
    """The lunar module on the Moon, the Earth rising over the horizon."""
    w, h, u, cx, cy = _dims(surf)
    prim.gradient_stops(surf, [(0.0, (2, 4, 12)), (0.7, (6, 12, 26))])
    horizon = cy + 0.1 * u
    prim.starfield(surf, rng, 0.35, pygame.Rect(0, 0, w, int(horizon)))
    ec = (cx + 0.22 * u, horizon - 0.04 * u)
    bodies.earth_disc(
        surf, ec, 0.11 * u, rng, light=(-0.95, -0.15, 0.3), view=(-30, 15), clouds=1.0
    )
    # Ground: a gently rolling far horizon, then regolith.
    ridge = []
    n = 64
    phase = rng.uniform(0, 6)
    for i in range(n + 1):
        x = w * i / n
        y = (
            horizon
            + u * 0.01 * math.sin(x / u * 9 + phase)
            + u * 0.006 * math.sin(x / u * 23 + phase * 2)
        )
        ridge.append((x, y))
    ground = prim.new_layer((w, h))
    pygame.draw.polygon(ground, prim.WHITE_MASK, [*ridge, (w, h), (0, h)])
    gfill = pygame.Surface((w, h))
    top = max(0.0, (horizon - 0.03 * u) / h)
    prim.gradient_stops(
        gfill,
        [
            (0.0, (150, 148, 142)),
            (top, (160, 158, 150)),
            (min(1.0, top + 0.1), (128, 126, 120)),
            (1.0, (92, 90, 88)),
        ],
    )
    gl = prim.new_layer((w, h))
    gl.blit(gfill, (0, 0))
    prim.apply_mask(gl, ground)
    surf.blit(gl, (0, 0))
    # Craters and rocks in perspective, lit from the left.
    det = prim.new_layer((w, h))
    items = []
    for _ in range(36):
        t = rng.random() ** 1.4
        items.append(("crater", t, rng.uniform(-0.1 * w, 1.1 * w), rng.uniform(0.01, 0.08)))
    for _ in range(40):
        items.append(("rock", rng.random() ** 1.2, rng.uniform(0, w), rng.uniform(0.003, 0.012)))
    items.sort(key=lambda it: it[1])
    for kind, t, x, size in items:
        y = horizon + 0.012 * u + t * (h - horizon)
        persp = 0.12 + 0.88 * (y - horizon) / max(1.0, h - horizon)
        r = u * size * persp
        if kind == "crater":
            squash = 0.16 + 0.22 * persp
            pygame.draw.polygon(
                det, (0, 0, 0, 60), prim.ellipse_points((x, y), r, r * squash, 0, 28)
            )
            pygame.draw.polygon(
                det,
                (250, 248, 240, 34),
                prim.ellipse_points((x + r * 0.2, y), r * 0.8, r * squash * 0.8, 0, 28),
            )
            pygame.draw.polygon(
                det,
                (250, 248, 240, 30),
                prim.ellipse_points(
                    (x + r * 0.7, y + r * squash * 0.15), r * 0.45, r * squash * 0.7, 0, 20
                ),
            )
        else:
            pygame.draw.polygon(
                det,
                (0, 0, 0, 90),
                [
                    (x, y - r * 0.3),
                    (x + r * 6, y + r * 0.2),
                    (x + r * 5, y + r * 0.7),
                    (x, y + r * 0.6),
                ],
            )
            pygame.draw.polygon(
                det, (176, 174, 166, 255), prim.ellipse_points((x, y), r * 1.1, r * 0.8, 0, 12)
            )
            pygame.draw.polygon(
                det,
                (120, 118, 112, 255),
                prim.ellipse_points((x + r * 0.3, y + r * 0.2), r * 0.8, r * 0.55, 0, 12),
            )
    surf.blit(det, (0, 0))
    _lunar_module(surf, (cx - 0.1 * u, horizon + 0.27 * u), u * 0.046)
    prim.vignette(surf, 0.35)


# --------------------------------------------------------------------------- agreement


def _pen(surf: pygame.Surface, tip: Point, angle: float, length: float, body: Color) -> None:
    """A fountain pen lying on the desk, nib at ``tip`` pointing along ``angle``."""
    ux, uy = math.cos(angle), math.sin(angle)

    def P(a: float, r: float) -> Point:  # a: distance back from the tip, r: across
        return (
            tip[0] - ux * a * length - uy * r * length,
            tip[1] - uy * a * length + ux * r * length,
        )

    nib: Shape = [
        ("poly", [P(0.0, 0.0), P(0.1, -0.028), P(0.14, -0.03), P(0.14, 0.03), P(0.1, 0.028)])
    ]
    grip: Shape = [("capsule", P(0.14, 0.0), P(0.25, 0.0), 0.032 * length, 0.038 * length)]
    barrel: Shape = [("capsule", P(0.26, 0.0), P(0.97, 0.0), 0.045 * length, 0.04 * length)]
    shape_all = nib + grip + barrel
    prim.drop_shadow(surf, shape_all, (length * 0.035, length * 0.05), length * 0.03, 130)
    prim.shaded_shape(surf, nib, (214, 176, 96), light=(-0.6, -0.8), relief=length * 0.012)
    prim.shaded_shape(surf, grip, scale_color(body, 0.55), light=(-0.6, -0.8), relief=length * 0.02)
    prim.shaded_shape(surf, barrel, body, light=(-0.6, -0.8), relief=length * 0.03, highlight=0.4)
    det = prim.new_layer(surf.get_size())
    for a in (0.26, 0.6, 0.62):
        pygame.draw.line(
            det, (226, 190, 110, 230), P(a, -0.045), P(a, 0.045), max(2, round(length * 0.012))
        )
    pygame.draw.line(
        det, (236, 204, 130, 230), P(0.64, -0.012), P(0.88, -0.012), max(2, round(length * 0.014))
    )
    pygame.draw.line(
        det, (40, 30, 20, 200), P(0.02, 0.0), P(0.1, 0.0), max(1, round(length * 0.004))
    )
    surf.blit(det, (0, 0))


def draw_agreement(surf: pygame.Surface, rng: random.Random) -> None:
    """Two fountain pens crossed over a treaty with two signature lines, lamplight."""
    w, h, u, cx, cy = _dims(surf)
    prim.gradient_stops(surf, [(0.0, (44, 30, 24)), (1.0, (20, 13, 11))])
    grain = prim.new_layer((w, h))
    for _ in range(90):
        y0 = rng.uniform(-0.1 * h, 1.1 * h)
        amp = rng.uniform(0.002, 0.01) * u
        ph = rng.uniform(0, 6)
        pts = [(x, y0 + amp * math.sin(x / u * 9 + ph) + x * 0.08) for x in range(0, w + 20, 20)]
        col = (
            (0, 0, 0, rng.randint(10, 30))
            if rng.random() < 0.6
            else (255, 200, 150, rng.randint(4, 10))
        )
        pygame.draw.lines(grain, col, False, pts, max(1, round(u * rng.uniform(0.001, 0.004))))
    surf.blit(grain, (0, 0))
    lamp = (cx - 0.55 * u, cy - 0.6 * u)
    prim.glow(surf, lamp, u * 1.5, (255, 190, 120), 0.3, falloff=1.6)
    # The document, slightly turned.
    ang = math.radians(-3)
    dw, dh = 0.6 * u, 0.76 * u
    dc = (cx + 0.01 * u, cy - 0.04 * u)

    def D(x: float, y: float) -> Point:  # document coords, 0..1
        px, py = (x - 0.5) * dw, (y - 0.5) * dh
        return (
            dc[0] + px * math.cos(ang) - py * math.sin(ang),
            dc[1] + px * math.sin(ang) + py * math.cos(ang),
        )

    sheet = [D(0, 0), D(1, 0), D(1, 1), D(0, 1)]
    prim.drop_shadow(surf, [("poly", sheet)], (u * 0.015, u * 0.025), u * 0.025, 150)
    paper = prim.new_layer((w, h))
    box = prim.bounding_rect(sheet, 2)

    def pfn(x: float, y: float) -> tuple[float, float, float]:
        d = math.hypot(x + box.x - lamp[0], y + box.y - lamp[1]) / u
        k = 1.0 - 0.28 * smoothstep(0.4, 1.5, d)
        return (244 * k, 234 * k, 212 * k)

    paper.blit(prim.field(box.size, pfn, (24, 24)), box.topleft)
    mask = prim.new_layer((w, h))
    pygame.draw.polygon(mask, prim.WHITE_MASK, sheet)
    prim.apply_mask(paper, mask)
    surf.blit(paper, (0, 0))
    ink = prim.new_layer((w, h))
    lw = max(1, round(u * 0.003))
    text = (70, 60, 50, 85)
    # A heading across, then the same text in two languages, side by side.
    pygame.draw.line(ink, (60, 50, 40, 160), D(0.3, 0.09), D(0.7, 0.09), max(2, round(u * 0.007)))
    pygame.draw.line(ink, (60, 50, 40, 90), D(0.36, 0.125), D(0.64, 0.125), lw)
    lrng = random.Random(11)
    for x0 in (0.09, 0.53):
        y = 0.19
        for para in (5, 4, 4, 3):
            for k in range(para):
                end = x0 + 0.38 if k < para - 1 else x0 + lrng.uniform(0.15, 0.32)
                start = x0 + (0.03 if k == 0 else 0.0)
                pygame.draw.line(ink, text, D(start, y), D(end, y), lw)
                y += 0.03
            y += 0.022
    pygame.draw.line(ink, (70, 60, 50, 50), D(0.5, 0.18), D(0.5, 0.66), lw)
    # Two signature lines, each with a signature in blue-black ink.
    for x0, seed in ((0.1, 3), (0.56, 8)):
        pygame.draw.line(ink, (60, 50, 40, 150), D(x0, 0.82), D(x0 + 0.34, 0.82), lw)
        pygame.draw.line(ink, (70, 60, 50, 70), D(x0 + 0.08, 0.855), D(x0 + 0.26, 0.855), lw)
        srng = random.Random(seed)
        pts = []
        f1, f2 = srng.uniform(26, 34), srng.uniform(5, 9)
        for i in range(160):
            t = i / 159
            env = 1.0 if t < 0.18 else 0.45 + 0.25 * math.sin(t * f2)
            xx = x0 + 0.03 + t * 0.27 + 0.016 * math.cos(t * f1) * env
            yy = 0.785 - 0.032 * math.sin(t * f1) * env - 0.018 * t + 0.006 * math.sin(t * 3)
            pts.append(D(xx, yy))
        pts.extend(D(x0 + 0.05 + 0.26 * t, 0.805 - 0.01 * t) for t in (0.0, 0.5, 1.0))
        prim.thick_polyline(ink, pts, (28, 36, 84, 225), max(2.0, u * 0.0045))
    # An embossed seal between them.
    pygame.draw.circle(ink, (176, 60, 48, 235), D(0.5, 0.72), 0.04 * u)
    pygame.draw.circle(ink, (120, 36, 30, 235), D(0.5, 0.72), 0.04 * u, max(1, round(u * 0.005)))
    pygame.draw.circle(
        ink, (220, 120, 100, 120), D(0.49, 0.714), 0.022 * u, max(1, round(u * 0.003))
    )
    surf.blit(ink, (0, 0))
    # The pens, resting crossed below the signatures, nibs towards them.
    L = 0.5 * u
    _pen(surf, D(0.83, 0.87), math.radians(-22), L, (30, 52, 104))
    _pen(surf, D(0.17, 0.87), math.radians(180 + 22), L, (120, 32, 30))
    prim.glow(surf, lamp, u * 1.1, (255, 200, 140), 0.12, falloff=1.4)
    prim.vignette(surf, 0.5, (8, 5, 4))


# --------------------------------------------------------------------------- launch


def _plume(surf: pygame.Surface, top: Point, width: float, length: float, colour: Color) -> None:
    x, y = top
    prim.glow(surf, (x, y + length * 0.35), length * 0.7, colour, 0.45, falloff=1.8, squash=0.8)
    layer = pygame.Surface(surf.get_size())
    layer.fill((0, 0, 0))
    core = [
        (x - width * 0.5, y),
        (x + width * 0.5, y),
        (x + width * 0.9, y + length * 0.35),
        (x, y + length),
        (x - width * 0.9, y + length * 0.35),
    ]
    pygame.draw.polygon(layer, scale_color(colour, 0.8), core)
    inner = [
        (x - width * 0.35, y),
        (x + width * 0.35, y),
        (x + width * 0.5, y + length * 0.2),
        (x, y + length * 0.55),
        (x - width * 0.5, y + length * 0.2),
    ]
    pygame.draw.polygon(layer, (255, 250, 230), inner)
    surf.blit(prim.soften(layer, 3), (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    prim.glow(surf, (x, y + width * 0.3), width * 2.2, (255, 250, 235), 0.9, falloff=1.6)


def _soyuz_rocket(surf: pygame.Surface, base: Point, s: float, light: prim.Vec3) -> None:
    """The Soyuz launcher, bottom of the core at ``base``, ``s`` px/m."""
    bx, by = base

    def P(x: float, y: float) -> Point:
        return (bx + x * s, by - y * s)

    grey = (210, 212, 204)
    dark = (96, 104, 98)
    fin_c = (120, 126, 120)
    # Side boosters: tapering cones from a 2.68 m base to a point high on the core.
    for sgn in (-1, 1):
        fin = [P(sgn * 3.6, 0.4), P(sgn * 4.9, 0.1), P(sgn * 4.8, 1.4), P(sgn * 3.6, 2.6)]
        pygame.draw.polygon(surf, fin_c, fin)
        b = [
            P(sgn * 1.0, 0.0),
            P(sgn * 3.7, 0.0),
            P(sgn * 3.65, 3.0),
            P(sgn * 2.85, 9.0),
            P(sgn * 1.45, 19.6),
            P(sgn * 1.1, 19.0),
            P(sgn * 1.0, 0.0),
        ]
        prim.shaded_polygon(surf, b, grey, P(sgn * 2.35, 0)[0], 1.7 * s, vertical=True, light=light)
    core = [(1.03, 0), (1.2, 6), (1.47, 16.5), (1.47, 27.1), (1.3, 27.8)]
    pts = [P(x, y) for x, y in core] + [P(-x, y) for x, y in reversed(core)]
    prim.shaded_polygon(surf, pts, grey, bx, 1.47 * s, vertical=True, light=light)
    # The front booster, seen face-on over the core.
    fb = [
        P(-1.34, 0.0),
        P(1.34, 0.0),
        P(1.3, 3.0),
        P(0.9, 9.0),
        P(0.0, 19.6),
        P(-0.9, 9.0),
        P(-1.3, 3.0),
    ]
    prim.shaded_polygon(surf, fb, grey, bx, 1.34 * s, vertical=True, light=light)
    fin = [P(-0.18, 0.1), P(0.18, 0.1), P(0.12, 2.6), P(-0.12, 2.6)]
    pygame.draw.polygon(surf, fin_c, fin)
    truss = [P(-1.3, 27.8), P(1.3, 27.8), P(1.33, 28.6), P(-1.33, 28.6)]
    pygame.draw.polygon(surf, (50, 54, 52), truss)
    up = [
        (1.33, 28.6),
        (1.33, 35.0),
        (1.5, 35.4),
        (1.5, 40.0),
        (1.2, 42.5),
        (0.55, 44.5),
        (0.25, 45.0),
    ]
    pts = [P(x, y) for x, y in up] + [P(-x, y) for x, y in reversed(up)]
    prim.shaded_polygon(surf, pts, grey, bx, 1.5 * s, vertical=True, light=light)
    tower = [P(-0.22, 45.0), P(0.22, 45.0), P(0.12, 48.5), P(0.0, 49.3), P(-0.12, 48.5)]
    prim.shaded_polygon(surf, tower, (180, 180, 176), bx, 0.3 * s, vertical=True, light=light)
    det = prim.new_layer(surf.get_size())
    lw = max(1, round(0.12 * s))
    for y, wdt in ((21.0, 1.47), (35.0, 1.33), (37.5, 1.5)):
        pygame.draw.line(det, (*dark, 160), P(-wdt, y), P(wdt, y), lw)
    for sgn in (-1, 1):
        pygame.draw.line(det, (*dark, 140), P(sgn * 3.62, 3.0), P(sgn * 1.4, 3.0), lw)
    pygame.draw.line(det, (*dark, 140), P(-1.3, 3.0), P(1.3, 3.0), lw)
    pygame.draw.polygon(
        det, (*dark, 110), [P(-1.5, 37.5), P(1.5, 37.5), P(1.5, 40.0), P(-1.5, 40.0)]
    )
    surf.blit(det, (0, 0))


def _saturn_ib(surf: pygame.Surface, base: Point, s: float, light: prim.Vec3) -> None:
    """Saturn IB with the Apollo CSM; bottom of the first stage at ``base``."""
    bx, by = base

    def P(x: float, y: float) -> Point:
        return (bx + x * s, by - y * s)

    white = (228, 228, 224)
    black = (32, 32, 34)
    # Fins.
    for sgn in (-1, 1):
        fin = [P(sgn * 3.2, 0.0), P(sgn * 5.4, -0.3), P(sgn * 5.2, 2.4), P(sgn * 3.2, 5.0)]
        prim.shaded_polygon(
            surf, fin, (60, 60, 62), P(sgn * 4.2, 0)[0], 1.2 * s, vertical=True, light=light
        )
    s1 = [P(-3.27, 0), P(3.27, 0), P(3.27, 24.5), P(-3.27, 24.5)]
    prim.shaded_polygon(surf, s1, white, bx, 3.27 * s, vertical=True, light=light)
    det = prim.new_layer(surf.get_size())
    for k in range(8):
        x0 = -3.27 + k * 6.54 / 8
        if k % 2 == 0:
            pygame.draw.polygon(
                det,
                (*black, 215),
                [P(x0, 0.8), P(x0 + 6.54 / 8, 0.8), P(x0 + 6.54 / 8, 17.5), P(x0, 17.5)],
            )
    pygame.draw.polygon(
        det, (*black, 220), [P(-3.27, 20.5), P(3.27, 20.5), P(3.27, 21.2), P(-3.27, 21.2)]
    )
    surf.blit(det, (0, 0))
    s4 = [P(-3.3, 24.5), P(3.3, 24.5), P(3.3, 42.3), P(-3.3, 42.3)]
    prim.shaded_polygon(surf, s4, white, bx, 3.3 * s, vertical=True, light=light)
    sla = [P(-3.3, 42.3), P(3.3, 42.3), P(1.95, 50.8), P(-1.95, 50.8)]
    prim.shaded_polygon(surf, sla, white, bx, 3.3 * s, vertical=True, light=light)
    sm = [P(-1.95, 50.8), P(1.95, 50.8), P(1.95, 55.8), P(-1.95, 55.8)]
    prim.shaded_polygon(
        surf, sm, (214, 216, 220), bx, 1.95 * s, vertical=True, light=light, specular=0.5
    )
    cm = [P(-1.95, 55.8), P(1.95, 55.8), P(0.45, 59.0), P(-0.45, 59.0)]
    prim.shaded_polygon(
        surf, cm, (220, 222, 226), bx, 1.95 * s, vertical=True, light=light, specular=0.5
    )
    les = [
        P(-0.55, 59.0),
        P(0.55, 59.0),
        P(0.15, 63.0),
        P(0.35, 63.2),
        P(0.35, 66.0),
        P(0.0, 68.0),
        P(-0.35, 66.0),
        P(-0.35, 63.2),
        P(-0.15, 63.0),
    ]
    prim.shaded_polygon(surf, les, (200, 200, 196), bx, 0.55 * s, vertical=True, light=light)
    det = prim.new_layer(surf.get_size())
    lw = max(1, round(0.12 * s))
    for k in range(4):
        yy = 59.3 + k * 0.9
        w0 = 0.5 - k * 0.08
        pygame.draw.line(det, (60, 60, 60, 200), P(-w0, yy), P(w0, yy + 0.9), lw)
        pygame.draw.line(det, (60, 60, 60, 200), P(w0, yy), P(-w0, yy + 0.9), lw)
    pygame.draw.polygon(
        det, (*black, 200), [P(-3.3, 24.5), P(3.3, 24.5), P(3.3, 26.0), P(-3.3, 26.0)]
    )
    for y in (30.0, 42.3):
        pygame.draw.line(det, (0, 0, 0, 80), P(-3.3, y), P(3.3, y), lw)
    pygame.draw.polygon(
        det, (*black, 200), [P(-1.2, 38.0), P(-0.4, 38.0), P(-0.4, 41.8), P(-1.2, 41.8)]
    )
    surf.blit(det, (0, 0))


def draw_launch(surf: pygame.Surface, rng: random.Random) -> None:
    """Soyuz at dawn (left) and Saturn IB in daylight (right), rising side by side."""
    w, h, u, _cx, _cy = _dims(surf)
    half = w // 2
    left = pygame.Rect(0, 0, half, h)
    right = pygame.Rect(half, 0, w - half, h)
    prim.gradient_stops(
        surf,
        [
            (0.0, (8, 12, 32)),
            (0.45, (40, 42, 84)),
            (0.72, (132, 88, 110)),
            (0.88, (232, 148, 98)),
            (1.0, (250, 196, 130)),
        ],
        left,
    )
    surf.set_clip(left)
    prim.starfield(surf, rng, 0.6, pygame.Rect(0, 0, half, int(h * 0.45)))
    prim.glow(surf, (half * 0.15, h * 0.92), u * 0.7, (255, 150, 80), 0.35, falloff=1.6, squash=0.5)
    surf.set_clip(right)
    prim.gradient_stops(
        surf,
        [
            (0.0, (22, 58, 124)),
            (0.55, (80, 136, 200)),
            (0.85, (164, 198, 226)),
            (1.0, (234, 216, 190)),
        ],
        right,
    )
    prim.glow(surf, (w * 0.98, h * 0.1), u * 0.6, (255, 240, 210), 0.25, falloff=1.8)
    surf.set_clip(None)
    scale = min(0.64 * h / 68.0, 0.7 * (w / 2) / 11.0)
    ground = h * 0.9
    base_y = h * 0.72
    sb = (half / 2, base_y)
    ab = (half + (w - half) / 2, base_y)
    surf.set_clip(left)
    _plume(surf, sb, 5.6 * scale, ground - sb[1] + 0.04 * h, (255, 168, 92))
    _soyuz_rocket(surf, sb, scale, (0.75, -0.2, 0.62))
    surf.set_clip(right)
    _plume(surf, ab, 6.0 * scale, ground - ab[1] + 0.04 * h, (255, 196, 120))
    _saturn_ib(surf, ab, scale, (-0.6, -0.3, 0.74))
    surf.set_clip(None)
    # Exhaust clouds billowing along the ground, lit by the flames.
    for bxp, side, warm, cool in (
        (sb[0], left, (255, 176, 120), (110, 90, 100)),
        (ab[0], right, (255, 228, 196), (150, 150, 160)),
    ):
        surf.set_clip(side)
        cl = prim.new_layer((w, h))
        puffs = []
        for _ in range(70):
            x = bxp + rng.gauss(0, 0.16 * u)
            y = ground - abs(rng.gauss(0, 0.035 * u))
            r = u * rng.uniform(0.02, 0.06) * (1.2 - min(1.0, abs(x - bxp) / (0.5 * u)) * 0.5)
            k = math.exp(-(((x - bxp) / (0.12 * u)) ** 2))
            puffs.append((y, x, r, k))
        puffs.sort()
        for y, x, r, k in puffs:
            pygame.draw.circle(cl, (*mix(cool, warm, 0.25 + 0.75 * k), 235), (x, y), r)
            pygame.draw.circle(
                cl, (*mix(cool, warm, 0.6 + 0.4 * k), 120), (x - r * 0.25, y - r * 0.3), r * 0.6
            )
        surf.blit(prim.soften(cl, 2.5), (0, 0))
        surf.set_clip(None)
    gy = round(ground + 0.01 * h)
    prim.gradient_stops(
        surf, [(0.0, (44, 30, 34)), (1.0, (14, 11, 16))], pygame.Rect(0, gy, half, h - gy)
    )
    prim.gradient_stops(
        surf, [(0.0, (70, 74, 66)), (1.0, (30, 34, 32))], pygame.Rect(half, gy, w - half, h - gy)
    )
    pygame.draw.line(surf, INK, (half, 0), (half, h), max(2, round(u * 0.003)))
    prim.vignette(surf, 0.3)


# --------------------------------------------------------------------------- docking


def draw_docking(surf: pygame.Surface, rng: random.Random) -> None:
    """Apollo and Soyuz 19 nose to nose over the Earth, at true relative scale."""
    w, h, u, cx, cy = _dims(surf)
    _space(surf, rng, 0.7)
    bodies.sun(surf, (w * 0.08, h * 0.08), u * 0.022, strength=0.7)
    bodies.earth_limb(
        surf, pygame.Rect(-0.6 * w, h * 0.72, 2.2 * w, h * 0.28 + 2), rng, sun_side=-0.5, land=0.8
    )
    gap = 0.3
    total = sc.apollo_length_m(True) + gap + sc.SOYUZ_LENGTH_M
    scale = min(0.88 * w / total, 0.5 * h / sc.SOYUZ_SPAN_M)
    sc.render_spacecraft_pair(surf, (cx, cy - 0.06 * h), scale, gap)
    prim.vignette(surf, 0.3)


# --------------------------------------------------------------------------- handshake


def _sleeve(
    surf: pygame.Surface,
    start: Point,
    end: Point,
    radius: float,
    cloth: Color,
    cuff: Color,
    light: prim.Vec3,
) -> None:
    """A forearm in a sleeve from ``start`` to a coloured cuff ending at ``end``."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    # Run the sleeve well past the picture's edge, whatever its aspect ratio.
    start = (end[0] - ux * length * 3, end[1] - uy * length * 3)
    cuff_w = radius * 0.85
    mid = (end[0] - ux * cuff_w, end[1] - uy * cuff_w)
    arm = prim.capsule_polygon(start, mid, radius, radius * 0.96)
    prim.drop_shadow(surf, [("poly", arm)], (radius * 0.1, radius * 0.25), radius * 0.25, 120)
    prim.shaded_tube(surf, arm, cloth, start, end, radius, light=light, specular=0.12, ambient=0.3)
    band = prim.capsule_polygon(mid, end, radius * 1.02, radius * 1.0)
    prim.shaded_tube(surf, band, cuff, start, end, radius, light=light, specular=0.2, ambient=0.3)
    nx, ny = -uy, ux
    stripe = prim.new_layer(surf.get_size())
    p = (mid[0] + ux * cuff_w * 0.3, mid[1] + uy * cuff_w * 0.3)
    pygame.draw.line(
        stripe,
        (255, 255, 255, 110),
        (p[0] + nx * radius * 0.98, p[1] + ny * radius * 0.98),
        (p[0] - nx * radius * 0.98, p[1] - ny * radius * 0.98),
        max(1, round(radius * 0.06)),
    )
    pygame.draw.line(
        stripe,
        (0, 0, 0, 90),
        (end[0] + nx * radius, end[1] + ny * radius),
        (end[0] - nx * radius, end[1] - ny * radius),
        max(1, round(radius * 0.05)),
    )
    surf.blit(stripe, (0, 0))


def draw_handshake(surf: pygame.Surface, rng: random.Random) -> None:
    """Two hands clasped in the round hatch between the craft, warm light beyond."""
    w, h, u, cx, cy = _dims(surf)
    prim.gradient_stops(surf, [(0.0, (26, 30, 42)), (1.0, (12, 14, 22))])
    hc = (cx, cy - 0.02 * u)
    ro, ri = 0.42 * u, 0.32 * u
    # Faint wall panels round the hatch.
    panels = prim.new_layer((w, h))
    g = 0.22 * u
    for i in range(-6, 7):
        x = cx + i * g
        pygame.draw.line(panels, (255, 255, 255, 10), (x, 0), (x, h), max(1, round(u * 0.002)))
        pygame.draw.line(
            panels, (0, 0, 0, 60), (x + u * 0.003, 0), (x + u * 0.003, h), max(1, round(u * 0.002))
        )
    surf.blit(panels, (0, 0))
    # Warm light down the tunnel: a smooth radial field, with faint frame rings.
    d = round(2 * ri)
    lc = (ri * 1.06, ri * 0.94)

    def tunnel(x: float, y: float) -> tuple[float, float, float]:
        t = math.hypot(x - lc[0], y - lc[1]) / ri
        k = math.exp(-t * t * 2.2)
        return (70 + 185 * k, 44 + 170 * k, 28 + 126 * k)

    tl = prim.field((d, d), tunnel, (64, 64))
    rings = prim.new_layer((d, d))
    for k in range(1, 4):
        f = 1 - k * 0.2
        c = (ri + (lc[0] - ri) * (1 - f), ri + (lc[1] - ri) * (1 - f))
        pygame.draw.circle(rings, (40, 24, 10, 50), c, ri * f, max(1, round(u * 0.006)))
        pygame.draw.circle(
            rings, (255, 220, 170, 30), c, ri * f - u * 0.006, max(1, round(u * 0.003))
        )
    tl.blit(prim.soften(rings, 2), (0, 0))
    prim.apply_mask(tl, prim.circle_mask((d, d), (ri, ri), ri))
    surf.blit(tl, (round(hc[0] - ri), round(hc[1] - ri)))
    # The hatch ring, a lit metal torus with bolts.
    prim.glow(surf, hc, ro * 1.3, (255, 190, 120), 0.12, falloff=1.5)
    prim.hatch_ring(
        surf, hc, ri, ro, bolts=20, bolt_radius=0.011 * u, rim_width=max(2, round(u * 0.005))
    )

    # Arms and hands, in units of u about the clasp.
    ox, oy = hc[0], hc[1] + 0.04 * u

    def P(x: float, y: float) -> Point:
        return (ox + x * u, oy + y * u)

    lit = (-0.35, -0.94)
    lit3 = (-0.3, -0.8, 0.5)
    skin_a = (236, 190, 150)
    skin_b = (224, 174, 136)
    rim = (255, 214, 160)
    # The right-hand person's arm (red cuff) and hand, behind.
    _sleeve(
        surf,
        P(0.95, 0.34),
        P(0.2, 0.06),
        0.1 * u,
        (226, 218, 200),
        scale_color(SOYUZ_RED, 0.88),
        lit3,
    )
    hand_b: Shape = [("ellipse", P(0.1, 0.035), 0.12 * u, 0.078 * u, 0.3)]
    prim.shaded_shape(surf, hand_b, skin_b, light=lit, relief=0.03 * u, shadow=0.62, rim=rim)
    # The left-hand person's arm (blue cuff) and hand, back of the hand towards us.
    _sleeve(
        surf,
        P(-0.95, 0.34),
        P(-0.2, 0.06),
        0.1 * u,
        (200, 208, 222),
        scale_color(APOLLO_BLUE, 0.78),
        lit3,
    )
    hand_a: Shape = [
        ("ellipse", P(-0.07, 0.03), 0.135 * u, 0.085 * u, -0.28),
        ("capsule", P(-0.19, 0.062), P(-0.1, 0.04), 0.068 * u, 0.075 * u),
    ]
    prim.drop_shadow(surf, hand_a, (0.004 * u, 0.012 * u), 0.016 * u, 110)
    prim.shaded_shape(surf, hand_a, skin_a, light=lit, relief=0.035 * u, shadow=0.62, rim=rim)
    # The far hand's fingers wrap over the back of the near hand.
    fingers = [
        ((0.04, -0.035), (-0.075, 0.0), 0.022),
        ((0.05, 0.006), (-0.075, 0.05), 0.023),
        ((0.05, 0.047), (-0.06, 0.092), 0.021),
        ((0.045, 0.086), (-0.03, 0.122), 0.018),
    ]
    group: Shape = [("capsule", P(*a0), P(*a1), r * u, r * u * 0.94) for a0, a1, r in fingers]
    prim.drop_shadow(surf, group, (0.004 * u, 0.012 * u), 0.014 * u, 130)
    prim.shaded_shape(
        surf, group, skin_b, light=lit, relief=0.014 * u, shadow=0.64, highlight=0.14, rim=rim
    )
    det = prim.new_layer((w, h))
    lw = max(1, round(u * 0.003))
    for (a0, a1, _r), (b0, b1, _r2) in itertools.pairwise(fingers):
        m0 = ((a0[0] + b0[0]) / 2, (a0[1] + b0[1]) / 2)
        m1 = ((a1[0] + b1[0]) / 2 + 0.02, (a1[1] + b1[1]) / 2)
        pygame.draw.line(det, (90, 46, 24, 150), P(*m0), P(*m1), lw)
    for a0, a1, r in fingers:
        for t in (0.38, 0.68):
            q = (a0[0] + (a1[0] - a0[0]) * t, a0[1] + (a1[1] - a0[1]) * t)
            pygame.draw.line(
                det, (110, 60, 34, 70), P(q[0], q[1] - r * 0.6), P(q[0] + 0.004, q[1] + r * 0.6), lw
            )
        tip = P(a1[0] + 0.004, a1[1] - r * 0.15)
        pygame.draw.polygon(
            det, (255, 226, 206, 80), prim.ellipse_points(tip, r * 0.55 * u, r * 0.38 * u, 0.1, 12)
        )
    surf.blit(det, (0, 0))
    # The near hand's thumb over the top of the far hand.
    thumb: Shape = [
        ("capsule", P(-0.13, -0.03), P(-0.01, -0.068), 0.03 * u, 0.026 * u),
        ("capsule", P(-0.01, -0.068), P(0.085, -0.078), 0.026 * u, 0.022 * u),
    ]
    prim.drop_shadow(surf, thumb, (0.004 * u, 0.012 * u), 0.012 * u, 130)
    prim.shaded_shape(
        surf, thumb, skin_a, light=lit, relief=0.016 * u, shadow=0.64, highlight=0.14, rim=rim
    )
    nail = prim.new_layer((w, h))
    pygame.draw.polygon(
        nail,
        (255, 230, 212, 90),
        prim.ellipse_points(P(0.075, -0.082), 0.014 * u, 0.009 * u, -0.1, 12),
    )
    pygame.draw.line(nail, (110, 60, 34, 70), P(-0.005, -0.092), P(-0.015, -0.045), lw)
    surf.blit(nail, (0, 0))
    prim.glow(surf, (hc[0], hc[1] - 0.12 * u), u * 0.4, (255, 200, 140), 0.1, falloff=1.5)
    prim.vignette(surf, 0.45)


# --------------------------------------------------------------------------- eclipse


def draw_eclipse(surf: pygame.Surface, rng: random.Random) -> None:
    """Apollo eclipsing the Sun for Soyuz: the corona streams round its disc."""
    w, h, u, cx, cy = _dims(surf)
    prim.gradient_stops(surf, [(0.0, (2, 4, 10)), (1.0, (6, 10, 22))])
    prim.starfield(surf, rng, 0.5)
    c = (cx + 0.08 * u, cy - 0.08 * u)
    r = 0.13 * u
    prim.glow(surf, c, r * 6.0, (90, 100, 140), 0.22, falloff=2.4)
    prim.glow(surf, c, r * 3.0, (236, 230, 214), 0.45, falloff=2.6)
    # Streamers, long along the (tilted) solar equator, short plumes at the poles.
    f = 4
    lw_, lh_ = max(2, w // f), max(2, h // f)
    st = pygame.Surface((lw_, lh_))
    st.fill((0, 0, 0))
    tmp = pygame.Surface((lw_, lh_))
    tilt = 0.35
    for _ in range(140):
        a = rng.uniform(0, 2 * math.pi)
        eq = abs(math.cos(a - tilt)) ** 4
        length = r * (0.5 + 3.4 * eq * rng.uniform(0.4, 1.0) + rng.uniform(0, 0.5))
        wd = r * (0.05 + 0.3 * eq) * rng.uniform(0.5, 1.0)
        k = rng.uniform(0.025, 0.07)
        bx, by = c[0] + math.cos(a) * r * 0.9, c[1] + math.sin(a) * r * 0.9
        # Equatorial streamers bend gently towards the equator line.
        bend = math.sin(2 * (a - tilt)) * -0.25 * eq
        ta = a + bend
        tx, ty = c[0] + math.cos(ta) * (r + length), c[1] + math.sin(ta) * (r + length)
        mx, my = (
            c[0] + math.cos(a + bend * 0.4) * (r + length * 0.45),
            c[1] + math.sin(a + bend * 0.4) * (r + length * 0.45),
        )
        nx, ny = -math.sin(a), math.cos(a)
        shape = [
            (bx + nx * wd, by + ny * wd),
            (mx + nx * wd * 0.55, my + ny * wd * 0.55),
            (tx, ty),
            (mx - nx * wd * 0.55, my - ny * wd * 0.55),
            (bx - nx * wd, by - ny * wd),
        ]
        tmp.fill((0, 0, 0))
        pygame.draw.polygon(
            tmp, scale_color((240, 236, 224), k), [(x / f, y / f) for x, y in shape]
        )
        st.blit(tmp, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    st = prim.soften(st, 3)
    surf.blit(pygame.transform.smoothscale(st, (w, h)), (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    prim.glow(surf, c, r * 1.5, (255, 250, 236), 0.85, falloff=2.2)
    prim.glow(surf, c, r * 1.12, (255, 252, 244), 0.6, falloff=1.2)
    # Apollo end-on: a dark disc; its high-gain antenna juts out at one side.
    black = (4, 5, 9)
    hg0 = (c[0] + math.cos(2.2) * r * 0.9, c[1] + math.sin(2.2) * r * 0.9)
    hg1 = (c[0] + math.cos(2.2) * r * 1.32, c[1] + math.sin(2.2) * r * 1.32)
    pygame.draw.line(surf, black, hg0, hg1, max(2, round(r * 0.045)))
    hg2 = (c[0] + math.cos(2.2) * r * 1.46, c[1] + math.sin(2.2) * r * 1.46)
    pygame.draw.polygon(surf, black, prim.ellipse_points(hg2, r * 0.17, r * 0.13, 2.2, 16))
    pygame.draw.circle(surf, black, c, r)
    rim = prim.new_layer((w, h))
    pygame.draw.circle(rim, (255, 246, 226, 90), c, r + max(1, u * 0.002), max(1, round(u * 0.003)))
    surf.blit(prim.soften(rim, 2), (0, 0))
    bead = (c[0] + math.cos(-2.35) * r, c[1] + math.sin(-2.35) * r)
    prim.glow(surf, bead, r * 0.7, (255, 246, 228), 0.6, falloff=2.6)
    prim.glow(surf, bead, r * 0.2, (255, 255, 250), 1.0, falloff=1.4)
    # Soyuz small in the foreground, backlit by the corona.
    layer = prim.new_layer((w, h))
    scale = 0.034 * u
    sc.draw_soyuz(layer, (cx - 0.1 * u, cy + 0.3 * u), scale, facing=1, light=(0.45, -0.7, -0.35))
    dark = prim.new_layer((w, h), (84, 86, 100, 255))
    layer.blit(dark, (0, 0), special_flags=pygame.BLEND_RGB_MULT)
    surf.blit(layer, (0, 0))
    prim.vignette(surf, 0.4)


# --------------------------------------------------------------------------- iss


def draw_iss(surf: pygame.Surface, rng: random.Random) -> None:
    """The International Space Station over the night side of the Earth."""
    w, h, _u, cx, cy = _dims(surf)
    _space(surf, rng, 1.0)
    bodies.earth_limb(
        surf,
        pygame.Rect(-0.6 * w, h * 0.7, 2.2 * w, h * 0.3 + 2),
        rng,
        night=True,
        sunrise=0.66,
        sun_side=0.5,
        clouds=0.6,
        city_lights=1.0,
    )
    L = min(0.86 * w, 0.88 * h)
    c = (cx, cy - 0.12 * h)
    light = (0.6, -0.45, 0.66)

    def P(x: float, y: float) -> Point:
        return (c[0] + x * L, c[1] + y * L)

    # Solar array wings: four pairs, copper-gold blankets with a central mast.
    for xs in (-0.46, -0.32, 0.32, 0.46):
        for sgn in (-1, 1):
            for side in (-1, 1):
                x0 = xs + side * 0.008
                x1 = xs + side * 0.055
                xa, xb = min(x0, x1), max(x0, x1)
                pts = [P(xa, sgn * 0.03), P(xb, sgn * 0.03), P(xb, sgn * 0.34), P(xa, sgn * 0.34)]
                box = prim.bounding_rect(pts, 0)
                bl = prim.new_layer(box.size)

                def bfn(
                    x: float, y: float, bx: int = box.x, by: int = box.y
                ) -> tuple[float, float, float]:
                    t = (x + bx - c[0]) / L + (y + by - c[1]) / L * 0.6
                    sheen = math.exp(-((t - 0.1) ** 2) / 0.02)
                    return (150 + 70 * sheen, 104 + 60 * sheen, 50 + 40 * sheen)

                bl.blit(prim.field(box.size, bfn, (6, 16)), (0, 0))
                for k in range(1, 16):
                    yy = (box.h * k) / 16
                    pygame.draw.line(
                        bl, (60, 36, 14, 140), (0, yy), (box.w, yy), max(1, round(L * 0.0015))
                    )
                pygame.draw.line(
                    bl,
                    (60, 36, 14, 100),
                    (box.w / 2, 0),
                    (box.w / 2, box.h),
                    max(1, round(L * 0.001)),
                )
                surf.blit(bl, box.topleft)
            pygame.draw.line(
                surf,
                (170, 170, 170),
                P(xs, sgn * 0.02),
                P(xs, sgn * 0.345),
                max(1, round(L * 0.003)),
            )
    # Radiators: white panels angled off the truss.
    for sgn in (-1, 1):
        for k in range(3):
            x = sgn * (0.14 + k * 0.028)
            pts = [P(x - 0.012, 0.02), P(x + 0.012, 0.02), P(x + 0.03, 0.16), P(x + 0.006, 0.16)]
            pygame.draw.polygon(surf, (214, 216, 220), pts)
            pygame.draw.polygon(surf, (150, 152, 160), pts, 1)
    # The truss.
    truss = [P(-0.5, -0.012), P(0.5, -0.012), P(0.5, 0.012), P(-0.5, 0.012)]
    prim.shaded_polygon(surf, truss, (186, 180, 168), c[1], 0.012 * L, light=light)
    det = prim.new_layer(surf.get_size())
    for k in range(60):
        x = -0.5 + k / 60
        pygame.draw.line(
            det, (40, 36, 30, 120), P(x, -0.012), P(x + 1 / 60, 0.012), max(1, round(L * 0.0015))
        )
    surf.blit(det, (0, 0))
    # Pressurised modules along the centre line.
    mods = [
        (-0.25, -0.16, 0.022, (214, 214, 210)),
        (-0.16, -0.07, 0.02, (220, 220, 216)),
        (-0.07, -0.03, 0.024, (230, 230, 228)),
        (-0.03, 0.08, 0.022, (226, 226, 222)),
        (0.08, 0.13, 0.024, (230, 230, 228)),
    ]
    for y0, y1, r, col in mods:
        pts = [P(-r, y0), P(r, y0), P(r, y1), P(-r, y1)]
        prim.shaded_polygon(surf, pts, col, c[0], r * L, vertical=True, light=light)
    for sgn, x1 in ((-1, 0.1), (1, 0.085)):
        pts = [P(sgn * 0.024, 0.09), P(sgn * x1, 0.09), P(sgn * x1, 0.125), P(sgn * 0.024, 0.125)]
        prim.shaded_polygon(surf, pts, (224, 224, 220), P(0, 0.1075)[1], 0.018 * L, light=light)
    # Zvezda's own small wings, dark blue.
    for sgn in (-1, 1):
        pts = [
            P(sgn * 0.025, -0.225),
            P(sgn * 0.14, -0.225),
            P(sgn * 0.14, -0.2),
            P(sgn * 0.025, -0.2),
        ]
        pygame.draw.polygon(surf, (40, 56, 104), pts)
        pygame.draw.polygon(surf, (120, 140, 190), pts, 1)
    # A Soyuz docked at the aft end of Zvezda, at the station's own scale (truss 109 m).
    ppm = L / 109.0
    sl = prim.new_layer((round(9 * ppm) + 8, round(9 * ppm) + 8))
    sc.draw_soyuz(sl, (4, sl.get_height() / 2), ppm, facing=-1, light=(0.45, 0.6, 0.66))
    sl = pygame.transform.rotate(sl, 90)
    port = P(0.0, -0.25)
    surf.blit(sl, (round(port[0] - sl.get_width() / 2), round(port[1] - sl.get_height() + 4)))
    prim.glow(surf, P(0.5, -0.1), L * 0.25, (255, 200, 150), 0.06)
    prim.vignette(surf, 0.3)


ILLUSTRATIONS: dict[str, Illustration] = {
    "starfield": draw_starfield,
    "sputnik": draw_sputnik,
    "vostok": draw_vostok,
    "moon": draw_moon,
    "spacewalk": draw_spacewalk,
    "blueprint": draw_blueprint,
    "earth": draw_earth,
    "moon_landing": draw_moon_landing,
    "agreement": draw_agreement,
    "launch": draw_launch,
    "docking": draw_docking,
    "handshake": draw_handshake,
    "eclipse": draw_eclipse,
    "iss": draw_iss,
}


def render_illustration(name: str, size: tuple[int, int], seed: int = 0) -> pygame.Surface:
    """Render illustration ``name`` at ``size``: drawn at twice the size on an opaque
    surface with ``random.Random(seed)``, then smooth-scaled down (anti-aliased).

    Deterministic for a given name, size and seed; needs no display mode.  Raises
    ``KeyError`` (listing the known names) for an unknown ``name``.
    """
    try:
        fn = ILLUSTRATIONS[name]
    except KeyError:
        known = ", ".join(sorted(ILLUSTRATIONS))
        raise KeyError(f"unknown illustration {name!r}; known: {known}") from None
    w, h = int(size[0]), int(size[1])
    if w <= 0 or h <= 0:
        raise ValueError(f"size must be positive, not {size!r}")
    big = pygame.Surface((w * SUPERSAMPLE, h * SUPERSAMPLE))
    big.fill(SPACE_TOP)
    fn(big, random.Random(seed))
    return pygame.transform.smoothscale(big, (w, h))


__all__ = ["ILLUSTRATIONS", "SUPERSAMPLE", "Illustration", "render_illustration"]
