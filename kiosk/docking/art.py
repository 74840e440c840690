"""The docking animation's scenery, drawn once per screen size.

* the sky over the Earth's limb (stars, the Milky Way, the sunlit Earth with its
  atmosphere, the Sun's glare from outside the picture), which stays put as the
  camera moves a few tens of metres (it is hundreds of kilometres away and more),
  and brighter near stars drawn on top that drift with the camera for depth;
* the hatchway between the docking module and Soyuz: the wall, the hatch ring,
  warm light beyond, the hatch cover, and the two arms (open hands reaching, then
  clasped);
* Soyuz's view of the Sun for the eclipse: the sky with a viewfinder, the corona,
  the Sun's glare and its disc.

Positions are in screen pixels for the given size; ``unit`` is the height of the
screen's 16:9 area (the animation's composition scales with it).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pygame

from kiosk.render import bodies
from kiosk.render import primitives as prim
from kiosk.render.hatchway import (
    HAND_LIGHT,
    HAND_RIM,
    NEAR_SKIN,
    TunnelLight,
    clasp,
    far_palm,
    sleeve,
    tunnel_light,
)
from kiosk.render.palette import APOLLO_BLUE, SOYUZ_RED, Color, mix
from kiosk.render.spacecraft import Sprite, finish


def unit_of(size: tuple[int, int]) -> float:
    """The height of the largest 16:9 area that fits ``size``."""
    w, h = size
    return min(w * 9 / 16, h)


# --------------------------------------------------------------------------- exterior


def exterior_sky(size: tuple[int, int], seed: int = 1975) -> pygame.Surface:
    """Stars, the Milky Way and the Earth's limb, sunlit from the upper left (opaque)."""
    w, h = size
    u = unit_of(size)
    rng = random.Random(seed)
    surface = pygame.Surface(size)
    prim.gradient_stops(
        surface,
        [(0.0, (1, 3, 10)), (0.45, (4, 9, 22)), (0.72, (9, 18, 40)), (1.0, (12, 24, 50))],
    )
    limb_top = round(h * 0.71)
    prim.milky_way(surface, rng, (-0.1 * w, 0.05 * h), (1.1 * w, 0.55 * h), 0.2 * u, 0.55)

    def above_earth(x: float, y: float) -> float:
        return 1.0 if y < limb_top - 0.02 * h else 0.15

    prim.starfield(surface, rng, 1.05, weight=above_earth)
    # The Sun is high up to the left, outside the picture: its glare reaches in.
    prim.glow(surface, (-0.05 * w, -0.2 * h), 0.9 * u, (255, 214, 160), 0.12, falloff=2.6)
    prim.glow(surface, (-0.02 * w, -0.14 * h), 0.38 * u, (255, 244, 226), 0.16, falloff=2.2)
    # Mostly ocean and cloud: the first docking happened high over the sea.
    rect = pygame.Rect(round(-0.45 * w), limb_top, round(1.9 * w), h - limb_top + 2)
    bodies.earth_limb(surface, rect, rng, sun_side=-0.7, land=0.3, clouds=1.2)
    # Dusk towards the right: the far end of the limb fades towards night.
    night = prim.new_layer(size)
    for x in range(w):
        k = prim.smoothstep(0.62, 1.02, x / w)
        if k > 0:
            pygame.draw.line(night, (2, 4, 12, round(150 * k)), (x, limb_top - 4), (x, h))
    surface.blit(night, (0, 0))
    prim.vignette(surface, 0.3)
    return finish_rgb(surface)


@dataclass(frozen=True, slots=True)
class NearStar:
    """A bright star drawn every frame (so it can move with more parallax)."""

    x: float
    y: float
    sprite: int


def near_star_sprites(size: tuple[int, int]) -> list[pygame.Surface]:
    """Three sizes of soft star, opaque on black for additive blending."""
    u = unit_of(size)
    sprites = []
    for k, tint in ((0.9, (210, 222, 255)), (1.3, (255, 246, 230)), (1.9, (235, 240, 255))):
        r = max(1.0, u / 900 * k)
        d = max(5, round(r * 10))
        surf = pygame.Surface((d, d))
        surf.fill((0, 0, 0))
        prim.glow(surf, (d / 2, d / 2), d / 2, tint, 0.35, falloff=2.4)
        pygame.draw.circle(surf, tint, (d / 2, d / 2), r)
        sprites.append(finish_rgb(surf))
    return sprites


def finish_rgb(surface: pygame.Surface) -> pygame.Surface:
    """An opaque layer in the display's format."""
    return surface.convert() if pygame.display.get_surface() is not None else surface


def near_stars(size: tuple[int, int], seed: int = 7) -> list[NearStar]:
    """A sparse layer of brighter stars over an area larger than the screen."""
    w, h = size
    rng = random.Random(seed)
    stars = []
    for _ in range(70):
        x = rng.uniform(-0.25 * w, 1.25 * w)
        y = rng.uniform(-0.2 * h, 0.68 * h)
        stars.append(NearStar(x, y, min(2, int(rng.random() ** 2.2 * 3))))
    return stars


# --------------------------------------------------------------------------- hatchway


@dataclass(frozen=True, slots=True)
class Hatchway:
    """Where the hatch is: centre, the ring's inner and outer radius, and where the
    hands meet (screen pixels)."""

    centre: tuple[float, float]
    inner: float
    outer: float
    meet: tuple[float, float]


def hatchway(size: tuple[int, int]) -> Hatchway:
    """The hatch's geometry at ``size``."""
    w, h = size
    u = unit_of(size)
    c = (w / 2, h * 0.44)
    return Hatchway(c, 0.24 * u, 0.32 * u, (w / 2, c[1] + 0.07 * u))


#: The view down the tunnel into Soyuz: dimmer and deeper, two far frames.
_TUNNEL = TunnelLight(
    focus=(1.08, 0.9),
    falloff=1.9,
    base=(60, 38, 24),
    gain=(195, 180, 140),
    frames=2,
    frame_step=0.3,
    shadow=(40, 22, 8, 34),
    shadow_width=0.01,
    highlight=(255, 222, 170, 22),
    highlight_inset=0.008,
    highlight_width=0.002,
    blur=4,
)


def hatch_wall(size: tuple[int, int]) -> pygame.Surface:
    """The docking module's wall with the hatch ring; warm light beyond the open
    hatchway (the cover is drawn over it until it opens).  Opaque."""
    w, h = size
    u = unit_of(size)
    geo = hatchway(size)
    cx, cy = geo.centre
    ri, ro = geo.inner, geo.outer
    surface = pygame.Surface(size)
    prim.gradient_stops(surface, [(0.0, (22, 25, 34)), (0.6, (16, 18, 26)), (1.0, (8, 9, 14))])
    # Wall panels: faint seams and rivets, a lighter band round the hatch.
    panels = prim.new_layer(size)
    g = 0.2 * u
    lw = max(1, round(u * 0.002))
    for i in range(-8, 9):
        x = cx + i * g
        pygame.draw.line(panels, (255, 255, 255, 12), (x, 0), (x, h), lw)
        pygame.draw.line(panels, (0, 0, 0, 70), (x + 2 * lw, 0), (x + 2 * lw, h), lw)
        for j in range(0, 12):
            y = j * g * 0.5 + g * 0.25
            pygame.draw.circle(panels, (0, 0, 0, 60), (x + g * 0.08, y), max(1, u * 0.0035))
    for y in (cy - ro * 1.5, cy + ro * 1.5):
        pygame.draw.line(panels, (0, 0, 0, 80), (0, y), (w, y), max(1, round(u * 0.004)))
        pygame.draw.line(panels, (255, 255, 255, 14), (0, y + lw * 3), (w, y + lw * 3), lw)
    surface.blit(panels, (0, 0))
    # Warm light down the tunnel into Soyuz, with the far hatch frames.
    tunnel_light(surface, (cx, cy), ri, u, _TUNNEL)
    # Light spilling out round the hatch.
    prim.glow(surface, (cx, cy), ro * 1.9, (255, 178, 110), 0.1, falloff=1.8)
    # The hatch ring: a lit metal torus with bolts.
    prim.hatch_ring(
        surface,
        (cx, cy),
        ri,
        ro,
        bolts=24,
        bolt_radius=0.009 * u,
        ambient=0.22,
        warmth=80.0,
        rim=(20, 18, 20),
        rim_width=max(2, round(u * 0.005)),
    )
    prim.vignette(surface, 0.5)
    return finish_rgb(surface)


def hatch_cover(size: tuple[int, int]) -> Sprite:
    """The closed hatch cover, a shallow dome with a handwheel; anchor: its hinge
    (the left end of its horizontal diameter)."""
    geo = hatchway(size)
    r = geo.inner * 1.06
    ss = 2
    R = r * ss
    d = round(2 * R) + 4
    c = (d / 2, d / 2)
    layer = prim.new_layer((d, d))
    light = prim.normalise((-0.45, -0.7, 0.55))

    def dome(x: float, y: float) -> tuple[float, float, float]:
        dx, dy = (x - c[0]) / R, (y - c[1]) / R
        rr = min(0.999, dx * dx + dy * dy)
        nz = math.sqrt(1 - rr * 0.35)
        lam = 0.25 + 0.75 * max(0.0, dx * 0.55 * light[0] + dy * 0.55 * light[1] + nz * light[2])
        return (110 * lam, 114 * lam, 122 * lam)

    body = prim.field((d, d), dome, (64, 64))
    prim.apply_mask(body, prim.circle_mask((d, d), c, R))
    layer.blit(body, (0, 0))
    lw = max(2, round(R * 0.02))
    pygame.draw.circle(layer, (170, 172, 178, 255), c, R - lw, lw)
    pygame.draw.circle(layer, (40, 40, 46, 255), c, R * 0.86, lw)
    # The handwheel: rim, hub and three spokes.
    for k in range(3):
        a = math.radians(90 + k * 120)
        p = (c[0] + math.cos(a) * R * 0.34, c[1] + math.sin(a) * R * 0.34)
        pygame.draw.line(layer, (60, 60, 66, 255), c, p, lw * 2)
    pygame.draw.circle(layer, (70, 70, 76, 255), c, R * 0.36, lw * 3)
    pygame.draw.circle(layer, (186, 188, 194, 255), c, R * 0.36, lw)
    prim.shaded_sphere(layer, c, R * 0.07, (150, 150, 156), light=light, specular=0.5)
    for k in range(12):
        a = k / 12 * 2 * math.pi
        p = (c[0] + math.cos(a) * R * 0.93, c[1] + math.sin(a) * R * 0.93)
        pygame.draw.circle(layer, (64, 64, 70, 255), p, R * 0.02)
    small = pygame.transform.smoothscale(layer, (d // ss, d // ss))
    return Sprite(finish(small, rle=False), ((c[0] - R) / ss, c[1] / ss))


_SKIN_FAR: Color = (222, 172, 134)


def _hand_open(surface: pygame.Surface, P, u: float, side: int, skin: Color) -> None:
    """An open right hand offered for a handshake, back of the hand to us: four
    fingers reaching forward, the thumb along the top (``side`` -1 reaches from the
    left, +1 from the right, mirrored)."""

    def Q(x: float, y: float) -> prim.Point:
        return P(-side * x, y)

    palm: prim.Shape = [
        ("ellipse", Q(-0.115, 0.045), 0.088 * u, 0.06 * u, 0.1 * side),
        ("capsule", Q(-0.19, 0.06), Q(-0.13, 0.05), 0.064 * u, 0.066 * u),
    ]
    fingers: prim.Shape = [
        ("capsule", Q(-0.05, y0), Q(x1, y1), r * u, r * u * 0.88)
        for y0, x1, y1, r in (
            (0.006, 0.075, 0.004, 0.02),
            (0.036, 0.088, 0.037, 0.021),
            (0.064, 0.078, 0.068, 0.019),
            (0.088, 0.052, 0.096, 0.016),
        )
    ]
    thumb: prim.Shape = [
        ("capsule", Q(-0.14, 0.0), Q(-0.075, -0.035), 0.028 * u, 0.024 * u),
        ("capsule", Q(-0.075, -0.035), Q(-0.03, -0.05), 0.024 * u, 0.02 * u),
    ]
    prim.drop_shadow(surface, palm + fingers, (0.004 * u, 0.012 * u), 0.016 * u, 110)
    prim.shaded_shape(
        surface, palm, skin, light=HAND_LIGHT, relief=0.03 * u, shadow=0.62, rim=HAND_RIM
    )
    prim.drop_shadow(surface, fingers, (0.002 * u, 0.006 * u), 0.008 * u, 90)
    prim.shaded_shape(
        surface,
        fingers,
        skin,
        light=HAND_LIGHT,
        relief=0.012 * u,
        shadow=0.64,
        highlight=0.14,
        rim=HAND_RIM,
    )
    lines = prim.new_layer(surface.get_size())
    lw = max(1, round(u * 0.003))
    for y in (0.021, 0.05, 0.077):
        pygame.draw.line(lines, (110, 58, 30, 90), Q(-0.035, y), Q(0.06, y + 0.002), lw)
    surface.blit(lines, (0, 0))
    prim.drop_shadow(surface, thumb, (0.003 * u, 0.01 * u), 0.012 * u, 120)
    prim.shaded_shape(
        surface,
        thumb,
        skin,
        light=HAND_LIGHT,
        relief=0.014 * u,
        shadow=0.64,
        highlight=0.14,
        rim=HAND_RIM,
    )


#: The arms' shoulder ends and wrists, in units about the meeting point.
_ARM = {-1: ((-1.05, 0.42), (-0.2, 0.06)), 1: ((1.05, 0.42), (0.2, 0.06))}
_CLOTH = {-1: (206, 212, 224), 1: (222, 216, 200)}
_CUFF = {-1: prim.scale_color(APOLLO_BLUE, 0.78), 1: prim.scale_color(SOYUZ_RED, 0.88)}


def arm(size: tuple[int, int], side: int, *, clasped: bool = False) -> Sprite:
    """An arm reaching in from the left (``side`` -1, Apollo, blue cuff) or the right
    (+1, Soyuz, red cuff) with an open hand; with ``clasped`` both arms with their
    hands clasped (``side`` ignored).  Anchor: where the hands meet."""
    u = unit_of(size)
    ss = 2
    U = u * ss
    w = round(2.3 * U) if clasped else round(1.25 * U)
    h = round(0.85 * U)
    layer = prim.new_layer((w, h))
    ox = w / 2 if clasped else (w - 0.12 * U if side < 0 else 0.12 * U)
    oy = 0.32 * U

    def P(x: float, y: float) -> prim.Point:
        return (ox + x * U, oy + y * U)

    sides = (1, -1) if clasped else (side,)
    for sd in sides:
        start, end = _ARM[sd]
        sleeve(layer, P(*start), P(*end), 0.1 * U, _CLOTH[sd], _CUFF[sd])
    if clasped:
        far_palm(layer, P, U, _SKIN_FAR)
        clasp(layer, P, U, _SKIN_FAR)
    else:
        _hand_open(layer, P, U, side, NEAR_SKIN if side < 0 else _SKIN_FAR)
    small = pygame.transform.smoothscale(layer, (w // ss, h // ss))
    return Sprite(finish(small), (ox / ss, oy / ss))


# --------------------------------------------------------------------------- eclipse


@dataclass(frozen=True, slots=True)
class SunView:
    """The eclipse shot's geometry: the Sun's centre and radius, Apollo's disc radius."""

    sun: tuple[float, float]
    sun_radius: float
    disc_radius: float


def sun_view(size: tuple[int, int], disc_ratio: float) -> SunView:
    """Where the Sun is in Soyuz's view; the disc is ``disc_ratio`` times the Sun."""
    w, h = size
    u = unit_of(size)
    disc = 0.105 * u
    return SunView((w * 0.56, h * 0.42), disc / disc_ratio, disc)


def eclipse_sky(size: tuple[int, int], seed: int = 719) -> pygame.Surface:
    """Black sky with faint stars and a camera's viewfinder marks (opaque)."""
    w, h = size
    u = unit_of(size)
    rng = random.Random(seed)
    surface = pygame.Surface(size)
    prim.gradient_stops(surface, [(0.0, (1, 2, 7)), (0.7, (3, 6, 16)), (1.0, (6, 11, 26))])
    prim.starfield(surface, rng, 0.55, brightness=0.8)
    marks = prim.new_layer(size)
    colour = (200, 214, 235, 120)
    m = 0.06 * u
    arm_len = 0.07 * u
    lw = max(1, round(u * 0.003))
    top, bottom = m, h * 0.68
    for x, dx in ((m, 1), (w - m, -1)):
        for y, dy in ((top, 1), (bottom, -1)):
            pygame.draw.line(marks, colour, (x, y), (x + dx * arm_len, y), lw)
            pygame.draw.line(marks, colour, (x, y), (x, y + dy * arm_len), lw)
    surface.blit(marks, (0, 0))
    prim.vignette(surface, 0.35)
    return finish_rgb(surface)


#: The corona seen from Soyuz: shorter, finer streamers closer to the disc.
_STREAMERS = bodies.Streamers(
    count=170,
    tilt=0.4,
    focus=3,
    length=(0.7, 2.2),
    width=(0.05, 0.26),
    brightness=(0.03, 0.08),
    bend=0.22,
    colour=(240, 236, 226),
    shrink=3,
    blur=2.5,
)


def corona(sky: pygame.Surface, view: SunView, seed: int = 1975) -> Sprite:
    """The part of ``sky`` round the Sun with the corona added (opaque), for
    blending in as the Sun disappears; anchor: the Sun's centre."""
    rng = random.Random(seed)
    r_disc = view.disc_radius
    reach = r_disc * 3.4
    box = pygame.Rect(0, 0, round(2 * reach), round(2 * reach))
    box.center = (round(view.sun[0]), round(view.sun[1]))
    box = box.clip(sky.get_rect())
    region = sky.subsurface(box).copy()
    c = (view.sun[0] - box.x, view.sun[1] - box.y)
    base = r_disc * 0.7
    bodies.corona_streamers(region, c, r_disc, rng, _STREAMERS, root=base, reach_from=base)
    prim.glow(region, c, r_disc * 2.6, (120, 130, 170), 0.28, falloff=2.2)
    prim.glow(region, c, r_disc * 1.6, (236, 232, 220), 0.55, falloff=2.8)
    return Sprite(finish_rgb(region), c)


def glare(view: SunView, size: tuple[int, int]) -> Sprite:
    """The uncovered Sun's glare in the camera, opaque on black (added to the picture,
    scaled by how much of the Sun shows); anchor: the Sun's centre."""
    u = unit_of(size)
    r = 0.32 * u
    d = round(2 * r)
    surface = pygame.Surface((d, d))
    surface.fill((0, 0, 0))
    c = (d / 2, d / 2)
    prim.glow(surface, c, r, (255, 214, 160), 0.35, falloff=2.6)
    prim.glow(surface, c, r * 0.5, (255, 244, 226), 0.6, falloff=2.4)
    prim.glow(surface, c, view.sun_radius * 5, (255, 252, 240), 1.0, falloff=1.6)
    # Two faint diffraction spikes, as a camera lens would show.
    spikes = pygame.Surface((d, d))
    spikes.fill((0, 0, 0))
    for ang in (0.35, 0.35 + math.pi / 2):
        dx, dy = math.cos(ang) * r * 0.55, math.sin(ang) * r * 0.55
        pygame.draw.line(spikes, (150, 140, 120), (c[0] - dx, c[1] - dy), (c[0] + dx, c[1] + dy), 4)
    spikes = prim.soften(spikes, 5)
    surface.blit(spikes, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    return Sprite(finish_rgb(surface), c)


def sun_disc(view: SunView) -> Sprite:
    """The Sun's white-hot disc with a little limb darkening; anchor: centre."""
    r = view.sun_radius
    d = max(4, round(2 * r * 2.2))
    layer = prim.new_layer((d, d))
    c = (d / 2, d / 2)
    for i in range(8, 0, -1):
        k = i / 8
        col = mix((255, 214, 170), (255, 255, 250), 1 - k)
        pygame.draw.circle(layer, (*col, 255), c, r * k)
    return Sprite(finish(layer, rle=False), c)
