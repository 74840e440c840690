"""How long a frame of the docking animation takes to draw.  Prints numbers; asserts nothing.

    python bench/docking.py [--fps N] [--passes N] [WxH ...]
                                           (default 800x480 1280x720 1920x1080)

Headless (SDL's dummy video driver), with the real story and artwork.  For each
size the layers are drawn ahead (as the exhibit does after start-up, timed per
slice), then every frame of the 80-second animation is drawn in order at the
exhibit's frame rate onto one off-screen surface, exactly as the renderer does.
Frame times are printed as the median and the 99th percentile, in milliseconds
and as a ratio to one bare full-screen blit measured in the same run (the cost
of copying one finished picture; the target is p99 ≤ 3 blits at 1920×1080).

The first pass is printed as measured; with ``--passes`` above one the whole
animation is played again and each frame's best time is kept too, which filters
out other programs taking the CPU (a shared machine's noise, not the frame's cost).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame

from kiosk import docking_timeline as tl
from kiosk.config import Config
from kiosk.content import load_story
from kiosk.flow import Page, Screen
from kiosk.render.fonts import FontBook, find_fonts
from kiosk.render.illustrations import ILLUSTRATIONS, render_illustration
from kiosk.scenes.context import SceneContext
from kiosk.scenes.docking import DockingScene

SIZES = ((800, 480), (1280, 720), (1920, 1080))


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered)))
    return ordered[rank - 1]


def bare_blit(size: tuple[int, int], repeat: int = 400) -> float:
    """Median time (ms) of blitting one opaque full-screen picture onto another."""
    picture = pygame.Surface(size).convert()
    picture.fill((20, 30, 60))
    target = pygame.Surface(size)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        target.blit(picture, (0, 0))
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def play(scene: DockingScene, target: pygame.Surface, page: Page, fps: int) -> list[float]:
    """Draw every frame once, in order; the time of each in milliseconds."""
    times = []
    for i in range(int(tl.TOTAL * fps)):
        t = i / fps
        start = time.perf_counter()
        scene.draw(target, page, t)
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float], blit: float) -> str:
    median, p99 = statistics.median(times), percentile(times, 99)
    return (
        f"median {median:5.2f} ms ({median / blit:4.1f}× blit)   "
        f"p99 {p99:5.2f} ms ({p99 / blit:4.1f}× blit)   worst {max(times):5.2f} ms"
    )


def bench(size: tuple[int, int], story, fonts: FontBook, fps: int, passes: int) -> None:
    pygame.display.set_mode(size)
    ctx = SceneContext(size=size, story=story, fonts=fonts, illustrate=render_illustration)
    scene = DockingScene(ctx)
    slices = []
    for _ in iter_timed(scene.warm_up(), slices):
        pass
    target = pygame.Surface(size)
    page = Page(Screen.DOCKING, 0, story.codes[0])
    first = play(scene, target, page, fps)
    best = list(first)
    for _ in range(passes - 1):
        best = [min(a, b) for a, b in zip(best, play(scene, target, page, fps), strict=True)]
    blit = bare_blit(size)
    w, h = size
    print(
        f"{w}x{h}: {len(first)} frames; one full-screen blit {blit:5.3f} ms; layers drawn "
        f"ahead in {sum(slices):4.2f} s ({len(slices)} slices, longest {max(slices):4.2f} s)"
    )
    print(f"    one pass:                 {summary(first, blit)}")
    if passes > 1:
        print(f"    best of {passes} passes per frame: {summary(best, blit)}")
    n = len(best)
    slow = sorted(range(n), key=lambda i: best[i], reverse=True)[: max(1, n // 100)]
    shots = sorted({tl.frame_at(i / fps).shot for i in slow})
    print(f"    the slowest 1 % of frames are in: {', '.join(shots)}")


def iter_timed(slices, out: list[float]):
    """Run a generator of work slices, recording each slice's time in seconds."""
    it = iter(slices)
    while True:
        start = time.perf_counter()
        try:
            next(it)
        except StopIteration:
            return
        out.append(time.perf_counter() - start)
        yield


def parse_size(text: str) -> tuple[int, int]:
    w, h = text.lower().split("x")
    return int(w), int(h)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=parse_size, default=list(SIZES))
    parser.add_argument("--fps", type=int, default=Config().fps, help="frames per second")
    parser.add_argument("--passes", type=int, default=3, help="plays of the animation")
    args = parser.parse_args()
    pygame.init()
    story = load_story(
        os.path.join(os.path.dirname(__file__), "..", "assets", "story"), set(ILLUSTRATIONS)
    )
    fonts = FontBook(find_fonts([]))
    print(
        f"docking animation, {tl.TOTAL:.0f} s at {args.fps} fps; Python "
        f"{platform.python_version()}, pygame {pygame.version.ver}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs"
    )
    for size in args.sizes:
        bench(size, story, fonts, args.fps, max(1, args.passes))


if __name__ == "__main__":
    main()
