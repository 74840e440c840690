"""One assembly: ``kiosk run``, ``kiosk demo``, every harness and the bench build the
exhibit with :class:`kiosk.exhibit.Exhibit`, and it closes everything it started."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pygame
import pytest
from gpiozero.pins.mock import MockFactory, MockPWMPin

import kiosk.exhibit
from hardware import SensorConfig
from kiosk.app import App
from kiosk.cli import main
from kiosk.exhibit import Exhibit
from kiosk.settings import Config
from tests.conftest import STORY_DIR

REPO = Path(__file__).resolve().parent.parent


def constructions_of_app() -> list[str]:
    """Every place in kiosk/, tests/ and bench/ that calls ``App(…)``."""
    found = []
    for folder in ("kiosk", "tests", "bench"):
        for path in sorted((REPO / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name == "App":
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    return found


def test_only_the_exhibit_builds_the_app():
    places = constructions_of_app()
    assert places and all(p.startswith("kiosk/exhibit.py:") for p in places), places


def write_config(folder: Path) -> Path:
    path = folder / "kiosk.toml"
    path.write_text(
        f'[display]\nsize = "640x360"\n[paths]\ncontent = "{STORY_DIR}"\ndata = "{folder}"\n'
        f"[gpio]\nenabled = false\n[sensor]\nenabled = false\n"
        f'[control]\nsocket = "{folder / "c.sock"}"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def pygame_again(pygame_ready):
    """``kiosk run`` ends with ``pygame.quit()``; the tests after it still need pygame and
    its fonts (``pygame_ready`` initialises them once per session)."""
    yield
    pygame.init()
    pygame.font.init()


def test_kiosk_run_builds_the_exhibit_with_the_same_assembly(
    tmp_path, mocker, monkeypatch, pygame_again
):
    """``kiosk run`` goes through :class:`Exhibit` (as every harness does), starts its
    control socket and closes every part when the loop ends."""
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    built = mocker.spy(kiosk.exhibit.Exhibit, "__init__")
    closed = mocker.spy(kiosk.exhibit.Exhibit, "close")
    seen: list[Exhibit] = []

    def one_step(app: App) -> None:
        seen.append(built.call_args.args[0])
        app.step()

    mocker.patch.object(App, "run", autospec=True, side_effect=one_step)
    config = write_config(tmp_path)
    assert main(["run", "--windowed", "--config", str(config)]) == 0
    assert built.call_count == 1 and closed.call_count >= 1
    exhibit = seen[0]
    assert exhibit.closed and exhibit.app is not None and exhibit.app.frames == 1
    assert exhibit.control is not None and not (tmp_path / "c.sock").exists()


def test_the_exhibit_closes_what_it_started(story, clock, tmp_path, pygame_ready):
    pygame.display.init()
    screen = pygame.display.set_mode((320, 180))
    before = {t.name for t in threading.enumerate()}
    factory = MockFactory(pin_class=MockPWMPin)
    config = Config(
        data_dir=tmp_path,
        control_socket=tmp_path / "c.sock",
        sensor=SensorConfig(enabled=False),
    )
    with Exhibit(
        config, story, surface=screen, clock=clock, pin_factory=factory, control=True
    ) as exhibit:
        assert exhibit.hardware is not None and exhibit.hardware.buttons is not None
        assert exhibit.stats is not None and exhibit.control is not None
        assert (tmp_path / "c.sock").exists()
        assert {t.name for t in threading.enumerate()} - before  # threads were started
    assert exhibit.hardware.buttons is None  # closed
    assert not (tmp_path / "c.sock").exists()
    assert {t.name for t in threading.enumerate()} <= before | {"MainThread"}
    factory.close()
    pygame.display.quit()
