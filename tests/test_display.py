"""Opening the screen headless keeps the configured size (benchmarks, tests, ctl screenshots)."""

from __future__ import annotations

import pygame
import pytest

from kiosk.display import open_display


@pytest.mark.parametrize("size", [(800, 480), (1920, 1080)])
def test_full_screen_under_the_dummy_driver_keeps_the_configured_size(pygame_ready, size):
    screen = open_display(size, fullscreen=True)
    assert pygame.display.get_driver() == "dummy"
    assert screen.get_size() == size
    assert not pygame.mouse.get_visible()
