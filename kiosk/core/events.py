"""The one kind of event every input source produces.

Keyboard, GPIO buttons, the serial handshake sensor and staff commands all
turn what happened into an :class:`InputEvent` and put it on an
:class:`EventBus`.  The application drains the bus once per frame and feeds the
actions to the pure state machine in :mod:`kiosk.core.flow`; it never needs to know
where an event came from (the ``source`` field is kept for logs and statistics).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Action(StrEnum):
    """What a visitor (or a member of staff) asked the exhibit to do."""

    NEXT = "next"
    BACK = "back"
    DOCK = "dock"
    LANGUAGE = "language"
    HANDSHAKE = "handshake"
    HANDSHAKE_END = "handshake_end"
    STAFF = "staff"  # toggle the staff overlay (the Back+Next chord)


@dataclass(frozen=True, slots=True)
class ExhibitState:
    """What the outputs (button LEDs, status) need to know about the screen.

    ``screen`` is one of ``"attract"``, ``"chapter"``, ``"docking"``,
    ``"credits"`` or ``"sleep"``.
    """

    screen: str
    can_back: bool
    can_next: bool
    can_dock: bool
    language: str
    chapter: int | None = None  # 0-based, on the chapter screen only


@dataclass(frozen=True, slots=True)
class InputEvent:
    """One input, from any source.

    ``source`` names where it came from (``"keyboard"``, ``"gpio"``,
    ``"serial"``, ``"staff"``); ``detail`` carries optional extra data such as
    the grip strength of a handshake.
    """

    action: Action
    source: str = "keyboard"
    detail: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


class ExhibitObserver(Protocol):
    """Something that watches the exhibit without changing it (e.g. visitor statistics).

    The app calls these on its own thread and they must return at once (queue
    the work): ``wall`` is the wall-clock time (``time.time()``) of the event.
    """

    def on_input(self, event: InputEvent, wall: float) -> None:
        """A visitor or staff input arrived (before it is applied)."""

    def on_state(self, state: ExhibitState, wall: float) -> None:
        """The screen, chapter or language changed (also on sleep/wake: screen "sleep")."""


class EventBus:
    """A thread-safe queue of :class:`InputEvent` shared by all input sources.

    Hardware threads call :meth:`put`; the main loop calls :meth:`drain`.
    ``wake`` is called after every put so a loop that sleeps while nothing
    changes on screen can be woken at once (the pygame shell posts a user event).
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[InputEvent] = queue.SimpleQueue()
        self._wake_lock = threading.Lock()
        self._wake: Callable[[], None] | None = None

    def set_wake(self, wake: Callable[[], None] | None) -> None:
        """Register a function called (from any thread) after each :meth:`put`."""
        with self._wake_lock:
            self._wake = wake

    def put(self, event: InputEvent) -> None:
        """Queue an event; safe to call from any thread."""
        self._queue.put(event)
        with self._wake_lock:
            wake = self._wake
        if wake is not None:
            wake()

    def drain(self) -> list[InputEvent]:
        """Return every queued event, oldest first, and empty the queue."""
        events: list[InputEvent] = []
        while True:
            try:
                events.append(self._queue.get_nowait())
            except queue.Empty:
                return events
