"""The docking animation as a pure function of time (and of the visitor's grip).

Five segments, each a fixed stretch of the timeline so that Dock can jump to the
next one and every frame is the same at any frame rate.  :data:`SEGMENTS` is the
only place their boundaries are written; everything else derives from it:

1. **Rendezvous**: Soyuz 19 holds attitude; Apollo with its docking module brakes
   towards it from 55 m, thrusters puffing.
2. **Capture**: the guide ring extends, the rings touch at 0.12 m/s, the capture
   latches close, the shock absorbers take the motion, the ring retracts and the
   structural latches close (hard dock).  The clock keeps running through all of
   it: from first contact at 16:09:09 to hard dock at about 16:12 [A], the three
   minutes compressed into the retraction's few seconds.
3. **Handshake**: inside, the hatch opens and two hands meet.  A grip on the
   sculpted hand during this segment makes them meet at once.
4. **Eclipse**: 19 July; the craft part, then Apollo's disc covers the Sun for
   Soyuz's camera and the corona appears.
5. **Closing**: the two craft over the Earth and a closing line.

(A *segment* is a stretch of this timeline; a *scene* is something the renderer
draws, such as :class:`kiosk.docking.scene.DockingScene`.)

Physics of the approach.  Time on screen runs faster than mission time at first
and slows to real time at contact: mission seconds still to go before contact
are ``τ(t) = (t_c − t) + (c₀ − 1)·t_c/3·(1 − t/t_c)³`` (the compression falls
from ``c₀`` to 1).  Apollo brakes at a constant ``A`` m/s², so the distance
between the two docking units' base rings is ``d = E + V_C·τ + A·τ²/2`` and the
closing rate ``V_C + A·τ``; the range shown is from ring face to ring face,
``d − e`` with the guide ring extended by ``e``.  Contact (range 0) comes at
16:09:09 UTC [A] at ``V_C`` = 0.12 m/s, inside APAS-75's design capture speed of
0.1–0.15 m/s [D].  After contact a damped spring (the shock absorbers) takes the
last of the motion and the ring retracts, pulling the craft together.

World coordinates are metres, x to the right, y down: Soyuz's docking base ring
is at x = 0 and the craft point at each other along y = 0.

Pure: no pygame.  ``t`` is seconds since the docking started; ``grip`` is the
docking second at which the visitor gripped the hand (``None``: no grip).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# -- segments ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment of the animation: a name and where it sits on the timeline."""

    name: str
    start: float
    end: float

    @property
    def duration(self) -> float:
        """Seconds."""
        return self.end - self.start

    @property
    def window(self) -> tuple[float, float]:
        """``(start, end)``."""
        return (self.start, self.end)


SEGMENTS: tuple[Segment, ...] = (
    Segment("rendezvous", 0.0, 20.0),
    Segment("capture", 20.0, 40.0),
    Segment("handshake", 40.0, 55.0),
    Segment("eclipse", 55.0, 73.0),
    Segment("closing", 73.0, 80.0),
)
RENDEZVOUS, CAPTURE, HANDSHAKE, ECLIPSE_SEGMENT, CLOSING_SEGMENT = SEGMENTS
TOTAL = SEGMENTS[-1].end
#: Where Dock jumps to: the start of every segment after the first.
MARKS: tuple[float, ...] = tuple(s.start for s in SEGMENTS[1:])

# -- the approach (mission facts and the braking model) --------------------------

CONTACT_UTC = 16 * 3600 + 9 * 60 + 9  # 17 July, 16:09:09, first contact [A]
HARD_DOCK_UTC = 16 * 3600 + 12 * 60  # 17 July, about 16:12, hard dock complete [A]
UNDOCK_UTC = 12 * 3600 + 3 * 60 + 20  # 19 July, 12:03:20, first undocking [A]
APPROACH_MISSION_SECONDS = 249.0  # the animation opens at 16:05:00
V_C = 0.12  # m/s closing rate at contact, inside APAS-75's 0.1–0.15 m/s [D]
A_BRAKE = 0.0008  # m/s², constant braking: 0.32 m/s at 55 m down to V_C
RING_TRAVEL = 0.35  # m, how far the guide ring stands out when extended
START_OFFSET_Y = 0.5  # m, Apollo starts this far below Soyuz's axis and aligns

T_CONTACT = 31.5
#: Screen seconds per mission second at the start (real time at contact).
COMPRESSION = 3 * (APPROACH_MISSION_SECONDS / T_CONTACT - 1) + 1
RING_OUT = (20.6, 23.0)  # the guide ring extends
CAPTURE_DELAY = 0.25  # capture latches close this long after contact
ABSORB_ZETA = 0.45  # shock absorbers: damping ratio …
ABSORB_OMEGA = 2.4  # … and natural frequency (rad/s)
RETRACT = (34.5, 37.5)  # the ring pulls the craft together
T_HARD_DOCK = RETRACT[1]

# -- shots (camera set-ups) -------------------------------------------------------

# Each segment is one shot or two; the cuts inside a segment are the only times here.
CUT_TO_CLOSE_UP = 25.5
CUT_TO_ECLIPSE = 60.5
WIDE = RENDEZVOUS.window
TWO_SHOT = (CAPTURE.start, CUT_TO_CLOSE_UP)
CLOSE_UP = (CUT_TO_CLOSE_UP, CAPTURE.end)
INTERIOR = HANDSHAKE.window
UNDOCK = (ECLIPSE_SEGMENT.start, CUT_TO_ECLIPSE)
ECLIPSE = (CUT_TO_ECLIPSE, ECLIPSE_SEGMENT.end)
CLOSING = CLOSING_SEGMENT.window
#: Metres of the scene across the picture's height, per shot.
WIDE_VIEW = (58.0, 32.0)  # zooms in smoothly
TWO_SHOT_VIEW = 20.0
CLOSE_UP_VIEW = 4.6
#: The close-up is a locked-off camera on the docking units (like Apollo's own
#: docking camera): Soyuz and the sky behind it do not move.
CLOSE_UP_CAMERA_AT = (0.22, 0.32)
UNDOCK_VIEW = 20.0
CLOSING_VIEW = (34.0, 48.0)  # pulls back
#: Every zoom a continuous shot passes through lies in this range of views.
ZOOM_VIEWS = (min(*WIDE_VIEW, *CLOSING_VIEW), max(*WIDE_VIEW, *CLOSING_VIEW))

# -- the handshake -----------------------------------------------------------------

HATCH_OPEN = (41.5, 43.7)
REACH = (43.5, 48.5)  # the arms reach in; they meet at the end without a grip
MEET = REACH[1]
GRIP_WINDOW = (INTERIOR[0], MEET)
GRIP_LAG = 0.7  # seconds from a grip to the hands meeting
SHAKE = 2.4  # seconds of the handshake's up-and-down

# -- undocking and the eclipse --------------------------------------------------------

T_UNDOCK = 56.0
SEPARATION_RATE = 0.1  # m/s from the spring push rods (shown 4× faster)
UNDOCK_SPEEDUP = 4.0
ECLIPSE_DISTANCE_M = 50.0  # Apollo's distance from Soyuz for the eclipse [B]
APOLLO_DIAMETER_M = 3.9
SUN_DIAMETER_DEG = 0.533
#: Apollo's disc seen from Soyuz, in Sun radii (about 8.4).
DISC_RATIO = (
    2 * math.degrees(math.atan(APOLLO_DIAMETER_M / 2 / ECLIPSE_DISTANCE_M)) / SUN_DIAMETER_DEG
)
ECLIPSE_GLIDE = (61.2, 66.5)  # Apollo's disc slides over the Sun
DISC_FROM = (-2.3, 1.35)  # disc centre relative to the Sun, in disc radii
DISC_TO = (0.04, -0.03)
DISC_DRIFT = (-0.05, 0.04)  # slow drift while the Sun is hidden

# -- captions ------------------------------------------------------------------------

CAPTION_OPEN = 0.45  # seconds for a caption to open or close
#: Caption keys of the ``[docking]`` table and when they show (``closing`` is
#: ``closing_story`` or ``closing_credits``, chosen by where the docking leads).
CAPTIONS: tuple[tuple[str, float, float], ...] = (
    ("approach", 0.0, 19.7),
    ("capture", 20.3, 37.3),
    ("docked", T_HARD_DOCK + 0.2, CAPTURE.end),  # names hard dock: shows from it on
    ("eclipse", 55.3, 72.8),
    ("closing", 73.6, TOTAL),
)
GRIP_HINT_FROM = HATCH_OPEN[0] + 0.3

#: Moments worth a still (storyboard, tests): one or more per segment.
KEY_FRAMES: tuple[tuple[str, float], ...] = (
    ("rendezvous", 9.0),
    ("ring", 23.5),
    ("contact", 32.2),
    ("docked", 38.8),
    ("hatch", 46.0),
    ("handshake", 51.5),
    ("undocking", 59.5),
    ("eclipse", 69.0),
    ("closing", 78.0),
)


def segment_at(t: float) -> Segment:
    """The segment playing at ``t`` (the first before it starts, the last after it ends)."""
    for segment in SEGMENTS:
        if t < segment.end:
            return segment
    return SEGMENTS[-1]


def next_mark(t: float) -> float | None:
    """Where Dock jumps to from ``t``: the next segment's start (None in the last one)."""
    for mark in MARKS:
        if mark > t:
            return mark
    return None


# -- small maths -------------------------------------------------------------------------


def clamp01(x: float) -> float:
    """``x`` limited to 0..1."""
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def smooth(x: float) -> float:
    """Smoothstep of ``x`` clamped to 0..1 (ease in and out)."""
    x = clamp01(x)
    return x * x * (3 - 2 * x)


def smoother(x: float) -> float:
    """Quintic ease (zero velocity and acceleration at both ends)."""
    x = clamp01(x)
    return x * x * x * (x * (6 * x - 15) + 10)


def span(t: float, window: tuple[float, float]) -> float:
    """Where ``t`` is within ``window``, 0..1."""
    a, b = window
    return clamp01((t - a) / (b - a)) if b > a else float(t >= b)


def lerp(a: float, b: float, k: float) -> float:
    """Linear blend."""
    return a + (b - a) * k


# -- the approach ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Approach:
    """The two craft in the world at one moment of 17 July (or of 19 July after undocking).

    ``gap`` is the distance between the two base rings (m), ``ring`` the guide ring's
    extension (m), ``range_m`` ring face to ring face, ``apollo_y`` Apollo's offset from
    Soyuz's axis, ``closing_rate`` in m per mission second (negative: opening),
    ``utc_seconds`` the time of day, ``captured`` once the capture latches hold.
    :attr:`separating` tells the telemetry to say so rather than show a negative rate.
    """

    gap: float
    ring: float
    range_m: float
    apollo_y: float
    closing_rate: float
    utc_seconds: float
    captured: bool
    docked: bool

    @property
    def separating(self) -> bool:
        """Whether the craft are moving apart (after undocking)."""
        return self.closing_rate < 0

    @property
    def apollo_base_x(self) -> float:
        """x of Apollo's base ring (Soyuz's is at 0)."""
        return -self.gap


def mission_seconds_left(t: float) -> float:
    """Mission seconds before contact at screen time ``t`` (0 from contact on)."""
    if t >= T_CONTACT:
        return 0.0
    u = 1 - max(0.0, t) / T_CONTACT
    return T_CONTACT * u + (COMPRESSION - 1) * T_CONTACT / 3 * u**3


def mission_seconds_after_contact(t: float) -> float:
    """Mission seconds since first contact at screen time ``t`` (0 before it).

    Real time at contact and again from hard dock on; in between the clock speeds up
    smoothly so that it reads about 16:12 when the structural latches close.
    """
    if t <= T_CONTACT:
        return 0.0
    after = t - T_CONTACT
    screen = T_HARD_DOCK - T_CONTACT
    mission = HARD_DOCK_UTC - CONTACT_UTC
    if after >= screen:
        return mission + (after - screen)
    return after + (mission - screen) * smoother(after / screen)


def ring_extension(t: float) -> float:
    """The guide ring's extension before contact."""
    return RING_TRAVEL * smoother(span(t, RING_OUT))


def absorber_stroke(t: float) -> float:
    """How far Apollo's momentum pushes the captured ring back, ``t`` s after contact."""
    if t <= 0:
        return 0.0
    zeta, omega = ABSORB_ZETA, ABSORB_OMEGA
    wd = omega * math.sqrt(1 - zeta * zeta)
    return V_C / wd * math.exp(-zeta * omega * t) * math.sin(wd * t)


def approach_at(t: float) -> Approach:
    """The approach, capture and hard dock of 17 July at screen time ``t`` (0–40 s)."""
    if t < T_CONTACT:
        tau = mission_seconds_left(t)
        e = ring_extension(t)
        gap = RING_TRAVEL + V_C * tau + A_BRAKE * tau * tau / 2
        far = RING_TRAVEL + V_C * APPROACH_MISSION_SECONDS
        far += A_BRAKE * APPROACH_MISSION_SECONDS**2 / 2
        aligned = clamp01((gap - RING_TRAVEL) / (far - RING_TRAVEL))
        return Approach(
            gap=gap,
            ring=e,
            range_m=gap - e,
            apollo_y=START_OFFSET_Y * aligned**0.8,
            closing_rate=V_C + A_BRAKE * tau,
            utc_seconds=CONTACT_UTC - tau,
            captured=False,
            docked=False,
        )
    after = t - T_CONTACT
    settle = RING_TRAVEL - absorber_stroke(after)
    pull = smoother(span(t, RETRACT))
    e = settle * (1 - pull)
    return Approach(
        gap=e,
        ring=e,
        range_m=0.0,
        apollo_y=0.0,
        closing_rate=0.0,
        utc_seconds=CONTACT_UTC + mission_seconds_after_contact(t),
        captured=after >= CAPTURE_DELAY,
        docked=t >= T_HARD_DOCK,
    )


def undocking_at(t: float) -> Approach:
    """19 July: the craft part on spring push rods at ``T_UNDOCK`` (4× faster than life)."""
    mission = max(0.0, t - T_UNDOCK) * UNDOCK_SPEEDUP
    # The push rods act over the first few centimetres: ease into the drift.
    push = 0.4
    if mission < push:
        gap = SEPARATION_RATE * mission * mission / (2 * push)
    else:
        gap = SEPARATION_RATE * (mission - push / 2)
    return Approach(
        gap=gap,
        ring=0.0,
        range_m=gap,
        apollo_y=0.0,
        closing_rate=-SEPARATION_RATE * clamp01(mission / push) if t > T_UNDOCK else 0.0,
        utc_seconds=UNDOCK_UTC + (t - T_UNDOCK) * (UNDOCK_SPEEDUP if t > T_UNDOCK else 1.0),
        captured=t <= T_UNDOCK,
        docked=t <= T_UNDOCK,
    )


# -- thrusters -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Puff:
    """One reaction-control thruster firing: which quad, which way the exhaust goes,
    when (screen seconds) and how strong (0–1)."""

    quad: str  # "top", "bottom" or "side" (the quad facing the viewer)
    exhaust: str  # "fore", "aft", "up" or "down"
    start: float
    length: float
    strength: float


def _puffs() -> tuple[Puff, ...]:
    """Braking pulses (fore-firing, from the top and bottom quads together) that thin
    out as the closing rate falls, and small alignment pulses from the side quad."""
    out: list[Puff] = []
    t = 0.9
    k = 0
    while t < T_CONTACT - 2.2:
        strength = 1.0 if t < WIDE[1] else 0.7
        length = 0.5 if t < WIDE[1] else 0.36
        out.append(Puff("top", "fore", t, length, strength))
        out.append(Puff("bottom", "fore", t + 0.04, length, strength))
        # An irregular but fixed rhythm, sparser as Apollo slows.
        t += 1.45 + 0.55 * ((k * 7) % 5) / 4 + (0.9 if t > WIDE[1] else 0.0)
        k += 1
    for when, way in ((3.3, "down"), (7.6, "down"), (12.8, "down"), (22.4, "up"), (27.6, "down")):
        out.append(Puff("side", way, when, 0.3, 0.55))
    return tuple(sorted(out, key=lambda p: p.start))


PUFFS: tuple[Puff, ...] = _puffs()


@dataclass(frozen=True, slots=True)
class Firing:
    """A thruster plume on screen now: which, and its brightness and growth (0–1)."""

    quad: str
    exhaust: str
    strength: float
    growth: float


def firings_at(t: float) -> tuple[Firing, ...]:
    """Plumes visible at ``t``: each flares up quickly and fades over its length."""
    out = []
    for p in PUFFS:
        age = t - p.start
        if 0 <= age < p.length:
            k = age / p.length
            bright = p.strength * min(1.0, k / 0.1) * (1 - k) ** 1.3
            out.append(Firing(p.quad, p.exhaust, bright, smooth(min(1.0, k * 2.2))))
    return tuple(out)


# -- the handshake ---------------------------------------------------------------------------


def grip_counts(grip: float | None) -> bool:
    """Whether a grip at docking second ``grip`` is the handshake."""
    return grip is not None and GRIP_WINDOW[0] <= grip < GRIP_WINDOW[1]


def meet_time(grip: float | None) -> float:
    """When the hands meet: on schedule, or just after a grip in the window."""
    if not grip_counts(grip):
        return MEET
    assert grip is not None
    return min(MEET, max(grip, REACH[0]) + GRIP_LAG)


def reach_at(t: float, grip: float | None = None) -> float:
    """How far the arms have reached, 0 (out of sight) to 1 (hands together)."""
    scheduled = smooth(span(t, REACH))
    if not grip_counts(grip):
        return scheduled
    assert grip is not None
    meet = meet_time(grip)
    if t < grip:
        return scheduled
    from_ = smooth(span(grip, REACH))
    return lerp(from_, 1.0, smooth(span(t, (grip, meet))))


@dataclass(frozen=True, slots=True)
class Interior:
    """The hatchway: ``hatch`` 0 closed … 1 open, ``reach`` of the arms, ``clasp`` 0–1
    (hands closing round each other), ``shake`` the clasped hands' vertical bob (in
    hand heights), ``prompt`` the grip hint's strength, ``met`` once the hands met."""

    hatch: float
    reach: float
    clasp: float
    shake: float
    prompt: float
    met: bool


def interior_at(t: float, grip: float | None = None) -> Interior:
    """The handshake segment at ``t``."""
    meet = meet_time(grip)
    after = t - meet
    clasp = smooth(after / 0.35) if after > 0 else 0.0
    shake = 0.0
    if 0 < after < SHAKE:
        k = after / SHAKE
        shake = 0.22 * math.sin(2 * math.pi * 3 * k) * (1 - k) ** 1.5 * smooth(k * 8)
    prompt = 0.0
    if GRIP_HINT_FROM <= t < meet:
        prompt = smooth((t - GRIP_HINT_FROM) / CAPTION_OPEN)
    opening = span(t, HATCH_OPEN)
    return Interior(
        hatch=1 - (1 - opening) ** 2.2,  # swings fast at first, settles gently
        reach=reach_at(t, grip),
        clasp=clasp,
        shake=shake,
        prompt=prompt,
        met=after >= 0,
    )


# -- the eclipse ------------------------------------------------------------------------------


def covered_fraction(distance: float, ratio: float = DISC_RATIO) -> float:
    """Fraction of the Sun's disc (radius 1) hidden by a disc of radius ``ratio`` whose
    centre is ``distance`` Sun radii away (circle–circle overlap)."""
    r, big = 1.0, ratio
    d = abs(distance)
    if d >= r + big:
        return 0.0
    if d <= big - r:
        return 1.0
    a = r * r * math.acos(max(-1.0, min(1.0, (d * d + r * r - big * big) / (2 * d * r))))
    b = big * big * math.acos(max(-1.0, min(1.0, (d * d + big * big - r * r) / (2 * d * big))))
    c = 0.5 * math.sqrt(max(0.0, (-d + r + big) * (d + r - big) * (d - r + big) * (d + r + big)))
    return clamp01((a + b - c) / (math.pi * r * r))


@dataclass(frozen=True, slots=True)
class Eclipse:
    """Soyuz's view of the Sun: Apollo's disc centre relative to the Sun (in disc
    radii), how much of the Sun is still visible, and the corona's strength."""

    disc_x: float
    disc_y: float
    sun_visible: float
    corona: float


def eclipse_at(t: float) -> Eclipse:
    """The eclipse shot at ``t``."""
    glide = smoother(span(t, ECLIPSE_GLIDE))
    hold = smooth(span(t, (ECLIPSE_GLIDE[1], ECLIPSE[1])))
    x = lerp(DISC_FROM[0], DISC_TO[0], glide) + DISC_DRIFT[0] * hold
    y = lerp(DISC_FROM[1], DISC_TO[1], glide) + DISC_DRIFT[1] * hold
    visible = 1 - covered_fraction(math.hypot(x, y) * DISC_RATIO)
    corona = 1 - smooth(visible / 0.08)
    return Eclipse(disc_x=x, disc_y=y, sun_visible=visible, corona=corona)


# -- the camera ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Camera:
    """The world point (metres) at the picture's centre and how many metres fit in
    the height of the picture's 16:9 area."""

    x: float
    y: float
    view: float


CLOSE_UP_CAMERA = Camera(*CLOSE_UP_CAMERA_AT, CLOSE_UP_VIEW)
APOLLO_BACK_M = 13.55  # from Apollo's base ring back to its engine bell
SOYUZ_BACK_M = 6.93  # from Soyuz's base ring back to its service module


def _pair_centre(gap: float) -> float:
    """x halfway between Apollo's engine bell and Soyuz's tail."""
    return (-gap - APOLLO_BACK_M + SOYUZ_BACK_M) / 2


def camera_at(t: float) -> Camera:
    """Where the camera looks in the exterior shots (a smooth path within each shot)."""
    if t < WIDE[1]:
        a = approach_at(t)
        k = smooth(span(t, WIDE))
        view = lerp(WIDE_VIEW[0], WIDE_VIEW[1], k)
        return Camera(_pair_centre(a.gap), 0.1 * view, view)
    if t < TWO_SHOT[1]:
        a = approach_at(t)
        return Camera(_pair_centre(a.gap) - 0.3, 0.07 * TWO_SHOT_VIEW, TWO_SHOT_VIEW)
    if t < CLOSE_UP[1]:
        return CLOSE_UP_CAMERA
    if t < UNDOCK[1] and t >= UNDOCK[0]:
        a = undocking_at(t)
        return Camera(_pair_centre(a.gap) - 0.6, 0.1 * UNDOCK_VIEW, UNDOCK_VIEW)
    k = smooth(span(t, CLOSING))
    view = lerp(CLOSING_VIEW[0], CLOSING_VIEW[1], k)
    return Camera(_pair_centre(0.0) + lerp(0.0, 2.0, k), 0.2 * view, view)


# -- the whole frame -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Caption:
    """A caption key and how far it is open (0–1: it opens and closes like a curtain)."""

    key: str
    shown: float


@dataclass(frozen=True, slots=True)
class DockingFrame:
    """Everything that changes with time: the shot, its state, captions, telemetry.

    ``shot`` is one of ``"wide"``, ``"two"``, ``"close"``, ``"interior"``,
    ``"undock"``, ``"eclipse"`` and ``"closing"``; the exterior shots fill
    ``approach`` and ``camera``, the others ``interior`` or ``eclipse``.
    """

    t: float
    segment: Segment
    shot: str
    progress: float
    captions: tuple[Caption, ...]
    approach: Approach | None = None
    camera: Camera | None = None
    firings: tuple[Firing, ...] = ()
    latch_glow: float = 0.0
    interior: Interior | None = None
    eclipse: Eclipse | None = None
    telemetry: bool = False
    title: bool = True

    @property
    def clock(self) -> str:
        """The 1975 UTC time as HH:MM:SS (empty when not shown)."""
        if self.approach is None:
            return ""
        s = int(self.approach.utc_seconds)
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _opening(t: float, start: float, end: float) -> float:
    if t < start or t >= end:
        return 0.0
    opening = 1.0 if start <= 0 else smooth((t - start) / CAPTION_OPEN)
    closing = 1.0 if end >= TOTAL else smooth((end - t) / CAPTION_OPEN)
    return min(opening, closing)


def captions_at(t: float, grip: float | None = None) -> tuple[Caption, ...]:
    """The captions showing at ``t`` (two while one fades into the next)."""
    out = [Caption(key, _opening(t, a, b)) for key, a, b in CAPTIONS]
    meet = meet_time(grip)
    out.append(Caption("grip_hint", _opening(t, GRIP_HINT_FROM, meet)))
    out.append(Caption("handshake", _opening(t, meet + 0.3, INTERIOR[1] - 0.2)))
    return tuple(c for c in out if c.shown > 0)


def _latch_glow(t: float) -> float:
    """A brief glint on the latches at capture and at hard dock."""
    glow = 0.0
    for when in (T_CONTACT + CAPTURE_DELAY, T_HARD_DOCK):
        age = t - when
        if 0 <= age < 1.2:
            glow = max(glow, (1 - age / 1.2) ** 2 * min(1.0, age / 0.06))
    return glow


def frame_at(t: float, grip: float | None = None) -> DockingFrame:
    """The animation at ``t`` seconds (clamped to 0…TOTAL), with the visitor's grip."""
    t = min(TOTAL, max(0.0, t))
    segment = segment_at(t)
    common = {"t": t, "segment": segment, "progress": t / TOTAL, "captions": captions_at(t, grip)}
    if t < CLOSE_UP[1]:
        shot = "wide" if t < WIDE[1] else "two" if t < TWO_SHOT[1] else "close"
        return DockingFrame(
            shot=shot,
            approach=approach_at(t),
            camera=camera_at(t),
            firings=firings_at(t),
            latch_glow=_latch_glow(t),
            telemetry=True,
            **common,
        )
    if t < INTERIOR[1]:
        return DockingFrame(shot="interior", interior=interior_at(t, grip), **common)
    if t < UNDOCK[1]:
        return DockingFrame(
            shot="undock",
            approach=undocking_at(t),
            camera=camera_at(t),
            telemetry=True,
            title=False,
            **common,
        )
    if t < ECLIPSE[1]:
        return DockingFrame(shot="eclipse", eclipse=eclipse_at(t), title=False, **common)
    docked = Approach(0.0, 0.0, 0.0, 0.0, 0.0, UNDOCK_UTC, True, True)
    return DockingFrame(shot="closing", approach=docked, camera=camera_at(t), title=False, **common)


# -- sounds -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """A sound to play: its name (``puff``, ``latch``, ``chime``), when, and how loud."""

    name: str
    at: float
    gain: float


def cues(grip: float | None = None) -> tuple[Cue, ...]:
    """Every sound of the animation, in time order."""
    out = [Cue("puff", p.start, p.strength) for p in PUFFS if p.quad != "bottom"]
    out.append(Cue("latch", T_CONTACT + CAPTURE_DELAY, 1.0))
    out.append(Cue("latch", T_HARD_DOCK, 0.8))
    out.append(Cue("chime", meet_time(grip), 1.0))
    out.append(Cue("latch", T_UNDOCK, 0.5))
    return tuple(sorted(out, key=lambda c: c.at))


def cues_between(t0: float, t1: float, grip: float | None = None) -> tuple[Cue, ...]:
    """Sounds due after ``t0`` up to and including ``t1``."""
    return tuple(c for c in cues(grip) if t0 < c.at <= t1)
