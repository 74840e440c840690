"""Visitor sessions from the exhibit's inputs and screens: what statistics are made of.

Pure: the :class:`SessionTracker` is fed the same calls as an
:class:`~kiosk.core.events.ExhibitObserver` and returns :class:`Record` rows to store;
it keeps no clock and touches no disk, so tests drive it directly.

A session (a visit) starts with the first visitor press while no session is
open, normally on the attract loop, and ends when the exhibit returns to the
attract loop: after the idle timeout or the credits (``"timeout"``), because
the visitor pressed on (``"visitor"``), or because the kiosk went dark
(``"sleep"``).  Staff inputs (``source == "staff"``, the staff chord) are not
visitor activity and are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.events import Action, ExhibitState, InputEvent

#: Inputs that are a visitor pressing something (a handshake is gripping the hand).
PRESSES = frozenset({Action.NEXT, Action.BACK, Action.DOCK, Action.LANGUAGE, Action.HANDSHAKE})
#: Screens that are not part of a visit.
RESTING = frozenset({"attract", "sleep"})


@dataclass(frozen=True, slots=True)
class Record:
    """One row for the statistics store.

    ``kind`` is one of:

    * ``"start"`` — a session began (``value``: its language);
    * ``"end"`` — it ended (``value``: ``"timeout"``, ``"visitor"`` or ``"sleep"``;
      ``language``: the language the visit ended in);
    * ``"press"`` — a visitor input (``value``: the action, e.g. ``"next"``);
    * ``"chapter"`` — a session reached a chapter for the first time (``value``: 0-based);
    * ``"docking"`` — the docking animation started;
    * ``"credits"`` — a session reached the credits for the first time.

    ``session`` is the tracker's number for the session (None outside one).
    """

    kind: str
    at: float
    session: int | None
    value: str = ""
    language: str = ""


class SessionTracker:
    """Turns inputs and screen changes into :class:`Record` rows."""

    def __init__(self, idle_timeout: float = 90.0) -> None:
        self.idle_timeout = idle_timeout
        self.screen: str | None = None
        self.language = ""
        self.session: int | None = None
        self._sessions = 0
        self._last_press = 0.0
        self._input_since_state = False
        self._reached: set[str] = set()

    def set_idle_timeout(self, seconds: float) -> None:
        """Use a new idle timeout (the config was reloaded) from the next input on."""
        self.idle_timeout = seconds

    def on_input(self, event: InputEvent, wall: float) -> list[Record]:
        """A visitor or staff input, before it is applied."""
        if event.source == "staff" or event.action not in PRESSES:
            return []
        records: list[Record] = []
        stale = wall - self._last_press > self.idle_timeout
        if self.session is not None and self.screen in RESTING and stale:
            # The visit ended without a screen change (e.g. only the language was
            # changed on the attract loop): it timed out after its last press.
            records.append(self._end(self._last_press + self.idle_timeout, "timeout"))
        if self.session is None and self.screen != "sleep":
            self._sessions += 1
            self.session = self._sessions
            self._reached.clear()
            records.append(Record("start", wall, self.session, self.language))
        records.append(Record("press", wall, self.session, event.action.value))
        self._last_press = wall
        self._input_since_state = True
        return records

    def on_state(self, state: ExhibitState, wall: float) -> list[Record]:
        """The screen, chapter or language changed."""
        records: list[Record] = []
        by_visitor, self._input_since_state = self._input_since_state, False
        previous = self.screen
        if self.session is not None:
            if state.screen == "sleep":
                records.append(self._end(wall, "sleep"))
            elif state.screen == "attract" and (previous != "attract" or not by_visitor):
                records.append(self._end(wall, "visitor" if by_visitor else "timeout"))
            else:
                records += self._progress(state, previous, wall)
        self.screen = state.screen
        self.language = state.language
        return records

    def _progress(self, state: ExhibitState, previous: str | None, wall: float) -> list[Record]:
        records: list[Record] = []
        if state.screen == "docking" and previous != "docking":
            records.append(Record("docking", wall, self.session))
        if state.screen == "chapter" and state.chapter is not None:
            records += self._first("chapter", str(state.chapter), wall)
        if state.screen == "credits":
            records += self._first("credits", "", wall)
        return records

    def _first(self, kind: str, value: str, wall: float) -> list[Record]:
        key = f"{kind}:{value}"
        if key in self._reached:
            return []
        self._reached.add(key)
        return [Record(kind, wall, self.session, value)]

    def _end(self, wall: float, reason: str) -> Record:
        record = Record("end", wall, self.session, reason, self.language)
        self.session = None
        return record
