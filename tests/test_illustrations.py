"""Tests for the code-drawn illustrations and the spacecraft drawing helpers."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from functools import lru_cache

import pygame
import pytest

from kiosk.render import primitives as prim
from kiosk.render import spacecraft as sc
from kiosk.render.illustrations import ILLUSTRATIONS, render_illustration

NAMES = (
    "starfield",
    "sputnik",
    "vostok",
    "moon",
    "spacewalk",
    "blueprint",
    "earth",
    "moon_landing",
    "agreement",
    "launch",
    "docking_module",
    "docking",
    "handshake",
    "eclipse",
    "way_home",
    "iss",
)
SIZES = ((400, 480), (800, 900), (300, 600))
STARRY = ("starfield", "sputnik", "docking", "docking_module", "iss", "eclipse")


@pytest.fixture(scope="module", autouse=True)
def _pygame() -> None:
    pygame.init()


@lru_cache(maxsize=64)
def _render(name: str, size: tuple[int, int], seed: int = 0) -> pygame.Surface:
    return render_illustration(name, size, seed)


def _luma(c: tuple[int, int, int]) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def _grid(surface: pygame.Surface, n: int = 24) -> list[tuple[int, int, int]]:
    w, h = surface.get_size()
    return [
        tuple(surface.get_at((int((i + 0.5) * w / n), int((j + 0.5) * h / n)))[:3])
        for i in range(n)
        for j in range(n)
    ]


def test_every_named_illustration_is_registered() -> None:
    assert set(ILLUSTRATIONS) == set(NAMES)
    assert all(callable(fn) for fn in ILLUSTRATIONS.values())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", NAMES)
def test_renders_at_requested_size(name: str, size: tuple[int, int]) -> None:
    surface = _render(name, size)
    assert isinstance(surface, pygame.Surface)
    assert surface.get_size() == size


def test_renders_without_a_display_mode() -> None:
    # No pygame.display.set_mode() anywhere in this module: rendering must not need it.
    assert render_illustration("moon", (120, 90)).get_size() == (120, 90)


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_gives_identical_pixels(name: str) -> None:
    a = render_illustration(name, (160, 120), seed=7)
    b = render_illustration(name, (160, 120), seed=7)
    assert pygame.image.tobytes(a, "RGB") == pygame.image.tobytes(b, "RGB")


@pytest.mark.parametrize("name", STARRY)
def test_different_seed_changes_the_sky(name: str) -> None:
    a = render_illustration(name, (160, 120), seed=1)
    b = render_illustration(name, (160, 120), seed=2)
    assert pygame.image.tobytes(a, "RGB") != pygame.image.tobytes(b, "RGB")


@pytest.mark.parametrize("name", NAMES)
def test_illustration_is_not_flat(name: str) -> None:
    samples = _grid(_render(name, (400, 480)))
    assert len(set(samples)) > 100, "too few distinct colours: a flat or banded picture"
    lumas = [_luma(c) for c in samples]
    mean = sum(lumas) / len(lumas)
    assert 8 < mean < 200, f"mean brightness {mean:.1f} is not a sane picture"
    assert max(lumas) - min(lumas) > 60, "no contrast"
    assert sum(1 for v in lumas if v > 250) < len(lumas) * 0.3, "mostly blown out"


@pytest.mark.parametrize("name", NAMES)
def test_subject_is_in_the_middle(name: str) -> None:
    """The centre of the picture differs from its plain top-left corner area."""
    s = _render(name, (400, 480))
    w, h = s.get_size()
    centre = {
        tuple(s.get_at((x, y))[:3])
        for x in range(w // 3, 2 * w // 3, 8)
        for y in range(h // 3, 2 * h // 3, 8)
    }
    assert len(centre) > 20


def test_unknown_name_raises_key_error_listing_names() -> None:
    with pytest.raises(KeyError) as err:
        render_illustration("no-such-picture", (100, 100))
    message = str(err.value)
    for name in NAMES:
        assert name in message


def test_bad_size_raises() -> None:
    with pytest.raises(ValueError):
        render_illustration("moon", (0, 100))


# --------------------------------------------------------------------------- spacecraft


def _canvas(size: tuple[int, int] = (1400, 700)) -> pygame.Surface:
    s = pygame.Surface(size)
    s.fill((0, 0, 0))
    return s


def _within(measured: float, expected: float, tol: float = 0.10) -> bool:
    return abs(measured - expected) <= tol * expected


@pytest.mark.parametrize("scale", [12.0, 30.0, 60.0])
def test_apollo_length_is_to_scale(scale: float) -> None:
    surface = _canvas((int(16 * scale) + 40, int(10 * scale) + 40))
    port = (surface.get_width() - 20, surface.get_height() / 2)
    rect = sc.draw_apollo(surface, port, scale, facing=1)
    expected = (11.0 + 3.15) * scale
    assert _within(rect.width, expected), (rect.width, expected)
    assert abs(rect.right - port[0]) <= 3  # the port is the forward tip
    # Something was actually drawn inside the rect.
    assert surface.get_at(rect.center)[:3] != (0, 0, 0)


@pytest.mark.parametrize("scale", [12.0, 30.0])
def test_apollo_without_docking_module_is_csm_only(scale: float) -> None:
    surface = _canvas((int(16 * scale) + 40, int(10 * scale) + 40))
    rect = sc.draw_apollo(
        surface,
        (surface.get_width() - 20, surface.get_height() / 2),
        scale,
        with_docking_module=False,
    )
    assert _within(rect.width, 11.0 * scale)


def test_apollo_facing_left_mirrors() -> None:
    scale = 25.0
    surface = _canvas((int(16 * scale) + 40, int(10 * scale) + 40))
    port = (20, surface.get_height() / 2)
    rect = sc.draw_apollo(surface, port, scale, facing=-1)
    assert abs(rect.left - port[0]) <= 3
    assert _within(rect.width, 14.15 * scale)


@pytest.mark.parametrize("scale", [12.0, 30.0, 60.0])
def test_soyuz_span_and_length_are_to_scale(scale: float) -> None:
    surface = _canvas((int(9 * scale) + 40, int(10 * scale) + 40))
    port = (20, surface.get_height() / 2)
    rect = sc.draw_soyuz(surface, port, scale, facing=-1)
    assert _within(rect.height, 8.37 * scale), (rect.height, 8.37 * scale)
    assert _within(rect.width, 7.48 * scale), (rect.width, 7.48 * scale)
    assert abs(rect.left - port[0]) <= 3


def test_relative_scale_apollo_longer_than_soyuz() -> None:
    surface = _canvas((1600, 600))
    ra, rs = sc.render_spacecraft_pair(surface, (800, 300), 40.0, gap_m=0.5)
    assert _within(ra.width / rs.width, 14.15 / 7.48, 0.05)
    # Nose to nose with a small gap between the docking units.
    gap = rs.left - ra.right
    assert 0 <= gap <= 0.5 * 40 + 4


def test_spacecraft_draw_on_transparent_layers() -> None:
    layer = pygame.Surface((900, 500), pygame.SRCALPHA)
    layer.fill((0, 0, 0, 0))
    rect = sc.draw_soyuz(layer, (40, 250), 50.0, facing=-1)
    assert layer.get_at(rect.center)[3] > 0
    assert layer.get_at((2, 2))[3] == 0


def test_glow_adds_light_and_is_bounded() -> None:
    s = _canvas((200, 200))
    prim.glow(s, (100, 100), 60, (255, 200, 100), 1.0)
    assert _luma(s.get_at((100, 100))[:3]) > 100
    assert s.get_at((5, 5))[:3] == (0, 0, 0)


def test_gradient_runs_between_its_colours() -> None:
    s = _canvas((10, 200))
    prim.vertical_gradient(s, (0, 0, 40), (200, 100, 0))
    top, bottom = s.get_at((5, 0))[:3], s.get_at((5, 199))[:3]
    assert top[2] > 30 and top[0] < 5
    assert bottom[0] > 190 and bottom[2] < 5
