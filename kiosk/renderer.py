"""Turn the flow's state into a frame: pick the scene, run the transition.

Static pages (chapters, credits) are drawn once and cached; animated ones
(attract, docking) are drawn every frame.  A page change fades the last frame
shown (a snapshot) out to the background, then fades the new page in, sliding
a little in the direction of travel.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Protocol

import pygame

from kiosk.flow import Flow, Page, Screen
from kiosk.scenes.attract import AttractScene
from kiosk.scenes.chapter import ChapterScene
from kiosk.scenes.context import SceneContext
from kiosk.scenes.credits import CreditsScene
from kiosk.scenes.docking import DockingScene


class Scene(Protocol):
    """What the renderer needs of a scene."""

    animated: bool

    def draw(self, surface: pygame.Surface, page: Page, t: float) -> None:
        """Draw ``page`` at ``t`` seconds after its screen was entered."""


def ease(p: float) -> float:
    """Ease-in-out for transitions."""
    p = min(1.0, max(0.0, p))
    return p * p * (3 - 2 * p)


def direction(old: Page | None, new: Page) -> int:
    """+1 when the visitor moves forward through the story, -1 back, 0 otherwise."""
    order = {Screen.ATTRACT: 0, Screen.CHAPTER: 1, Screen.DOCKING: 2, Screen.CREDITS: 3}
    if old is None or old.language != new.language:
        return 0
    if old.screen is Screen.CHAPTER and new.screen is Screen.CHAPTER:
        return 1 if new.chapter > old.chapter else -1
    if new.screen is Screen.ATTRACT:
        return 0
    return 1 if order[new.screen] >= order[old.screen] else -1


class Renderer:
    """Draws frames for one screen size."""

    CACHE_PAGES = 8

    def __init__(self, ctx: SceneContext) -> None:
        self.ctx = ctx
        self.scenes: dict[Screen, Scene] = {
            Screen.ATTRACT: AttractScene(ctx),
            Screen.CHAPTER: ChapterScene(ctx),
            Screen.DOCKING: DockingScene(ctx),
            Screen.CREDITS: CreditsScene(ctx),
        }
        self._pages: OrderedDict[Page, pygame.Surface] = OrderedDict()
        self._scratch: pygame.Surface | None = None

    def reset(self) -> None:
        """Forget every cached picture (after an error or a content reload)."""
        self._pages.clear()
        self.ctx.clear_cache()
        for screen, scene in list(self.scenes.items()):
            self.scenes[screen] = type(scene)(self.ctx)

    def page_surface(self, page: Page, t: float) -> pygame.Surface:
        """The picture of ``page`` at time ``t`` (cached when the scene is static)."""
        scene = self.scenes[page.screen]
        if scene.animated:
            if self._scratch is None or self._scratch.get_size() != self.ctx.size:
                self._scratch = pygame.Surface(self.ctx.size)
            scene.draw(self._scratch, page, t)
            return self._scratch
        cached = self._pages.get(page)
        if cached is None:
            cached = pygame.Surface(self.ctx.size)
            scene.draw(cached, page, t)
            if pygame.display.get_surface() is not None:
                cached = cached.convert()
            self._pages[page] = cached
            while len(self._pages) > self.CACHE_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return cached

    def warm_up(self, language: str) -> Iterator[None]:
        """Work to do ahead of time, one slice per step: the attract loop's pictures,
        the docking's layers and the first chapter, so no press ever waits for drawing."""
        attract = self.scenes[Screen.ATTRACT]
        docking = self.scenes[Screen.DOCKING]
        if isinstance(attract, AttractScene):
            yield from attract.warm_up(language)
        if isinstance(docking, DockingScene):
            yield from docking.warm_up()
        self.prepare(Page(Screen.CHAPTER, 0, language))
        yield

    def prepare(self, page: Page) -> None:
        """Draw a static page ahead of time so showing it later is instant."""
        if not self.scenes[page.screen].animated:
            self.page_surface(page, 0.0)

    def draw(
        self,
        target: pygame.Surface,
        flow: Flow,
        now: float,
        snapshot: pygame.Surface | None,
    ) -> None:
        """Draw the frame for ``flow`` at ``now`` onto ``target``."""
        state = flow.state
        page = state.page
        t = flow.docking_time(now) if page.screen is Screen.DOCKING else now - state.entered_at
        picture = self.page_surface(page, t)
        progress = flow.transition_progress(now)
        if snapshot is None or progress >= 1.0:
            target.blit(picture, (0, 0))
            return
        # Dip through the background: the old page fades out, then the new page fades
        # in with a short slide, so two pages of text are never seen on top of each other.
        target.blit(self.ctx.backdrop(), (0, 0))
        if progress < 0.5:
            snapshot.set_alpha(round(255 * (1 - ease(progress * 2))))
            target.blit(snapshot, (0, 0))
            snapshot.set_alpha(None)
            return
        p = ease(progress * 2 - 1)
        shift = round((1 - p) * self.ctx.grid.px(60)) * direction(state.previous, page)
        picture.set_alpha(round(255 * p))
        target.blit(picture, (shift, 0))
        picture.set_alpha(None)
