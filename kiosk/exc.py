"""Every exception the kiosk raises on purpose, under one root.

Modelled on gpiozero's ``exc.py``: each class derives from :class:`KioskError` and from
the built-in exception it is a case of, so callers may catch either. The hardware layer
has its own module, :mod:`hardware.exc`, since it knows nothing of the exhibit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.content import ContentProblem


class KioskError(Exception):
    """The root of the kiosk's own exceptions."""


class BadValue(KioskError, ValueError):
    """A wrong setting: what was expected, which part was wrong, and a hint."""

    def __init__(self, expected: str, *, got: object = None, hint: str = "") -> None:
        super().__init__(expected)
        self.got = got
        self.hint = hint


class ContentError(KioskError, ValueError):
    """The story files have problems; ``problems`` lists every one of them."""

    def __init__(self, problems: Iterable[ContentProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CmapError(KioskError, ValueError):
    """The data is not a font whose character map can be read."""


class CorruptDatabase(KioskError, sqlite3.DatabaseError):
    """The statistics file is not a usable SQLite database."""


class CommandError(KioskError, ValueError):
    """A staff command that cannot be done; the message is shown to staff as is."""


class LineTooLong(CommandError):
    """A control request line over the limit."""


class Unreachable(KioskError, ConnectionError):
    """``kiosk ctl`` could not talk to the kiosk; the message says why and what to do."""

    exit_code = 3
