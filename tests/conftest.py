"""Shared fixtures: headless SDL, the real story, an injected clock, and what is
expensive to draw, drawn once for the whole session (illustrations, screen audits)."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import contextlib
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

import kiosk.scenes.context
import kiosk.storyboard
from kiosk.content import Story, load_story
from kiosk.render.fonts import FontBook
from kiosk.render.illustrations import render_illustration
from kiosk.scenes.context import IllustrationRenderer
from kiosk.storyboard import ScreenAudit
from tests.support.clock import FakeClock
from tests.support.illustrations import DrawnOnce

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


# -- drawn once per session ------------------------------------------------------


#: The exhibit's illustrations, each drawn once for the whole session (the cache
#: every harness shares: see tests/support/illustrations.py).
SHARED_ILLUSTRATIONS = DrawnOnce()


def _story_fingerprint(story: Story) -> str:
    """Everything in ``story`` that can change what a screen shows (not the file paths)."""
    return repr([(code, replace(story.language(code), path=None)) for code in story.codes])


class SharedAudits:
    """``kiosk.storyboard.audit_screens``: one audit per story, size and languages.

    Auditing every screen in every language at every size is the suite's single
    most expensive step, and several tests (test_screens, test_languages, and
    ``kiosk content check`` in test_cli) audit the same story; the audit of the
    same content drawn by the same illustrations with the same fonts is the same,
    so it is done once per session.  Other illustrators (a test's own) are not
    shared.
    """

    def __init__(self, audit=kiosk.storyboard.audit_screens) -> None:
        #: The real audit.
        self.audit = audit
        self._done: dict[tuple, tuple[ScreenAudit, ...]] = {}

    def __call__(
        self,
        story: Story,
        sizes: Iterable[tuple[int, int]],
        languages: Iterable[str],
        fonts: FontBook,
        illustrate: IllustrationRenderer,
    ) -> Iterator[ScreenAudit]:
        """As :func:`kiosk.storyboard.audit_screens`."""
        languages = tuple(languages)
        if illustrate not in (SHARED_ILLUSTRATIONS, render_illustration):
            yield from self.audit(story, sizes, languages, fonts, illustrate)
            return
        fingerprint = _story_fingerprint(story)
        for size in sizes:
            key = (fingerprint, tuple(size), languages, fonts.files)
            if key not in self._done:
                self._done[key] = tuple(
                    self.audit(story, [size], languages, fonts, SHARED_ILLUSTRATIONS)
                )
            yield from self._done[key]


SHARED_AUDITS = SharedAudits()


@pytest.fixture(scope="session", autouse=True)
def _draw_once_per_session() -> Iterator[None]:
    """Every exhibit and audit the tests build shares :data:`SHARED_ILLUSTRATIONS`
    and :data:`SHARED_AUDITS` (the exhibit's default illustrator and the audit
    ``kiosk content check`` runs)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kiosk.scenes.context, "default_illustrator", lambda: SHARED_ILLUSTRATIONS)
        patch.setattr(kiosk.storyboard, "audit_screens", SHARED_AUDITS)
        yield


@pytest.fixture(scope="session")
def illustrate() -> IllustrationRenderer:
    """The exhibit's illustrations, each drawn once per session (a copy each time)."""
    return SHARED_ILLUSTRATIONS


@pytest.fixture(scope="session")
def screen_audits(story: Story, pygame_ready) -> ScreenAuditsOfStory:
    """Every screen of the real story, audited once per size for all languages."""
    from kiosk.render.fonts import find_fonts

    return ScreenAuditsOfStory(story, FontBook(find_fonts([])))


class ScreenAuditsOfStory:
    """The audits of one story's screens, by language and size (each size done once)."""

    def __init__(self, story: Story, fonts: FontBook) -> None:
        self.story = story
        self.fonts = fonts

    def shots(self, language: str, size: tuple[int, int]) -> dict[str, ScreenAudit]:
        """``{shot name: its audit}`` for ``language`` at ``size``, in visiting order."""
        found = SHARED_AUDITS(
            self.story, [size], self.story.codes, self.fonts, SHARED_ILLUSTRATIONS
        )
        return {audit.shot: audit for audit in found if audit.language == language}

    def fresh_shots(self, language: str, size: tuple[int, int]) -> dict[str, ScreenAudit]:
        """The same, audited now by the real audit and the real illustrations, shared with
        nothing (to check that sharing changes nothing)."""
        found = SHARED_AUDITS.audit(self.story, [size], [language], self.fonts, render_illustration)
        return {audit.shot: audit for audit in found}


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
    _bench_quick_run_last(items)
    if config.getoption("--long"):
        return
    skip = pytest.mark.skip(reason="long (nightly) reliability run: use pytest --long")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)


# -- the benchmark's quick run, alongside the other tests -------------------------------


class BackgroundBench:
    """``python -m bench --quick`` (tests/test_bench.py) in a child process of its own.

    It runs mostly in child processes and real time (``kiosk run`` start-ups, visitor
    sessions with reading pauses), so it is started while the other tests run on the
    other core, and the tests that read its results run last.  It starts with the
    first test outside tests/hardware and tests/reliability (those keep the machine to
    themselves: their faults are timed in real time), or when its results are needed.
    """

    #: A deadline for the quick run, never a measurement (it takes well under a minute).
    DEADLINE = 600

    def __init__(self) -> None:
        self.wanted = False
        self._proc: subprocess.Popen[str] | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._started = 0.0

    @property
    def out(self) -> Path:
        """The JSON the run writes."""
        assert self._folder is not None
        return Path(self._folder.name) / "results.json"

    def start(self) -> None:
        """Start the run (once)."""
        if self._proc is not None:
            return
        self._folder = tempfile.TemporaryDirectory(prefix="bench-quick-")
        env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
        env.pop("NOTIFY_SOCKET", None)
        folder = Path(self._folder.name)
        self._started = time.monotonic()
        with (
            open(folder / "stdout", "w", encoding="utf-8") as stdout,
            open(folder / "stderr", "w", encoding="utf-8") as stderr,
        ):
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "bench", "--quick", "--out", str(self.out)],
                cwd=REPO,
                env=env,
                stdout=stdout,
                stderr=stderr,
                text=True,
                start_new_session=True,
            )

    def result(self) -> tuple[subprocess.CompletedProcess[str], Path]:
        """Wait for the run (started now if it was not); what it printed, and its JSON."""
        self.start()
        assert self._proc is not None
        left = self.DEADLINE - (time.monotonic() - self._started)
        try:
            code = self._proc.wait(timeout=max(left, 1))
        except subprocess.TimeoutExpired:
            self.stop()
            raise
        folder = Path(self._folder.name)  # type: ignore[union-attr]
        done = subprocess.CompletedProcess(
            self._proc.args,
            code,
            (folder / "stdout").read_text(encoding="utf-8"),
            (folder / "stderr").read_text(encoding="utf-8"),
        )
        return done, self.out

    def stop(self) -> None:
        """Stop a run still going (the session ended early) and remove its files."""
        if self._proc is not None and self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
        if self._folder is not None:
            self._folder.cleanup()


BENCH = BackgroundBench()
QUIET_DIRS = (REPO / "tests" / "hardware", REPO / "tests" / "reliability")


def _bench_quick_run_last(items: list[pytest.Item]) -> None:
    """Move the tests of the quick run to the end, so the run can go on alongside."""
    quick = [item for item in items if "bench_quick_run" in getattr(item, "fixturenames", ())]
    if quick:
        BENCH.wanted = True
        items[:] = [item for item in items if item not in quick] + quick


def pytest_runtest_setup(item: pytest.Item) -> None:
    if BENCH.wanted and not any(item.path.is_relative_to(d) for d in QUIET_DIRS):
        BENCH.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    BENCH.stop()


@pytest.fixture(scope="session")
def bench_quick_run() -> tuple[subprocess.CompletedProcess[str], Path]:
    """The quick run's result (waiting for it): what it printed, and its JSON file."""
    return BENCH.result()


@pytest.fixture(scope="session")
def long_run(request: pytest.FixtureRequest) -> bool:
    """True under ``pytest --long``: reliability tests scale their runs up."""
    return bool(request.config.getoption("--long"))
