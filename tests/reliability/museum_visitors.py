"""Seeded museum visitors, and a reference model of the exhibit that keeps the tally.

:class:`MuseumDays` writes a *script* of physical gestures for one or more museum
days: taps of the four arcade buttons, grips of the sculpted hand, and mashing
(all four buttons slapped at about 50 Hz).  While it writes, it feeds the inputs
those gestures produce, at the moments they produce them, to
:class:`ReferenceExhibit`: a small model of the visit written from the rules as
documented — README.md ("The visit"), the docstrings of kiosk/flow.py,
kiosk/sleep.py, kiosk/sessions.py, hardware/chord.py and hardware/debounce.py —
not from their code.  Its :class:`Tally` is what the statistics must show.

Times are seconds on the exhibit's monotonic clock; the wall clock moves with it
(``wall = wall_at_start + (t - start)``), so opening hours are given in the same
seconds.

Rules that keep the expectation exact (the exhibit applies an input at its next
loop step, up to a frame after it happened, and notices a deadline at the first
step after it):

* no visitor input falls less than :data:`GUARD_BEFORE` before or
  :data:`GUARD_AFTER` after a deadline the model knows of (the idle timeout, the
  credits' timeout, the end of the docking, opening and closing time) — visitors
  do not press in the very instant a timer runs out;
* Dock is never pressed within :data:`GUARD_BEFORE` of a docking scene boundary,
  nor the hand gripped at the edges of the docking's grip window;
* a tap holds its button longer than the debounce lock-out and the next gesture
  starts well after it, so each tap is exactly one press (Back and Next act when
  released, Dock and Language when pressed);
* a masher slaps all four buttons together: Back and Next held together are a
  staff chord attempt, so neither acts; Dock and Language act at each debounced
  press, worked out by :func:`debounced` from the documented lock-out rule.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from kiosk.core.events import Action

#: No input this long before a deadline (longer than a frame at 10 fps or more) …
GUARD_BEFORE = 0.15
#: … nor this long after it: the exhibit notices a deadline up to 0.25 s late (a
#: still page's loop wakes at least every MAX_SLEEP), and a deadline that follows
#: from an input or another deadline may itself be up to a frame or two later.
GUARD_AFTER = 0.5
BUTTONS = ("back", "next", "dock", "language")
ACTIONS = {
    "back": Action.BACK,
    "next": Action.NEXT,
    "dock": Action.DOCK,
    "language": Action.LANGUAGE,
}
#: Buttons that act on release (hardware/chord.py); the others act on press.
ACT_ON_RELEASE = frozenset({"back", "next"})
#: No new visitor comes this close to closing time (seconds); a late one does.
LAST_VISITOR = 180


# --- the script -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tap:
    """One arcade button pressed at ``down`` and released at ``up``."""

    button: str
    down: float
    up: float


@dataclass(frozen=True, slots=True)
class Grip:
    """The sculpted hand gripped at ``start`` and let go at ``end``."""

    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Mash:
    """All four buttons pressed and released together at each pair of ``edges``."""

    edges: tuple[float, ...]  # down, up, down, up, … (all four buttons at once)


Gesture = Tap | Grip | Mash


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """At ``at`` the exhibit should be on the attract loop, ``asleep`` or awake."""

    at: float
    asleep: bool


def debounced(edges: Sequence[tuple[float, bool]], bounce: float) -> list[tuple[float, bool]]:
    """The presses (True) and releases (False) a debounced button reports for raw ``edges``.

    The documented rule: the first edge that differs from the reported state is
    reported at once and starts a lock-out of ``bounce`` seconds in which edges are
    ignored; when the lock-out ends (the button panel wakes then) the real level is
    compared with the reported one and any difference reported, with a new lock-out.
    A lock-out ending at the very moment of an edge is looked at first.
    """
    reported = False
    level = False
    locked_until: float | None = None
    out: list[tuple[float, bool]] = []
    index = 0
    while True:
        next_edge = edges[index][0] if index < len(edges) else math.inf
        if locked_until is not None and locked_until <= next_edge:
            at, locked_until = locked_until, None
            if level != reported:
                reported = level
                locked_until = at + bounce
                out.append((at, level))
            continue
        if index == len(edges):
            return out
        at, level = edges[index]
        index += 1
        if locked_until is not None and at < locked_until:
            continue
        locked_until = None
        if level != reported:
            reported = level
            locked_until = at + bounce
            out.append((at, level))


# --- the reference model ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rules:
    """The exhibit's settings and story shape the model needs."""

    chapters: int
    dock_chapter: int | None
    languages: tuple[str, ...]
    default_language: str
    idle_timeout: float
    credits_seconds: float
    docking_seconds: float
    docking_marks: tuple[float, ...]
    grip_window: tuple[float, float]


@dataclass
class Tally:
    """What the visitors did, as the statistics should count it."""

    visits: int = 0
    presses: Counter[str] = field(default_factory=Counter)  # action → visitor presses
    chapters: Counter[int] = field(default_factory=Counter)  # 1-based → visits reaching it
    dockings: int = 0
    finished: int = 0  # visits that reached the credits
    languages: Counter[str] = field(default_factory=Counter)  # visits by final language
    seconds: list[float] = field(default_factory=list)  # each finished visit's length
    starts: list[float] = field(default_factory=list)  # each visit's first press
    #: Each visit's records in order, as ``kind:value`` ("press:next", "chapter:0", …).
    records: list[list[str]] = field(default_factory=list)
    ignored: int = 0  # presses (and grips) while asleep: no visit, no statistics
    raw_presses: int = 0  # physical button presses, mashing included
    mashes: int = 0
    walk_aways: int = 0


ATTRACT, CHAPTER, DOCKING, CREDITS = "attract", "chapter", "docking", "credits"


class ReferenceExhibit:
    """The visit and its statistics, modelled from the documented rules.

    ``hours`` are the open periods ``(open, close)`` in clock seconds, sorted.
    Call :meth:`advance` before each input to let the timers run out first.
    """

    def __init__(self, rules: Rules, hours: Sequence[tuple[float, float]], start: float) -> None:
        self.rules = rules
        self.hours = list(hours)
        self.now = start
        self.tally = Tally()
        self.asleep = not self.is_open(start)
        self.screen = ATTRACT
        self.chapter = 0
        self.language = rules.default_language
        self.last_input = start
        self.last_deadline = -math.inf  # when a timer last ran out
        self.docking_start = 0.0  # clock time at docking time 0 (moves when scenes are skipped)
        self.docking_origin: int | None = None
        self.gripped = False
        # the statistics' session rules
        self.session_start: float | None = None
        self.reached: set[str] = set()
        self.last_press = -math.inf
        self.unpublished_press = False  # a press since the exhibit last reported a change

    # -- reading ---------------------------------------------------------------------

    def is_open(self, at: float) -> bool:
        """Whether the opening hours say open at ``at``."""
        return any(start <= at < end for start, end in self.hours)

    def _next_hours_change(self) -> float | None:
        times = [t for period in self.hours for t in period if t > self.now]
        return min(times, default=None)

    def deadlines(self) -> list[float]:
        """When the exhibit will change by itself if nobody touches it."""
        times: list[float] = []
        change = self._next_hours_change()
        if change is not None:
            times.append(change)
        if self.asleep:
            return times
        r = self.rules
        if self.screen == DOCKING:
            times.append(self.docking_start + r.docking_seconds)
            return times
        if self.screen == CREDITS:
            times.append(self.last_input + r.credits_seconds)
        if self.screen != ATTRACT or self.language != r.default_language:
            times.append(self.last_input + r.idle_timeout)
        return times

    def at_rest(self) -> bool:
        """On the attract loop in the default language (or asleep): waiting for a visitor."""
        return self.asleep or (
            self.screen == ATTRACT and self.language == self.rules.default_language
        )

    def docking_time(self, at: float) -> float:
        """Seconds into the docking at ``at``."""
        return at - self.docking_start

    def safe_time(self, at: float, action: Action | None = None) -> float:
        """The first time from ``at`` on at which an input is well clear of every deadline.

        Runs the timers that fall before it (the exhibit would too).
        """
        while True:
            self.advance(at - GUARD_AFTER)
            close = [d for d in self.deadlines() if d < at + GUARD_BEFORE]
            if self.last_deadline > at - GUARD_AFTER:  # one that ran out just before
                close.append(self.last_deadline)
            if not close and not self.asleep and self.screen == DOCKING:
                t = self.docking_time(at)
                if action is Action.DOCK:
                    edges = self.rules.docking_marks
                elif action is Action.HANDSHAKE:
                    edges = self.rules.grip_window
                else:
                    edges = ()
                close = [self.docking_start + e for e in edges if abs(t - e) < GUARD_BEFORE]
            if not close:
                return at
            at = min(close) + GUARD_AFTER + 0.05

    # -- time ------------------------------------------------------------------------

    def advance(self, to: float) -> None:
        """Let every deadline up to ``to`` pass."""
        while True:
            due = [d for d in self.deadlines() if d <= to]
            if not due:
                break
            at = max(self.now, min(due))
            self.now = self.last_deadline = at
            self._timer(at)
        self.now = max(self.now, to)

    def _timer(self, at: float) -> None:
        open_ = self.is_open(at)
        if self.asleep:
            if open_:  # opening time: awake, on the attract loop
                self.asleep = False
                self._go(ATTRACT, 0, self.rules.default_language, at)
        elif not open_:  # closing time
            self._fall_asleep(at)
        elif self.screen == DOCKING and at >= self.docking_start + self.rules.docking_seconds:
            self._finish_docking(at)
        else:  # the credits' or the idle timeout
            self._go(ATTRACT, 0, self.rules.default_language, at)

    def _fall_asleep(self, at: float) -> None:
        self.asleep = True
        if self.session_start is not None:
            self._end(at)
        self.unpublished_press = False
        self.screen, self.chapter, self.language = ATTRACT, 0, self.rules.default_language

    # -- input -----------------------------------------------------------------------

    def press(self, action: Action, at: float) -> None:
        """A visitor's press (or grip) at ``at``; :meth:`advance` has run to ``at``."""
        self.advance(at)
        if self.asleep:
            self.tally.ignored += 1
            return
        self._count_press(action, at)
        self.last_input = at
        r = self.rules
        screen = self.screen
        if action is Action.LANGUAGE:
            i = r.languages.index(self.language)
            self._go(screen, self.chapter, r.languages[(i + 1) % len(r.languages)], at)
        elif screen == DOCKING and action in (Action.DOCK, Action.HANDSHAKE):
            self._press_in_docking(action, at)
        elif action in (Action.DOCK, Action.HANDSHAKE):
            if screen == ATTRACT or (screen == CHAPTER and self.chapter == r.dock_chapter):
                self.docking_origin = self.chapter if screen == CHAPTER else None
                self.docking_start = at
                self.gripped = False
                self._go(DOCKING, 0, self.language, at)
        elif action is Action.NEXT:
            self._next(at)
        elif action is Action.BACK:
            self._back(at)

    def _press_in_docking(self, action: Action, at: float) -> None:
        """Dock (skip to the next scene, or out at the end) or a grip during the docking."""
        r = self.rules
        t = self.docking_time(at)
        if action is Action.DOCK:
            mark = next((m for m in r.docking_marks if t < m), None)
            if mark is None or mark >= r.docking_seconds:
                self._finish_docking(at)
            else:
                self.docking_start = at - mark
                self._publish()
        elif not self.gripped and r.grip_window[0] <= t < r.grip_window[1]:
            self.gripped = True
            self._publish()

    def _next(self, at: float) -> None:
        r, screen = self.rules, self.screen
        if screen == ATTRACT:
            self._go(CHAPTER, 0, self.language, at)
        elif screen == CHAPTER and self.chapter + 1 < r.chapters:
            self._go(CHAPTER, self.chapter + 1, self.language, at)
        elif screen == CHAPTER:
            self._go(CREDITS, 0, self.language, at)
        elif screen == DOCKING:
            self._finish_docking(at)
        else:
            self._go(ATTRACT, 0, r.default_language, at)

    def _back(self, at: float) -> None:
        r, screen = self.rules, self.screen
        if screen == CHAPTER and self.chapter > 0:
            self._go(CHAPTER, self.chapter - 1, self.language, at)
        elif screen == CHAPTER:
            self._go(ATTRACT, 0, self.language, at)
        elif screen == DOCKING and self.docking_origin is None:
            self._go(ATTRACT, 0, self.language, at)
        elif screen == DOCKING:
            self._go(CHAPTER, self.docking_origin, self.language, at)
        elif screen == CREDITS:
            self._go(CHAPTER, r.chapters - 1, self.language, at)

    def let_go(self, at: float) -> None:
        """The hand let go: not a press, but input (the idle time counts from it)."""
        self.advance(at)
        if not self.asleep:
            self.last_input = at

    def _finish_docking(self, at: float) -> None:
        origin = self.docking_origin
        target = origin + 1 if origin is not None and origin + 1 < self.rules.chapters else None
        self.last_input = at
        if target is None:
            self._go(CREDITS, 0, self.language, at)
        else:
            self._go(CHAPTER, target, self.language, at)

    # -- the statistics' view ------------------------------------------------------------

    def _count_press(self, action: Action, at: float) -> None:
        stale = at - self.last_press > self.rules.idle_timeout
        if self.session_start is not None and self.screen == ATTRACT and stale:
            # the visit ended unseen (nothing changed on screen): it timed out
            self._end(self.last_press + self.rules.idle_timeout)
        if self.session_start is None:
            self.session_start = at
            self.reached.clear()
            self.tally.visits += 1
            self.tally.starts.append(at)
            self.tally.records.append([])
        self.tally.presses[action.value] += 1
        self.tally.records[-1].append(f"press:{action.value}")
        self.last_press = at
        self.unpublished_press = True

    def _go(self, screen: str, chapter: int, language: str, at: float) -> None:
        """Show a page; the exhibit reports every change of page to the statistics, which
        tell a visitor's return to the attract loop from a timeout by whether a press
        came since the last report."""
        previous, previous_language = self.screen, self.language
        if (screen, chapter, language) == (self.screen, self.chapter, self.language):
            return
        self.screen, self.chapter, self.language = screen, chapter, language
        by_visitor, self.unpublished_press = self.unpublished_press, False
        if self.session_start is None:
            return
        if screen == ATTRACT:
            if previous != ATTRACT or not by_visitor:
                self._end(at, previous_language)
            return
        self._progress(previous)

    def _publish(self) -> None:
        """The page stayed but the exhibit reported a change (a skipped scene, a grip)."""
        self.unpublished_press = False
        if self.session_start is not None:
            self._progress(self.screen)

    def _progress(self, previous: str) -> None:
        """A visit's first docking, chapters and credits, as the statistics note them."""
        records = self.tally.records[-1]
        if self.screen == DOCKING and previous != DOCKING:
            self.tally.dockings += 1
            records.append("docking:")
        if self.screen == CHAPTER and f"chapter:{self.chapter}" not in self.reached:
            self.reached.add(f"chapter:{self.chapter}")
            self.tally.chapters[self.chapter + 1] += 1
            records.append(f"chapter:{self.chapter}")
        if self.screen == CREDITS and "credits:" not in self.reached:
            self.reached.add("credits:")
            self.tally.finished += 1
            records.append("credits:")

    def _end(self, at: float, language: str | None = None) -> None:
        assert self.session_start is not None
        self.tally.seconds.append(at - self.session_start)
        self.tally.languages[language or self.language] += 1
        self.session_start = None


# --- the visitors ---------------------------------------------------------------------


class MuseumDays:
    """Writes the gestures of a museum's visitors, day by day, from a seeded ``rng``.

    ``hours`` are the open periods in clock seconds; ``bounce`` the buttons'
    debounce lock-out (seconds).  After :meth:`write`, :attr:`gestures` is the
    script, :attr:`model` holds the tally, :attr:`checkpoints` the moments the
    exhibit must be resting (asleep or awake as the hours say), and
    :attr:`warm_up_end`, :attr:`measured_end` and :attr:`day_ends` moments of rest
    after the warm-up visits, after the measured stretch (see :meth:`write`) and
    after each day's last regular visitor.
    """

    def __init__(
        self,
        rng: random.Random,
        rules: Rules,
        hours: Sequence[tuple[float, float]],
        start: float,
        *,
        bounce: float,
    ) -> None:
        self.rng = rng
        self.rules = rules
        self.hours = list(hours)
        self.bounce = bounce
        self.model = ReferenceExhibit(rules, hours, start)
        self.gestures: list[Gesture] = []
        self.checkpoints: list[Checkpoint] = []
        self.free_at = start  # the panel is untouched from here on
        self.warm_up_end: float | None = None
        self.measured_end: float | None = None
        self.day_ends: list[float] = []  # at rest after each day's last regular visitor
        self.end = start

    # -- gestures ----------------------------------------------------------------------

    def tap(self, button: str, at: float) -> float:
        """Press and release ``button`` around ``at`` (it acts on press or release)."""
        hold = self.rng.uniform(0.08, 0.35)
        action = ACTIONS[button]
        at = max(at, self.free_at)
        acts = at + hold if button in ACT_ON_RELEASE else at
        acts = self.model.safe_time(acts, action)
        down = acts - hold if button in ACT_ON_RELEASE else acts
        self.gestures.append(Tap(button, down, down + hold))
        self.free_at = down + hold + 0.06
        self.model.press(action, acts)
        self.model.tally.raw_presses += 1
        return acts

    def grip(self, at: float, hold: float) -> float:
        """Grip the hand at ``at`` (moved clear of deadlines) for about ``hold`` seconds."""
        start = self.model.safe_time(max(at, self.free_at), Action.HANDSHAKE)
        self.model.press(Action.HANDSHAKE, start)
        end = self.model.safe_time(start + hold)
        self.model.let_go(end)
        self.gestures.append(Grip(start, end))
        self.free_at = end + 0.06
        return end

    def mash(self, at: float, seconds: float) -> float:
        """Slap all four buttons at about 50 Hz for ``seconds``; returns when it is over."""
        start = self.model.safe_time(max(at, self.free_at), Action.DOCK)
        edges: list[float] = []
        t = start
        while t < start + seconds:
            edges.append(t)
            t += self.rng.uniform(0.008, 0.012)  # ~50 Hz, never quite regular
        if len(edges) % 2:
            edges.append(t)
        levels = [(e, i % 2 == 0) for i, e in enumerate(edges)]
        presses = [at_ for at_, down in debounced(levels, self.bounce) if down]
        for when in presses:
            # no timer may run out during the mash: every Dock resets or skips them
            assert not [d for d in self.model.deadlines() if d < when + GUARD_BEFORE]
            self.model.press(Action.DOCK, when)
            self.model.press(Action.LANGUAGE, when)
        self.gestures.append(Mash(tuple(edges)))
        self.model.tally.raw_presses += 4 * (len(edges) // 2)
        self.model.tally.mashes += 1
        self.free_at = edges[-1] + 0.1
        return self.free_at

    # -- one visitor ---------------------------------------------------------------------

    def walk_away(self) -> None:
        """Leave the exhibit alone until it rests on the attract loop again."""
        model = self.model
        model.advance(self.free_at)
        while not model.at_rest():
            model.advance(min(model.deadlines()))
        self.free_at = max(self.free_at, model.now)

    def rest_point(self) -> float:
        """A moment, a second after the exhibit came to rest, before the next visitor."""
        at = self.free_at + 1.0  # the exhibit may see the timeout up to a frame late
        self.free_at += 3.0
        return at

    def visitor(self, closing: float) -> None:
        """One visitor: a few presses, grips or a mash with human gaps, then away."""
        rng, model = self.rng, self.model
        arrival = rng.uniform(5, 30) if rng.random() < 0.15 else rng.uniform(0.5, 6)
        at = self.free_at + arrival
        if rng.random() < 0.04:
            self.mash(at, rng.uniform(1.5, 3.5))
            self.model.tally.walk_aways += 1
            self.walk_away()
            return
        for _ in range(rng.randint(1, 12)):
            if at > closing - 60:
                break
            at = self.act(at)
            at += self.gap()
        if model.screen == CREDITS and rng.random() < 0.5:
            self.tap("next", at)
        else:
            self.model.tally.walk_aways += 1
        self.walk_away()

    def gap(self) -> float:
        """A human pause before the next press: reading a chapter, or a quick tap."""
        rng, screen = self.rng, self.model.screen
        if screen == CHAPTER:
            return rng.choice([rng.uniform(0.4, 3), rng.uniform(3, 25)])
        if screen == DOCKING:
            return rng.uniform(0.5, 8)
        return rng.uniform(0.4, 5)

    def act(self, at: float) -> float:
        """One thing a visitor does at ``at``, depending on the screen; returns when done."""
        rng, model, r = self.rng, self.model, self.rules
        model.advance(max(at, self.free_at) - GUARD_AFTER)
        screen = model.screen
        if screen == DOCKING and not model.asleep:
            choice = rng.choices(
                ["watch", "dock", "next", "back", "language", "grip", "grip_window"],
                [1, 3, 2, 1, 1, 1, 1],
            )[0]
            if choice == "watch":  # to the end
                end = model.docking_start + r.docking_seconds
                return max(at, end + rng.uniform(0.5, 4))
            if choice == "grip_window":  # the hands meet: grip during the handshake scene
                low, high = r.grip_window
                when = model.docking_start + rng.uniform(low + 0.3, high - 0.3)
                return self.grip(max(at, when), rng.uniform(0.5, 3))
            if choice == "grip":
                return self.grip(at, rng.uniform(0.3, 2.5))
            return self.tap(choice, at)
        if screen == CHAPTER and model.chapter == r.dock_chapter:
            weights = {"next": 3, "back": 1, "dock": 4, "language": 1, "grip": 2}
        elif screen == CHAPTER:
            weights = {"next": 8, "back": 2, "dock": 1, "language": 1, "grip": 1}
        elif screen == CREDITS:
            weights = {"next": 3, "back": 2, "dock": 1, "language": 1, "grip": 1}
        else:
            weights = {"next": 10, "back": 1, "dock": 1, "language": 2, "grip": 1}
        choice = rng.choices(list(weights), list(weights.values()))[0]
        if choice == "grip":
            return self.grip(at, rng.uniform(0.3, 2.5))
        return self.tap(choice, at)

    # -- days ----------------------------------------------------------------------------

    def out_of_hours(self, low: float, high: float, count: int) -> None:
        """``count`` presses or grips in the dark between ``low`` and ``high``."""
        for when in sorted(self.rng.uniform(low, high) for _ in range(count)):
            when = max(when, self.free_at)
            if when >= high:
                break
            if self.rng.random() < 0.2:
                self.grip(when, self.rng.uniform(0.3, 2))
            else:
                self.tap(self.rng.choice(BUTTONS), when)

    def write(self, warm_up: int, measured: int | None = None) -> None:
        """Visitors from opening until shortly before closing on each open day.

        The warm-up ends after ``warm_up`` visits (:attr:`warm_up_end`), the measured
        stretch ``measured`` visits later (:attr:`measured_end`; None: at the end).
        The script ends a minute after the last period opens (the next morning, with
        no visitors).
        """
        model = self.model
        for opening, closing in self.hours[:-1]:
            self.out_of_hours(max(self.free_at, opening - 600), opening - 1, 3)
            self.free_at = max(self.free_at, opening + self.rng.uniform(1, 20))
            self.checkpoints.append(Checkpoint(opening + 0.5, asleep=False))
            while self.free_at < closing - LAST_VISITOR:
                self.visitor(closing)
                if self.warm_up_end is None and model.tally.visits >= warm_up:
                    self.warm_up_end = self.rest_point()
                if (
                    measured is not None
                    and self.measured_end is None
                    and model.tally.visits >= warm_up + measured
                ):
                    self.measured_end = self.rest_point()
            self.day_ends.append(self.rest_point())
            # a late visitor still reading when the lights go out, pressing on after
            at = max(self.free_at, closing - 120)
            while at < closing + 20:
                at = self.tap(self.rng.choice(("next", "next", "back", "language")), at)
                at += self.rng.uniform(3, 12)
            self.free_at = max(self.free_at, at)
            self.checkpoints.append(Checkpoint(closing + 30, asleep=True))
            self.out_of_hours(closing + 30, closing + 900, 3)
        opening = self.hours[-1][0]
        model.advance(opening + 60)
        self.checkpoints.append(Checkpoint(opening + 0.5, asleep=False))
        self.end = opening + 60
        if self.warm_up_end is None or (measured is not None and self.measured_end is None):
            raise ValueError("the days were too short for the warm-up and measured visits")
