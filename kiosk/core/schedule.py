"""Opening hours: a weekly timetable plus closed dates, in the museum's time zone.

Pure: no pygame, no clock of its own.  Every question is asked with a Unix time
(``time.time()``) and answered with Unix times, so tests inject any moment,
including both daylight-saving changes.

The timetable is written in local wall-clock time.  An opening or closing time
happens at the first moment the museum's clocks show it: a time inside the
spring-forward gap (02:00–03:00 in Europe/Oslo on the last Sunday of March)
happens when the clocks jump to 03:00, and a time inside the repeated autumn
hour happens the first time round.  A range never passes midnight; ``24:00``
closes at the end of the day.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
"""Weekday names as config keys, Monday first (``date.weekday()`` order)."""

MINUTES_PER_DAY = 24 * 60
ALL_DAY: tuple[tuple[int, int], ...] = ((0, MINUTES_PER_DAY),)
RANGE_EXAMPLE = '"10:00-17:00"'

Ranges = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """When the exhibit is on: a weekly timetable and closed dates, in one time zone.

    ``weekly`` has seven entries, Monday first; each is a tuple of
    ``(open_minute, close_minute)`` ranges in local time (0–1440, sorted, not
    overlapping).  ``closed`` dates have no opening at all.
    """

    timezone: str
    weekly: tuple[Ranges, ...]
    closed: frozenset[dt.date] = frozenset()

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly needs seven days, Monday first")
        ZoneInfo(self.timezone)  # raises for an unknown zone

    @property
    def zone(self) -> ZoneInfo:
        """The museum's time zone."""
        return ZoneInfo(self.timezone)

    def is_open(self, when: float) -> bool:
        """Whether the exhibit should be on at Unix time ``when``."""
        today = dt.datetime.fromtimestamp(when, self.zone).date()
        for day in (today - dt.timedelta(days=1), today):
            for start, end in self._day_intervals(day):
                if start <= when < end:
                    return True
        return False

    def next_change(self, when: float) -> float | None:
        """Unix time of the next opening or closing after ``when``; None if it never changes."""
        today = dt.datetime.fromtimestamp(when, self.zone).date()
        last_closed = max((d for d in self.closed if d >= today), default=today)
        # After the last closed date the week repeats: eight more days show every change.
        limit = last_closed + dt.timedelta(days=9)
        limit_start = self._instant(limit, 0)
        for start, end in self._merged(today - dt.timedelta(days=1), limit):
            if end <= when:
                continue
            if start > when:
                return start
            return end if end <= limit_start else None
        return None

    def _instant(self, day: dt.date, minute: int) -> float:
        """The first Unix time at which the local clocks show ``minute`` on ``day``."""
        if minute >= MINUTES_PER_DAY:
            return self._instant(day + dt.timedelta(days=1), minute - MINUTES_PER_DAY)
        zone = self.zone
        wall = dt.datetime.combine(day, dt.time(minute // 60, minute % 60))
        first = wall.replace(tzinfo=zone, fold=0).timestamp()
        second = wall.replace(tzinfo=zone, fold=1).timestamp()
        low, high = min(first, second), max(first, second)
        if _wall(low, zone) == wall:
            return low  # an ordinary time, or the first of a repeated hour
        # In a spring-forward gap: find the jump, the first moment past this wall time.
        low_s, high_s = int(low), int(high)
        while high_s - low_s > 1:
            middle = (low_s + high_s) // 2
            if _wall(middle, zone) >= wall:
                high_s = middle
            else:
                low_s = middle
        return float(high_s)

    def _day_intervals(self, day: dt.date) -> Iterator[tuple[float, float]]:
        if day in self.closed:
            return
        for open_minute, close_minute in self.weekly[day.weekday()]:
            start, end = self._instant(day, open_minute), self._instant(day, close_minute)
            if start < end:  # a range wholly inside a spring-forward gap never opens
                yield start, end

    def _merged(self, first: dt.date, last: dt.date) -> Iterator[tuple[float, float]]:
        """Open intervals from ``first`` to ``last`` (inclusive), touching ones joined."""
        current: tuple[float, float] | None = None
        day = first
        while day <= last:
            for start, end in self._day_intervals(day):
                if current is not None and start <= current[1]:
                    current = (current[0], max(current[1], end))
                    continue
                if current is not None:
                    yield current
                current = (start, end)
            day += dt.timedelta(days=1)
        if current is not None:
            yield current


def _wall(when: float, zone: ZoneInfo) -> dt.datetime:
    """The naive local wall-clock time at Unix time ``when``."""
    return dt.datetime.fromtimestamp(when, zone).replace(tzinfo=None)


def parse_time(text: str) -> int:
    """``"9:30"`` → 570 minutes; ``"24:00"`` → 1440.  ValueError if it is not a time."""
    hours, sep, minutes = text.strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(text)
    value = int(hours) * 60 + int(minutes)
    if len(hours) > 2 or int(minutes) > 59 or value > MINUTES_PER_DAY:
        raise ValueError(text)
    return value


def parse_day(value: object) -> Ranges:
    """A day's hours from the config: ``"closed"``, ``"10:00-17:00"`` or a list of ranges.

    Raises TypeError or ValueError whose text says what was expected.
    """
    if value == "closed":
        return ()
    if isinstance(value, str):
        items: list[object] = [value]
    elif isinstance(value, list) and value:
        items = list(value)
    else:
        raise TypeError(f'"closed", a range such as {RANGE_EXAMPLE} or a list of ranges')
    ranges: list[tuple[int, int]] = []
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"ranges in quotes such as {RANGE_EXAMPLE}")
        start_text, sep, end_text = item.partition("-")
        try:
            if not sep:
                raise ValueError(item)
            start, end = parse_time(start_text), parse_time(end_text)
        except ValueError:
            raise ValueError(
                f"a range such as {RANGE_EXAMPLE} with times from 00:00 to 24:00"
            ) from None
        if end <= start:
            raise ValueError(
                f"a closing time after the opening time such as {RANGE_EXAMPLE} "
                "(a range cannot pass midnight)"
            )
        ranges.append((start, end))
    ranges.sort()
    for (_, end), (start, _) in itertools.pairwise(ranges):
        if start < end:
            raise ValueError("ranges that do not overlap")
    return tuple(ranges)


def format_time(minute: int) -> str:
    """570 → ``"09:30"``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def format_day(ranges: Ranges) -> str | list[str]:
    """A day's ranges as written in the config (the inverse of :func:`parse_day`)."""
    texts = [f"{format_time(start)}-{format_time(end)}" for start, end in ranges]
    if not texts:
        return "closed"
    return texts[0] if len(texts) == 1 else texts


def parse_date(value: object) -> dt.date:
    """A closed date: a TOML date (``2026-12-24``) or a string ``"2026-12-24"``."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError('a date such as "2026-12-24"')
