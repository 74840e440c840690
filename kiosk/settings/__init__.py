"""The exhibit's settings: defaults, a TOML file staff edit, and precise errors.

* :mod:`~kiosk.settings.schema`: the :class:`Config` dataclass and the table of
  keys and converters (:mod:`~kiosk.settings.converters`); the GPIO and sensor
  tables live in :mod:`~kiosk.settings.gpio`, nested as the hardware layer's own
  settings (``Config.gpio``, ``Config.sensor``).
* :mod:`~kiosk.settings.loading`: read, parse, validate, and the last good copy.
  A broken config never keeps the exhibit dark: :func:`load_config` returns the
  defaults (or the last good settings) together with every problem found, each
  formatted ``FILE:LINE: key: what is wrong (expected …, got …)``.
* :mod:`~kiosk.settings.show`: ``kiosk config show``, the settings in use as TOML
  with where each one came from (:func:`format_effective`).
* :mod:`~kiosk.settings.tomlpos`: line numbers in TOML text.
"""

from __future__ import annotations

from kiosk.settings.converters import parse_size
from kiosk.settings.gpio import BUTTONS
from kiosk.settings.loading import (
    ConfigProblem,
    config_path,
    last_good_path,
    load_config,
    load_startup_config,
    parse_config,
    read_config_text,
    save_last_good,
)
from kiosk.settings.schema import (
    ASSETS_DIR,
    DEFAULT_CONFIG_PATH,
    LAST_GOOD_NAME,
    SCHEMA,
    Config,
)
from kiosk.settings.show import effective_settings, format_effective

__all__ = [
    "ASSETS_DIR",
    "BUTTONS",
    "DEFAULT_CONFIG_PATH",
    "LAST_GOOD_NAME",
    "SCHEMA",
    "Config",
    "ConfigProblem",
    "config_path",
    "effective_settings",
    "format_effective",
    "last_good_path",
    "load_config",
    "load_startup_config",
    "parse_config",
    "parse_size",
    "read_config_text",
    "save_last_good",
]
