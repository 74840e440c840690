"""Fixtures for the reliability suite (tests/reliability).

The helpers behind them live in :mod:`tests.reliability.headless`: the real
exhibit wired as ``kiosk run`` wires it, headless, on one injected clock
(:func:`~tests.reliability.headless.build_exhibit`), and a driver that turns its
loop as ``App.run`` does in simulated time
(:class:`~tests.reliability.headless.LoopDriver`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.content import Story
from tests.reliability.headless import HeadlessExhibit, build_exhibit, write_config
from tests.support.clock import FakeClock

ExhibitFactory = Callable[..., contextlib.AbstractContextManager[HeadlessExhibit]]


@pytest.fixture
def headless_exhibit(story: Story, pygame_ready: None, tmp_path: Path) -> Iterator[ExhibitFactory]:
    """Build headless kiosks: ``with headless_exhibit(clock, extra_toml) as exhibit: …``.

    Each gets a config in ``tmp_path`` (``extra_toml`` appended), the real story, a
    StatsRecorder on ``tmp_path/data`` and mock GPIO; it is closed when the block ends.
    """

    @contextlib.contextmanager
    def build(clock: FakeClock, extra: str = "") -> Iterator[HeadlessExhibit]:
        with build_exhibit(write_config(tmp_path, extra), story, clock) as exhibit:
            yield exhibit

    yield build
