"""The firsts of the space age: Sputnik, Vostok, the first spacewalk and the Moon landing."""

from __future__ import annotations

import math
import random

import pygame

from kiosk.render import bodies
from kiosk.render import primitives as prim
from kiosk.render.illustrations.base import deep_space, dims
from kiosk.render.palette import Color
from kiosk.render.primitives import Point, Shape, scale_color, smoothstep

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
    w, h, u, cx, cy = dims(surf)
    deep_space(surf, rng, 0.8)
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
    w, h, u, cx, cy = dims(surf)
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
    w, h, u, cx, cy = dims(surf)
    deep_space(surf, rng, 0.7)
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
    w, h, u, cx, cy = dims(surf)
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
