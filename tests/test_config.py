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
