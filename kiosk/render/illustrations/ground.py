"""On the ground: the 1972 agreement and the two launches of 15 July 1975."""

from __future__ import annotations

import math
import random

import pygame

from kiosk.render import primitives as prim
from kiosk.render.illustrations.base import dims
from kiosk.render.palette import INK, Color, mix
from kiosk.render.primitives import Point, Shape, scale_color, smoothstep

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
    w, h, u, cx, cy = dims(surf)
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
    w, h, u, _cx, _cy = dims(surf)
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
