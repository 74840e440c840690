"""The exhibit's settings: defaults, a TOML file staff edit, and precise errors.

A broken config never keeps the exhibit dark: :func:`load_config` returns the
defaults (or the last good settings) together with every problem found,
each formatted ``FILE:LINE: key: what is wrong (expected …, got …)``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from hardware.config import BUTTON_NAMES, ButtonPins, GpioConfig, LedPins
from kiosk.tomlpos import Locator, error_line, suggest

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
BUTTONS = BUTTON_NAMES
#: BCM pins: the hardware layer's standard wiring (hardware/README.md).
DEFAULT_BUTTON_PINS = tuple(ButtonPins().as_dict().items())
DEFAULT_LED_PINS = tuple(LedPins().as_dict().items())
DEFAULT_CONFIG_PATH = Path("/etc/kiosk/kiosk.toml")


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
    serial_port: str | None = None  # None: find the sensor by itself
    gpio: bool = True
    sensor: bool = True
    button_pins: tuple[tuple[str, int], ...] = DEFAULT_BUTTON_PINS
    led_pins: tuple[tuple[str, int], ...] = DEFAULT_LED_PINS
    bounce_ms: int = GpioConfig().bounce_ms
    chord_seconds: float = GpioConfig().chord_seconds
    source: str = "defaults"


#: table → key → (field name, expected type description, converter).
def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("a number of seconds")
    if not 1 <= value <= 86400:
        raise ValueError("between 1 and 86400 seconds")
    return float(value)


def _language(value: object) -> str:
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


def _fps(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 5 <= value <= 120:
        raise TypeError("a whole number of frames per second from 5 to 120")
    return value


def _path(value: object) -> Path:
    if not isinstance(value, str) or not value:
        raise TypeError("a path in quotes")
    return Path(value)


def _port(value: object) -> str | None:
    if value in ("auto", ""):
        return None
    if not isinstance(value, str):
        raise TypeError('"auto" or a device path such as "/dev/ttyACM0"')
    return value


def _pin(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 27:
        raise TypeError("a BCM GPIO number from 0 to 27")
    return value


def _bounce(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 5 <= value <= 50:
        raise TypeError("milliseconds from 5 to 50 (10–20 suits arcade buttons)")
    return value


def _chord(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 2 <= value <= 30:
        raise TypeError("seconds from 2 to 30")
    return float(value)


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError("true or false (no quotes)")
    return value


SCHEMA: dict[str, dict[str, tuple[str, object]]] = {
    "exhibit": {
        "idle_timeout": ("idle_timeout", _seconds),
        "language": ("language", _language),
        "credits_seconds": ("credits_seconds", _seconds),
    },
    "display": {"size": ("size", parse_size), "fps": ("fps", _fps)},
    "paths": {"content": ("content_dir", _path), "fonts": ("font_dir", _path)},
    "sensor": {"port": ("serial_port", _port), "enabled": ("sensor", _bool)},
    "gpio": {
        "enabled": ("gpio", _bool),
        "bounce_ms": ("bounce_ms", _bounce),
        "chord_seconds": ("chord_seconds", _chord),
    },
    "gpio.buttons": {name: (f"button:{name}", _pin) for name in BUTTONS},
    "gpio.leds": {name: (f"led:{name}", _pin) for name in BUTTONS},
}


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One problem in the config file."""

    file: Path
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.key}: {self.message}"


def config_path(explicit: str | os.PathLike[str] | None) -> Path:
    """The config file to use: ``--config``, then ``$KIOSK_CONFIG``, then the default."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KIOSK_CONFIG")
    return Path(env) if env else DEFAULT_CONFIG_PATH


def load_config(path: Path, base: Config | None = None) -> tuple[Config, list[ConfigProblem]]:
    """Read ``path`` over ``base`` (default: the defaults).

    Valid settings are applied even when others are wrong; a file that does not
    parse leaves ``base`` unchanged.  A missing file is not a problem when it is
    the default path (the exhibit runs on its defaults).
    """
    base = base or Config()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if path == DEFAULT_CONFIG_PATH:
            return base, []
        return base, [ConfigProblem(path, None, "file", "not found")]
    except (OSError, UnicodeDecodeError) as exc:
        return base, [ConfigProblem(path, None, "file", f"cannot be read: {exc}")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return base, [ConfigProblem(path, error_line(exc), "syntax", str(exc))]
    locate = Locator(text)
    problems: list[ConfigProblem] = []
    changes: dict[str, object] = {}
    tables: list[tuple[str, object]] = []
    for table, values in data.items():
        if isinstance(values, dict):
            nested = {k: v for k, v in values.items() if isinstance(v, dict)}
            tables.append((table, {k: v for k, v in values.items() if k not in nested}))
            tables.extend((f"{table}.{k}", v) for k, v in nested.items())
        else:
            tables.append((table, values))
    for table, values in tables:
        schema = SCHEMA.get(table)
        if schema is None or not isinstance(values, dict):
            problems.append(
                ConfigProblem(
                    path, locate.line(table), table, f"unknown section{suggest(table, SCHEMA)}"
                )
            )
            continue
        for key, value in values.items():
            line = locate.line(table, key)
            if key not in schema:
                problems.append(
                    ConfigProblem(
                        path, line, f"{table}.{key}", f"unknown key{suggest(key, schema)}"
                    )
                )
                continue
            name, convert = schema[key]
            try:
                changes[name] = convert(value)  # type: ignore[operator]
            except (TypeError, ValueError) as exc:
                problems.append(
                    ConfigProblem(path, line, f"{table}.{key}", f"expected {exc}, got {value!r}")
                )
    _assemble_pins(changes, base, path, locate, problems)
    return replace(base, **changes, source=str(path)), problems


def _assemble_pins(
    changes: dict[str, object],
    base: Config,
    path: Path,
    locate: Locator,
    problems: list[ConfigProblem],
) -> None:
    """Fold ``button:NAME`` / ``led:NAME`` entries into the pin tables; refuse shared pins."""
    pins = {
        "buttons": dict(base.button_pins),
        "leds": dict(base.led_pins),
    }
    for key in list(changes):
        kind, _, name = key.partition(":")
        if kind in ("button", "led"):
            pins["buttons" if kind == "button" else "leds"][name] = changes.pop(key)  # type: ignore[assignment]
    used: dict[int, str] = {}
    for table, mapping in pins.items():
        for name, pin in mapping.items():
            other = used.get(pin)
            if other is not None:
                problems.append(
                    ConfigProblem(
                        path,
                        locate.line(f"gpio.{table}", name),
                        f"gpio.{table}.{name}",
                        f"expected a pin of its own, got GPIO {pin}, already used by {other}",
                    )
                )
                return  # keep the previous, working wiring
            used[pin] = f"gpio.{table}.{name}"
    changes["button_pins"] = tuple(pins["buttons"].items())
    changes["led_pins"] = tuple(pins["leds"].items())
