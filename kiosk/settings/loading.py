"""Reading the config file: parse, validate, and keep the last good copy.

A broken config never keeps the exhibit dark: :func:`load_config` returns the
defaults (or the last good settings) together with every problem found, each
formatted ``FILE:LINE: key: what is wrong (expected …, got …)``.
:func:`load_startup_config` adds the "last good config": a file that loads
without problems is copied to the data folder, and a later file that cannot be
read or parsed at all is replaced by that copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import tomllib
from dataclasses import dataclass, is_dataclass, replace
from pathlib import Path

from kiosk.core.schedule import ALL_DAY, DAYS, OpeningHours
from kiosk.settings.gpio import check_pins
from kiosk.settings.schema import DEFAULT_CONFIG_PATH, LAST_GOOD_NAME, SCHEMA, Config
from kiosk.settings.tomlpos import Locator, error_line, suggest

log = logging.getLogger("kiosk.settings")


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
    for table, values in tables(data):
        schema = SCHEMA.get(table)
        if schema is None or not isinstance(values, dict):
            message = f"unknown section{suggest(table, SCHEMA)}"
            problems.append(ConfigProblem(path, locate.line(table), table, message))
            continue
        for key, value in values.items():
            problem = _convert(table, key, value, schema, changes, failed)
            if problem:
                problems.append(ConfigProblem(path, locate.line(table, key), *problem))
    _assemble_nested(changes, base)
    shared = check_pins(changes, base.gpio, locate)
    if shared:
        key, line, message = shared
        problems.append(ConfigProblem(path, line, key, message))
    _assemble_hours(changes, failed, path, locate, problems)
    return replace(base, **changes, source=str(path)), problems


def _convert(
    table: str,
    key: str,
    value: object,
    schema: dict[str, tuple[str, object]],
    changes: dict[str, object],
    failed: set[str],
) -> tuple[str, str] | None:
    """Convert one ``key = value`` of ``[table]`` into ``changes``; ``(key, message)`` if wrong."""
    if key not in schema:
        return f"{table}.{key}", f"unknown key{suggest(key, schema)}"
    name, convert = schema[key]
    try:
        changes[name] = convert(value)  # type: ignore[operator]
    except (TypeError, ValueError) as exc:
        failed.add(name)
        got = value if getattr(exc, "got", None) is None else exc.got  # type: ignore[attr-defined]
        hint = getattr(exc, "hint", "")
        return f"{table}.{key}", f"expected {exc}, got {got!r}{hint}"
    return None


def tables(data: dict[str, object]) -> list[tuple[str, object]]:
    """``[(table name, its plain values)]`` with ``[a.b]`` sub-tables listed on their own."""
    found: list[tuple[str, object]] = []
    for table, values in data.items():
        if isinstance(values, dict):
            nested = {k: v for k, v in values.items() if isinstance(v, dict)}
            found.append((table, {k: v for k, v in values.items() if k not in nested}))
            found.extend((f"{table}.{k}", v) for k, v in nested.items())
        else:
            found.append((table, values))
    return found


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
                _keep_last_good(text, config.data_dir)
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


def _keep_last_good(text: str, data_dir: Path) -> None:
    """Save ``text`` as the last good config; a failure is logged, not raised."""
    failure = save_last_good(text, data_dir)
    if failure:
        log.warning(
            "could not keep a copy of the good config in %s (%s)",
            last_good_path(data_dir),
            failure,
        )
