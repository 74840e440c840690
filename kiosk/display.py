"""Open the screen: a window for the demo, full screen on KMS/DRM for the exhibit."""

from __future__ import annotations

import logging
import os

import pygame

log = logging.getLogger(__name__)

WINDOW_TITLE = "Apollo–Soyuz · Handshake in Orbit"


def has_display() -> bool:
    """Whether a window can be opened (X11 or Wayland, or an explicit SDL driver)."""
    return bool(
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("SDL_VIDEODRIVER")
    )


def open_display(size: tuple[int, int] | None, *, fullscreen: bool) -> pygame.Surface:
    """Initialise pygame's display and return the screen surface.

    Full screen with no X11/Wayland session uses SDL's ``kmsdrm`` driver
    (straight to the Raspberry Pi's display, no desktop).  The mouse cursor is
    always hidden.
    """
    if fullscreen and not has_display():
        os.environ.setdefault("SDL_VIDEODRIVER", "kmsdrm")
    pygame.display.init()
    pygame.font.init()
    flags = 0
    # SDL's dummy driver (headless runs, tests, benchmarks) has one fixed
    # "full screen" mode, 1024x768; a plain surface keeps the configured size.
    if fullscreen and pygame.display.get_driver() != "dummy":
        flags |= pygame.FULLSCREEN
        if size is None:
            info = pygame.display.Info()
            size = (info.current_w, info.current_h)
    size = size or (1280, 720)
    pygame.display.set_caption(WINDOW_TITLE)
    screen = pygame.display.set_mode(size, flags)
    pygame.mouse.set_visible(False)
    log.info(
        "display %dx%d via %s%s",
        *screen.get_size(),
        pygame.display.get_driver(),
        " (full screen)" if fullscreen else "",
    )
    return screen
