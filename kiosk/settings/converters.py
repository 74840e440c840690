"""Converters for the config file's values.

Each takes the TOML value and returns the :class:`~kiosk.settings.schema.Config`
value, or raises TypeError / ValueError / :class:`~kiosk.exc.BadValue` whose text
completes "expected …".
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from pathlib import Path

from kiosk.core.schedule import parse_date, parse_day
from kiosk.exc import BadValue
from kiosk.settings.tomlpos import suggest


def seconds(value: object) -> float:
    """A number of seconds from 1 to 86400."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("a number of seconds")
    if not 1 <= value <= 86400:
        raise ValueError("between 1 and 86400 seconds")
    return float(value)


def language(value: object) -> str:
    """A two- or three-letter language code, lower case."""
    if not isinstance(value, str) or not value.isalpha() or not 2 <= len(value) <= 3:
        raise TypeError('a language code such as "en"')
    return value.lower()


def parse_size(value: object) -> tuple[int, int] | None:
    """``"1920x1080"`` → (1920, 1080); ``"auto"`` → None."""
    if value == "auto":
        return None
    if isinstance(value, str):
        parts = value.lower().replace("×", "x").split("x")
        if len(parts) == 2 and all(p.strip().isdigit() for p in parts):
            w, h = (int(p) for p in parts)
            if 320 <= w <= 7680 and 240 <= h <= 4320:
                return (w, h)
    raise TypeError('"auto" or a size such as "1920x1080"')


def fps(value: object) -> int:
    """Frames per second from 5 to 120."""
    if isinstance(value, bool) or not isinstance(value, int) or not 5 <= value <= 120:
        raise TypeError("a whole number of frames per second from 5 to 120")
    return value


def path(value: object) -> Path:
    """A path in quotes."""
    if not isinstance(value, str) or not value:
        raise TypeError("a path in quotes")
    return Path(value)


def boolean(value: object) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise TypeError("true or false (no quotes)")
    return value


def volume(value: object) -> float:
    """A volume from 0 to 1."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise TypeError("a number from 0 (silent) to 1 (full volume)")
    return float(value)


def wake_minutes(value: object) -> float:
    """Minutes from 0 to 240, returned in seconds."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 240:
        raise TypeError("minutes from 0 (a press does not wake it) to 240")
    return float(value) * 60


def command(value: object) -> str | None:
    """A shell command, or None for ``""``."""
    if not isinstance(value, str):
        raise TypeError('a command in quotes such as "vcgencmd display_power 0", or ""')
    return value.strip() or None


#: AF_UNIX socket paths hold at most 107 bytes on Linux.
SOCKET_PATH_MAX = 107


def socket_path(value: object) -> Path:
    """An absolute path short enough for an AF_UNIX socket."""
    expected = 'an absolute path such as "/run/kiosk/control.sock"'
    if not isinstance(value, str) or not value.startswith("/"):
        raise TypeError(expected)
    if len(os.fsencode(value)) > SOCKET_PATH_MAX:
        raise ValueError(f"{expected}, at most {SOCKET_PATH_MAX} bytes long")
    return Path(value)


_GROUP = re.compile(r"[a-z_][a-z0-9_-]{0,31}")


def group(value: object) -> str:
    """A Unix group name."""
    if not isinstance(value, str) or not _GROUP.fullmatch(value):
        raise TypeError('a group name such as "kiosk-staff"')
    return value


def zone(value: object) -> str:
    """An IANA time zone name, with a hint for a near miss."""
    expected = 'a time zone such as "Europe/Oslo"'
    if not isinstance(value, str):
        raise TypeError(expected)
    try:
        zoneinfo.ZoneInfo(value)
    except (KeyError, ValueError, OSError):
        zones = zoneinfo.available_timezones()
        hint = suggest(value, zones)
        if not hint:  # "Oslo" → "Europe/Oslo"
            ends = sorted(z for z in zones if z.lower().endswith("/" + value.lower()))
            hint = f' (did you mean "{ends[0]}"?)' if ends else ""
        raise BadValue(expected, hint=hint) from None
    return value


def day(value: object) -> tuple[tuple[int, int], ...]:
    """One day's opening times."""
    return parse_day(value)


def closed(value: object) -> frozenset[dt.date]:
    """A list of dates the exhibit is closed."""
    if not isinstance(value, list):
        raise TypeError('a list of dates such as ["2026-12-24", "2026-12-25"]')
    dates = set()
    for item in value:
        try:
            dates.add(parse_date(item))
        except ValueError:
            raise BadValue('dates such as "2026-12-24"', got=item) from None
    return frozenset(dates)
