"""How long the exhibit takes to draw, per screen and size.  Prints numbers; asserts nothing.

    python bench/frames.py [WxH ...]

Measures, headless (SDL dummy driver), with the real content and artwork:
cold start of a chapter page (illustration drawn and the page composed), a cached
chapter frame, an attract-loop frame, a docking frame and a transition frame.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame

from kiosk.app import App
from kiosk.config import Config
from kiosk.content import load_story
from kiosk.flow import Page, Screen
from kiosk.render.illustrations import ILLUSTRATIONS


class Clock:
    """The app's injected clock, moved by the benchmark."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def timed(action, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    print(
        f"  {name:<28} median {statistics.median(samples):7.1f} ms   "
        f"max {max(samples):7.1f} ms   (n={len(samples)})"
    )


def bench(size: tuple[int, int]) -> None:
    story = load_story(
        os.path.join(os.path.dirname(__file__), "..", "assets", "story"), set(ILLUSTRATIONS)
    )
    screen = pygame.display.set_mode(size)
    clock = Clock()
    start = time.perf_counter()
    app = App(screen, story, Config(), clock=clock)
    app.step()
    print(
        f"{size[0]}x{size[1]}: first attract frame after start "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )

    def attract_frame() -> None:
        clock.now += 1 / 30
        app.step()

    warm = []
    while app._warm_up is not None:
        warm += timed(attract_frame, 1)
    print(
        f"  warm-up after start: {len(warm)} frames, {sum(warm):.0f} ms in all, "
        f"longest {max(warm):.0f} ms"
    )
    report("attract frame", timed(attract_frame, 60))
    docking = app.renderer.scenes[Screen.DOCKING]
    surface = pygame.Surface(size)
    ticks = iter(range(10_000))
    page = Page(Screen.CHAPTER, 4, "en")
    report(
        "docking frame (warmed)", timed(lambda: docking.draw(surface, page, next(ticks) / 30), 60)
    )

    def cold_chapter() -> None:
        app.renderer.reset()
        app.renderer.page_surface(Page(Screen.CHAPTER, 4, "en"), 0.0)

    report("chapter page, cold", timed(cold_chapter, 3))
    report("chapter page, cached", timed(lambda: app.renderer.page_surface(page, 0.0), 30))

    app.flow.go_to_chapter(3, clock.now)
    app._changed()
    app.step()

    def transition_frame() -> None:
        clock.now += 0.01
        app.renderer.draw(screen, app.flow, clock.now, app._snapshot or screen.copy())

    report("transition frame", timed(transition_frame, 30))


def main() -> None:
    pygame.init()
    sizes = [tuple(int(v) for v in a.split("x")) for a in sys.argv[1:]] or [
        (800, 480),
        (1920, 1080),
    ]
    print(
        f"python {sys.version.split()[0]}, pygame {pygame.version.ver}, "
        f"SDL {'.'.join(map(str, pygame.get_sdl_version()))}, {os.cpu_count()} cores"
    )
    for size in sizes:
        bench(size)


if __name__ == "__main__":
    main()
