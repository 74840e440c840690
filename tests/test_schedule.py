"""Opening hours with an injected clock, across both daylight-saving changes in Oslo.

Expected instants are written in UTC by hand from the published rule (Europe/Oslo:
CET = UTC+1, CEST = UTC+2; in 2026 summer time starts 29 March at 01:00 UTC and
ends 25 October at 01:00 UTC), not computed with the code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.core.schedule import ALL_DAY, OpeningHours, format_day, parse_day, parse_time

UTC = dt.UTC
OSLO = "Europe/Oslo"
HOUR = 3600.0


def utc(*parts: int) -> float:
    """Unix time of a UTC date and time."""
    return dt.datetime(*parts, tzinfo=UTC).timestamp()


def week(**days: str | list[str]) -> tuple:
    """A weekly timetable from day names; days not named are closed."""
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return tuple(parse_day(days.get(name, "closed")) for name in names)


def changes(hours: OpeningHours, start: float, end: float) -> list[float]:
    """Every change from ``start`` until ``end``, by following next_change."""
    found: list[float] = []
    when = start
    while True:
        change = hours.next_change(when)
        if change is None or change > end:
            return found
        found.append(change)
        when = change


def test_an_ordinary_summer_day():
    hours = OpeningHours(OSLO, week(monday="10:00-17:00"))
    # Monday 1 June 2026, CEST: 10:00 local is 08:00 UTC.
    assert not hours.is_open(utc(2026, 6, 1, 7, 59, 59))
    assert hours.is_open(utc(2026, 6, 1, 8, 0))
    assert hours.is_open(utc(2026, 6, 1, 14, 59, 59))
    assert not hours.is_open(utc(2026, 6, 1, 15, 0))
    assert hours.next_change(utc(2026, 6, 1, 3, 0)) == utc(2026, 6, 1, 8, 0)
    assert hours.next_change(utc(2026, 6, 1, 8, 0)) == utc(2026, 6, 1, 15, 0)
    # After closing, the next opening is a week later.
    assert hours.next_change(utc(2026, 6, 1, 15, 0)) == utc(2026, 6, 8, 8, 0)


def test_the_same_local_opening_moves_in_utc_across_both_changes():
    hours = OpeningHours(OSLO, week(sunday="10:00-17:00"))
    # Sunday 22 March (CET), 29 March (CEST from 03:00), 25 October (CET from 03:00).
    assert changes(hours, utc(2026, 3, 22, 0), utc(2026, 3, 30, 0)) == [
        utc(2026, 3, 22, 9),
        utc(2026, 3, 22, 16),
        utc(2026, 3, 29, 8),
        utc(2026, 3, 29, 15),
    ]
    assert changes(hours, utc(2026, 10, 24, 0), utc(2026, 10, 26, 0)) == [
        utc(2026, 10, 25, 9),
        utc(2026, 10, 25, 16),
    ]


def test_spring_forward_gap():
    # 29 March 2026: the clocks jump from 02:00 CET to 03:00 CEST at 01:00 UTC.
    jump = utc(2026, 3, 29, 1, 0)
    spans = OpeningHours(OSLO, week(sunday="01:00-04:00"))
    # 01:00 CET = 00:00 UTC; 04:00 CEST = 02:00 UTC: only two real hours.
    assert changes(spans, utc(2026, 3, 28, 12), utc(2026, 3, 30)) == [
        utc(2026, 3, 29, 0),
        utc(2026, 3, 29, 2),
    ]
    assert spans.is_open(jump - 1) and spans.is_open(jump)

    opens_in_gap = OpeningHours(OSLO, week(sunday="02:30-05:00"))
    # 02:30 never shows on the clocks: it opens at the jump and closes at 05:00 CEST.
    assert changes(opens_in_gap, utc(2026, 3, 28, 12), utc(2026, 3, 30)) == [
        jump,
        utc(2026, 3, 29, 3),
    ]
    assert not opens_in_gap.is_open(jump - 1)

    closes_in_gap = OpeningHours(OSLO, week(sunday="00:30-02:30"))
    assert changes(closes_in_gap, utc(2026, 3, 28, 12), utc(2026, 3, 30)) == [
        utc(2026, 3, 28, 23, 30),
        jump,
    ]

    inside_gap = OpeningHours(OSLO, week(sunday="02:15-02:45", monday="10:00-11:00"))
    for minute in range(0, 180):
        assert not inside_gap.is_open(utc(2026, 3, 29, 0) + 60 * minute)
    assert inside_gap.next_change(utc(2026, 3, 29, 0)) == utc(2026, 3, 30, 8)


def test_repeated_autumn_hour():
    # 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:00–03:00 shows twice.
    spans = OpeningHours(OSLO, week(sunday="02:30-04:00"))
    # Opens the first time the clocks show 02:30 (00:30 UTC), stays open through the
    # repeated hour, closes at 04:00 CET (03:00 UTC): two and a half real hours.
    assert changes(spans, utc(2026, 10, 24, 12), utc(2026, 10, 26)) == [
        utc(2026, 10, 25, 0, 30),
        utc(2026, 10, 25, 3, 0),
    ]
    assert spans.is_open(utc(2026, 10, 25, 1, 0))  # 02:00 CET, the second time round
    assert spans.is_open(utc(2026, 10, 25, 1, 15))

    early = OpeningHours(OSLO, week(sunday="01:00-02:30"))
    # Closes the first time 02:30 shows (00:30 UTC) and does not reopen when it shows again.
    assert changes(early, utc(2026, 10, 24, 12), utc(2026, 10, 26)) == [
        utc(2026, 10, 24, 23, 0),
        utc(2026, 10, 25, 0, 30),
    ]
    assert not early.is_open(utc(2026, 10, 25, 1, 15))  # 02:15 CET, second time round


def test_a_range_spanning_midnight_into_the_change_day():
    # Open Saturday evening to 24:00 and Sunday 00:00–03:30 across the spring change:
    # one stretch, no change at midnight.
    hours = OpeningHours(OSLO, week(saturday="20:00-24:00", sunday="00:00-03:30"))
    assert changes(hours, utc(2026, 3, 28, 12), utc(2026, 3, 30)) == [
        utc(2026, 3, 28, 19),  # 20:00 CET
        utc(2026, 3, 29, 1, 30),  # 03:30 CEST
    ]


def test_two_ranges_in_a_day_and_a_closed_date():
    hours = OpeningHours(
        OSLO,
        week(
            wednesday=["13:00-17:00", "10:00-12:00"],
            thursday="10:00-17:00",
            friday="10:00-17:00",
        ),
        closed=frozenset({dt.date(2026, 12, 24)}),
    )
    # Wednesday 23 December: two ranges; Thursday 24 closed; Friday 25 open (CET).
    assert changes(hours, utc(2026, 12, 23, 0), utc(2026, 12, 26)) == [
        utc(2026, 12, 23, 9),
        utc(2026, 12, 23, 11),
        utc(2026, 12, 23, 12),
        utc(2026, 12, 23, 16),
        utc(2026, 12, 25, 9),
        utc(2026, 12, 25, 16),
    ]
    assert not hours.is_open(utc(2026, 12, 24, 11))
    assert not hours.is_open(utc(2026, 12, 23, 11, 30))  # the lunch break
    assert hours.is_open(utc(2026, 12, 31, 11))  # the next Thursday is open


def test_always_open_and_never_open():
    always = OpeningHours(OSLO, (ALL_DAY,) * 7)
    assert always.is_open(utc(2026, 3, 29, 1)) and always.next_change(utc(2026, 3, 29, 1)) is None
    holiday = dt.date(2027, 5, 17)
    with_holiday = OpeningHours(OSLO, (ALL_DAY,) * 7, closed=frozenset({holiday}))
    # Months ahead: the closed day starts at midnight CEST (22:00 UTC the day before).
    assert with_holiday.next_change(utc(2026, 6, 1)) == utc(2027, 5, 16, 22)
    assert with_holiday.next_change(utc(2027, 5, 16, 22)) == utc(2027, 5, 17, 22)
    never = OpeningHours(OSLO, ((),) * 7)
    assert not never.is_open(utc(2026, 6, 1, 12)) and never.next_change(utc(2026, 6, 1)) is None


def test_a_run_of_closed_dates_longer_than_a_week():
    closed = frozenset(dt.date(2026, 7, 1) + dt.timedelta(days=n) for n in range(20))
    hours = OpeningHours(OSLO, (parse_day("10:00-17:00"),) * 7, closed=closed)
    assert hours.next_change(utc(2026, 6, 30, 16)) == utc(2026, 7, 21, 8)


def test_next_change_agrees_with_is_open_minute_by_minute():
    hours = OpeningHours(
        OSLO,
        week(
            saturday=["00:00-01:30", "02:10-02:50", "09:00-24:00"],
            sunday=["00:00-02:20", "02:40-03:10", "10:00-17:00"],
            monday="10:00-17:00",
        ),
    )
    for start in (utc(2026, 3, 27, 23), utc(2026, 10, 23, 23)):
        when = start
        state = hours.is_open(when)
        flips = []
        for _ in range(4 * 24 * 60):
            when += 60
            if hours.is_open(when) != state:
                state = not state
                flips.append(when)
        assert flips, "the timetable changes in those days"
        assert changes(hours, start, when) == flips


@pytest.mark.parametrize(
    ("text", "minutes"), [("0:00", 0), ("09:30", 570), ("17:05", 1025), ("24:00", 1440)]
)
def test_parse_time(text, minutes):
    assert parse_time(text) == minutes


@pytest.mark.parametrize("text", ["25:00", "24:01", "9", "9:5", "10:60", "ten", "-1:00", "100:00"])
def test_parse_time_refuses(text):
    with pytest.raises(ValueError):
        parse_time(text)


def test_parse_day_and_back():
    assert parse_day("closed") == ()
    assert parse_day("9:00-17:00") == ((540, 1020),)
    assert parse_day(["13:00-17:00", "10:00-12:00"]) == ((600, 720), (780, 1020))
    assert format_day(parse_day(["13:00-17:00", "10:00-12:00"])) == ["10:00-12:00", "13:00-17:00"]
    assert format_day(()) == "closed" and format_day(((600, 1440),)) == "10:00-24:00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("17:00-10:00", "a closing time after the opening time"),
        ("10:00-10:00", "a closing time after the opening time"),
        ("25:00-26:00", "with times from 00:00 to 24:00"),
        ("10:00", "with times from 00:00 to 24:00"),
        (["10:00-13:00", "12:00-17:00"], "ranges that do not overlap"),
        (10, '"closed", a range such as'),
        ([], '"closed", a range such as'),
        ([1000], "ranges in quotes"),
    ],
)
def test_parse_day_refuses(value, expected):
    with pytest.raises((TypeError, ValueError), match=expected):
        parse_day(value)


def test_unknown_zone_is_refused():
    with pytest.raises(KeyError):
        OpeningHours("Europe/Olso", (ALL_DAY,) * 7)
