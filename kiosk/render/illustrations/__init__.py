"""The exhibit's named illustrations, drawn entirely in code.

Each entry of :data:`ILLUSTRATIONS` paints a complete, opaque picture over the whole
surface it is given (any aspect ratio from 0.5 to 2.0), with the subject centred and
sized by ``min(width, height)``.  :func:`render_illustration` draws one at twice the
requested size and smooth-scales it down, which anti-aliases every edge.

The pictures live in modules by theme: :mod:`.sky`, :mod:`.firsts`, :mod:`.blueprint`,
:mod:`.ground`, :mod:`.orbit` and :mod:`.home`; :mod:`.base` holds what they share.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pygame

from kiosk.render.illustrations.blueprint import draw_blueprint
from kiosk.render.illustrations.firsts import (
    draw_moon_landing,
    draw_spacewalk,
    draw_sputnik,
    draw_vostok,
)
from kiosk.render.illustrations.ground import draw_agreement, draw_launch
from kiosk.render.illustrations.home import draw_way_home
from kiosk.render.illustrations.orbit import (
    draw_docking,
    draw_docking_module,
    draw_eclipse,
    draw_handshake,
    draw_iss,
)
from kiosk.render.illustrations.sky import draw_earth, draw_moon, draw_starfield
from kiosk.render.palette import SPACE_TOP

Illustration = Callable[[pygame.Surface, random.Random], None]

SUPERSAMPLE = 2

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
    "docking_module": draw_docking_module,
    "docking": draw_docking,
    "handshake": draw_handshake,
    "eclipse": draw_eclipse,
    "way_home": draw_way_home,
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
