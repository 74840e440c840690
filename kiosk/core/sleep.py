"""When the exhibit sleeps: opening hours, staff ``sleep``/``wake`` and a visitor's press.

Pure: no pygame, no clock of its own.  Every method takes ``wall``, the
wall-clock time in Unix seconds (opening hours are about the museum's clock).

Rules:

* With no opening hours the exhibit is always awake; otherwise it sleeps
  whenever the hours say closed.
* Staff ``sleep`` puts it to sleep until ``wake`` or the next change of the
  opening hours (so a kiosk put to sleep in the evening still opens in the
  morning); ``wake`` keeps it awake until the next change.
* While asleep, a visitor's press wakes it for ``wake_seconds`` (each further
  press extends that); with ``wake_seconds = 0`` presses are ignored.  The press
  that wakes the exhibit does nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Hours(Protocol):
    """What the policy needs of :class:`kiosk.core.schedule.OpeningHours`."""

    def is_open(self, when: float) -> bool:
        """Whether the museum is open at Unix time ``when``."""

    def next_change(self, when: float) -> float | None:
        """The next opening or closing after ``when`` (None: never)."""


class Press(StrEnum):
    """What a visitor's press does, given the sleep state."""

    APPLY = "apply"  # awake: the press acts as usual
    WOKE = "woke"  # asleep: the press woke the exhibit and does nothing else
    IGNORED = "ignored"  # asleep and presses do not wake it


@dataclass(frozen=True, slots=True)
class SleepStatus:
    """For ``kiosk ctl status``: asleep or not, why, and until when (Unix time)."""

    asleep: bool
    reason: str
    open: bool | None  # None: no opening hours configured
    until: float | None  # when this may change by itself


class SleepPolicy:
    """Decides whether the screen is dark; see the module's rules."""

    def __init__(self, hours: Hours | None, wake_seconds: float) -> None:
        self.hours = hours
        self.wake_seconds = wake_seconds
        self._forced: bool | None = None  # True: staff sleep, False: staff wake
        self._forced_until: float | None = None
        self._woken_until = float("-inf")

    def configure(self, hours: Hours | None, wake_seconds: float) -> None:
        """New settings after a reload (staff overrides are kept)."""
        self.hours = hours
        self.wake_seconds = wake_seconds

    def _forced_now(self, wall: float) -> bool | None:
        if self._forced is None:
            return None
        if self._forced_until is not None and wall >= self._forced_until:
            return None
        return self._forced

    def is_open(self, wall: float) -> bool | None:
        """The opening hours' verdict (None: no hours configured)."""
        return None if self.hours is None else self.hours.is_open(wall)

    def status(self, wall: float) -> SleepStatus:
        """Asleep or awake at ``wall``, why, and until when."""
        asleep, reason = self._verdict(wall)
        return SleepStatus(asleep, reason, self.is_open(wall), self.next_check(wall))

    def asleep(self, wall: float) -> bool:
        """Whether the screen should be dark at ``wall``."""
        return self._verdict(wall)[0]

    def _verdict(self, wall: float) -> tuple[bool, str]:
        forced = self._forced_now(wall)
        woken = wall < self._woken_until
        if forced is True:
            return (False, "woken by a visitor") if woken else (True, "put to sleep by staff")
        if forced is False:
            return False, "woken by staff"
        open_ = self.is_open(wall)
        if open_ is None:
            return False, "always open"
        if open_:
            return False, "open"
        return (False, "woken by a visitor") if woken else (True, "closed")

    def press(self, wall: float) -> Press:
        """A visitor pressed a button (or gripped the hand) at ``wall``."""
        if not self.asleep(wall):
            if wall < self._woken_until:  # keep a woken exhibit awake while in use
                self._woken_until = wall + self.wake_seconds
            return Press.APPLY
        if self.wake_seconds <= 0:
            return Press.IGNORED
        self._woken_until = wall + self.wake_seconds
        return Press.WOKE

    def sleep(self, wall: float) -> None:
        """Staff: sleep now, until ``wake`` or the next change of the opening hours."""
        self._force(True, wall)

    def wake(self, wall: float) -> None:
        """Staff: wake now, until the next change of the opening hours."""
        self._force(False, wall)

    def _force(self, asleep: bool, wall: float) -> None:
        self._forced = asleep
        self._forced_until = None if self.hours is None else self.hours.next_change(wall)
        self._woken_until = float("-inf")

    def next_check(self, wall: float) -> float | None:
        """The next time :meth:`asleep` may change by itself (None: not without input)."""
        times = []
        if self.hours is not None:
            change = self.hours.next_change(wall)
            if change is not None:
                times.append(change)
        if self._forced is not None and self._forced_until is not None:
            times.append(self._forced_until)
        if self._woken_until > wall:
            times.append(self._woken_until)
        future = [t for t in times if t > wall]
        return min(future) if future else None
