"""In orbit, 1975 and after: the docking, the handshake, the eclipse, the ISS and the
docking module between the two atmospheres."""

from __future__ import annotations

import math
import random

import pygame

from kiosk.render import bodies
from kiosk.render import primitives as prim
from kiosk.render import spacecraft as sc
from kiosk.render.hatchway import TunnelLight, clasp, far_palm, sleeve, tunnel_light
from kiosk.render.illustrations.base import deep_space, dims
from kiosk.render.palette import APOLLO_BLUE, SOYUZ_RED, Color
from kiosk.render.primitives import Point, scale_color

# --------------------------------------------------------------------------- docking


def draw_docking(surf: pygame.Surface, rng: random.Random) -> None:
    """Apollo and Soyuz 19 nose to nose over the Earth, at true relative scale."""
    w, h, u, cx, cy = dims(surf)
    deep_space(surf, rng, 0.7)
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


#: The handshake picture's tunnel: bright and close, three far frames.
_TUNNEL = TunnelLight(
    focus=(1.06, 0.94),
    falloff=2.2,
    base=(70, 44, 28),
    gain=(185, 170, 126),
    frames=3,
    frame_step=0.2,
    shadow=(40, 24, 10, 50),
    shadow_width=0.006,
    highlight=(255, 220, 170, 30),
    highlight_inset=0.006,
    highlight_width=0.003,
    blur=2,
)


def draw_handshake(surf: pygame.Surface, rng: random.Random) -> None:
    """Two hands clasped in the round hatch between the craft, warm light beyond."""
    w, h, u, cx, cy = dims(surf)
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
    # Warm light down the tunnel, with faint frame rings.
    tunnel_light(surf, hc, ri, u, _TUNNEL)
    # The hatch ring, a lit metal torus with bolts.
    prim.glow(surf, hc, ro * 1.3, (255, 190, 120), 0.12, falloff=1.5)
    prim.hatch_ring(
        surf, hc, ri, ro, bolts=20, bolt_radius=0.011 * u, rim_width=max(2, round(u * 0.005))
    )

    # Arms and hands, in units of u about the clasp.
    ox, oy = hc[0], hc[1] + 0.04 * u

    def P(x: float, y: float) -> Point:
        return (ox + x * u, oy + y * u)

    lit3 = (-0.3, -0.8, 0.5)
    skin_a = (236, 190, 150)
    skin_b = (224, 174, 136)
    # The right-hand person's arm (red cuff) and hand, behind.
    sleeve(
        surf,
        P(0.95, 0.34),
        P(0.2, 0.06),
        0.1 * u,
        (226, 218, 200),
        scale_color(SOYUZ_RED, 0.88),
        light=lit3,
        extend=3,
        shadow=120,
        seam=True,
    )
    far_palm(surf, P, u, skin_b)
    # The left-hand person's arm (blue cuff) and hand, back of the hand towards us.
    sleeve(
        surf,
        P(-0.95, 0.34),
        P(-0.2, 0.06),
        0.1 * u,
        (200, 208, 222),
        scale_color(APOLLO_BLUE, 0.78),
        light=lit3,
        extend=3,
        shadow=120,
        seam=True,
    )
    # The far hand's fingers wrap over the back of the near hand, the near thumb over them.
    clasp(surf, P, u, skin_b, near_skin=skin_a, detail=True)
    prim.glow(surf, (hc[0], hc[1] - 0.12 * u), u * 0.4, (255, 200, 140), 0.1, falloff=1.5)
    prim.vignette(surf, 0.45)


# --------------------------------------------------------------------------- eclipse


#: The corona in the eclipse picture: long equatorial streamers, drawn coarse.
_STREAMERS = bodies.Streamers(
    count=140,
    tilt=0.35,
    focus=4,
    length=(0.5, 3.4),
    width=(0.05, 0.3),
    brightness=(0.025, 0.07),
    bend=0.25,
    colour=(240, 236, 224),
    shrink=4,
    blur=3,
)


def draw_eclipse(surf: pygame.Surface, rng: random.Random) -> None:
    """Apollo eclipsing the Sun for Soyuz: the corona streams round its disc."""
    w, h, u, cx, cy = dims(surf)
    prim.gradient_stops(surf, [(0.0, (2, 4, 10)), (1.0, (6, 10, 22))])
    prim.starfield(surf, rng, 0.5)
    c = (cx + 0.08 * u, cy - 0.08 * u)
    r = 0.13 * u
    prim.glow(surf, c, r * 6.0, (90, 100, 140), 0.22, falloff=2.4)
    prim.glow(surf, c, r * 3.0, (236, 230, 214), 0.45, falloff=2.6)
    # Streamers, long along the (tilted) solar equator, short plumes at the poles.
    bodies.corona_streamers(surf, c, r, rng, _STREAMERS, root=r, root_k=0.9, reach_from=r)
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
    w, h, _u, cx, cy = dims(surf)
    deep_space(surf, rng, 1.0)
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


# --------------------------------------------------------------------------- docking module

#: The two cabin atmospheres, as light: Apollo's pure oxygen cool, Soyuz's air warm.
OXYGEN = (120, 176, 255)
AIR = (255, 178, 96)


def _floating_crew(surf: pygame.Surface, P, s: float, colour: Color) -> None:
    """A crew member floating head first towards Soyuz (to the right), about 1.75 m
    long at ``s`` pixels per metre; ``P(x, y)`` maps metres about the hips to pixels."""
    body: prim.Shape = [
        ("capsule", P(-0.02, 0.0), P(0.5, -0.04), 0.2 * s, 0.22 * s),  # torso
        ("circle", P(0.8, -0.07), 0.15 * s),  # head
        ("capsule", P(0.6, -0.06), P(0.72, -0.07), 0.09 * s, 0.09 * s),  # neck
        ("capsule", P(0.0, -0.05), P(-0.42, -0.13), 0.12 * s, 0.1 * s),  # thigh
        ("capsule", P(-0.42, -0.13), P(-0.8, 0.0), 0.09 * s, 0.075 * s),  # shin
        ("capsule", P(-0.8, 0.0), P(-0.9, -0.09), 0.075 * s, 0.065 * s),  # foot
        ("capsule", P(0.02, 0.08), P(-0.36, 0.18), 0.11 * s, 0.09 * s),  # far thigh
        ("capsule", P(-0.36, 0.18), P(-0.72, 0.26), 0.085 * s, 0.07 * s),  # far shin
        ("capsule", P(0.46, -0.14), P(0.76, -0.3), 0.08 * s, 0.07 * s),  # arm reaching on
        ("capsule", P(0.76, -0.3), P(1.04, -0.36), 0.07 * s, 0.06 * s),  # forearm
        ("circle", P(1.09, -0.37), 0.075 * s),  # hand
        ("capsule", P(0.42, 0.12), P(0.58, 0.3), 0.08 * s, 0.07 * s),  # near arm
        ("capsule", P(0.58, 0.3), P(0.84, 0.3), 0.07 * s, 0.06 * s),
    ]
    prim.shaded_shape(
        surf, body, colour, light=(0.3, -0.9), relief=0.05 * s, highlight=0.25, rim=(255, 214, 170)
    )


def draw_docking_module(surf: pygame.Surface, rng: random.Random) -> None:
    """The docking module cut away between Apollo and Soyuz, at true relative scale:
    pure oxygen light on Apollo's side, air on Soyuz's, a crew member passing through."""
    w, h, _u, _cx, cy = dims(surf)
    deep_space(surf, rng, 0.6)
    bodies.earth_limb(
        surf, pygame.Rect(-0.8 * w, h * 0.8, 2.6 * w, h * 0.2 + 2), rng, sun_side=-0.5, land=0.7
    )
    # About 6.4 m of the stack across the picture: Apollo's nose, the module, Soyuz's
    # orbital module.  The two base rings meet at ``joint``.
    s = min(w / 6.4, 0.56 * h / sc.APOLLO_DIAMETER_M)
    axis = cy - 0.04 * h
    joint = w * 0.62
    # The two atmospheres, as light round each cabin.
    prim.glow(surf, (joint - 4.6 * s, axis), 4.0 * s, OXYGEN, 0.8, falloff=1.3)
    prim.glow(surf, (joint + 1.9 * s, axis), 3.0 * s, AIR, 0.8, falloff=1.3)
    light = (-0.35, -0.75, 0.6)
    sc.draw_soyuz(surf, (joint - sc.SOYUZ_PORT_AHEAD * s, axis), s, -1, apas=False, light=light)
    port = joint + sc.APOLLO_PORT_AHEAD * s
    sc.draw_apollo(surf, (port, axis), s, 1, apas=False, light=light)

    def M(a: float, r: float) -> Point:  # along Apollo: ``a`` metres aft of its port
        return (port - a * s, axis + r * s)

    # The joined docking units: two base rings side by side.
    ring = [M(0.42, -0.74), M(0.78, -0.74), M(0.78, 0.74), M(0.42, 0.74)]
    prim.shaded_polygon(surf, ring, (176, 180, 186), axis, 0.74 * s, light=light)
    pygame.draw.line(surf, (60, 62, 70), M(0.6, -0.74), M(0.6, 0.74), max(1, round(0.03 * s)))
    # The cut-away: the module's inside, lit half oxygen and half air.
    a0, a1, ri = 0.8, 3.0, 0.58
    inside = prim.bounding_rect([M(a1, -ri), M(a0, ri)], 0)
    room = pygame.Surface(inside.size)
    prim.gradient_stops(
        room,
        [
            (0.0, scale_color(OXYGEN, 0.8)),
            (0.4, scale_color(OXYGEN, 0.62)),
            (0.6, scale_color(AIR, 0.62)),
            (1.0, scale_color(AIR, 0.8)),
        ],
        horizontal=True,
    )
    shade = prim.new_layer(inside.size)
    for k in range(inside.h):
        d = abs(k / max(1, inside.h - 1) - 0.5) * 2
        pygame.draw.line(shade, (0, 0, 0, round(140 * d**2.4)), (0, k), (inside.w, k))
    room.blit(shade, (0, 0))
    surf.blit(room, inside.topleft)
    # Ribs of the pressure hull, and the two hatches, one at each end, open.
    ribs = prim.new_layer((w, h))
    for a in (1.35, 1.9, 2.45):
        pygame.draw.line(ribs, (0, 0, 0, 40), M(a, -ri), M(a, ri), max(1, round(0.03 * s)))
    surf.blit(ribs, (0, 0))
    frame = (46, 50, 60)
    for a, inward in ((a1, -1), (a0, 1)):
        for r0, r1 in ((-ri, -0.38), (0.38, ri)):
            band = [M(a + 0.05, r0), M(a - 0.05, r0), M(a - 0.05, r1), M(a + 0.05, r1)]
            pygame.draw.polygon(surf, frame, band)
        # The hatch door swung open into the module, hinged at the top.
        hinge = M(a, -0.38)
        prim.thick_polyline(surf, [hinge, M(a + inward * 0.5, -0.5)], frame, 0.07 * s)
        pygame.draw.circle(surf, (150, 156, 170), hinge, 0.045 * s)
    # The rim of the cut hull.
    rim = max(2, round(0.05 * s))
    pygame.draw.line(surf, (236, 238, 240), M(a1, -ri), M(a0, -ri), rim)
    pygame.draw.line(surf, (140, 144, 152), M(a1, ri), M(a0, ri), rim)
    # One crew member floating through, head first towards Soyuz.
    hip = M(2.2, 0.1)

    def F(x: float, y: float) -> Point:
        return (hip[0] + x * s, hip[1] + y * s)

    _floating_crew(surf, F, s, (34, 40, 60))
    # The module's two gas tanks stand outside the hull, in front of the cut.
    for r in (-0.66, 0.66):
        prim.shaded_sphere(surf, M(2.3, r), 0.27 * s, (214, 214, 210), light=light)
    prim.vignette(surf, 0.35)
