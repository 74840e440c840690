"""The settings: the :class:`Config` dataclass and the table of keys and converters."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hardware.config import GpioConfig, SensorConfig
from kiosk.core.schedule import DAYS, OpeningHours
from kiosk.settings import converters as c
from kiosk.settings.gpio import HARDWARE_SCHEMA

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"
DEFAULT_CONFIG_PATH = Path("/etc/kiosk/kiosk.toml")
#: The copy of the last config file that loaded without problems, in the data folder.
LAST_GOOD_NAME = "last-good-config.toml"


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting, with the exhibit's defaults."""

    idle_timeout: float = 90.0
    language: str = "en"
    credits_seconds: float = 40.0
    size: tuple[int, int] | None = None  # None: the display's own size
    fps: int = 30
    content_dir: Path = field(default=ASSETS_DIR / "story")
    font_dir: Path = field(default=ASSETS_DIR / "fonts")
    data_dir: Path = Path("/var/lib/kiosk")  # statistics and the last good config
    # -- GPIO and sensor (kiosk/settings/gpio.py) --
    #: [gpio]: buttons and LED rings, handed to the hardware layer as they are (its
    #: defaults are the standard wiring of hardware/README.md, BCM numbers).
    gpio: GpioConfig = field(default_factory=GpioConfig)
    #: [sensor]: the handshake sensor; ``port`` None finds the sensor by itself.
    sensor: SensorConfig = field(default_factory=SensorConfig)
    # --
    volume: float = 0.7
    mute: bool = False
    hours: OpeningHours | None = None  # None: always open
    wake_seconds: float = 0.0  # a press outside opening hours wakes it this long; 0 = never
    display_off_command: str | None = None
    display_on_command: str | None = None
    control_socket: Path = Path("/run/kiosk/control.sock")
    control_group: str = "kiosk-staff"
    stats: bool = True
    source: str = "defaults"


#: table → key → (Config field name, converter), in file order.  A dotted name is a
#: field of a nested settings dataclass (``gpio.buttons.next``:
#: ``Config.gpio.buttons.next``).  ``kind:name`` fields are assembled after the loop
#: (hours into :class:`OpeningHours`).
SCHEMA: dict[str, dict[str, tuple[str, object]]] = {
    "exhibit": {
        "idle_timeout": ("idle_timeout", c.seconds),
        "language": ("language", c.language),
        "credits_seconds": ("credits_seconds", c.seconds),
    },
    "display": {"size": ("size", c.parse_size), "fps": ("fps", c.fps)},
    "paths": {
        "content": ("content_dir", c.path),
        "fonts": ("font_dir", c.path),
        "data": ("data_dir", c.path),
    },
    "sound": {"volume": ("volume", c.volume), "mute": ("mute", c.boolean)},
    **HARDWARE_SCHEMA,
    "hours": {
        "timezone": ("hours:timezone", c.zone),
        **{day: (f"hours:{day}", c.day) for day in DAYS},
        "closed": ("hours:closed", c.closed),
        "wake_on_press": ("wake_seconds", c.wake_minutes),
        "display_off_command": ("display_off_command", c.command),
        "display_on_command": ("display_on_command", c.command),
    },
    "control": {"socket": ("control_socket", c.socket_path), "group": ("control_group", c.group)},
    "stats": {"enabled": ("stats", c.boolean)},
}
