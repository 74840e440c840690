"""What every illustration shares: the picture's dimensions and a starry sky."""

from __future__ import annotations

import random

import pygame

from kiosk.render import primitives as prim
from kiosk.render.palette import SPACE_BOTTOM, SPACE_TOP


def dims(surf: pygame.Surface) -> tuple[int, int, float, float, float]:
    """Width, height, the unit ``min(width, height)`` and the centre of ``surf``."""
    w, h = surf.get_size()
    return w, h, float(min(w, h)), w / 2, h / 2


def deep_space(surf: pygame.Surface, rng: random.Random, density: float = 0.9) -> None:
    """Deep navy sky with stars."""
    prim.gradient_stops(surf, [(0.0, (3, 7, 18)), (0.55, SPACE_TOP), (1.0, SPACE_BOTTOM)])
    prim.starfield(surf, rng, density)
