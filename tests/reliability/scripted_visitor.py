"""A scripted visitor (and member of staff) for a real ``kiosk run`` process.

The kiosk under test runs headless with GPIO off, so the only visitor input it can
take from outside the process is the handshake sensor: :class:`ScriptedVisitor`
grips and releases the hand of a :class:`hardware.sim.SimulatedSensor` (the
firmware's own logic on a real pty, which ``kiosk run`` opens as its serial port).
Those handshakes are visitor presses and are counted in the statistics.  Between
them it sends the visitor-like staff commands of the control socket (``next``,
``back``, ``dock``, ``lang``, ``goto``), which move the exhibit (and so write visit
rows) but are not counted as presses, and now and then edits the config file and
sends ``reload``, so the kiosk is saving its last good copy of the config.

It runs on its own thread until stopped or until the kiosk stops answering (it was
killed); :class:`VisitorLog` says what it did and what was in flight at the end.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hardware.sim import SimulatedSensor
from kiosk.control import Unreachable, send_command

#: Long enough for the firmware to report a grip (its minimum hold is 80 ms).
HAND_HOLD = 0.15
#: Longest wait for one reply: the kiosk answers within a frame or two.
REPLY_TIMEOUT = 5.0


@dataclass
class VisitorLog:
    """What the visitor did, and what it was doing when the kiosk went away."""

    commands: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    handshakes: int = 0
    reloads: int = 0
    in_flight: str | None = None
    unreachable: str | None = None


class ScriptedVisitor:
    """Drives the kiosk listening on ``socket`` with the sensor ``hand``.

    ``edit_config()`` is called before each ``reload`` (it writes the next good
    variant of the config file); ``seed`` makes the sequence of actions repeatable.
    """

    ACTIONS = ("handshake", "next", "next", "back", "dock", "lang", "goto", "reload")

    def __init__(
        self,
        socket: Path,
        hand: SimulatedSensor,
        edit_config: Callable[[], None],
        languages: tuple[str, ...],
        chapters: int,
        seed: int,
    ) -> None:
        self.socket = socket
        self.hand = hand
        self.edit_config = edit_config
        self.languages = languages
        self.chapters = chapters
        self.rng = random.Random(seed)
        self.log = VisitorLog()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scripted-visitor", daemon=True)

    def start(self) -> None:
        """Begin visiting (on a thread of its own)."""
        self._thread.start()

    def stop(self, timeout: float = REPLY_TIMEOUT * 2) -> VisitorLog:
        """Stop after the current action; return what was done."""
        self._stop.set()
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the scripted visitor did not stop"
        return self.log

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._act(self.rng.choice(self.ACTIONS))
        except Unreachable as exc:  # the kiosk is gone (killed): stop visiting
            self.log.unreachable = str(exc)
        finally:
            self.hand.release()

    def _act(self, action: str) -> None:
        if action == "handshake":
            self.hand.grip(strength=self.rng.randint(40, 100))
            self._stop.wait(HAND_HOLD)  # a hand is held a moment, never a key tap
            self.hand.release()
            self.log.handshakes += 1
        elif action == "reload":
            self.edit_config()
            self.log.reloads += 1
            self._command("reload")
        elif action == "lang":
            self._command("lang", self.rng.choice(self.languages))
        elif action == "goto":
            self._command("goto", str(self.rng.randint(1, self.chapters)))
        else:
            self._command(action)

    def _command(self, cmd: str, arg: str | None = None) -> None:
        self.log.in_flight = cmd
        reply = send_command(self.socket, cmd, arg, group="", timeout=REPLY_TIMEOUT)
        self.log.in_flight = None
        self.log.commands[cmd] += 1
        if not reply.get("ok"):
            self.log.refused[cmd] += 1
