"""Daily visitor figures from the statistics database, for a curator's report.

Reads the database read-only (safe while the kiosk writes to it) and groups
everything by the museum's local date.  ``kiosk stats`` prints the result as a
table, CSV or JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

#: Presses in the order the buttons sit on the panel, then the sculpted hand.
PRESS_ORDER = ("back", "next", "dock", "language", "handshake")


@dataclass
class DayFigures:
    """One day's (or a period's) figures."""

    day: str  # ISO date, or "total"
    visits: int = 0
    visit_seconds: list[float] = field(default_factory=list)
    finished: int = 0  # visits that reached the credits
    dockings: int = 0
    presses: Counter[str] = field(default_factory=Counter)
    chapters: Counter[int] = field(default_factory=Counter)  # 1-based chapter → visits
    languages: Counter[str] = field(default_factory=Counter)  # visits by final language

    @property
    def handshakes(self) -> int:
        """Grips of the sculpted hand."""
        return self.presses["handshake"]

    @property
    def mean_visit(self) -> float:
        """Average visit, first press to the return to attract (seconds)."""
        return statistics.fmean(self.visit_seconds) if self.visit_seconds else 0.0

    @property
    def median_visit(self) -> float:
        """Median visit (seconds)."""
        return statistics.median(self.visit_seconds) if self.visit_seconds else 0.0

    def add(self, other: DayFigures) -> None:
        """Add another day's figures to these."""
        self.visits += other.visits
        self.visit_seconds += other.visit_seconds
        self.finished += other.finished
        self.dockings += other.dockings
        self.presses.update(other.presses)
        self.chapters.update(other.chapters)
        self.languages.update(other.languages)


@dataclass
class Report:
    """Daily figures for a period, and their total."""

    days: list[DayFigures]
    timezone: str

    @property
    def total(self) -> DayFigures:
        """All the days added up."""
        total = DayFigures("total")
        for day in self.days:
            total.add(day)
        return total


def _connect_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise FileNotFoundError(f"no statistics database at {path} (nothing recorded yet?)")
    # isolation_level=None: transactions are begun and ended explicitly below.
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0, isolation_level=None
    )


def _midnight(day: dt.date, zone: ZoneInfo | None) -> float:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).timestamp()


def _local_day(when: float, zone: ZoneInfo | None) -> dt.date:
    return dt.datetime.fromtimestamp(when, zone).date()


def daily_report(
    path: Path,
    timezone: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Report:
    """Figures per local day from ``since`` to ``until`` (inclusive; default: all recorded).

    ``timezone`` is the museum's zone (the config's opening-hours zone); None is
    this computer's local time.  Days without visitors are listed with zeros.
    """
    zone = ZoneInfo(timezone) if timezone else None
    low = _midnight(since, zone) if since else float("-inf")
    high = _midnight(until + dt.timedelta(days=1), zone) if until else float("inf")
    days: dict[dt.date, DayFigures] = {}

    def figures(day: dt.date) -> DayFigures:
        if day not in days:
            days[day] = DayFigures(day.isoformat())
        return days[day]

    db = _connect_read_only(path)
    try:
        # One read transaction, so both SELECTs see the same snapshot while the kiosk
        # writes (WAL).  ``with db:`` would not begin one: Python's sqlite3 starts
        # transactions only before writes.
        db.execute("BEGIN DEFERRED")
        sessions = db.execute(
            "SELECT started, COALESCE(ended, (SELECT MAX(at) FROM events "
            "WHERE events.session = sessions.id), started), language "
            "FROM sessions WHERE started >= ? AND started < ?",
            (low, high),
        ).fetchall()
        events = db.execute(
            "SELECT at, kind, value FROM events WHERE at >= ? AND at < ?", (low, high)
        ).fetchall()
        db.execute("COMMIT")  # (on an error, closing the connection ends the transaction)
    finally:
        db.close()
    for started, ended, language in sessions:
        day = figures(_local_day(started, zone))
        day.visits += 1
        day.visit_seconds.append(max(0.0, ended - started))
        day.languages[language] += 1
    for at, kind, value in events:
        day = figures(_local_day(at, zone))
        if kind == "press":
            day.presses[value] += 1
        elif kind == "chapter":
            day.chapters[int(value) + 1] += 1
        elif kind == "docking":
            day.dockings += 1
        elif kind == "credits":
            day.finished += 1
    first = since or min(days, default=None)
    last = until or max(days, default=None)
    listed: list[DayFigures] = []
    if first is not None and last is not None:
        day = first
        while day <= last:
            listed.append(days.get(day) or DayFigures(day.isoformat()))
            day += dt.timedelta(days=1)
    return Report(listed, timezone or "local time")


# --- Output ---------------------------------------------------------------------------


def _columns(report: Report) -> tuple[list[str], list[str], list[int]]:
    total = report.total
    presses = [*PRESS_ORDER, *sorted(p for p in total.presses if p not in PRESS_ORDER)]
    languages = sorted(total.languages)
    chapters = list(range(1, max(total.chapters, default=0) + 1))
    return presses, languages, chapters


def _figures(day: DayFigures) -> dict[str, object]:
    """The day's single figures, shared by the CSV and JSON forms."""
    return {
        "date": day.day,
        "visits": day.visits,
        "mean_visit_s": round(day.mean_visit, 1),
        "median_visit_s": round(day.median_visit, 1),
        "total_visit_s": round(float(sum(day.visit_seconds)), 1),
        "finished": day.finished,
        "dockings": day.dockings,
        "handshakes": day.handshakes,
    }


def _row(day: DayFigures, presses: list[str], languages: list[str], chapters: list[int]) -> dict:
    return {
        **_figures(day),
        "presses": sum(day.presses.values()),
        **{f"presses_{p}": day.presses[p] for p in presses},
        **{f"visits_{code}": day.languages[code] for code in languages},
        **{f"chapter_{n}": day.chapters[n] for n in chapters},
    }


def format_csv(report: Report) -> str:
    """One row per day plus a total row; a column per button, language and chapter."""
    presses, languages, chapters = _columns(report)
    rows = [_row(day, presses, languages, chapters) for day in [*report.days, report.total]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(_row(report.total, presses, languages, chapters)))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def format_json(report: Report) -> str:
    """``{"timezone", "days": [...], "total": {...}}`` with nested counts."""

    def entry(day: DayFigures) -> dict[str, object]:
        return {
            **_figures(day),
            "presses": dict(sorted(day.presses.items())),
            "languages": dict(sorted(day.languages.items())),
            "chapters_reached": {str(n): c for n, c in sorted(day.chapters.items())},
        }

    data = {
        "timezone": report.timezone,
        "days": [entry(day) for day in report.days],
        "total": entry(report.total),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def format_table(report: Report) -> str:
    """Two plain-text tables to paste into a report: the days, then chapters reached."""
    if not report.days:
        return "No visits recorded in this period.\n"
    presses, languages, chapters = _columns(report)
    heads = ["date", "visits", "avg visit", "finished", "dockings", "handshakes", "presses"]
    heads += [f"visits {code}" for code in languages]
    rows = []
    for day in [*report.days, report.total]:
        rows.append(
            [
                day.day,
                str(day.visits),
                _minutes(day.mean_visit),
                str(day.finished),
                str(day.dockings),
                str(day.handshakes),
                str(sum(day.presses.values())),
                *(str(day.languages[code]) for code in languages),
            ]
        )
    first, last = report.days[0].day, report.days[-1].day
    lines = [f"Visitor statistics {first} to {last} ({report.timezone})", ""]
    lines += _grid(heads, rows)
    lines += ["", "avg visit: minutes:seconds from the first press to the return to attract."]
    total = report.total
    shown = ", ".join(f"{p} {total.presses[p]}" for p in presses)
    lines.append(f"Presses in the period: {shown}.")
    if chapters:
        lines += ["", "Visits that reached each chapter:"]
        chapter_rows = [
            [day.day, *(str(day.chapters[n]) for n in chapters)]
            for day in [*report.days, report.total]
        ]
        lines += _grid(["date", *(str(n) for n in chapters)], chapter_rows)
    return "\n".join(lines) + "\n"


def _grid(heads: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    return [line(heads), *(line(r) for r in rows)]


FORMATS = {"table": format_table, "csv": format_csv, "json": format_json}
