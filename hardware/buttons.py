"""The four arcade buttons: gpiozero inputs, software debounce and the Back+Next chord.

Modelled on gpiozero itself: the panel owns one :class:`gpiozero.Button` per button
(pull-up, ``bounce_time=None``) built on whatever pin factory it is given, so the
same code runs on lgpio, RPi.GPIO, or ``MockFactory`` in tests.  Edges arrive on the
pin factory's callback thread; timed work (end of a debounce lock-out, the 5 s chord)
runs in :meth:`ButtonPanel.poll`, called by a small ticker thread or by tests.
What the panel reports are :mod:`hardware.events` events; what they mean is the
application's business.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from gpiozero import Button

from hardware.chord import ChordLogic
from hardware.config import BUTTON_NAMES, GpioConfig
from hardware.debounce import Debouncer
from hardware.events import ChordEvent, HardwareEvent
from hardware.threads import StoppableThread

log = logging.getLogger(__name__)


class ButtonPanel:
    """Debounced buttons that pass :class:`ButtonEvent` and :class:`ChordEvent` to ``emit``.

    Raises whatever gpiozero raises if a pin cannot be opened (the caller decides
    what to do); after construction nothing raises.
    """

    MAX_WAIT = 0.25  # longest real-time sleep of the ticker while a deadline is pending

    def __init__(
        self,
        config: GpioConfig,
        pin_factory: Any,
        emit: Callable[[HardwareEvent], None],
        *,
        clock: Callable[[], float] = time.monotonic,
        ticker: bool = True,
    ) -> None:
        self.clock = clock
        self.emit = emit
        self._lock = threading.RLock()
        self._chord = ChordLogic(config.chord_seconds)
        self.presses: dict[str, int] = dict.fromkeys(BUTTON_NAMES, 0)
        self.buttons: dict[str, Button] = {}
        self._debouncers: dict[str, Debouncer] = {}
        try:
            for name, pin in config.buttons.as_dict().items():
                # hold_time: gpiozero's own hold detection is unused (it runs on real
                # time); a short value keeps close() from waiting on a held button.
                button = Button(
                    pin, pull_up=True, bounce_time=None, hold_time=0.05, pin_factory=pin_factory
                )
                self.buttons[name] = button
                self._debouncers[name] = Debouncer(config.bounce_ms / 1000, button.is_pressed)
                button.when_pressed = self._edge_handler(name, True)
                button.when_released = self._edge_handler(name, False)
        except Exception:
            self._close_buttons()
            raise
        self._wake = threading.Event()
        self._thread: StoppableThread | None = None
        if ticker:
            self._thread = StoppableThread(self._tick, name="gpio-buttons", on_stop=self._wake.set)
            self._thread.start()

    def __repr__(self) -> str:
        if not self.buttons:
            return "<ButtonPanel closed>"
        pins = " ".join(f"{name}={button.pin}" for name, button in self.buttons.items())
        return f"<ButtonPanel {pins}>"

    def _edge_handler(self, name: str, level: bool) -> Callable[[], None]:
        def handler() -> None:
            self.edge(name, level)

        return handler

    def edge(self, name: str, level: bool) -> None:
        """An edge on button ``name`` (``level`` True = pressed); called by gpiozero."""
        try:
            with self._lock:
                if not self.buttons:
                    return
                now = self.clock()
                self._apply(name, self._debouncers[name].edge(level, now), now)
                self._chord_poll(now)
        except Exception:
            log.exception("error handling GPIO button %s", name)
        self._wake.set()

    def poll(self) -> None:
        """Do the timed work that is due: debounce lock-outs ending, the chord firing."""
        try:
            with self._lock:
                if not self.buttons:
                    return
                now = self.clock()
                for name, deb in self._debouncers.items():
                    self._apply(name, deb.poll(self.buttons[name].is_pressed, now), now)
                self._chord_poll(now)
        except Exception:
            log.exception("error polling GPIO buttons")

    def deadline(self) -> float | None:
        """Earliest time :meth:`poll` has something to do, or ``None``."""
        with self._lock:
            times = [d.deadline for d in self._debouncers.values()] + [self._chord.deadline]
        pending = [t for t in times if t is not None]
        return min(pending) if pending else None

    def pressed(self) -> dict[str, bool]:
        """Debounced state of each button (for the staff overlay's button test)."""
        with self._lock:
            return {name: deb.pressed for name, deb in self._debouncers.items()}

    def _apply(self, name: str, change: bool | None, now: float) -> None:
        if change is None:
            return
        if change:
            self.presses[name] += 1
            actions = self._chord.press(name, now)
        else:
            actions = self._chord.release(name, now)
        self._send(actions)

    def _chord_poll(self, now: float) -> None:
        self._send(self._chord.poll(now))

    def _send(self, events: list[HardwareEvent]) -> None:
        for event in events:
            if isinstance(event, ChordEvent):
                log.debug("chord %s held", "+".join(event.buttons))
            self.emit(event)

    def _tick(self) -> None:
        thread = self._thread
        assert thread is not None
        while not thread.stopping.is_set():
            deadline = self.deadline()
            if deadline is None:
                self._wake.wait()
            else:
                remaining = deadline - self.clock()
                self._wake.wait(min(self.MAX_WAIT, max(0.001, remaining)))
            self._wake.clear()
            if not thread.stopping.is_set():
                self.poll()

    def _close_buttons(self) -> None:
        for button in self.buttons.values():
            try:
                button.close()
            except Exception as exc:
                log.debug("error closing button: %s", exc)
        self.buttons.clear()

    def close(self) -> None:
        """Stop the ticker (waiting up to 2 s) and release the pins."""
        if self._thread is not None:
            self._thread.stop(2.0)
            self._thread = None
        with self._lock:
            self._close_buttons()
