"""Turn the flow's state into a frame: pick the scene, run the transition.

Static pages (chapters, credits) are drawn once and cached; animated ones
(attract, docking) are drawn every frame.  A page change dips through the
backdrop: the last frame shown (a snapshot) fades out to it, then the new page
fades in, so two pages of text are never seen on top of each other.

A transition frame costs at most one blend at exactly one half (SDL's fastest)
over half of the page, instead of a copy and a blend at any alpha over all of it
(four to six copies' worth).  It only touches the parts of the screen that are
not plain backdrop (:mod:`kiosk.render.regions`), and it blends onto the frame
before, which is still on the screen: the fade moves by halves (the backdrop over
the old page, the new page over the backdrop) as the transition's time passes,
each half step spread over two frames.  Brightness is seen by ratios, so halving
steps read as an even fade.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import pygame

from kiosk.core.flow import Flow, Page, Screen
from kiosk.docking.scene import DockingScene
from kiosk.render.regions import changed_regions
from kiosk.scenes.attract import AttractScene
from kiosk.scenes.chapter import ChapterScene
from kiosk.scenes.context import SceneContext
from kiosk.scenes.credits import CreditsScene


class Scene(Protocol):
    """What the renderer needs of a scene."""

    animated: bool

    def draw(self, surface: pygame.Surface, page: Page, t: float) -> None:
        """Draw ``page`` at ``t`` seconds after its screen was entered."""


def ease(p: float) -> float:
    """Ease-in-out for transitions."""
    p = min(1.0, max(0.0, p))
    return p * p * (3 - 2 * p)


#: A fade moves in halves: SDL blends at exactly one half (alpha 128) several times
#: faster than at any other alpha.  A half step is taken once the fade's target has
#: passed the geometric middle between where it is and the half step (1/√2).
HALF_STEP = 0.5**0.5


@dataclass(frozen=True)
class Fade:
    """What a transition has put on screen so far: ``weight`` (0–1) of ``source``
    over the backdrop, where ``source`` differs from it (at 1: exactly ``source``),
    except in the areas ``owed``, still one half step short of it."""

    source: pygame.Surface
    weight: float
    owed: tuple[pygame.Rect, ...] = ()


def halves(
    regions: tuple[pygame.Rect, ...] | None, screen: pygame.Rect
) -> tuple[tuple[pygame.Rect, ...], tuple[pygame.Rect, ...]]:
    """``regions`` (None: the whole screen) in two groups of about equal area, the
    upper first: a half step of a fade is spread over two frames, one group each."""
    if regions is None:
        top = pygame.Rect(screen.x, screen.y, screen.w, screen.h // 2)
        return (top,), (pygame.Rect(screen.x, top.bottom, screen.w, screen.h - top.h),)
    total = sum(r.w * r.h for r in regions)
    done = 0
    for i, rect in enumerate(regions):
        if done >= total / 2:
            return regions[:i], regions[i:]
        done += rect.w * rect.h
    return regions, ()


@dataclass(frozen=True)
class Snapshot:
    """The last frame shown before a page change, to fade out.

    ``regions`` are where it differs from the backdrop (``None``: anywhere).
    """

    surface: pygame.Surface
    regions: tuple[pygame.Rect, ...] | None = None


class Renderer:
    """Draws frames for one screen size."""

    #: Static pages kept drawn: at most this many, and at most CACHE_BYTES of them
    #: (at 1920×1080 a page is 8 MB: the page shown, the three a press away, and
    #: the credits).
    CACHE_PAGES = 8
    CACHE_BYTES = 42_000_000

    def __init__(self, ctx: SceneContext, *, quick_start: bool = False) -> None:
        """``quick_start``: show the attract loop's title before its pictures are ready
        (the running exhibit; a storyboard wants the finished pictures)."""
        self.ctx = ctx
        self._quick_start = quick_start
        self.scenes: dict[Screen, Scene] = {
            Screen.ATTRACT: AttractScene(ctx, quick_start=quick_start),
            Screen.CHAPTER: ChapterScene(ctx),
            Screen.DOCKING: DockingScene(ctx),
            Screen.CREDITS: CreditsScene(ctx),
        }
        self._pages: OrderedDict[Page, pygame.Surface] = OrderedDict()
        self._regions: dict[Page, tuple[pygame.Rect, ...]] = {}
        self._scratch: pygame.Surface | None = None
        self._kept: Page | None = None
        self._snapshot_surface: pygame.Surface | None = None
        #: Where the frame on screen differs from the backdrop (None: anywhere).
        self._shown: tuple[pygame.Rect, ...] | None = None
        #: How much of which picture is on screen (None: not known).
        self._fade: Fade | None = None

    def reset(self) -> None:
        """Forget every cached picture (after an error or a content reload)."""
        self._pages.clear()
        self._regions.clear()
        self._shown = None
        self._fade = None
        self.ctx.clear_cache()
        for screen, scene in list(self.scenes.items()):
            if isinstance(scene, AttractScene):
                self.scenes[screen] = AttractScene(self.ctx, quick_start=self._quick_start)
            else:
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
            self._regions[page] = tuple(changed_regions(cached, self.ctx.backdrop()))
            page_bytes = cached.get_width() * cached.get_height() * cached.get_bytesize()
            limit = max(3, min(self.CACHE_PAGES, self.CACHE_BYTES // max(1, page_bytes)))
            while len(self._pages) > limit:
                old = next(p for p in self._pages if p != self._kept)
                del self._pages[old]
                self._regions.pop(old, None)
        else:
            self._pages.move_to_end(page)
        return cached

    def warm_up(self, language: str) -> Iterator[None]:
        """Work to do ahead of time, one slice per step: the attract loop's pictures,
        the docking's layers, the first chapter and the sounds, so no press ever
        waits for drawing."""
        attract = self.scenes[Screen.ATTRACT]
        docking = self.scenes[Screen.DOCKING]
        if isinstance(attract, AttractScene):
            yield from attract.warm_up(language)
        if isinstance(docking, DockingScene):
            yield from docking.warm_up()
        self.prepare(Page(Screen.CHAPTER, 0, language))
        yield
        self.prepare(Page(Screen.CREDITS, 0, language), keep=True)
        yield
        if self.ctx.sound is not None:
            yield from self.ctx.sound.warm_up()

    def prepare(self, page: Page, *, keep: bool = False) -> bool:
        """Draw a static page ahead of time so showing it later is instant; with
        ``keep``, it stays drawn however many pages are shown after it (one such page
        at a time).  Returns whether anything had to be drawn."""
        if self.scenes[page.screen].animated:
            return False
        if keep:
            self._kept = page
        if page in self._pages:
            return False
        self.page_surface(page, 0.0)
        return True

    def invalidate(self) -> None:
        """Something else drew on the screen (the staff overlay, a plain screen)."""
        self._shown = None
        self._fade = None
        docking = self.scenes.get(Screen.DOCKING)
        if isinstance(docking, DockingScene):
            docking.compositor.forget()  # its last frame is no longer all on screen

    def snapshot(self, screen: pygame.Surface) -> Snapshot:
        """A copy of the frame on screen, to fade out when the page changes.

        A page at rest needs no copy: the screen is exactly its cached picture.
        Otherwise the copy goes into one surface kept for the purpose (a page change
        mid-fade replaces the snapshot it was fading), so a press allocates nothing."""
        if self._fade is not None and self._fade.weight >= 1.0:
            return Snapshot(self._fade.source, self._shown)
        kept = self._snapshot_surface
        if kept is None or kept.get_size() != screen.get_size():
            kept = self._snapshot_surface = screen.copy()
        else:
            kept.blit(screen, (0, 0))
        self._fade = Fade(kept, 1.0)  # the screen is all snapshot, nothing faded yet
        return Snapshot(kept, self._shown)

    def draw(
        self,
        target: pygame.Surface,
        flow: Flow,
        now: float,
        snapshot: Snapshot | None,
    ) -> None:
        """Draw the frame for ``flow`` at ``now`` onto ``target``.

        ``target`` must still hold the frame drawn last (a display surface does):
        a transition frame only blends the change since then.
        """
        state = flow.state
        page = state.page
        docking = self.scenes.get(Screen.DOCKING)
        if isinstance(docking, DockingScene):  # the visitor's grip, where it leads
            docking.follow(state)
        t = flow.docking_time(now) if page.screen is Screen.DOCKING else now - state.entered_at
        progress = flow.transition_progress(now)
        scene = self.scenes[page.screen]
        if scene.animated and (snapshot is None or progress >= 1.0):
            # Straight onto the screen, no copy: the docking repaints only what moved.
            scene.draw(target, page, t)
            self._shown = None
            self._fade = None
            return
        picture = self.page_surface(page, t)
        regions = self._regions.get(page) if picture is self._pages.get(page) else None
        if snapshot is None or progress >= 1.0:
            target.blit(picture, (0, 0))
            self._shown = regions
            self._fade = Fade(picture, 1.0) if regions is not None else None
            return
        # Dip through the background: the old page fades out to the backdrop, then the
        # new page fades in, so two pages of text are never seen on top of each other.
        if progress < 0.5:
            self._fade_out(target, snapshot, 1 - ease(progress * 2))
        elif regions is None:  # a moving page (attract, docking): redrawn each frame
            self._restore_backdrop(target)
            self._shown = self._blend(target, picture, None, round(255 * ease(progress * 2 - 1)))
            self._fade = None
        else:
            self._fade_in(target, picture, regions, ease(progress * 2 - 1))

    def _fade_out(self, target: pygame.Surface, snapshot: Snapshot, weight: float) -> None:
        """Show about ``weight`` (1 → 0) of the snapshot over the backdrop."""
        fade = self._fade
        if fade is None or fade.source is not snapshot.surface:  # state unknown: redraw
            self._restore_backdrop(target)
            alpha = round(255 * weight)
            self._shown = self._blend(target, snapshot.surface, snapshot.regions, alpha)
            self._fade = Fade(snapshot.surface, alpha / 255)
            return
        backdrop = self.ctx.backdrop()
        if weight <= 0:
            self._blend(target, backdrop, snapshot.regions, 255)
            self._fade = Fade(snapshot.surface, 0.0)
            self._shown = ()
        elif fade.owed:
            self._blend(target, backdrop, fade.owed, 128)
            self._fade = Fade(snapshot.surface, fade.weight)
        elif weight <= fade.weight * HALF_STEP:
            # The screen holds fade.weight of the snapshot: the backdrop blended over it
            # at one half leaves half of that (the first half of the screen now, the
            # rest at the next frame).
            first, rest = halves(snapshot.regions, target.get_rect())
            self._blend(target, backdrop, first, 128)
            self._fade = Fade(snapshot.surface, fade.weight / 2, rest)

    def _fade_in(
        self,
        target: pygame.Surface,
        picture: pygame.Surface,
        regions: tuple[pygame.Rect, ...],
        weight: float,
    ) -> None:
        """Show about ``weight`` (0 → 1) of the new page over the backdrop."""
        fade = self._fade
        if fade is None or fade.source is not picture:
            # The first frame after the dip (or after something else drew): the plain
            # backdrop, from which the page then fades in.
            self._restore_backdrop(target)
            self._shown = ()
            self._fade = Fade(picture, 0.0)
            return
        missing = 1 - fade.weight
        if weight >= 1:
            self._blend(target, picture, regions, 255)
            self._fade = Fade(picture, 1.0)
        elif fade.owed:
            self._blend(target, picture, fade.owed, 128)
            self._fade = Fade(picture, fade.weight)
        elif 1 - weight <= missing * HALF_STEP:
            first, rest = halves(regions, target.get_rect())
            self._blend(target, picture, first, 128)
            self._fade = Fade(picture, fade.weight + missing / 2, rest)
        else:
            return
        self._shown = regions

    def _restore_backdrop(self, target: pygame.Surface) -> None:
        """Put the backdrop back wherever the last frame painted over it."""
        backdrop = self.ctx.backdrop()
        if self._shown is None:
            target.blit(backdrop, (0, 0))
            return
        for rect in self._shown:
            target.blit(backdrop, rect, rect)

    @staticmethod
    def _blend(
        target: pygame.Surface,
        source: pygame.Surface,
        regions: tuple[pygame.Rect, ...] | None,
        alpha: int,
    ) -> tuple[pygame.Rect, ...] | None:
        """Blend ``regions`` of ``source`` (None: all of it) onto ``target`` at ``alpha``
        (0–255); returns where ``target`` now differs from the backdrop."""
        if alpha <= 0:
            return ()
        areas = (source.get_rect(),) if regions is None else regions
        # At full opacity SDL would still take its slow blending path: copy instead.
        source.set_alpha(None if alpha >= 255 else alpha)
        try:
            for area in areas:
                target.blit(source, area, area)
        finally:
            source.set_alpha(None)
        return regions
