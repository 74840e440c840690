"""The exhibit's settings: defaults, a TOML file staff edit, and precise errors.

A broken config never keeps the exhibit dark: :func:`load_config` returns the
defaults (or the last good settings) together with every problem found,
each formatted ``FILE:LINE: key: what is wrong (expected …, got …)``.
:func:`load_startup_config` adds the "last good config": a file that loads
without problems is copied to the data folder, and a later file that cannot be
read or parsed at all is replaced by that copy.  :func:`format_effective`
prints the settings in use, as TOML, with where each one came from.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field, is_dataclass, replace
from operator import attrgetter
from pathlib import Path

from hardware.config import BUTTON_NAMES, GpioConfig, SensorConfig
from kiosk.core.schedule import ALL_DAY, DAYS, OpeningHours, format_day, parse_date, parse_day
from kiosk.exc import BadValue
from kiosk.settings.tomlpos import Locator, error_line, suggest

log = logging.getLogger(__name__)

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"
BUTTONS = BUTTON_NAMES
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
    #: [gpio]: buttons and LED rings, handed to the hardware layer as they are (its
    #: defaults are the standard wiring of hardware/README.md, BCM numbers).
    gpio: GpioConfig = field(default_factory=GpioConfig)
    #: [sensor]: the handshake sensor; ``port`` None finds the sensor by itself.
    sensor: SensorConfig = field(default_factory=SensorConfig)
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


# Converters: each takes the TOML value and returns the Config value, or raises
# TypeError / ValueError / BadValue whose text completes "expected …".


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


def _volume(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise TypeError("a number from 0 (silent) to 1 (full volume)")
    return float(value)


def _wake_minutes(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 240:
        raise TypeError("minutes from 0 (a press does not wake it) to 240")
    return float(value) * 60


def _command(value: object) -> str | None:
    if not isinstance(value, str):
        raise TypeError('a command in quotes such as "vcgencmd display_power 0", or ""')
    return value.strip() or None


#: AF_UNIX socket paths hold at most 107 bytes on Linux.
_SOCKET_PATH_MAX = 107


def _socket(value: object) -> Path:
    expected = 'an absolute path such as "/run/kiosk/control.sock"'
    if not isinstance(value, str) or not value.startswith("/"):
        raise TypeError(expected)
    if len(os.fsencode(value)) > _SOCKET_PATH_MAX:
        raise ValueError(f"{expected}, at most {_SOCKET_PATH_MAX} bytes long")
    return Path(value)


_GROUP = re.compile(r"[a-z_][a-z0-9_-]{0,31}")


def _group(value: object) -> str:
    if not isinstance(value, str) or not _GROUP.fullmatch(value):
        raise TypeError('a group name such as "kiosk-staff"')
    return value


def _zone(value: object) -> str:
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


def _day(value: object) -> tuple[tuple[int, int], ...]:
    return parse_day(value)


def _closed(value: object) -> frozenset[dt.date]:
    if not isinstance(value, list):
        raise TypeError('a list of dates such as ["2026-12-24", "2026-12-25"]')
    dates = set()
    for item in value:
        try:
            dates.add(parse_date(item))
        except ValueError:
            raise BadValue('dates such as "2026-12-24"', got=item) from None
    return frozenset(dates)


#: table → key → (Config field name, converter).  A dotted name is a field of a nested
#: settings dataclass (``gpio.buttons.next``: ``Config.gpio.buttons.next``).
#: ``kind:name`` fields are assembled after the loop (hours into :class:`OpeningHours`).
SCHEMA: dict[str, dict[str, tuple[str, object]]] = {
    "exhibit": {
        "idle_timeout": ("idle_timeout", _seconds),
        "language": ("language", _language),
        "credits_seconds": ("credits_seconds", _seconds),
    },
    "display": {"size": ("size", parse_size), "fps": ("fps", _fps)},
    "paths": {
        "content": ("content_dir", _path),
        "fonts": ("font_dir", _path),
        "data": ("data_dir", _path),
    },
    "sound": {"volume": ("volume", _volume), "mute": ("mute", _bool)},
    "sensor": {"port": ("sensor.port", _port), "enabled": ("sensor.enabled", _bool)},
    "gpio": {
        "enabled": ("gpio.enabled", _bool),
        "bounce_ms": ("gpio.bounce_ms", _bounce),
        "chord_seconds": ("gpio.chord_seconds", _chord),
    },
    "gpio.buttons": {name: (f"gpio.buttons.{name}", _pin) for name in BUTTONS},
    "gpio.leds": {name: (f"gpio.leds.{name}", _pin) for name in BUTTONS},
    "hours": {
        "timezone": ("hours:timezone", _zone),
        **{day: (f"hours:{day}", _day) for day in DAYS},
        "closed": ("hours:closed", _closed),
        "wake_on_press": ("wake_seconds", _wake_minutes),
        "display_off_command": ("display_off_command", _command),
        "display_on_command": ("display_on_command", _command),
    },
    "control": {"socket": ("control_socket", _socket), "group": ("control_group", _group)},
    "stats": {"enabled": ("stats", _bool)},
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


def read_config_text(path: Path) -> tuple[str | None, ConfigProblem | None]:
    """The file's text, or why it cannot be had.  A missing default file is no problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if path == DEFAULT_CONFIG_PATH:
            return None, None
        return None, ConfigProblem(path, None, "file", "not found")
    except OSError as exc:
        return None, ConfigProblem(path, None, "file", f"cannot be read: {exc.strerror}")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        got = f"byte 0x{data[exc.start]:02x}"
        return None, ConfigProblem(path, line, "file", f"expected UTF-8 text, got {got}")


def load_config(path: Path, base: Config | None = None) -> tuple[Config, list[ConfigProblem]]:
    """Read ``path`` over ``base`` (default: the defaults).

    Valid settings are applied even when others are wrong; a file that does not
    parse leaves ``base`` unchanged.  A missing file is not a problem when it is
    the default path (the exhibit runs on its defaults).
    """
    base = base or Config()
    text, problem = read_config_text(path)
    if text is None:
        return base, [problem] if problem else []
    return parse_config(text, path, base)


def parse_config(text: str, path: Path, base: Config) -> tuple[Config, list[ConfigProblem]]:
    """Apply the TOML ``text`` (read from ``path``) over ``base``; see :func:`load_config`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = re.sub(r" \(at line \d+, column (\d+)\)$", r" (column \1)", str(exc))
        return base, [ConfigProblem(path, error_line(exc), "syntax", message)]
    locate = Locator(text)
    problems: list[ConfigProblem] = []
    changes: dict[str, object] = {}
    failed: set[str] = set()
    for table, values in _tables(data):
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
                failed.add(name)
                got = value if getattr(exc, "got", None) is None else exc.got  # type: ignore[attr-defined]
                hint = getattr(exc, "hint", "")
                problems.append(
                    ConfigProblem(
                        path, line, f"{table}.{key}", f"expected {exc}, got {got!r}{hint}"
                    )
                )
    _assemble_nested(changes, base)
    _check_pins(changes, base, path, locate, problems)
    _assemble_hours(changes, failed, path, locate, problems)
    return replace(base, **changes, source=str(path)), problems


def _tables(data: dict[str, object]) -> list[tuple[str, object]]:
    """``[(table name, its plain values)]`` with ``[a.b]`` sub-tables listed on their own."""
    tables: list[tuple[str, object]] = []
    for table, values in data.items():
        if isinstance(values, dict):
            nested = {k: v for k, v in values.items() if isinstance(v, dict)}
            tables.append((table, {k: v for k, v in values.items() if k not in nested}))
            tables.extend((f"{table}.{k}", v) for k, v in nested.items())
        else:
            tables.append((table, values))
    return tables


def _assemble_nested(changes: dict[str, object], base: Config) -> None:
    """Fold dotted entries (``gpio.buttons.next``) into copies of ``base``'s nested
    settings (``changes["gpio"]``), each level a ``dataclasses.replace``."""
    tree: dict[str, object] = {}
    for key in [k for k in changes if "." in k]:
        *parents, leaf = key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})  # type: ignore[assignment]
        node[leaf] = changes.pop(key)

    def apply(obj: object, values: dict[str, object]) -> object:
        fields = {
            name: apply(getattr(obj, name), sub) if isinstance(sub, dict) else sub
            for name, sub in values.items()
        }
        assert is_dataclass(obj)
        return replace(obj, **fields)  # type: ignore[type-var]

    for name, values in tree.items():
        changes[name] = apply(getattr(base, name), values)  # type: ignore[arg-type]


def _check_pins(
    changes: dict[str, object],
    base: Config,
    path: Path,
    locate: Locator,
    problems: list[ConfigProblem],
) -> None:
    """Refuse a GPIO pin used twice: the previous, working wiring is kept."""
    gpio = changes.get("gpio")
    if not isinstance(gpio, GpioConfig):
        return
    used: dict[int, str] = {}
    for table, pins in (("buttons", gpio.buttons), ("leds", gpio.leds)):
        for name, pin in pins.as_dict().items():
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
                changes["gpio"] = replace(gpio, buttons=base.gpio.buttons, leds=base.gpio.leds)
                return
            used[pin] = f"gpio.{table}.{name}"


def _assemble_hours(
    changes: dict[str, object],
    failed: set[str],
    path: Path,
    locate: Locator,
    problems: list[ConfigProblem],
) -> None:
    """Fold ``hours:KEY`` entries into :class:`OpeningHours`.

    Days that are not listed are closed; with no days listed the kiosk is on
    every day except the closed dates.  Any mistake in the timetable keeps the
    previous one (at start-up: always on), so a typo never darkens the exhibit.
    """
    values = {key[6:]: changes.pop(key) for key in list(changes) if key.startswith("hours:")}
    if any(name.startswith("hours:") for name in failed) or not values:
        return
    zone = values.pop("timezone", None)
    if zone is None:
        problems.append(
            ConfigProblem(
                path,
                locate.line("hours"),
                "hours.timezone",
                'expected a time zone such as "Europe/Oslo" for the opening hours, got none',
            )
        )
        return
    closed: frozenset[dt.date] = values.pop("closed", frozenset())  # type: ignore[assignment]
    listed = any(day in values for day in DAYS)
    weekly = tuple(values.get(day, ()) if listed else ALL_DAY for day in DAYS)
    changes["hours"] = OpeningHours(str(zone), weekly, closed)  # type: ignore[arg-type]


# --- The last good config ----------------------------------------------------------


def last_good_path(data_dir: Path) -> Path:
    """Where the copy of the last config file that loaded without problems is kept."""
    return data_dir / LAST_GOOD_NAME


def save_last_good(text: str, data_dir: Path) -> str | None:
    """Keep ``text`` as the last good config (atomically); the reason if that fails."""
    target = last_good_path(data_dir)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            return None
        data_dir.mkdir(parents=True, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except (OSError, UnicodeDecodeError) as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return f"{type(exc).__name__}: {exc}"
    return None


def load_startup_config(
    path: Path, *, fallback_dir: Path | None = None, save: bool = True
) -> tuple[Config, list[ConfigProblem]]:
    """The config to start (or reload) with; never worse than the last good one.

    * A file that loads without problems is used and, with ``save``, copied to
      ``last_good_path(config.data_dir)``.
    * A file with some bad settings is used for its good ones (the bad ones keep
      their defaults), exactly as :func:`load_config`.
    * A file that cannot be read or parsed is replaced by the last good copy in
      ``fallback_dir`` (default: the default data folder), else the defaults;
      ``config.source`` says so and the file's problems are returned.
    """
    text, problem = read_config_text(path)
    if text is None and problem is None:
        return Config(), []
    if text is not None:
        config, problems = parse_config(text, path, Config())
        if not problems:
            if save:
                failure = save_last_good(text, config.data_dir)
                if failure:
                    log.warning(
                        "could not keep a copy of the good config in %s (%s)",
                        last_good_path(config.data_dir),
                        failure,
                    )
            return config, problems
        if not any(p.key == "syntax" for p in problems):
            return config, problems
    else:
        problems = [problem]  # type: ignore[list-item]
    copy = last_good_path(fallback_dir or Config().data_dir)
    copy_text, _ = read_config_text(copy)
    if copy_text is not None:
        good, copy_problems = parse_config(copy_text, copy, Config())
        if not copy_problems:
            return replace(good, source=f"{copy} (last good copy; {path} does not load)"), problems
    return Config(source=f"defaults ({path} does not load)"), problems


# --- The effective config, as TOML -------------------------------------------------


def _toml(value: object) -> str:
    """One TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def effective_settings(config: Config) -> list[tuple[str, str, object]]:
    """``(table, key, value as written in the file)`` for every setting, in file order."""
    out: list[tuple[str, str, object]] = []
    for table, schema in SCHEMA.items():
        for key, (name, _) in schema.items():
            kind, _, detail = name.partition(":")
            value: object
            if kind == "hours" and detail:
                if config.hours is None:
                    continue
                if detail == "timezone":
                    value = config.hours.timezone
                elif detail == "closed":
                    value = [d.isoformat() for d in sorted(config.hours.closed)]
                else:
                    value = format_day(config.hours.weekly[DAYS.index(detail)])
            elif name == "size":
                value = "auto" if config.size is None else "{}x{}".format(*config.size)
            elif name == "sensor.port":
                value = config.sensor.port or "auto"
            elif name == "wake_seconds":
                value = config.wake_seconds / 60
            else:
                value = attrgetter(name)(config)
                value = "" if value is None else value
            out.append((table, key, value))
    return out


def format_effective(config: Config, problems: list[ConfigProblem], path: Path) -> str:
    """The settings in use as a TOML file, each marked "file, line N" or "default".

    ``path`` is the config file asked for and ``problems`` its problems; when the
    settings came from the last good copy instead, the marks refer to that copy.
    """
    origin = path if config.source == str(path) else Path(config.source.split(" (")[0])
    from_a_file = not config.source.startswith("defaults") and origin.is_file()
    text, _ = read_config_text(origin) if from_a_file else (None, None)
    locate = Locator(text or "")
    set_in_file: set[str] = set()
    if text is not None:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            data = {}
        for table, values in _tables(data):
            if isinstance(values, dict):
                set_in_file.update(f"{table}.{key}" for key in values)
    if origin == path:
        set_in_file -= {p.key for p in problems}
    lines = [f"# The kiosk's settings in use, from {config.source}."]
    if text is not None:
        lines.append(f'# "file, line N": set in {origin}; "default": built in.')
    if problems:
        lines.append(
            f"# {len(problems)} problem(s) in {path} (kiosk config check {path}); "
            + ("those settings have their defaults." if origin == path else "it is not in use.")
        )
    current = ""
    for table, key, value in effective_settings(config):
        if table != current:
            lines += ["", f"[{table}]"]
            if table == "hours" and config.hours is None:
                lines.append("# no timezone or days set: the kiosk is on all the time")
            current = table
        setting = f"{key} = {_toml(value)}"
        mark = "default"
        if f"{table}.{key}" in set_in_file:
            mark = f"file, line {locate.line(table, key)}"
        elif table == "hours" and key in DAYS and config.hours is not None:
            mark = "not listed"
        lines.append(f"{setting:<40} # {mark}")
    return "\n".join(lines) + "\n"
