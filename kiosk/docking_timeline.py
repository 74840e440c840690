"""The docking sequence as a pure function of time (placeholder choreography).

The animation compresses the last four minutes before first contact on
17 July 1975 (16:05:00 → 16:09:09 UTC) into the approach phase.  The closing
rate falls linearly with the time left, ending at 0.12 m/s, inside the
APAS-75 design capture speed of 0.1–0.15 m/s; range is its integral, so the
telemetry on screen is self-consistent.

Pure: no pygame.  ``t`` is seconds since the docking started.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTACT_UTC = 16 * 3600 + 9 * 60 + 9  # 16:09:09, first contact [A]
HARD_DOCK_UTC = 16 * 3600 + 12 * 60  # 16:12, hard dock (some sources)
APPROACH_MISSION_SECONDS = 249.0  # 16:05:00 → 16:09:09
FINAL_RATE = 0.12  # m/s at contact
RATE_SLOPE = 0.0008  # m/s per second of time still to go

APPROACH_END = 0.62  # fractions of the sequence
CAPTURE_END = 0.80


@dataclass(frozen=True, slots=True)
class DockingFrame:
    """Everything that changes with time during the docking."""

    phase: str  # "approach", "capture" or "docked"
    range_m: float
    closing_rate: float
    utc_seconds: float
    progress: float
    ring_extension: float  # 0 retracted … 1 fully extended guide ring

    @property
    def clock(self) -> str:
        """The 1975 UTC time as HH:MM:SS."""
        s = int(self.utc_seconds)
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def range_for(remaining: float) -> float:
    """Range in metres when ``remaining`` mission seconds are left before contact."""
    return FINAL_RATE * remaining + RATE_SLOPE * remaining * remaining / 2


def frame_at(t: float, duration: float) -> DockingFrame:
    """The docking at ``t`` seconds into a sequence ``duration`` seconds long."""
    duration = max(duration, 1e-6)
    p = min(1.0, max(0.0, t / duration))
    if p < APPROACH_END:
        a = p / APPROACH_END
        remaining = APPROACH_MISSION_SECONDS * (1 - a)
        return DockingFrame(
            phase="approach",
            range_m=range_for(remaining),
            closing_rate=FINAL_RATE + RATE_SLOPE * remaining,
            utc_seconds=CONTACT_UTC - remaining,
            progress=p,
            ring_extension=min(1.0, a * 3),
        )
    if p < CAPTURE_END:
        c = (p - APPROACH_END) / (CAPTURE_END - APPROACH_END)
        return DockingFrame(
            phase="capture",
            range_m=0.0,
            closing_rate=0.0,
            utc_seconds=CONTACT_UTC + (HARD_DOCK_UTC - CONTACT_UTC) * c,
            progress=p,
            ring_extension=1.0 - c,
        )
    return DockingFrame(
        phase="docked",
        range_m=0.0,
        closing_rate=0.0,
        utc_seconds=HARD_DOCK_UTC,
        progress=p,
        ring_extension=0.0,
    )
