"""The way home: Soyuz 19 lands on the steppe, Apollo comes down in the Pacific."""

from __future__ import annotations

import math
import random

import pygame

from kiosk.render import primitives as prim
from kiosk.render import spacecraft as sc
from kiosk.render.illustrations.base import dims
from kiosk.render.palette import INK, Color
from kiosk.render.primitives import Point, scale_color

#: Capsules at true relative scale (both halves share pixels per metre); their
#: parachutes are drawn smaller than life so that the capsules can be seen.
SOYUZ_DESCENT = (2.24, 2.2)  # m, length and diameter of the descent module
APOLLO_CM = (3.23, 3.91)  # m, height and base diameter of the command module
CANOPY_WHITE = (240, 238, 232)
SOYUZ_ORANGE = (236, 120, 44)
APOLLO_RED = (204, 52, 46)


def _canopy(
    surf: pygame.Surface,
    top: Point,
    width: float,
    depth: float,
    tilt: float,
    colours: tuple[Color, Color],
    gores: int,
) -> tuple[Point, Point]:
    """A parachute canopy seen from the side, crown at ``top``, ``tilt`` radians off
    vertical; alternating gores.  Returns the two skirt corners (left, right)."""
    ux, uy = math.sin(tilt), -math.cos(tilt)  # up along the canopy's axis
    vx, vy = -uy, ux  # across, to the right

    def P(x: float, y: float) -> Point:  # x across (-1..1), y down from the crown (0..1)
        return (
            top[0] + vx * x * width / 2 - ux * y * depth,
            top[1] + vy * x * width / 2 - uy * y * depth,
        )

    def crown(x: float) -> float:  # the dome's outline: y of the top edge at x
        return 1 - math.sqrt(max(0.0, 1 - x * x))

    n = 24
    skirt = 1.0
    for g in range(gores):
        x0 = -1 + 2 * g / gores
        x1 = -1 + 2 * (g + 1) / gores
        xs = [x0 + (x1 - x0) * i / n for i in range(n + 1)]
        upper = [P(x, crown(x) * 0.92) for x in xs]
        # The skirt scallops slightly between the suspension lines.
        lower = [P(x, skirt - 0.05 * math.sin(math.pi * (x - x0) / (x1 - x0))) for x in xs]
        colour = colours[g % 2]
        shade = 0.82 + 0.18 * math.cos((x0 + x1) / 2 * 1.4 + 0.5)
        pygame.draw.polygon(surf, scale_color(colour, shade), upper + lower[::-1])
    # Underside shadow along the skirt, and a crisp outline.
    edge = [P(-1 + 2 * i / 48, skirt) for i in range(49)]
    prim.thick_polyline(surf, edge, scale_color(colours[0], 0.55), max(1.0, width * 0.012))
    return P(-1, skirt), P(1, skirt)


def _lines(surf: pygame.Surface, corners: tuple[Point, Point], to: Point, width: float) -> None:
    """Suspension lines from a canopy's skirt to the capsule's attachment point."""
    layer = prim.new_layer(surf.get_size())
    a, b = corners
    for k in range(7):
        t = k / 6
        p = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        pygame.draw.line(layer, (230, 230, 226, 150), p, to, max(1, round(width)))
    surf.blit(layer, (0, 0))


def _soyuz_descent_module(surf: pygame.Surface, top: Point, s: float) -> None:
    """Soyuz's descent module hanging nose up, heat shield down, ``s`` px per metre."""
    length, dia = SOYUZ_DESCENT
    pts_l, pts_r = [], []
    for i in range(13):
        t = i / 12
        r = 0.58 + (dia / 2 - 0.58) * (1 - (1 - t) ** 1.6)
        y = top[1] + t * length * s
        pts_l.append((top[0] - r * s, y))
        pts_r.append((top[0] + r * s, y))
    body = [*pts_l, (top[0], top[1] + (length + 0.18) * s), *pts_r[::-1]]
    prim.shaded_polygon(
        surf, body, (150, 142, 116), top[0], dia / 2 * s, vertical=True, light=(-0.6, -0.3, 0.74)
    )
    # The scorched heat shield and a window.
    shield = [
        (top[0] - dia / 2 * s, top[1] + length * s),
        (top[0] + dia / 2 * s, top[1] + length * s),
        (top[0], top[1] + (length + 0.2) * s),
    ]
    pygame.draw.polygon(surf, (52, 44, 36), shield)
    pygame.draw.circle(surf, (20, 24, 34), (top[0] - 0.3 * s, top[1] + 1.1 * s), 0.16 * s)


def _apollo_command_module(surf: pygame.Surface, apex: Point, s: float) -> None:
    """Apollo's command module hanging apex up, heat shield down, ``s`` px per metre."""
    height, dia = APOLLO_CM
    x, y = apex
    r_top = 0.35
    body = [
        (x - r_top * s, y),
        (x + r_top * s, y),
        (x + dia / 2 * s, y + (height - 0.35) * s),
        (x + dia / 2 * 0.96 * s, y + (height - 0.12) * s),
        (x, y + height * s),
        (x - dia / 2 * 0.96 * s, y + (height - 0.12) * s),
        (x - dia / 2 * s, y + (height - 0.35) * s),
    ]
    prim.shaded_polygon(
        surf, body, (206, 198, 176), x, dia / 2 * s, vertical=True, light=(-0.6, -0.3, 0.74)
    )
    # The ablated heat shield's rim, and a window.
    pygame.draw.line(
        surf,
        (96, 72, 48),
        (x - dia / 2 * s, y + (height - 0.3) * s),
        (x + dia / 2 * s, y + (height - 0.3) * s),
        max(2, round(0.22 * s)),
    )
    pygame.draw.circle(surf, (24, 28, 40), (x - 0.45 * s, y + 1.4 * s), 0.2 * s)


def draw_way_home(surf: pygame.Surface, rng: random.Random) -> None:
    """Two landings: Soyuz 19 over the Kazakh steppe (left), Apollo over the Pacific
    with a recovery ship on the horizon (right); an orbit's arc joins them."""
    w, h, u, _cx, _cy = dims(surf)
    half = w // 2
    left = pygame.Rect(0, 0, half, h)
    right = pygame.Rect(half, 0, w - half, h)
    horizon = round(h * 0.8)
    # The steppe: a warm afternoon sky over flat, dry grassland.
    prim.gradient_stops(
        surf,
        [(0.0, (54, 84, 140)), (0.5, (142, 168, 196)), (0.8, (232, 206, 160))],
        pygame.Rect(0, 0, half, horizon),
    )
    prim.gradient_stops(
        surf,
        [(0.0, (176, 150, 96)), (0.35, (138, 114, 70)), (1.0, (82, 66, 42))],
        pygame.Rect(0, horizon, half, h - horizon),
    )
    tufts = prim.new_layer((w, h))
    for _ in range(90):
        x = rng.uniform(0, half)
        d = rng.uniform(0, 1) ** 1.8  # nearer tufts lower and larger
        y = horizon + 2 + d * (h - horizon)
        r = max(1.0, u * (0.002 + 0.006 * d))
        pygame.draw.ellipse(tufts, (84, 72, 40, 110), pygame.Rect(x - r * 3, y - r, r * 6, r))
    surf.blit(tufts, (0, 0))
    # The Pacific: a bright midday sky over deep blue water.
    prim.gradient_stops(
        surf,
        [(0.0, (28, 82, 168)), (0.6, (98, 160, 220)), (1.0, (196, 222, 238))],
        pygame.Rect(half, 0, w - half, horizon),
    )
    prim.gradient_stops(
        surf,
        [(0.0, (40, 96, 150)), (0.4, (22, 70, 124)), (1.0, (10, 38, 78))],
        pygame.Rect(half, horizon, w - half, h - horizon),
    )
    surf.set_clip(right)
    waves = prim.new_layer((w, h))
    for _ in range(120):
        d = rng.uniform(0, 1) ** 1.6
        y = horizon + 3 + d * (h - horizon)
        x = rng.uniform(half, w)
        length = u * (0.01 + 0.05 * d)
        pygame.draw.line(
            waves, (210, 230, 244, 90), (x, y), (x + length, y), max(1, round(u * 0.003 * (1 + d)))
        )
    surf.blit(waves, (0, 0))
    # The recovery ship, small on the horizon.
    sx, sl = half + (w - half) * 0.22, u * 0.09
    hull = [
        (sx - sl / 2, horizon - sl * 0.05),
        (sx + sl / 2, horizon - sl * 0.07),
        (sx + sl * 0.42, horizon + 1),
        (sx - sl * 0.46, horizon + 1),
    ]
    pygame.draw.polygon(surf, (70, 78, 92), hull)
    pygame.draw.rect(
        surf, (70, 78, 92), pygame.Rect(sx + sl * 0.1, horizon - sl * 0.17, sl * 0.12, sl * 0.12)
    )
    surf.set_clip(None)
    prim.glow(surf, (w * 0.96, h * 0.06), u * 0.5, (255, 246, 220), 0.3, falloff=1.8)
    # The thin arc of the orbit they came down from, over both halves.
    arc = prim.bezier((-0.05 * w, 0.2 * h), (0.5 * w, -0.06 * h), (1.05 * w, 0.2 * h), n=160)
    prim.dotted_path(surf, arc, (255, 255, 255), u * 0.018, u * 0.0035)
    # The capsules share one scale; the parachutes are shrunk to fit.
    s = u * 0.04
    # Soyuz 19, 21 July: one big orange-and-white canopy.
    surf.set_clip(left)
    soy = (half * 0.5, h * 0.55)
    canopy_w = half * 0.78
    corners = _canopy(
        surf,
        (soy[0], h * 0.16),
        canopy_w,
        canopy_w * 0.42,
        0.0,
        (SOYUZ_ORANGE, CANOPY_WHITE),
        8,
    )
    _lines(surf, corners, (soy[0], soy[1] - 0.5 * s), max(1.0, u * 0.0016))
    pygame.draw.line(surf, (70, 66, 60), (soy[0], soy[1] - 0.5 * s), soy, max(1, round(0.12 * s)))
    _soyuz_descent_module(surf, soy, s)
    surf.set_clip(None)
    # Apollo, 24 July: three red-and-white canopies.
    apo = (half + (w - half) * 0.44, h * 0.53)
    cw = (w - half) * 0.32
    surf.set_clip(right)
    for dx, dy, tilt in ((-0.82, 0.04, -0.3), (0.82, 0.04, 0.3), (0.0, 0.0, 0.0)):
        top = (apo[0] + dx * cw, h * (0.15 + dy))
        corners = _canopy(surf, top, cw, cw * 0.5, tilt, (APOLLO_RED, CANOPY_WHITE), 6)
        _lines(surf, corners, (apo[0], apo[1] - 0.3 * s), max(1.0, u * 0.0014))
    _apollo_command_module(surf, apo, s)
    surf.set_clip(None)
    pygame.draw.line(surf, INK, (half, 0), (half, h), max(2, round(u * 0.003)))
    # Where the way home began: the two craft docked again on 19 July, high on the arc.
    total = sc.apollo_length_m(True) + 0.3 + sc.SOYUZ_LENGTH_M
    pair_y = 0.5 * (arc[79][1] + arc[80][1])
    sc.render_spacecraft_pair(surf, (half, pair_y), 0.2 * w / total, 0.3)
    prim.vignette(surf, 0.3)
