"""The sky: the starfield, the Moon and the Earth from space."""

from __future__ import annotations

import math
import random

import pygame

from kiosk.render import bodies
from kiosk.render import primitives as prim
from kiosk.render.illustrations.base import deep_space, dims
from kiosk.render.palette import SPACE_TOP
from kiosk.render.primitives import smoothstep

# --------------------------------------------------------------------------- starfield


def draw_starfield(surf: pygame.Surface, rng: random.Random) -> None:
    """A deep sky with a faint Milky Way band."""
    w, h, u, _cx, _cy = dims(surf)
    prim.gradient_stops(surf, [(0.0, (2, 6, 16)), (0.5, SPACE_TOP), (1.0, (9, 20, 42))])
    prim.glow(surf, (w * 0.25, h * 0.7), u * 0.7, (40, 30, 70), 0.35, falloff=1.6)
    prim.glow(surf, (w * 0.8, h * 0.25), u * 0.6, (20, 50, 70), 0.3, falloff=1.6)
    prim.milky_way(surf, rng, (-0.1 * w, 0.92 * h), (1.1 * w, 0.08 * h), 0.42 * u, 1.0)
    prim.starfield(surf, rng, 1.1)
    prim.vignette(surf, 0.35)


# --------------------------------------------------------------------------- moon


def draw_moon(surf: pygame.Surface, rng: random.Random) -> None:
    """The Moon large and luminous, a dotted trajectory from a small Earth."""
    _w, _h, u, cx, cy = dims(surf)
    deep_space(surf, rng, 0.8)
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


# --------------------------------------------------------------------------- earth


def draw_earth(surf: pygame.Surface, rng: random.Random) -> None:
    """The whole Earth, a small Moon beside it, a faint ring of stars: one world."""
    w, h, u, cx, cy = dims(surf)
    deep_space(surf, rng, 0.6)
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
