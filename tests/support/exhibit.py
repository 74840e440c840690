"""Building the exhibit in a test: always :class:`kiosk.exhibit.Exhibit`, the assembly
``kiosk run`` uses, with the test's clock, display and mock hardware injected."""

from __future__ import annotations

from typing import Any

import pygame

from kiosk.app import App
from kiosk.content import Story
from kiosk.exhibit import Exhibit
from kiosk.settings import Config


def app_for(surface: pygame.Surface, story: Story, config: Config, **options: Any) -> App:
    """The app of an exhibit with no hardware, statistics or control socket: what a
    unit test of the loop, the drawing or the staff commands needs (``options`` go to
    :class:`~kiosk.exhibit.Exhibit`: ``clock``, ``outputs``, ``observers``…)."""
    options.setdefault("hardware", False)
    options.setdefault("stats", False)
    return Exhibit(config, story, surface=surface, **options).running
