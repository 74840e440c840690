"""The config file: defaults, overrides, and staff-friendly errors."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import DEFAULT_CONFIG_PATH, Config, config_path, load_config


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
    assert dict(config.button_pins) == {"back": 5, "next": 6, "dock": 13, "language": 26}


def test_pins_from_config_reach_the_hardware_layer(tmp_path):
    from kiosk.wiring import gpio_config

    path = write(
        tmp_path, "[gpio]\nbounce_ms = 12\n[gpio.buttons]\nnext = 16\n[gpio.leds]\ndock = 24\n"
    )
    config, problems = load_config(path)
    assert problems == []
    gpio = gpio_config(config)
    assert (gpio.buttons.next, gpio.buttons.back, gpio.leds.dock, gpio.bounce_ms) == (16, 5, 24, 12)


def test_shared_pin_is_refused_and_old_wiring_kept(tmp_path):
    path = write(tmp_path, "[gpio.buttons]\nnext = 5\n")
    config, [problem] = load_config(path)
    assert str(problem) == (
        f"{path}:2: gpio.buttons.next: expected a pin of its own, got GPIO 5, "
        "already used by gpio.buttons.back"
    )
    assert dict(config.button_pins)["next"] == 6


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
