"""The exhibit's illustrations, each drawn once per test session.

``render_illustration`` is deterministic for a name, size and seed, so a picture
drawn again is the same picture: :class:`DrawnOnce` hands out a fresh copy of the
first drawing.  Drawing takes most of the time of a test that turns pages (a
fraction of a second each); every harness shares one cache.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from kiosk.content import Story
from kiosk.core.flow import Page, Screen
from kiosk.scenes.context import IllustrationRenderer

Key = tuple[str, tuple[int, int], int]

#: Every picture drawn in this test session, by (name, size, seed).
_SESSION: dict[Key, pygame.Surface] = {}


class DrawnOnce:
    """An :data:`~kiosk.scenes.context.IllustrationRenderer` that draws each picture
    once (with ``draw``, default the real code) and returns copies afterwards."""

    def __init__(self, draw: IllustrationRenderer | None = None) -> None:
        if draw is None:
            from kiosk.render.illustrations import render_illustration

            draw = render_illustration
        self._draw = draw
        # The real drawing shares the session's cache; any other gets its own.
        self._drawn: dict[Key, pygame.Surface] = _SESSION if draw is _real() else {}

    def __call__(self, name: str, size: tuple[int, int], seed: int) -> pygame.Surface:
        """The illustration ``name`` at ``size`` (a new surface, as the real one is)."""
        key = (name, (int(size[0]), int(size[1])), seed)
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = self._draw(name, size, seed)
        return drawn.copy()

    def prefill(self, story: Story, size: tuple[int, int], font_dir: Path) -> None:
        """Draw every page of ``story`` once at ``size`` with the real scenes, so memory
        measured afterwards is the exhibit's own."""
        from kiosk.render.fonts import FontBook, find_fonts
        from kiosk.renderer import Renderer
        from kiosk.scenes.context import SceneContext

        fonts = FontBook(find_fonts([font_dir]))
        ctx = SceneContext(size=size, story=story, fonts=fonts, illustrate=self)
        renderer = Renderer(ctx)
        for code in story.codes:
            for _ in renderer.warm_up(code):
                pass
            for page in [Page(Screen.CHAPTER, i, code) for i in range(story.chapter_count)]:
                renderer.prepare(page)
            renderer.prepare(Page(Screen.CREDITS, 0, code))


def _real() -> IllustrationRenderer:
    from kiosk.render.illustrations import render_illustration

    return render_illustration


#: The real illustrations through the session's cache.
remembered_illustrator = DrawnOnce()
