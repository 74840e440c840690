"""Samples in, figures out: median, 99th percentile, ratio to a full-screen blit, budget.

Every figure of the suite is a list of samples (frame times, latencies, CPU
shares, …) turned into a :class:`Figure`.  Frame times also carry the time of
one bare full-screen blit at their size, measured in the same run
(:func:`reference_blit_ms`), so a figure reads as "so many blits" and can be
compared across machines.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import platform
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pygame


def percentile(samples: list[float], p: float) -> float:
    """The ``p``-th percentile by nearest rank: the smallest sample that at least
    ``p`` % of the samples do not exceed."""
    if not samples:
        raise ValueError("no samples")
    if not 0 < p <= 100:
        raise ValueError(f"percentile must be in (0, 100], got {p}")
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Budget:
    """What a figure must stay under: ``statistic`` (``median``, ``p99``,
    ``ratio_median``, ``ratio_p99``) ≤ ``limit``; with ``absolute``, its size
    (for a difference that may be negative).  ``text`` is how the table shows it."""

    text: str
    statistic: str
    limit: float
    absolute: bool = False

    def met(self, figure: Figure) -> bool:
        """Whether ``figure`` is within this budget."""
        value = figure.statistic(self.statistic)
        if value is None:
            raise ValueError(f"{figure.name} has no {self.statistic}")
        return (abs(value) if self.absolute else value) <= self.limit


@dataclass
class Figure:
    """One measured figure: its samples and what they are compared with.

    ``reference_blit_ms`` is set for frame times only: the median time of one
    bare full-screen blit at ``size`` in the same run.
    """

    name: str
    unit: str
    samples: list[float]
    budget: Budget | None = None
    reference_blit_ms: float | None = None
    size: tuple[int, int] | None = None
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.samples:
            raise ValueError(f"{self.name}: no samples")

    @property
    def median(self) -> float:
        """The median sample."""
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        """The 99th percentile (nearest rank)."""
        return percentile(self.samples, 99)

    @property
    def ratio_median(self) -> float | None:
        """The median in full-screen blits (frame times only)."""
        return None if self.reference_blit_ms is None else self.median / self.reference_blit_ms

    @property
    def ratio_p99(self) -> float | None:
        """The 99th percentile in full-screen blits (frame times only)."""
        return None if self.reference_blit_ms is None else self.p99 / self.reference_blit_ms

    def statistic(self, name: str) -> float | None:
        """``median``, ``p99``, ``ratio_median`` or ``ratio_p99`` by name."""
        if name not in ("median", "p99", "ratio_median", "ratio_p99"):
            raise ValueError(f"unknown statistic {name!r}")
        return getattr(self, name)

    @property
    def met(self) -> bool | None:
        """Within budget (``None``: the figure has none, it is informational)."""
        return None if self.budget is None else self.budget.met(self)

    def as_json(self) -> dict[str, object]:
        """The figure for ``results.json``."""
        data: dict[str, object] = {
            "name": self.name,
            "unit": self.unit,
            "median": self.median,
            "p99": self.p99,
            "count": len(self.samples),
            "samples": self.samples,
        }
        if self.reference_blit_ms is not None:
            data["reference_blit_ms"] = self.reference_blit_ms
            data["ratio_median"] = self.ratio_median
            data["ratio_p99"] = self.ratio_p99
        if self.size is not None:
            data["size"] = f"{self.size[0]}x{self.size[1]}"
        data["budget"] = (
            None
            if self.budget is None
            else {
                "text": self.budget.text,
                "statistic": self.budget.statistic,
                "limit": self.budget.limit,
                "absolute": self.budget.absolute,
            }
        )
        data["met"] = self.met
        if self.note:
            data["note"] = self.note
        data.update(self.extra)
        return data


def ms_since(start: float) -> float:
    """Milliseconds from ``start`` (a :func:`time.perf_counter` value) to now."""
    return (time.perf_counter() - start) * 1000


# -- the reference: one bare full-screen blit ------------------------------------

#: Blits timed for the reference, after :data:`REFERENCE_WARM_UP` untimed ones.
REFERENCE_BLITS = 300
REFERENCE_WARM_UP = 20
_references: dict[tuple[int, int], float] = {}


def reference_blit_ms(size: tuple[int, int]) -> float:
    """Median time (ms) of ``screen.blit(picture, (0, 0))`` at ``size``: an opaque,
    converted full-screen picture onto the display surface (or, when the display
    has another size, onto a surface of the display's format).  Measured once
    per size and run; the first blits are a warm-up and not counted."""
    cached = _references.get(size)
    if cached is not None:
        return cached
    screen = pygame.display.get_surface()
    if screen is None:
        raise RuntimeError("open the display before measuring the reference blit")
    target = screen if screen.get_size() == size else pygame.Surface(size, 0, screen)
    picture = pygame.Surface(size).convert()
    picture.fill((20, 30, 60))
    for _ in range(REFERENCE_WARM_UP):
        target.blit(picture, (0, 0))
    samples = []
    for _ in range(REFERENCE_BLITS):
        start = time.perf_counter()
        target.blit(picture, (0, 0))
        samples.append(ms_since(start))
    _references[size] = statistics.median(samples)
    return _references[size]


# -- presented frames --------------------------------------------------------------


@dataclass(frozen=True)
class Presented:
    """One ``pygame.display.flip``: when it returned and what the app's flow showed."""

    at: float  # time.perf_counter() when flip returned
    screen: str
    chapter: int
    language: str
    progress: float  # the page transition's progress (1.0: the page at rest)


class FrameLog:
    """Records every presented frame while installed (``with FrameLog(...) as log``).

    It wraps ``pygame.display.flip``, which the app calls once per frame from
    its own thread; other threads may wait for a frame with :meth:`wait_for`.
    ``state`` returns (page, transition progress) at the moment of the flip.
    """

    def __init__(self, state: Callable[[], tuple[object, float]]) -> None:
        self._state = state
        self.frames: list[Presented] = []
        self._changed = threading.Condition()
        self._original: Callable[[], None] | None = None

    def __enter__(self) -> FrameLog:
        original = pygame.display.flip
        self._original = original

        def flip() -> None:
            original()
            at = time.perf_counter()
            page, progress = self._state()
            frame = Presented(
                at,
                str(getattr(page, "screen", "")),
                int(getattr(page, "chapter", 0)),
                str(getattr(page, "language", "")),
                progress,
            )
            with self._changed:
                self.frames.append(frame)
                self._changed.notify_all()

        pygame.display.flip = flip
        return self

    def __exit__(self, *exc: object) -> None:
        if self._original is not None:
            pygame.display.flip = self._original
            self._original = None

    def __len__(self) -> int:
        return len(self.frames)

    def wait_for(
        self, match: Callable[[Presented], bool], after: float, timeout: float
    ) -> Presented | None:
        """The first frame presented at or after ``after`` (perf_counter) that matches;
        waits up to ``timeout`` seconds for it.  ``None`` if none came."""
        deadline = time.perf_counter() + timeout
        seen = 0
        with self._changed:
            while True:
                for frame in self.frames[seen:]:
                    if frame.at >= after and match(frame):
                        return frame
                seen = len(self.frames)
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)


def timed_step(step: Callable[[], None], log: FrameLog) -> float | None:
    """Run one loop turn; the frame time (ms, from the turn's start to the end of
    its flip) if it presented a frame, else ``None``."""
    before = len(log)
    start = time.perf_counter()
    step()
    if len(log) == before:
        return None
    return (log.frames[before].at - start) * 1000


# -- the machine -------------------------------------------------------------------


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or what platform knows)."""
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Model", "Hardware") and value.strip():
                return value.strip()
    return platform.processor() or platform.machine()


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "pygame": pygame.version.ver,
        "sdl": ".".join(str(part) for part in pygame.get_sdl_version()),
        "platform": platform.platform(),
    }


def now_iso() -> str:
    """The local time now, ISO 8601 with the offset."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
