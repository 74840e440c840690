"""Shared fixtures: headless SDL, the real story, an injected clock."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path

import pygame
import pytest

from kiosk.content import Story, load_story
from tests.support.clock import FakeClock

REPO = Path(__file__).resolve().parent.parent
STORY_DIR = REPO / "assets" / "story"


@pytest.fixture
def clock() -> FakeClock:
    """An injected clock starting at t = 1000 s."""
    return FakeClock()


@pytest.fixture(scope="session")
def illustration_names() -> set[str]:
    """The names of the code-drawn illustrations."""
    from kiosk.render.illustrations import ILLUSTRATIONS

    return set(ILLUSTRATIONS)


@pytest.fixture(scope="session")
def story(illustration_names: set[str]) -> Story:
    """The real story shipped in assets/story."""
    return load_story(STORY_DIR, illustration_names)


@pytest.fixture(scope="session")
def pygame_ready():
    """pygame with fonts, headless."""
    pygame.init()
    pygame.font.init()
    yield


# -- quick and long (nightly) reliability runs ------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--long",
        action="store_true",
        default=False,
        help="run the reliability suite at full length (nightly): more sessions, "
        "more faults, more power cuts; tests marked 'long' run only then",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--long"):
        return
    skip = pytest.mark.skip(reason="long (nightly) reliability run: use pytest --long")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def long_run(request: pytest.FixtureRequest) -> bool:
    """True under ``pytest --long``: reliability tests scale their runs up."""
    return bool(request.config.getoption("--long"))
