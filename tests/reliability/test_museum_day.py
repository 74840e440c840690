"""The museum day: hundreds (``--long``: thousands) of visitors on the real exhibit.

The real :class:`~kiosk.app.App` with the real story in its three languages runs
headless (SDL dummy driver, 800×480) on one injected clock that is both its
monotonic and its wall clock, with opening hours in its config (Europe/Oslo).
It is wired as ``kiosk run`` wires it: a real :class:`~kiosk.stats.StatsRecorder`
on a temporary data folder as its observer, the real :class:`~hardware.Hardware`
on gpiozero ``MockFactory`` pins lighting the LED rings.  Visitors press the
arcade buttons by driving those mock pins, so every press goes through the real
debouncer and chord logic; the button panel's ticker thread is mirrored by
polling the panel at each of its deadlines on the same clock (``LoopDriver``).
The sculpted hand's grips are put on the bus as ``InputEvent(source="serial")``,
which is what the sensor's supervisor emits: the real serial path
(SimulatedSensor on a pty, a reader thread, heartbeat timeouts) runs in real
time, so it could not follow the injected clock through a compressed day and
the tally could not be kept exact; the sensor path has tests of its own.

The day starts at 09:50 with the kiosk asleep (presses in the dark must not
count), opens at 10:00, and closes on a late visitor still pressing; after more
presses in the dark the night passes and the script ends a minute after the next
opening.  The loop is turned as ``App.run`` turns it: frame by frame at the
configured rate while something moves, and on a still page by the wait
``App.wait_timeout()`` allows, cut short by input — so hours pass in seconds.
Quick (CI): one day 10:00–15:00 of a few hundred visits at 10 fps.  ``--long``:
ten days 10:00–18:00 of thousands of visits at the exhibit's 30 fps.  Both draw
each illustration once and copy it afterwards (``DrawnOnce``: the drawing is
deterministic, and redrawing it as the exhibit's small picture cache turns over
would take most of the run).

Everything the statistics must show is counted by ``museum_visitors``'s
reference model, from the gestures as they were written, never from the output.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import gc
import logging
import os
import random
import sqlite3
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from kiosk.app import MAX_SLEEP
from kiosk.core.events import Action, InputEvent
from kiosk.core.flow import Page, Screen
from kiosk.core.schedule import DAYS
from kiosk.docking import timeline as docking_timeline
from kiosk.stats import db_path
from kiosk.stats_report import Report, daily_report
from tests.reliability.headless import (
    DrawnOnce,
    HeadlessExhibit,
    LoopDriver,
    SimClock,
    build_exhibit,
    logged_problems,
    write_config,
)
from tests.reliability.museum_visitors import (
    BUTTONS,
    Checkpoint,
    Grip,
    Mash,
    MuseumDays,
    Rules,
    Tap,
)

pytestmark = pytest.mark.reliability

ZONE = "Europe/Oslo"
FIRST_DAY = dt.date(2026, 7, 1)  # a Wednesday, in summer time
START = 1000.0  # the exhibit's monotonic clock at 09:50 on the first day
#: Python allocations made after the warm-up and still alive after the measured visits.
TRACED_BOUND = 2 * 1024 * 1024
#: Growth of the resident set from rest after the warm-up to rest after the last visitor.
RSS_BOUND = 16 * 1024 * 1024


@dataclass(frozen=True)
class Plan:
    """How big a museum to simulate: its days, hours and frame rate."""

    days: int
    closing: dt.time  # every day opens at 10:00
    fps: int
    least_visits: int  # the days bring at least this many visits
    #: Visits over which Python's allocations are traced (tracemalloc slows the
    #: exhibit's drawing about threefold); None: every visit after the warm-up.
    measured: int | None
    warm_up: int = 40  # visits before memory, threads and files are first measured
    seed: int = 1975

    def config(self) -> str:
        """The ``[exhibit]`` and ``[hours]`` of the kiosk's config."""
        hours = f'"10:00-{self.closing:%H:%M}"'
        days = "\n".join(f"{day} = {hours}" for day in DAYS)
        return (
            "[exhibit]\nidle_timeout = 60\ncredits_seconds = 20\n\n"
            f'[hours]\ntimezone = "{ZONE}"\n{days}\nwake_on_press = 0\n'
        )


#: CI: one day of a few hundred visits at 10 frames a second, in well under a minute.
QUICK = Plan(days=1, closing=dt.time(15, 0), fps=10, least_visits=200, measured=25)
#: Nightly (``--long``): ten days, thousands of visits, at the exhibit's 30 fps.
LONG = Plan(days=10, closing=dt.time(18, 0), fps=30, least_visits=3000, measured=None)


@dataclass(frozen=True)
class Snapshot:
    """The process's resources at one moment."""

    rss: int  # bytes resident
    threads: tuple[str, ...]
    fds: int


@dataclass
class DayResult:
    """What the simulated day did and what the exhibit recorded of it."""

    plan: Plan
    script: MuseumDays
    clock: SimClock
    errors_total: int
    errors_recent: list[str]
    problems: list[str]  # WARNING or worse from the kiosk and hardware loggers
    error_records: list[str]
    stats_status: dict[str, object]
    report: Report
    sessions: list[tuple[float, float | None]]  # (started, ended), wall clock, in order
    visit_records: list[list[str]]  # each session's events as "kind:value", in order
    run: Run
    seconds: float  # real time the day took


def resident_bytes() -> int:
    """VmRSS from /proc/self/status, after handing the C heap's free memory back.

    glibc keeps freed memory for reuse (``malloc_trim`` returns it), so without a trim
    the resident size says where the heap once peaked, not what is held now.
    """
    libc_name = ctypes.util.find_library("c")
    if libc_name is not None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(libc_name).malloc_trim(0)
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def settled(exhibit: HeadlessExhibit) -> None:
    """Let the statistics writer catch up, forget the mock pins' history, collect garbage."""
    assert exhibit.stats.flush(30.0)
    exhibit.forget_pin_history()
    gc.collect()


def snapshot(exhibit: HeadlessExhibit) -> Snapshot:
    """The process's resources now."""
    settled(exhibit)
    return Snapshot(
        rss=resident_bytes(),
        threads=tuple(sorted(t.name for t in threading.enumerate())),
        fds=len(os.listdir("/proc/self/fd")),
    )


def traced_bytes(exhibit: HeadlessExhibit) -> int:
    """Bytes allocated since tracemalloc started and still alive; stops tracing."""
    settled(exhibit)
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return traced


def happenings(
    script: MuseumDays, exhibit: HeadlessExhibit
) -> Iterator[tuple[float, Callable[[], None]]]:
    """The script's gestures as things that happen to the pins and on the bus, in order."""
    pins = {name: exhibit.button_pin(name) for name in BUTTONS}
    bus = exhibit.bus
    for gesture in script.gestures:
        if isinstance(gesture, Tap):
            pin = pins[gesture.button]
            yield gesture.down, pin.drive_low
            yield gesture.up, pin.drive_high
        elif isinstance(gesture, Grip):
            held_ms = round((gesture.end - gesture.start) * 1000)
            grip = InputEvent(Action.HANDSHAKE, "serial", {"strength": 80, "hand": 0})
            let_go = InputEvent(
                Action.HANDSHAKE_END, "serial", {"hand": 0, "peak": 80, "duration_ms": held_ms}
            )
            yield gesture.start, lambda event=grip: bus.put(event)
            yield gesture.end, lambda event=let_go: bus.put(event)
        elif isinstance(gesture, Mash):
            for index, edge in enumerate(gesture.edges):
                for name in BUTTONS:
                    pin = pins[name]
                    yield edge, pin.drive_low if index % 2 == 0 else pin.drive_high


def opening_hours(clock: SimClock, plan: Plan) -> list[tuple[float, float]]:
    """Each day's open period on the exhibit's clock, and the next morning's."""
    zone = ZoneInfo(ZONE)
    periods = []
    for number in range(plan.days + 1):
        day = FIRST_DAY + dt.timedelta(days=number)
        opens = dt.datetime.combine(day, dt.time(10, 0), zone).timestamp()
        closes = dt.datetime.combine(day, plan.closing, zone).timestamp()
        periods.append((clock.at_wall(opens), clock.at_wall(closes)))
    return periods


@dataclass
class Run:
    """What turning the loop through the script saw along the way."""

    checkpoints: list[tuple[Checkpoint, bool, Page]]  # each with (asleep, page) seen
    final: tuple[bool, Page]  # asleep, page at the end
    warm: Snapshot  # at rest at the end of the warm-up
    day_ends: list[Snapshot]  # at rest after each day's last regular visitor
    end: Snapshot  # the next morning, a minute after opening
    traced: int  # bytes allocated during the measured visits and alive after them
    traced_visits: int  # visits the tracing lasted
    frames: int
    steps: int  # turns of the loop


def run_the_day(exhibit: HeadlessExhibit, script: MuseumDays) -> Run:
    """Play the script to the exhibit, looking at it at each checkpoint and measuring."""
    assert script.warm_up_end is not None
    driver = LoopDriver(exhibit)
    driver.feed(happenings(script, exhibit))
    app = exhibit.app
    stops: list[tuple[float, Checkpoint | str]] = [(c.at, c) for c in script.checkpoints]
    stops.append((script.warm_up_end, "warm"))
    if script.measured_end is not None:
        stops.append((script.measured_end, "measured"))
    stops += [(at, "day end") for at in script.day_ends]
    seen = []
    day_ends = []
    warm = traced = None
    visits_then = 0
    try:
        for at, stop in sorted(stops, key=lambda item: item[0]):
            driver.run_until(at)
            if stop == "warm":
                warm = snapshot(exhibit)
                visits_then = visits_at(script, at)
                tracemalloc.start()
            elif stop == "measured":
                traced = traced_bytes(exhibit), visits_at(script, at) - visits_then
            elif stop == "day end":
                day_ends.append(snapshot(exhibit))
            elif isinstance(stop, Checkpoint):
                seen.append((stop, app.asleep, app.flow.state.page))
        driver.run_until(script.end)
        if traced is None:
            traced = traced_bytes(exhibit), visits_at(script, script.end) - visits_then
    finally:
        tracemalloc.stop()
    assert warm is not None
    final = (app.asleep, app.flow.state.page)
    end = snapshot(exhibit)
    return Run(seen, final, warm, day_ends, end, *traced, app.frames, driver.steps)


@pytest.fixture(scope="module")
def museum_day(request, long_run, story, pygame_ready, tmp_path_factory) -> DayResult:
    """Runs the whole day once for the tests below."""
    plan = LONG if long_run else QUICK
    folder = tmp_path_factory.mktemp("museum-day")
    zone = ZoneInfo(ZONE)
    wall_start = dt.datetime.combine(FIRST_DAY, dt.time(9, 50), zone).timestamp()
    clock = SimClock(START, wall_start)
    config_path = write_config(folder, plan.config(), fps=plan.fps)
    began = time.perf_counter()
    with (
        logged_problems() as records,
        build_exhibit(config_path, story, clock, DrawnOnce()) as exhibit,
    ):
        config = exhibit.config
        rules = Rules(
            chapters=story.chapter_count,
            dock_chapter=story.dock_chapter,
            languages=tuple(story.codes),
            default_language=config.language,
            idle_timeout=config.idle_timeout,
            credits_seconds=config.credits_seconds,
            docking_seconds=docking_timeline.TOTAL,
            docking_marks=docking_timeline.MARKS,
            grip_window=docking_timeline.GRIP_WINDOW,
        )
        script = MuseumDays(
            random.Random(plan.seed),
            rules,
            opening_hours(clock, plan),
            START,
            bounce=config.gpio.bounce_ms / 1000,
        )
        script.write(plan.warm_up, plan.measured)
        run = run_the_day(exhibit, script)
        errors_total = exhibit.app.errors.total
        errors_recent = [e.message for e in exhibit.app.errors.recent()]
    seconds = time.perf_counter() - began
    data = db_path(config.data_dir)
    db = sqlite3.connect(data)
    try:
        sessions = db.execute("SELECT id, started, ended FROM sessions ORDER BY id").fetchall()
        events = db.execute("SELECT session, kind, value FROM events ORDER BY id").fetchall()
    finally:
        db.close()
    recorded: dict[int, list[str]] = {number: [] for number, _, _ in sessions}
    for number, kind, value in events:
        recorded.setdefault(number, []).append(f"{kind}:{value}")
    result = DayResult(
        plan=plan,
        script=script,
        clock=clock,
        errors_total=errors_total,
        errors_recent=errors_recent,
        problems=[f"{r.levelname} {r.name}: {r.getMessage()}" for r in records],
        error_records=[r.getMessage() for r in records if r.levelno >= logging.ERROR],
        stats_status=exhibit.stats.status(),
        report=daily_report(data, ZONE),
        sessions=[(started, ended) for _, started, ended in sessions],
        visit_records=list(recorded.values()),
        run=run,
        seconds=seconds,
    )
    show_figures(request.config, figures(result))
    return result


def show_figures(config: pytest.Config, line: str) -> None:
    """Print ``line`` in pytest's report, even while output is captured."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        return
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        reporter.write_line(line)


def visits_at(script: MuseumDays, at: float) -> int:
    """How many visits had begun by ``at``."""
    return sum(1 for start in script.model.tally.starts if start <= at)


def figures(day: DayResult) -> str:
    """One line of figures for the report and the README."""
    tally, run = day.script.model.tally, day.run
    hours = (day.script.end - START) / 3600
    mb = 1024 * 1024
    days = " ".join(f"{(d.rss - run.warm.rss) / mb:+.1f}" for d in run.day_ends)
    return (
        f"museum day: {day.plan.days} day(s), {hours:.1f} simulated hours, {tally.visits} visits, "
        f"{sum(tally.presses.values())} presses and grips counted "
        f"({tally.raw_presses} button presses incl. {tally.mashes} mashes, "
        f"{tally.ignored} in the dark), {tally.dockings} dockings, "
        f"{run.frames} frames in {run.steps} loop turns; traced growth "
        f"{run.traced / 1024:.0f} kB over {run.traced_visits} visits, RSS growth at each "
        f"day's end {days} MB (next morning {(run.end.rss - run.warm.rss) / mb:+.1f}), "
        f"threads {len(run.warm.threads)}→{len(run.end.threads)}, "
        f"fds {run.warm.fds}→{run.end.fds}; {day.seconds:.0f} s"
    )


def test_the_day_brought_the_visitors_it_was_planned_for(museum_day):
    tally = museum_day.script.model.tally
    assert tally.visits >= museum_day.plan.least_visits
    assert tally.mashes >= museum_day.plan.days and tally.dockings >= 10 * museum_day.plan.days
    assert tally.presses["handshake"] > 0 and tally.walk_aways > 0


def test_no_exception_escaped_and_none_was_reported(museum_day):
    assert museum_day.error_records == []
    assert museum_day.errors_total == 0, museum_day.errors_recent
    assert museum_day.stats_status["last_error"] is None
    assert museum_day.stats_status["rows_lost"] == 0


def test_the_statistics_count_exactly_what_the_visitors_did(museum_day):
    tally = museum_day.script.model.tally
    total = museum_day.report.total
    assert total.visits == tally.visits
    assert dict(total.presses) == dict(+tally.presses)
    assert total.handshakes == tally.presses["handshake"]
    assert dict(total.chapters) == dict(tally.chapters)
    assert total.dockings == tally.dockings
    assert total.finished == tally.finished
    assert dict(total.languages) == dict(tally.languages)


def test_each_visit_is_recorded_with_its_presses_and_pages_in_order(museum_day):
    expected = museum_day.script.model.tally.records
    recorded = museum_day.visit_records
    first = next(
        (i for i, (a, b) in enumerate(zip(recorded, expected, strict=False)) if a != b), None
    )
    assert first is None, (first, recorded[first], expected[first])
    assert len(recorded) == len(expected)


def test_each_visit_is_recorded_when_it_began_and_ended(museum_day):
    tally, clock = museum_day.script.model.tally, museum_day.clock
    # An input waits for the next frame while something moves; the closing time is
    # noticed at the next turn of the loop, at most MAX_SLEEP after it on a still page.
    frame = 1 / museum_day.plan.fps
    assert len(museum_day.sessions) == len(tally.starts) == len(tally.seconds)
    for (started, ended), began, lasted in zip(
        museum_day.sessions, tally.starts, tally.seconds, strict=True
    ):
        assert ended is not None
        assert started == pytest.approx(clock.wall_at(began), abs=frame + 0.002)
        assert ended - started == pytest.approx(lasted, abs=frame + MAX_SLEEP + 0.002)


def test_visits_fall_on_the_museums_days(museum_day):
    zone = ZoneInfo(ZONE)
    clock = museum_day.clock
    expected = Counter(
        dt.datetime.fromtimestamp(clock.wall_at(t), zone).date().isoformat()
        for t in museum_day.script.model.tally.starts
    )
    recorded = {day.day: day.visits for day in museum_day.report.days if day.visits}
    assert recorded == dict(expected)
    assert len(recorded) == museum_day.plan.days


def test_presses_in_the_dark_are_no_visits(museum_day):
    tally = museum_day.script.model.tally
    assert tally.ignored >= 6 * museum_day.plan.days  # the script did press in the dark
    assert museum_day.report.total.visits == tally.visits  # and none of them counted


def test_the_kiosk_rests_on_the_attract_loop_asleep_or_awake_as_the_hours_say(museum_day):
    attract = Page(Screen.ATTRACT, 0, "en")
    for checkpoint, asleep, page in museum_day.run.checkpoints:
        assert (asleep, page) == (checkpoint.asleep, attract), checkpoint
    assert museum_day.run.final == (False, attract)  # a minute after the last opening


def test_memory_does_not_grow_with_the_visitors(museum_day):
    """Bounds measured, not guessed (the run prints its figures).

    ``traced``: Python allocations made after the warm-up visits and still alive
    after the measured visits.  Measured: 90–120 kB over 25 visits (quick) and
    about 120 kB over 3,500 visits (``--long``), so nothing grows per visit: what
    remains is bounded caches filling (the docking's telemetry figures, at most
    257; zoneinfo's; gpiozero's pulse sequences).  2 MB catches a leak of 600 bytes
    per visit over the long run, or of 200 bytes per loop turn in the quick one
    (checked by injecting one).

    ``rss``: resident memory after ``malloc_trim``, compared at rest after the
    warm-up and at rest after the last day's last regular visitor.  It also holds
    SDL's pixel buffers: eight cached pages and three illustrations of 800×480×4
    bytes (1.5 MB each) are freed and drawn again as visitors turn pages, so it
    wanders within about ±4 MB over a day, and a few MB more just after waking in
    the morning (the figures show it).  Measured at the day's end: +4 to +6 MB
    (quick); per day over ten days without a trend (``--long``).  16 MB is
    three times the wander, and one leaked screen-sized surface per ten visits
    would pass it in the quick day.
    """
    grown_rss = museum_day.run.day_ends[-1].rss - museum_day.run.warm.rss
    assert museum_day.run.traced < TRACED_BOUND
    assert grown_rss < RSS_BOUND


def test_no_thread_or_file_is_left_behind(museum_day):
    run = museum_day.run
    for later in (run.day_ends[-1], run.end):  # both at rest on the attract loop, awake
        assert len(later.threads) <= len(run.warm.threads), (run.warm.threads, later.threads)
        assert later.fds <= run.warm.fds
