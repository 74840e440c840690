"""Korolev's blueprint of the R-7 'Vostok' rocket."""

from __future__ import annotations

import math
import random

import pygame

from kiosk.render import primitives as prim
from kiosk.render.illustrations.base import dims
from kiosk.render.palette import Color
from kiosk.render.primitives import Point

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


def _paper(surf: pygame.Surface, rng: random.Random, ink: Color) -> None:
    """Blueprint paper: faint fibres and specks, and a grid in ``ink``."""
    w, h, u, cx, cy = dims(surf)
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


def draw_blueprint(surf: pygame.Surface, rng: random.Random) -> None:
    """A blueprint of the R-7 'Vostok' rocket, a tribute to the chief designer."""
    w, h, u, cx, cy = dims(surf)
    prim.gradient_stops(surf, [(0.0, (22, 66, 124)), (1.0, (14, 48, 98))])
    prim.glow(surf, (cx - 0.1 * u, cy - 0.15 * u), u * 0.9, (30, 50, 70), 0.35, falloff=1.5)
    ink = (226, 236, 250)
    _paper(surf, rng, ink)
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
