"""The docking's sound effects, synthesised in code: thruster puffs, latches, a chime.

No audio files and no numpy: each effect is computed once as a list of samples
(pure functions, :func:`synthesise`), packed into the mixer's own sample format
with the :mod:`array` module and handed to ``pygame.mixer.Sound(buffer=...)``.

:class:`SoundPlayer` is what the exhibit holds.  It opens the mixer if it can;
with no audio device (or SDL's dummy driver in tests, or a muted config) it
stays silent, and :meth:`SoundPlayer.play` never raises into the frame loop.
:class:`DockingCues` decides what to play from the flow's state as the docking's
time passes (the loop calls it; drawing plays nothing).
"""

from __future__ import annotations

import logging
import math
import random
import sys
from array import array
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from kiosk.core.flow import FlowState

log = logging.getLogger(__name__)

RATE = 22050
NAMES: tuple[str, ...] = ("puff", "latch", "chime")


# -- synthesis (pure) ------------------------------------------------------------------


def _envelope(i: int, rate: int, attack: float, decay: float) -> float:
    t = i / rate
    rise = min(1.0, t / attack) if attack > 0 else 1.0
    return rise * math.exp(-t / decay)


def puff(rate: int = RATE) -> list[float]:
    """A short hiss of gas: low-passed noise with a fast attack and a soft tail."""
    rng = random.Random(19750717)
    n = round(0.38 * rate)
    out = []
    low = band = 0.0
    k1 = 1 - math.exp(-2 * math.pi * 1800 / rate)
    k2 = 1 - math.exp(-2 * math.pi * 260 / rate)
    for i in range(n):
        white = rng.uniform(-1.0, 1.0)
        low += k1 * (white - low)
        band += k2 * (low - band)
        hiss = low - band  # keep the middle: no rumble, no fizz
        out.append(0.9 * hiss * _envelope(i, rate, 0.008, 0.09))
    return out


def latch(rate: int = RATE) -> list[float]:
    """A mechanical clunk: a low thump with two metallic clicks."""
    rng = random.Random(1975)
    n = round(0.5 * rate)
    out = [0.0] * n
    for start, level in ((0.0, 1.0), (0.065, 0.7)):
        s0 = round(start * rate)
        for i in range(n - s0):
            t = i / rate
            thump = math.sin(2 * math.pi * 82 * t) * math.exp(-t / 0.05)
            click = rng.uniform(-1.0, 1.0) * math.exp(-t / 0.004)
            ring = sum(
                a * math.sin(2 * math.pi * f * t) * math.exp(-t / d)
                for f, a, d in ((1240, 0.35, 0.09), (1873, 0.22, 0.06), (2611, 0.14, 0.04))
            )
            out[s0 + i] += level * (0.55 * thump + 0.35 * click + 0.3 * ring)
    return [max(-1.0, min(1.0, v * 0.8)) for v in out]


def chime(rate: int = RATE) -> list[float]:
    """A soft bell: two notes a fifth apart, with gentle bell-like overtones."""
    n = round(2.4 * rate)
    out = [0.0] * n
    partials = ((1.0, 1.0, 1.6), (2.0, 0.35, 0.9), (2.76, 0.18, 0.6), (5.4, 0.06, 0.25))
    for f0, start, level in ((659.25, 0.0, 1.0), (987.77, 0.14, 0.8)):
        s0 = round(start * rate)
        for i in range(n - s0):
            t = i / rate
            rise = min(1.0, t / 0.01)
            v = sum(
                a * math.sin(2 * math.pi * f0 * k * t) * math.exp(-t / d) for k, a, d in partials
            )
            out[s0 + i] += level * rise * v
    peak = max(abs(v) for v in out) or 1.0
    return [0.5 * v / peak for v in out]


def resample(data: list[float], rate: int, to: int) -> list[float]:
    """``data`` at ``rate`` samples per second, linearly interpolated to ``to``."""
    if rate == to or not data:
        return list(data)
    n = max(1, round(len(data) * to / rate))
    step = (len(data) - 1) / max(1, n - 1)
    out = []
    for i in range(n):
        x = i * step
        j = int(x)
        k = x - j
        b = data[j + 1] if j + 1 < len(data) else data[j]
        out.append(data[j] + (b - data[j]) * k)
    return out


def synthesise(name: str, rate: int = RATE) -> list[float]:
    """The samples (−1…1, mono) of effect ``name`` at ``rate``, faded out over the
    last 15 % so nothing ends with a click.  Computed at no more than :data:`RATE`
    (everything in them is well below its 11 kHz limit) and interpolated up."""
    base = min(rate, RATE)
    data = resample({"puff": puff, "latch": latch, "chime": chime}[name](base), base, rate)
    n = len(data)
    fade = max(1, n * 15 // 100)
    for i in range(fade):
        data[n - 1 - i] *= 0.5 - 0.5 * math.cos(math.pi * i / fade)
    return data


def pack(samples: Sequence[float], fmt: int, channels: int) -> bytes:
    """``samples`` in the mixer's format (``pygame.mixer.get_init()``'s size code)."""
    if fmt == 32:
        typecode, scale, offset = "f", 1.0, 0.0
    elif abs(fmt) == 16:
        typecode, scale, offset = ("h", 32767.0, 0.0) if fmt < 0 else ("H", 32767.0, 32768.0)
    elif abs(fmt) == 8:
        typecode, scale, offset = ("b", 127.0, 0.0) if fmt < 0 else ("B", 127.0, 128.0)
    else:
        raise ValueError(f"unsupported sample format {fmt}")
    data = array(typecode)
    for v in samples:
        x = max(-1.0, min(1.0, v)) * scale + offset
        value = x if typecode == "f" else round(x)
        for _ in range(channels):
            data.append(value)
    if sys.byteorder != "little" and abs(fmt) == 16:
        data.byteswap()
    return data.tobytes()


# -- the player ---------------------------------------------------------------------------


class SoundPlayer:
    """Plays the docking's effects at ``volume`` (0–1) unless ``mute``; silent and
    harmless when there is no mixer.

    Opening it only opens the mixer; the effects are synthesised by :meth:`warm_up`
    after the first frame is on screen (or when first played), so they never delay
    the start.
    """

    def __init__(self, volume: float = 0.7, mute: bool = False) -> None:
        self.volume = 0.7
        self.mute = False
        self.configure(volume, mute)
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self._format: tuple[int, int, int] | None = None
        self._failed = False
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init(frequency=RATE, size=-16, channels=2, buffer=1024)
            self._format = pygame.mixer.get_init()
        except Exception as exc:  # no device, no mixer module: stay silent
            log.info("sound off: %s", exc)

    def warm_up(self) -> Iterator[None]:
        """Synthesise the effects ahead of time, one per step."""
        for name in NAMES:
            self._sound(name)
            yield

    def _sound(self, name: str) -> pygame.mixer.Sound | None:
        """Effect ``name``, synthesised on first need; None without a mixer."""
        sound = self._sounds.get(name)
        if sound is not None or self._format is None or name not in NAMES:
            return sound
        try:
            rate, fmt, channels = self._format
            sound = pygame.mixer.Sound(buffer=pack(synthesise(name, rate), fmt, channels))
        except Exception as exc:  # a mixer gone since, an odd format: stay silent
            self._format = None
            self._sounds.clear()
            log.info("sound off: %s", exc)
            return None
        self._sounds[name] = sound
        return sound

    def configure(self, volume: float, mute: bool) -> None:
        """Change the volume (0–1) and muting, e.g. after the config is reloaded."""
        self.volume = min(1.0, max(0.0, float(volume)))
        self.mute = bool(mute)

    @property
    def available(self) -> bool:
        """Whether sounds can be heard (a mixer is open and sound is not muted)."""
        return self._format is not None and not self.mute and not self._failed

    def play(self, name: str, gain: float = 1.0) -> None:
        """Play effect ``name`` at ``gain`` × the volume; never raises."""
        if not self.available:
            return
        sound = self._sound(name)
        if sound is None:
            return
        try:
            sound.set_volume(self.volume * min(1.0, max(0.0, gain)))
            sound.play()
        except Exception as exc:
            self._failed = True
            log.warning("sound off after an error: %s", exc)

    def stop(self) -> None:
        """Silence every effect still playing (its scene is gone); never raises."""
        if self._format is None:
            return
        try:
            pygame.mixer.stop()
        except Exception as exc:
            log.info("could not stop the sounds: %s", exc)


# -- cues: sound driven by the flow's state ------------------------------------------------


class DockingCues:
    """The docking's sounds, played as its time passes: driven by the flow's state
    once per turn of the loop, never by drawing.

    :meth:`follow` plays the cues (:func:`kiosk.docking.timeline.cues_between`) the
    docking passed since the last turn, with the visitor's grip; only while it plays
    live: the first turn of a docking and a jump (a skip with Dock) play nothing.
    """

    #: A step longer than this (seconds of docking) is a jump, not live play.
    LIVE_STEP = 0.5

    def __init__(self, player: SoundPlayer | None) -> None:
        self.player = player
        self._last: float | None = None

    def follow(self, state: FlowState, docking_time: float) -> None:
        """The flow is in ``state``, ``docking_time`` seconds into a docking if it
        shows one: play what was passed since the last call."""
        from kiosk.core.flow import Screen
        from kiosk.docking import timeline

        if state.screen is not Screen.DOCKING:
            self._last = None
            return
        t = min(timeline.TOTAL, max(0.0, docking_time))
        last, self._last = self._last, t
        if self.player is None or last is None or not 0 < t - last < self.LIVE_STEP:
            return
        for cue in timeline.cues_between(last, t, state.docking_grip):
            self.player.play(cue.name, cue.gain)
