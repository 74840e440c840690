"""``python -m bench``: run the suite, print the table, write the JSON.

    python -m bench [--quick] [--only NAME ...] [--out PATH] [--passes N]

``--only`` takes figure names (``transition``, ``docking_1920x1080`` …) or the
start of names (``docking``, ``stats``, ``button``); ``--list`` prints them.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import argparse
import json
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pygame

from bench import FIGURES
from bench.measure import Figure, machine, now_iso

DEFAULT_OUT = Path(__file__).resolve().parent / "results.json"
KIOSK_PART = "kiosk run (start-up, CPU)"
SESSION_PART = "visitor sessions (memory, statistics)"
#: Parts measured in child processes: a quick run starts them alongside the rest.
CHILD_PROCESS_PARTS = (KIOSK_PART, SESSION_PART)


@dataclass(frozen=True)
class Mode:
    """How many samples each part takes: quick (a smoke run) or full."""

    quick: bool
    passes: int
    startup_runs: int
    cpu_windows: int
    cpu_window_s: float
    docking_fps: int | None  # None: the exhibit's own frame rate
    transition_through: int | None  # None: every chapter
    live_samples: int
    flood_attract_s: float
    flood_docking_s: float
    reading: tuple[float, float]  # the live visitor's pause before each press (seconds)
    child_size: tuple[int, int]  # the screen of ``kiosk run`` and of the sessions

    @classmethod
    def make(cls, quick: bool, passes: int | None) -> Mode:
        """The settings for a quick or a full run."""
        if quick:
            return cls(
                quick=True,
                passes=passes or 1,
                startup_runs=2,
                cpu_windows=1,
                cpu_window_s=3.0,
                docking_fps=10,
                transition_through=3,
                live_samples=3,
                flood_attract_s=0.5,
                flood_docking_s=1.5,
                reading=(0.3, 0.5),
                child_size=(800, 480),
            )
        return cls(
            quick=False,
            passes=passes or 3,
            startup_runs=7,
            cpu_windows=5,
            cpu_window_s=5.0,
            docking_fps=None,
            transition_through=None,
            live_samples=40,
            flood_attract_s=10.0,
            flood_docking_s=30.0,
            reading=(0.6, 1.2),
            child_size=(1920, 1080),
        )


def selected(names: list[str] | None) -> list[str]:
    """The figure names ``--only`` asks for (every figure without it)."""
    if not names:
        return list(FIGURES)
    chosen = [
        figure
        for figure in FIGURES
        if any(figure == name or figure.startswith(name + "_") for name in names)
    ]
    unknown = [
        name
        for name in names
        if not any(figure == name or figure.startswith(name + "_") for figure in FIGURES)
    ]
    if unknown:
        raise SystemExit(f"unknown figure(s): {', '.join(unknown)}; see python -m bench --list")
    return chosen


class Part:
    """One part of the suite: a function measuring one or more figures.

    With ``alongside`` (quick mode, for the parts that run in child processes)
    it runs in a thread while the next parts run; :meth:`result` waits for it.
    """

    def __init__(
        self, label: str, measure: Callable[[], list[Figure]], say: Callable[[str], None]
    ) -> None:
        self.label = label
        self.measure = measure
        self.say = say
        self.figures: list[Figure] = []
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def _run(self) -> None:
        self.say(f"{self.label} …")
        start = time.perf_counter()
        try:
            self.figures = self.measure()
        except BaseException as exc:
            self.error = exc
        self.say(f"{self.label}: {time.perf_counter() - start:.1f} s")

    def start(self, alongside: bool) -> None:
        """Run now, or in a thread alongside what follows."""
        if alongside:
            self.thread = threading.Thread(target=self._run, name=self.label, daemon=True)
            self.thread.start()
        else:
            self._run()

    def result(self) -> list[Figure]:
        """The figures (waiting for the thread); raises RuntimeError saying what went
        wrong (the traceback is printed)."""
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            traceback.print_exception(self.error, file=sys.stderr)
            raise RuntimeError(f"{self.label} failed: {self.error!r}") from self.error
        return self.figures


def run(
    wanted: list[str], mode: Mode, say: Callable[[str], None]
) -> tuple[list[Figure], list[str]]:
    """Measure the ``wanted`` figures; return them in the suite's order, and what
    went wrong in the parts that failed (the other parts still run).

    A full run measures one part after another.  A quick run starts the parts
    that run in child processes (``kiosk run``, the visitor sessions) alongside
    the in-process ones: faster, and its numbers are not comparable figures.
    """
    from bench import exhibit as ex
    from bench import flood as serial_flood
    from bench import frames, live, session, startup

    want = set(wanted)
    parts: list[Part] = []

    def part(label: str, names: set[str], measure: Callable[[], list[Figure]]) -> None:
        if want & names:
            parts.append(Part(label, measure, say))
            parts[-1].start(alongside=mode.quick and label in CHILD_PROCESS_PARTS)

    part(
        KIOSK_PART,
        {"startup", "attract_cpu", "static_chapter_cpu"},
        lambda: startup.kiosk_figures(
            mode.startup_runs, mode.cpu_windows, mode.cpu_window_s, want, mode.child_size
        ),
    )
    part(
        SESSION_PART,
        {"peak_rss", "rss_after_start", "stats_off", "stats_on", "stats_difference"},
        lambda: session.session_figures(mode.quick, mode.child_size),
    )
    pygame.init()
    shared: dict[str, ex.Exhibit] = {}

    def full_hd() -> ex.Exhibit:
        if "full_hd" not in shared:
            say("  drawing ahead at 1920×1080 (the warm-up, not measured) …")
            shared["full_hd"] = ex.make_exhibit(ex.FULL_HD)
        return shared["full_hd"]

    for size in frames.DOCKING_SIZES:

        def docking(size: tuple[int, int] = size) -> list[Figure]:
            exhibit = full_hd() if size == ex.FULL_HD else ex.make_exhibit(size)
            rate = mode.docking_fps or exhibit.fps
            try:
                return [frames.docking_figure(exhibit, mode.passes, rate)]
            finally:
                if size != ex.FULL_HD:
                    ex.close_exhibit(exhibit)

        part(f"docking {size[0]}×{size[1]}", {frames.docking_name(size)}, docking)
    part(
        "transitions",
        {"transition", "transition_attract"},
        lambda: frames.transition_figures(full_hd(), mode.passes, mode.transition_through),
    )
    part(
        "serial flood",
        {"serial_quiet", "serial_flood"},
        lambda: serial_flood.flood_figures(full_hd(), mode.flood_attract_s, mode.flood_docking_s),
    )
    buttons = want & {"button_to_screen", "button_to_new_page_visible"}
    part(
        "buttons and handshakes, live",
        {"button_to_screen", "button_to_new_page_visible", "handshake_to_animation"},
        lambda: live.live_figures(
            full_hd(),
            mode.live_samples if buttons else 0,
            mode.live_samples if "handshake_to_animation" in want else 0,
            mode.reading,
        ),
    )
    for exhibit in shared.values():
        ex.close_exhibit(exhibit)
    found: list[Figure] = []
    errors: list[str] = []
    for p in parts:
        try:
            found += p.result()
        except RuntimeError as exc:
            errors.append(f"{exc}")
    order = {name: i for i, name in enumerate(FIGURES)}
    return sorted(found, key=lambda figure: order.get(figure.name, len(order))), errors


def number(value: float | None) -> str:
    """A figure's value, to three significant digits or so."""
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(figures: list[Figure]) -> str:
    """The figures as a plain-text table."""
    header = ("figure", "median", "p99", "unit", "× blit (med / p99)", "budget", "met")
    rows = [header]
    for f in figures:
        ratio = "" if f.ratio_p99 is None else f"{f.ratio_median:.1f} / {f.ratio_p99:.1f}"
        met = {True: "met", False: "MISSED", None: "–"}[f.met]
        budget = f.budget.text if f.budget else "(informational)"
        rows.append((f.name, number(f.median), number(f.p99), f.unit, ratio, budget, met))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for i, row in enumerate(rows):
        cells = [
            cell.ljust(widths[c]) if c in (0, 3, 4, 5) else cell.rjust(widths[c])
            for c, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def results(figures: list[Figure], mode: Mode, took: float, errors: list[str]) -> dict[str, object]:
    """Everything for ``results.json``."""
    return {
        "errors": errors,
        "machine": machine(),
        "date": now_iso(),
        "quick": mode.quick,
        "passes": mode.passes,
        "seconds": round(took, 1),
        "figures": [figure.as_json() for figure in figures],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the suite; 0 when every part ran (whether or not budgets were met), 1 if
    a part failed (the figures of the others are still printed and written)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few samples: proves it works")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these figures")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON written")
    parser.add_argument("--passes", type=int, help="passes of the in-process frame figures")
    parser.add_argument("--list", action="store_true", help="list the figures and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(FIGURES))
        return 0
    mode = Mode.make(args.quick, args.passes)
    wanted = selected(args.only)

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    start = time.perf_counter()
    figures, errors = run(wanted, mode, say)
    took = time.perf_counter() - start
    info = machine()
    print(
        f"{info['cpu']}, {info['cores']} cores; Python {info['python']}, pygame "
        f"{info['pygame']}, SDL {info['sdl']}; {'quick' if mode.quick else 'full'} run, "
        f"{took:.0f} s"
    )
    print(table(figures))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(results(figures, mode, took, errors), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    print(f"written to {args.out}")
    for error in errors:
        print(f"NOT MEASURED: {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
