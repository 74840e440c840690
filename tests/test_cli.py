"""The kiosk command: storyboard, demo without a display, content check."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pygame

from kiosk.cli import main
from kiosk.docking.timeline import KEY_FRAMES

STORY_DIR = Path(__file__).resolve().parent.parent / "assets" / "story"


def test_render_writes_every_screen_and_a_contact_sheet(tmp_path, story, capsys):
    assert main(["render", "--out", str(tmp_path), "--size", "800x480"]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert "contact-sheet.png" in names and "00-attract.png" in names
    # attract, chapters, every docking key frame, credits, the contact sheet
    assert len(names) == 1 + story.chapter_count + len(KEY_FRAMES) + 1 + 1
    assert {f"docking-{label}" for label, _ in KEY_FRAMES} <= {n[3:-4] for n in names}
    chapter = pygame.image.load(str(tmp_path / "01-sputnik.png"))
    assert chapter.get_size() == (800, 480)
    sheet = pygame.image.load(str(tmp_path / "contact-sheet.png"))
    assert sheet.get_width() > 4 * 480
    assert "contact-sheet.png" in capsys.readouterr().out


def test_demo_without_display_writes_storyboard(tmp_path, monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "board"
    assert main(["demo", "--out", str(out), "--size", "800x480"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("No display found") and str(out) in first
    assert (out / "contact-sheet.png").exists()


def test_content_check_passes_real_story(capsys):
    assert main(["content", "check", str(STORY_DIR)]) == 0
    assert "0 problems" in capsys.readouterr().out


def test_content_check_reports_broken_file(tmp_path, capsys):
    shutil.copy(STORY_DIR / "en.toml", tmp_path / "en.toml")
    text = (tmp_path / "en.toml").read_text(encoding="utf-8")
    (tmp_path / "en.toml").write_text(text.replace("[credits]", "[credit]"), encoding="utf-8")
    assert main(["content", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert 'credit: unknown table or key (did you mean "credits"?)' in out


def test_config_check_reports_line_and_fix(tmp_path, capsys):
    path = tmp_path / "kiosk.toml"
    path.write_text("[exhibit]\nidle_timout = 30\n", encoding="utf-8")
    assert main(["config", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f'{path}:2: exhibit.idle_timout: unknown key (did you mean "idle_timeout"?)' in out
    assert (
        main(
            ["config", "check", str(Path(__file__).parent.parent / "deploy" / "kiosk.example.toml")]
        )
        == 0
    )


def test_selftest_uses_the_sites_wiring_and_port(tmp_path):
    from hardware import Hardware
    from kiosk.cli import run_selftest

    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[gpio.buttons]\nnext = 16\n[sensor]\nport = "/dev/ttyACM7"\n', encoding="utf-8"
    )
    seen = {}

    def factory(gpio, sensor):
        seen["gpio"], seen["sensor"] = gpio, sensor
        return Hardware(gpio, sensor)

    run_selftest(
        ["--config", str(path), "--no-gpio", "--no-sensor"],
        hardware_factory=factory,
        out=io.StringIO(),
    )
    assert seen["gpio"].buttons.next == 16 and seen["gpio"].buttons.back == 5
    assert seen["sensor"].port == "/dev/ttyACM7"
    assert not seen["gpio"].enabled and not seen["sensor"].enabled


def test_content_check_names_files_it_skips(tmp_path, capsys):
    shutil.copy(STORY_DIR / "en.toml", tmp_path / "en.toml")
    shutil.copy(STORY_DIR / "nb.toml", tmp_path / "nb-old.toml")
    assert main(["content", "check", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'nb-old.toml'}: file: skipped: not a language file" in out
    assert "Skipped 1 file(s) that are not language files" in out
    assert "nb:" not in out  # the backup is not checked as a language
