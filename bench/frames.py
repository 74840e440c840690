"""Frame times in this process: the docking animation at three sizes, page transitions.

A frame time is one turn of the app's loop (:meth:`kiosk.app.App.step`) from
its start to the end of its ``pygame.display.flip``: input, flow, drawing,
the blit to the screen and the flip.  The app runs on an injected clock moved
1/fps per frame, so every pass draws exactly the same frames; with several
passes each frame's best time is kept (other programs taking the CPU are the
machine's noise, not the frame's cost) and the first pass's p99 is reported too.
"""

from __future__ import annotations

from bench.exhibit import FULL_HD, Exhibit, go_to_attract
from bench.measure import Budget, Figure, percentile
from kiosk.core.events import Action
from kiosk.core.flow import Screen

DOCKING_SIZES = ((800, 480), (1280, 720), FULL_HD)
#: Frame-time budget: p99 at most this many full-screen blits.
BLIT_BUDGET = 3.0
#: Injected seconds a visitor reads each page before the next press (the app
#: prepares the neighbouring pages meanwhile, as it does for a real visitor).
READING_S = 1.0


def docking_name(size: tuple[int, int]) -> str:
    """The figure's name for the docking at ``size``."""
    return f"docking_{size[0]}x{size[1]}"


def best_of(passes: list[list[float]]) -> list[float]:
    """Each frame's best time over the passes (which drew the same frames)."""
    lengths = {len(p) for p in passes}
    if len(lengths) != 1:
        raise RuntimeError(f"the passes drew different numbers of frames: {sorted(lengths)}")
    return [min(times) for times in zip(*passes, strict=True)]


def frame_figure(
    name: str,
    passes: list[list[float]],
    exhibit: Exhibit,
    budget: Budget | None,
    note: str,
) -> Figure:
    """A frame-time figure from one or more identical passes."""
    samples = best_of(passes)
    extra: dict[str, object] = {"passes": len(passes), "fps": exhibit.fps}
    if len(passes) > 1:
        extra["p99_first_pass"] = percentile(passes[0], 99)
    return Figure(
        name,
        "ms",
        samples,
        budget=budget,
        reference_blit_ms=exhibit.reference_ms,
        size=exhibit.size,
        note=note,
        extra=extra,
    )


def play_docking(exhibit: Exhibit, rate: int) -> list[float]:
    """Start the docking from the attract loop and play all of it, a frame every
    1/``rate`` s; the times of its frames at rest (the fade in from the attract
    loop is a transition, measured as such)."""
    go_to_attract(exhibit)
    exhibit.press(Action.DOCK)
    exhibit.settle()
    if exhibit.page()[0] is not Screen.DOCKING:
        raise RuntimeError("Dock on the attract loop did not start the docking")
    times: list[float] = []
    while exhibit.page()[0] is Screen.DOCKING:
        exhibit.clock.advance(1 / rate)
        took = exhibit.step()
        if took is not None and exhibit.page()[0] is Screen.DOCKING:
            times.append(took)
    return times


def docking_figure(exhibit: Exhibit, passes: int, rate: int) -> Figure:
    """``docking_WxH``: every frame of the 80 s animation, in order."""
    played = [play_docking(exhibit, rate) for _ in range(passes)]
    full_hd = exhibit.size == FULL_HD
    budget = Budget(f"p99 ≤ {BLIT_BUDGET:g}× blit", "ratio_p99", BLIT_BUDGET) if full_hd else None
    return frame_figure(
        docking_name(exhibit.size),
        played,
        exhibit,
        budget,
        f"every frame of the docking at {rate} fps, started from the attract loop",
    )


def transition_presses(chapters: int, through: int | None) -> list[Action]:
    """Next from the attract loop through ``through`` chapters (all, then the
    credits, when None) and Back all the way to the attract loop again."""
    forward = chapters + 1 if through is None else min(through, chapters)
    return [Action.NEXT] * forward + [Action.BACK] * forward


STATIC_SCREENS = (Screen.CHAPTER, Screen.CREDITS)


def play_transitions(exhibit: Exhibit, presses: list[Action]) -> tuple[list[float], list[float]]:
    """Press through the pages; the times of the frames drawn inside a transition,
    (between pages of text, to or from the attract loop)."""
    go_to_attract(exhibit)
    exhibit.run_for(READING_S)
    between_pages: list[float] = []
    attract: list[float] = []

    def record(took: float, shown: Exhibit) -> None:
        if shown.in_transition():
            state = shown.app.flow.state
            previous = state.previous
            static = state.page.screen in STATIC_SCREENS and (
                previous is not None and previous.screen in STATIC_SCREENS
            )
            (between_pages if static else attract).append(took)

    for action in presses:
        exhibit.press(action)
        exhibit.clock.advance(1 / exhibit.fps)
        exhibit.settle(record)
        exhibit.run_for(READING_S)
    return between_pages, attract


def transition_figures(exhibit: Exhibit, passes: int, through: int | None) -> list[Figure]:
    """``transition``: every frame of the transitions between pages of text (the
    chapters and the credits), through the chapters and back; ``transition_attract``:
    those to and from the attract loop (a moving page: informational)."""
    presses = transition_presses(exhibit.app.story.chapter_count, through)
    played = [play_transitions(exhibit, presses) for _ in range(passes)]
    what = "all chapters to the credits" if through is None else f"{through} chapters"
    return [
        frame_figure(
            "transition",
            [pages for pages, _ in played],
            exhibit,
            Budget(f"p99 ≤ {BLIT_BUDGET:g}× blit", "ratio_p99", BLIT_BUDGET),
            f"Next from the attract loop through {what} and Back again ({len(presses)} "
            "transitions); the frames between pages of text; neighbouring pages drawn "
            "ahead as for a visitor",
        ),
        frame_figure(
            "transition_attract",
            [attract for _, attract in played],
            exhibit,
            None,
            "the same presses: the frames of the transitions to and from the attract loop",
        ),
    ]
