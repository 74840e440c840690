"""What every scene needs to draw: size, fonts, text, cached artwork."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from kiosk.content import Language, Story
from kiosk.layout import Grid
from kiosk.render import palette
from kiosk.render.fonts import FontBook
from kiosk.render.painter import Painter, TextRecord
from kiosk.sound import SoundPlayer

log = logging.getLogger(__name__)

IllustrationRenderer = Callable[[str, tuple[int, int], int], pygame.Surface]


def default_illustrator() -> IllustrationRenderer:
    """The code-drawn illustrations (imported when first needed: a large package).

    The exhibit and the storyboard both call this through the module
    (``context.default_illustrator()``), so there is one place to swap it.
    """
    from kiosk.render.illustrations import render_illustration

    return render_illustration


#: Illustrations larger than this are drawn smaller and scaled up: at 4K a
#: full-screen picture would otherwise be supersampled at 7680×4320.
MAX_ART_PIXELS = 2_600_000
#: Drawn illustrations kept for reuse, in screens' worth of memory (the least
#: recently used go first; pages and composites keep their own finished copies).
ART_CACHE_SCREENS = 3


def stable_seed(text: str) -> int:
    """A seed that is the same on every run and machine (``hash`` is not)."""
    return zlib.crc32(text.encode("utf-8"))


@dataclass
class SceneContext:
    """Shared drawing resources for one screen size.

    ``audit``, when a list, collects a :class:`TextRecord` for every line drawn.
    ``sound``, when given, plays the docking's effects (the storyboard has none).
    """

    size: tuple[int, int]
    story: Story
    fonts: FontBook
    illustrate: IllustrationRenderer
    audit: list[TextRecord] | None = None
    sound: SoundPlayer | None = None
    _art: dict[tuple[str, tuple[int, int]], pygame.Surface] = field(default_factory=dict)
    _backdrop: pygame.Surface | None = None

    @property
    def grid(self) -> Grid:
        """The design grid for this size."""
        return Grid(*self.size)

    def language(self, code: str) -> Language:
        """The text of language ``code``."""
        return self.story.language(code)

    def painter(self, surface: pygame.Surface) -> Painter:
        """A painter for ``surface`` using this context's fonts and audit."""
        return Painter(surface, self.fonts, self.audit)

    def art(self, name: str, size: tuple[int, int]) -> pygame.Surface:
        """An illustration at ``size``, drawn once and cached."""
        key = (name, size)
        surface = self._art.pop(key, None)  # re-inserted last: most recently used
        if surface is None:
            w, h = size
            shrink = min(1.0, (MAX_ART_PIXELS / (w * h)) ** 0.5)
            if shrink < 1.0:
                small = (max(1, round(w * shrink)), max(1, round(h * shrink)))
                drawn = self.illustrate(name, small, stable_seed(name))
                surface = pygame.transform.smoothscale(drawn, size)
            else:
                surface = self.illustrate(name, size, stable_seed(name))
            if pygame.display.get_surface() is not None:
                surface = surface.convert()
        self._art[key] = surface
        budget = ART_CACHE_SCREENS * self.size[0] * self.size[1] * 4
        while len(self._art) > 1 and sum(_bytes(s) for s in self._art.values()) > budget:
            del self._art[next(iter(self._art))]
        return surface

    def backdrop(self) -> pygame.Surface:
        """The plain deep-space gradient behind text, cached."""
        if self._backdrop is None:
            w, h = self.size
            surface = pygame.Surface(self.size)
            for y in range(h):
                colour = palette.mix(palette.SPACE_TOP, palette.SPACE_BOTTOM, y / max(1, h - 1))
                pygame.draw.line(surface, colour, (0, y), (w, y))
            self._backdrop = surface
        return self._backdrop

    def clear_cache(self) -> None:
        """Forget cached artwork (after a content reload or an error)."""
        self._art.clear()
        self._backdrop = None


def _bytes(surface: pygame.Surface) -> int:
    return surface.get_width() * surface.get_height() * surface.get_bytesize()
