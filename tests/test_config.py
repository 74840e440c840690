"""The config file: defaults, overrides, and staff-friendly errors."""

from __future__ import annotations

import datetime
import errno
import os
import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.settings import (
    DEFAULT_CONFIG_PATH,
    SCHEMA,
    Config,
    config_path,
    format_effective,
    last_good_path,
    load_config,
    load_startup_config,
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_overrides_defaults(tmp_path):
    path = write(
        tmp_path,
        '[exhibit]\nidle_timeout = 45\nlanguage = "en"\n[display]\nsize = "800x480"\nfps = 20\n',
    )
    config, problems = load_config(path)
    assert problems == []
    assert (config.idle_timeout, config.size, config.fps) == (45.0, (800, 480), 20)
    assert config.source == str(path)


def test_typo_names_line_and_suggests(tmp_path):
    path = write(tmp_path, "[exhibit]\nidle_timout = 45\n")
    config, [problem] = load_config(path)
    assert str(problem) == (
        f'{path}:2: exhibit.idle_timout: unknown key (did you mean "idle_timeout"?)'
    )
    assert config.idle_timeout == Config().idle_timeout


def test_bad_value_keeps_the_rest(tmp_path):
    path = write(
        tmp_path, '[exhibit]\nidle_timeout = "soon"\nlanguage = "en"\n[display]\nfps = 30\n'
    )
    config, [problem] = load_config(path)
    assert str(problem) == (
        f"{path}:2: exhibit.idle_timeout: expected a number of seconds, got 'soon'"
    )
    assert config.fps == 30 and config.source == str(path)


def test_syntax_error_keeps_defaults(tmp_path):
    path = write(tmp_path, "[exhibit\nidle_timeout = 45\n")
    config, [problem] = load_config(path)
    assert str(problem).startswith(f"{path}:1: syntax:")
    assert config == Config()


def test_missing_default_file_is_fine_but_missing_named_file_is_not(tmp_path):
    assert load_config(DEFAULT_CONFIG_PATH)[1] == [] or DEFAULT_CONFIG_PATH.exists()
    _, [problem] = load_config(tmp_path / "nope.toml")
    assert "not found" in str(problem)


def test_config_path_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    assert config_path(None) == DEFAULT_CONFIG_PATH
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "a.toml"))
    assert config_path(None) == tmp_path / "a.toml"
    assert config_path(tmp_path / "b.toml") == tmp_path / "b.toml"


REPO = Path(__file__).resolve().parent.parent


def test_documented_example_config_is_valid():
    config, problems = load_config(REPO / "deploy" / "kiosk.example.toml")
    assert problems == []
    assert config.gpio.buttons.as_dict() == {"back": 5, "next": 6, "dock": 13, "language": 26}


def test_pins_from_config_reach_the_hardware_layer(tmp_path):
    from hardware import GpioConfig

    path = write(
        tmp_path, "[gpio]\nbounce_ms = 12\n[gpio.buttons]\nnext = 16\n[gpio.leds]\ndock = 24\n"
    )
    config, problems = load_config(path)
    assert problems == []
    gpio = config.gpio
    assert isinstance(gpio, GpioConfig)  # handed to the hardware layer as it is
    assert (gpio.buttons.next, gpio.buttons.back, gpio.leds.dock, gpio.bounce_ms) == (16, 5, 24, 12)


def test_shared_pin_is_refused_and_old_wiring_kept(tmp_path):
    path = write(tmp_path, "[gpio.buttons]\nnext = 5\n")
    config, [problem] = load_config(path)
    assert str(problem) == (
        f"{path}:2: gpio.buttons.next: expected a pin of its own, got GPIO 5, "
        "already used by gpio.buttons.back"
    )
    assert config.gpio.buttons.next == 6


def test_bad_pin_number(tmp_path):
    path = write(tmp_path, "[gpio.leds]\nback = 40\n")
    _, [problem] = load_config(path)
    assert (
        str(problem) == f"{path}:2: gpio.leds.back: expected a BCM GPIO number from 0 to 27, got 40"
    )


def test_unknown_button_suggests(tmp_path):
    path = write(tmp_path, "[gpio.buttons]\nlanguge = 7\n")
    _, [problem] = load_config(path)
    assert 'gpio.buttons.languge: unknown key (did you mean "language"?)' in str(problem)


# --- Broken configs: the exact message, and a Config the kiosk can still run on ---------

BROKEN = {
    "syntax: unclosed table": (
        "[exhibit\nidle_timeout = 45\n",
        ["{path}:1: syntax: Expected ']' at the end of a table declaration (column 9)"],
    ),
    "syntax: string without quotes": (
        "[exhibit]\nlanguage = en\n",
        ["{path}:2: syntax: Invalid value (column 12)"],
    ),
    "wrong type": (
        '[gpio]\nenabled = "yes"\n[display]\nfps = 20\n',
        ["{path}:2: gpio.enabled: expected true or false (no quotes), got 'yes'"],
    ),
    "unknown key with a typo": (
        "[sound]\nvolumne = 0.5\n",
        ['{path}:2: sound.volumne: unknown key (did you mean "volume"?)'],
    ),
    "unknown section": (
        "[display]\nfps = 20\n\n[sounds]\nvolume = 0.5\n",
        ['{path}:4: sounds: unknown section (did you mean "sound"?)'],
    ),
    "bad pin": (
        "[gpio.buttons]\ndock = 28\n",
        ["{path}:2: gpio.buttons.dock: expected a BCM GPIO number from 0 to 27, got 28"],
    ),
    "overlapping pins": (
        "[gpio.leds]\nback = 17\ndock = 13\n",
        [
            "{path}:3: gpio.leds.dock: expected a pin of its own, got GPIO 13, "
            "already used by gpio.buttons.dock"
        ],
    ),
    "bad time zone": (
        '[hours]\ntimezone = "Europe/Olso"\nmonday = "10:00-17:00"\n',
        [
            '{path}:2: hours.timezone: expected a time zone such as "Europe/Oslo", '
            "got 'Europe/Olso' (did you mean \"Europe/Oslo\"?)"
        ],
    ),
    "time zone without its region": (
        '[hours]\ntimezone = "Oslo"\n',
        [
            '{path}:2: hours.timezone: expected a time zone such as "Europe/Oslo", '
            "got 'Oslo' (did you mean \"Europe/Oslo\"?)"
        ],
    ),
    "hours the wrong way round": (
        '[hours]\ntimezone = "Europe/Oslo"\nmonday = "17:00-10:00"\n',
        [
            "{path}:3: hours.monday: expected a closing time after the opening time such as "
            "\"10:00-17:00\" (a range cannot pass midnight), got '17:00-10:00'"
        ],
    ),
    "an hour that does not exist": (
        '[hours]\ntimezone = "Europe/Oslo"\ntuesday = "25:00-26:00"\n',
        [
            '{path}:3: hours.tuesday: expected a range such as "10:00-17:00" with times '
            "from 00:00 to 24:00, got '25:00-26:00'"
        ],
    ),
    "overlapping ranges": (
        '[hours]\ntimezone = "Europe/Oslo"\nfriday = ["10:00-13:00", "12:00-17:00"]\n',
        [
            "{path}:3: hours.friday: expected ranges that do not overlap, "
            "got ['10:00-13:00', '12:00-17:00']"
        ],
    ),
    "bad closed date": (
        '[hours]\ntimezone = "Europe/Oslo"\nclosed = ["2026-12-24", "2026-12-32"]\n',
        ["{path}:3: hours.closed: expected dates such as \"2026-12-24\", got '2026-12-32'"],
    ),
    "opening hours without a time zone": (
        '[hours]\nmonday = "10:00-17:00"\n',
        [
            '{path}:1: hours.timezone: expected a time zone such as "Europe/Oslo" '
            "for the opening hours, got none"
        ],
    ),
    "volume out of range": (
        "[sound]\nvolume = 1.5\nmute = true\n",
        ["{path}:2: sound.volume: expected a number from 0 (silent) to 1 (full volume), got 1.5"],
    ),
    "negative wake time": (
        "[hours]\nwake_on_press = -1\n",
        [
            "{path}:2: hours.wake_on_press: expected minutes from 0 (a press does not wake it) "
            "to 240, got -1"
        ],
    ),
    "relative control socket": (
        '[control]\nsocket = "kiosk.sock"\ngroup = "Staff Room"\n',
        [
            "{path}:2: control.socket: expected an absolute path such as "
            "\"/run/kiosk/control.sock\", got 'kiosk.sock'",
            '{path}:3: control.group: expected a group name such as "kiosk-staff", '
            "got 'Staff Room'",
        ],
    ),
    "stats switch in quotes": (
        '[stats]\nenabled = "false"\n',
        ["{path}:2: stats.enabled: expected true or false (no quotes), got 'false'"],
    ),
}


def assert_usable(config: Config) -> None:
    """The kiosk can start on this config: hardware, schedule and paths all make sense."""
    gpio = config.gpio
    pins = [*gpio.buttons.as_dict().values(), *gpio.leds.as_dict().values()]
    assert len(set(pins)) == len(pins) == 8
    assert 0 <= config.volume <= 1 and config.wake_seconds >= 0
    assert config.control_socket.is_absolute() and config.control_group
    if config.hours is not None:
        config.hours.is_open(1_780_000_000.0)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_config_gives_exact_message_and_still_runs(tmp_path, case):
    text, expected = BROKEN[case]
    path = write(tmp_path, text)
    config, problems = load_config(path)
    assert [str(p) for p in problems] == [e.format(path=path) for e in expected]
    assert_usable(config)


def test_good_settings_beside_a_bad_one_still_apply(tmp_path):
    config, _ = load_config(write(tmp_path, BROKEN["wrong type"][0]))
    assert config.fps == 20 and config.gpio.enabled is True
    config, _ = load_config(write(tmp_path, BROKEN["volume out of range"][0]))
    assert config.mute is True and config.volume == Config().volume
    config, _ = load_config(write(tmp_path, BROKEN["unknown section"][0]))
    assert config.fps == 20


def test_a_mistake_in_the_timetable_keeps_the_exhibit_on(tmp_path):
    for case in ("bad time zone", "hours the wrong way round", "bad closed date"):
        config, _ = load_config(write(tmp_path, BROKEN[case][0]))
        assert config.hours is None, case  # always on, rather than dark by mistake


def test_missing_file(tmp_path):
    path = tmp_path / "nope.toml"
    config, problems = load_config(path)
    assert [str(p) for p in problems] == [f"{path}: file: not found"]
    assert_usable(config)


def test_unreadable_file(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.mkdir()  # a folder where the file should be: unreadable even for root
    config, problems = load_config(path)
    assert [str(p) for p in problems] == [
        f"{path}: file: cannot be read: {os.strerror(errno.EISDIR)}"
    ]
    assert config == Config()


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b'[exhibit]\nidle_timeout = 30\nlanguage = "\xe6"\n')
    config, problems = load_config(path)
    assert [str(p) for p in problems] == [f"{path}:3: file: expected UTF-8 text, got byte 0xe6"]
    assert config == Config()


# --- The new settings -----------------------------------------------------------------


def test_every_new_setting_is_read(tmp_path):
    path = write(
        tmp_path,
        f"""
[paths]
data = "{tmp_path}/data"
[sound]
volume = 0.25
mute = true
[hours]
timezone = "Europe/Oslo"
monday = "closed"
tuesday = "10:00-17:00"
saturday = ["10:00-12:00", "13:00-16:00"]
closed = ["2026-12-24", 2026-12-25]
wake_on_press = 2.5
display_off_command = "vcgencmd display_power 0"
display_on_command = "vcgencmd display_power 1"
[control]
socket = "/run/kiosk/ctl.sock"
group = "museum-staff"
[stats]
enabled = false
""",
    )
    config, problems = load_config(path)
    assert problems == []
    assert config.data_dir == tmp_path / "data"
    assert (config.volume, config.mute, config.stats) == (0.25, True, False)
    assert config.wake_seconds == 150.0
    assert config.display_off_command == "vcgencmd display_power 0"
    assert config.display_on_command == "vcgencmd display_power 1"
    assert (config.control_socket, config.control_group) == (
        Path("/run/kiosk/ctl.sock"),
        "museum-staff",
    )
    hours = config.hours
    assert hours is not None and hours.timezone == "Europe/Oslo"
    assert hours.weekly[0] == () and hours.weekly[1] == ((600, 1020),)
    assert hours.weekly[5] == ((600, 720), (780, 960))
    assert hours.weekly[6] == ()  # not listed: closed
    assert hours.closed == {datetime.date(2026, 12, 24), datetime.date(2026, 12, 25)}


def test_defaults_of_the_new_settings():
    config = Config()
    assert config.hours is None and config.wake_seconds == 0.0 and config.stats is True
    assert config.data_dir == Path("/var/lib/kiosk")
    assert config.control_socket == Path("/run/kiosk/control.sock")
    assert (config.volume, config.mute, config.control_group) == (0.7, False, "kiosk-staff")
    assert config.display_off_command is None and config.display_on_command is None


def test_hours_with_only_a_time_zone_or_closed_dates_are_open_every_other_day(tmp_path):
    path = write(tmp_path, '[hours]\ntimezone = "Europe/Oslo"\nclosed = ["2026-12-24"]\n')
    config, problems = load_config(path)
    assert problems == [] and config.hours is not None
    assert config.hours.weekly == ((((0, 24 * 60)),),) * 7
    assert config.hours.closed == {datetime.date(2026, 12, 24)}
    only_wake, _ = load_config(write(tmp_path, "[hours]\nwake_on_press = 5\n"))
    assert only_wake.hours is None and only_wake.wake_seconds == 300.0


def test_example_documents_every_setting():
    text = (REPO / "deploy" / "kiosk.example.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    for table, schema in SCHEMA.items():
        section = data
        for part in table.split("."):
            assert part in section, f"[{table}] is missing from the example"
            section = section[part]
        for key in schema:
            documented = key in section or re.search(rf"^# *{key} *=", text, re.M)
            assert documented, f"{table}.{key} is not in the example"
    config, problems = load_config(REPO / "deploy" / "kiosk.example.toml")
    assert problems == [] and config.hours is not None


# --- The last good config ---------------------------------------------------------------


def test_a_good_file_is_kept_and_used_when_a_later_edit_does_not_parse(tmp_path):
    data = tmp_path / "data"
    path = write(tmp_path, f'[paths]\ndata = "{data}"\n[exhibit]\nidle_timeout = 45\n')
    good, problems = load_startup_config(path, fallback_dir=data)
    assert problems == [] and good.idle_timeout == 45.0
    assert last_good_path(data).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")

    path.write_text("[exhibit\nidle_timeout = 20\n", encoding="utf-8")
    config, problems = load_startup_config(path, fallback_dir=data)
    assert [p.key for p in problems] == ["syntax"]
    assert replace(config, source="") == replace(good, source="")
    assert config.source == f"{last_good_path(data)} (last good copy; {path} does not load)"


def test_a_partly_wrong_file_is_used_for_its_good_settings_and_not_kept(tmp_path):
    data = tmp_path / "data"
    path = write(tmp_path, f'[paths]\ndata = "{data}"\n[exhibit]\nidle_timeout = 45\n')
    load_startup_config(path, fallback_dir=data)
    kept = last_good_path(data).read_text(encoding="utf-8")
    path.write_text(
        f'[paths]\ndata = "{data}"\n[exhibit]\nidle_timeout = 30\nlanguage = 7\n', encoding="utf-8"
    )
    config, problems = load_startup_config(path, fallback_dir=data)
    assert [p.key for p in problems] == ["exhibit.language"]
    assert config.idle_timeout == 30.0 and config.source == str(path)
    assert last_good_path(data).read_text(encoding="utf-8") == kept


def test_without_a_good_copy_a_broken_file_runs_on_the_defaults(tmp_path):
    path = write(tmp_path, "[exhibit\n")
    config, problems = load_startup_config(path, fallback_dir=tmp_path / "empty")
    assert [p.key for p in problems] == ["syntax"]
    assert replace(config, source="") == replace(Config(), source="")
    assert config.source == f"defaults ({path} does not load)"
    missing = tmp_path / "gone.toml"
    config, problems = load_startup_config(missing, fallback_dir=tmp_path / "empty")
    assert [str(p) for p in problems] == [f"{missing}: file: not found"]


def test_a_data_folder_that_cannot_be_written_is_only_a_warning(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    path = write(tmp_path, f'[paths]\ndata = "{blocker}/data"\n')
    config, problems = load_startup_config(path)
    assert problems == [] and config.data_dir == blocker / "data"
    assert "could not keep a copy of the good config" in caplog.text


# --- kiosk config show ------------------------------------------------------------------


def test_show_is_toml_that_loads_back_to_the_same_settings(tmp_path):
    source = write(
        tmp_path,
        '[exhibit]\nidle_timeout = 45\n[hours]\ntimezone = "Europe/Oslo"\n'
        'tuesday = ["10:00-12:00", "13:00-17:00"]\nclosed = ["2026-12-24"]\n'
        "wake_on_press = 5\n[gpio.leds]\ndock = 24\n",
    )
    config, problems = load_config(source)
    shown = write(tmp_path / "..", format_effective(config, problems, source))
    again, problems_again = load_config(shown)
    assert problems_again == []
    assert replace(again, source="") == replace(config, source="")


def test_show_marks_what_came_from_the_file(tmp_path):
    path = write(tmp_path, "[exhibit]\nlanguage = 7\nidle_timeout = 45\n[sound]\nmute = true\n")
    config, problems = load_config(path)
    lines = format_effective(config, problems, path).splitlines()

    def line_of(setting: str) -> str:
        [found] = [line for line in lines if line.startswith(setting)]
        return found

    assert line_of("idle_timeout = 45").endswith("# file, line 3")
    assert line_of("mute = true").endswith("# file, line 5")
    assert line_of('language = "en"').endswith("# default")  # the file's value was wrong
    assert line_of("fps = 30").endswith("# default")
    assert any("1 problem(s)" in line for line in lines)


def test_cli_config_show(tmp_path, capsys):
    from kiosk.cli import main

    path = write(tmp_path, "[display]\nfps = 24\n")
    assert main(["config", "show", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert tomllib.loads(out)["display"]["fps"] == 24
    assert "fps = 24" in out and "# file, line 2" in out


@pytest.fixture(scope="module")
def display(pygame_ready):
    import pygame

    pygame.display.init()
    yield pygame.display.set_mode((800, 480))
    pygame.display.quit()


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_kiosk_started_with_each_broken_config_shows_the_exhibit(
    tmp_path, case, display, story, clock
):
    """Headless App on the config each broken file gives: frames are drawn, it is awake."""
    from kiosk.app import App
    from kiosk.core.events import Action, InputEvent
    from kiosk.core.flow import Screen

    path = write(tmp_path, BROKEN[case][0])
    config, problems = load_startup_config(path, fallback_dir=tmp_path / "data")
    assert problems
    config = replace(config, data_dir=tmp_path / "data")
    july_noon = dt_utc(2026, 7, 17, 10)  # Friday 17 July 2026, 12:00 in Oslo
    app = App(display, story, config, clock=clock, wall_clock=lambda: july_noon)
    app.step()
    app.bus.put(InputEvent(Action.NEXT, "gpio"))
    clock.advance(0.1)
    app.step()
    assert app.frames > 0 and not app.asleep
    assert app.flow.state.page.screen is Screen.CHAPTER


def dt_utc(*parts: int) -> float:
    return datetime.datetime(*parts, tzinfo=datetime.UTC).timestamp()


def test_show_on_the_last_good_copy_marks_the_copys_lines(tmp_path):
    data = tmp_path / "data"
    path = write(tmp_path, f'[paths]\ndata = "{data}"\n[display]\nfps = 24\n')
    load_startup_config(path, fallback_dir=data)
    path.write_text("[display\nfps = 20\n", encoding="utf-8")
    config, problems = load_startup_config(path, fallback_dir=data, save=False)
    shown = format_effective(config, problems, path)
    assert f"from {last_good_path(data)} (last good copy; {path} does not load)" in shown
    assert f"1 problem(s) in {path}" in shown and "it is not in use" in shown
    [fps] = [line for line in shown.splitlines() if line.startswith("fps =")]
    assert fps.startswith("fps = 24") and fps.endswith("# file, line 4")


def test_the_examples_commented_settings_are_valid_too(tmp_path):
    text = (REPO / "deploy" / "kiosk.example.toml").read_text(encoding="utf-8")
    keys = "|".join(sorted({key for schema in SCHEMA.values() for key in schema}))
    uncommented = re.sub(rf"^# ((?:{keys}) = )", r"\1", text, flags=re.M)
    assert uncommented != text
    config, problems = load_config(write(tmp_path, uncommented))
    assert problems == []
    assert config.hours is not None and config.hours.weekly[0] == ()  # Monday closed
    assert config.hours.weekly[3] == ((600, 1020), (1080, 1260))
    # The first of the example's display commands (HDMI-CEC) wins; vcgencmd is the legacy one.
    assert config.display_off_command.startswith("cec-ctl ")
