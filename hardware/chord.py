"""Which events the debounced buttons produce, including the Back+Next chord.

Pure logic with times passed in; :mod:`hardware.buttons` feeds it.

Every debounced press and release is reported as a :class:`~hardware.events.ButtonEvent`.
Rules for the chord (two buttons held together, by default Back and Next):

* Held together for ``chord_seconds`` they produce one :class:`~hardware.events.ChordEvent`;
  nothing more happens until both are released.
* From the moment both are down until both are up again the chord's buttons' events
  carry ``chorded=True``, so a user that acts on release can tell a tap of one of them
  from the end of a chord (even an aborted one) and never leak a tap out of a chord.
* Releasing one of them early cancels the chord silently.
"""

from __future__ import annotations

from hardware.events import ButtonEvent, ChordEvent, HardwareEvent

CHORD = ("back", "next")


class ChordLogic:
    """Turns debounced presses/releases into :mod:`hardware.events` events."""

    def __init__(self, chord_seconds: float, chord: tuple[str, ...] = CHORD) -> None:
        self.chord_seconds = chord_seconds
        self.chord = chord
        self.held: set[str] = set()
        self._chord_since: float | None = None  # all held since
        self._spoiled = False  # a chord was attempted: until all are up, no taps
        self._fired = False

    def __repr__(self) -> str:
        return (
            f"<ChordLogic {'+'.join(self.chord)} {self.chord_seconds:g} s held={sorted(self.held)}>"
        )

    @property
    def deadline(self) -> float | None:
        """When :meth:`poll` must run for the chord to fire on time, or ``None``."""
        if self._chord_since is None or self._fired:
            return None
        return self._chord_since + self.chord_seconds

    def press(self, name: str, now: float) -> list[HardwareEvent]:
        """A debounced press of button ``name``."""
        self.held.add(name)
        if name not in self.chord:
            return [ButtonEvent(name, pressed=True)]
        if all(b in self.held for b in self.chord) and not self._spoiled:
            self._spoiled = True
            self._chord_since = now
        return [ButtonEvent(name, pressed=True, chorded=self._spoiled), *self.poll(now)]

    def release(self, name: str, now: float) -> list[HardwareEvent]:
        """A debounced release of button ``name``."""
        events = self.poll(now)
        self.held.discard(name)
        if name not in self.chord:
            return [*events, ButtonEvent(name, pressed=False)]
        chorded = self._spoiled
        if self._spoiled:
            self._chord_since = None
            if not any(b in self.held for b in self.chord):
                self._spoiled = False
                self._fired = False
        return [*events, ButtonEvent(name, pressed=False, chorded=chorded)]

    def poll(self, now: float) -> list[HardwareEvent]:
        """Time passed; returns ``[ChordEvent]`` when the chord completes."""
        deadline = self.deadline
        if deadline is not None and now >= deadline:
            self._fired = True
            self._chord_since = None
            return [ChordEvent(self.chord)]
        return []
