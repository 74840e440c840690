"""``kiosk config show``: the settings in use, as a TOML file, with where each came from."""

from __future__ import annotations

import json
import tomllib
from operator import attrgetter
from pathlib import Path

from kiosk.core.schedule import DAYS, format_day
from kiosk.settings.gpio import written_value
from kiosk.settings.loading import ConfigProblem, read_config_text, tables
from kiosk.settings.schema import SCHEMA, Config
from kiosk.settings.tomlpos import Locator


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
            if name.startswith("hours:") and config.hours is None:
                continue
            out.append((table, key, _written(config, name)))
    return out


def _written(config: Config, name: str) -> object:
    """The value of the schema field ``name`` of ``config`` as written in the file."""
    hardware, value = written_value(config, name)
    if hardware:
        return value
    kind, _, detail = name.partition(":")
    if kind == "hours" and detail:
        hours = config.hours
        assert hours is not None  # effective_settings skips the hours when there are none
        if detail == "timezone":
            return hours.timezone
        if detail == "closed":
            return [d.isoformat() for d in sorted(hours.closed)]
        return format_day(hours.weekly[DAYS.index(detail)])
    if name == "size":
        return "auto" if config.size is None else "{}x{}".format(*config.size)
    if name == "wake_seconds":
        return config.wake_seconds / 60
    value = attrgetter(name)(config)
    return "" if value is None else value


def _keys_in_file(text: str | None) -> set[str]:
    """``table.key`` for every setting written in the TOML ``text``."""
    if text is None:
        return set()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return set()
    found: set[str] = set()
    for table, values in tables(data):
        if isinstance(values, dict):
            found.update(f"{table}.{key}" for key in values)
    return found


def format_effective(config: Config, problems: list[ConfigProblem], path: Path) -> str:
    """The settings in use as a TOML file, each marked "file, line N" or "default".

    ``path`` is the config file asked for and ``problems`` its problems; when the
    settings came from the last good copy instead, the marks refer to that copy.
    """
    origin = path if config.source == str(path) else Path(config.source.split(" (")[0])
    from_a_file = not config.source.startswith("defaults") and origin.is_file()
    text, _ = read_config_text(origin) if from_a_file else (None, None)
    locate = Locator(text or "")
    set_in_file = _keys_in_file(text)
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
