"""End to end in a real X server: a visitor presses keys on `kiosk demo` under Xvfb.

Screenshots of the window are compared with the storyboard pictures that
`kiosk render` draws of the same screens at the same size: the screen on
display is the storyboard picture it is closest to.  Polling has deadlines;
nothing here sleeps for a fixed time to let something happen.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pygame
import pytest

from kiosk.display import WINDOW_TITLE

TOOLS = ("Xvfb", "xdotool", "import", "xwininfo")
if os.environ.get("CI") and not all(shutil.which(t) for t in TOOLS):
    # CI installs them (.ci/run): a missing tool there is a broken set-up, not a skip.
    raise RuntimeError(
        f"CI is missing end-to-end tools: {[t for t in TOOLS if not shutil.which(t)]}"
    )

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not all(shutil.which(t) for t in TOOLS),
        reason="needs Xvfb, xdotool, xwininfo and ImageMagick's import (apt install xvfb "
        "xdotool x11-utils imagemagick)",
    ),
]

SIZE = (1280, 720)
#: Deadline for each external tool call (xdotool, import, xwininfo), so nothing hangs.
TOOL_TIMEOUT = 30
IDLE = 12.0  # long enough for a few key presses on a loaded CI machine
KIOSK = [sys.executable, "-m", "kiosk"]


def wait_for(predicate: Callable[[], object], timeout: float, what: str) -> object:
    """Poll ``predicate`` until it returns something truthy, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)  # polling interval, not a timing assumption


@pytest.fixture(scope="module")
def xserver() -> Iterator[str]:
    """A private Xvfb display; yields its name (':N')."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write),
            "-screen",
            "0",
            f"{SIZE[0]}x{SIZE[1]}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not report a display number"
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


def render_storyboard(out: Path, language: str = "en") -> dict[str, pygame.Surface]:
    """Every screen in ``language`` at the test's window size, drawn by `kiosk render`
    (in this process: the session's illustrations, already drawn, are shared)."""
    from kiosk.cli import main

    args = ["render", "--out", str(out), "--size", f"{SIZE[0]}x{SIZE[1]}", "--lang", language]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(args) == 0
    return {
        p.stem: pygame.image.load(str(p))
        for p in sorted(out.glob("*.png"))
        if p.stem != "contact-sheet"
    }


@pytest.fixture(scope="module")
def storyboard(tmp_path_factory, pygame_ready) -> dict[str, pygame.Surface]:
    """The storyboard at the test's window size, rendered by `kiosk render`."""
    return render_storyboard(tmp_path_factory.mktemp("storyboard"))


@pytest.fixture(scope="module")
def storyboard_ru(tmp_path_factory, pygame_ready) -> dict[str, pygame.Surface]:
    """The same screens in Russian."""
    return render_storyboard(tmp_path_factory.mktemp("storyboard-ru"), "ru")


def difference(a: pygame.Surface, b: pygame.Surface) -> float:
    """Mean absolute colour difference on a coarse grid (0 = identical)."""
    w, h = a.get_size()
    total = 0
    count = 0
    for y in range(8, h, 24):
        for x in range(8, w, 24):
            pa, pb = a.get_at((x, y)), b.get_at((x, y))
            total += abs(pa.r - pb.r) + abs(pa.g - pb.g) + abs(pa.b - pb.b)
            count += 1
    return total / count


class Visitor:
    """Presses keys on the kiosk window and looks at it."""

    def __init__(self, display: str, window: str, shots: Path) -> None:
        self.env = {**os.environ, "DISPLAY": display}
        self.window = window
        self.shots = shots
        self.count = 0

    def press(self, key: str) -> None:
        """A real key press (XTEST), with the pointer over the kiosk window."""
        subprocess.run(
            ["xdotool", "mousemove", "20", "20", "key", key],
            env=self.env,
            check=True,
            timeout=TOOL_TIMEOUT,
        )

    def look(self) -> pygame.Surface:
        self.count += 1
        path = self.shots / f"shot-{self.count:03d}.png"
        subprocess.run(
            ["import", "-window", self.window, str(path)],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=TOOL_TIMEOUT,
        )
        return pygame.image.load(str(path))

    def sees(self, storyboard: dict[str, pygame.Surface]) -> str:
        """The storyboard picture the window looks most like."""
        shot = self.look()
        assert shot.get_size() == SIZE
        return min(storyboard, key=lambda name: difference(shot, storyboard[name]))


@pytest.fixture
def visitor(xserver, tmp_path) -> Iterator[Visitor]:
    env = {**os.environ, "DISPLAY": xserver, "SDL_AUDIODRIVER": "dummy", "PYTHONFAULTHANDLER": "1"}
    env.pop("SDL_VIDEODRIVER", None)
    log = open(tmp_path / "kiosk.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [*KIOSK, "demo", "--size", f"{SIZE[0]}x{SIZE[1]}", "--idle-timeout", str(IDLE)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def find_window() -> str | None:
        tree = subprocess.run(
            ["xwininfo", "-root", "-tree"],
            env=env,
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT,
        ).stdout
        for line in tree.splitlines():
            if WINDOW_TITLE in line:
                return line.split()[0]
        return None

    try:

        def started() -> str | None:
            if proc.poll() is not None:
                log.flush()
                raise AssertionError(
                    f"kiosk demo exited with {proc.returncode} before showing its window:\n"
                    + (tmp_path / "kiosk.log").read_text()
                )
            return find_window()

        try:
            window = wait_for(started, 60, "the kiosk window")
        except AssertionError as exc:
            # Diagnose a kiosk that never showed its window: faulthandler dumps every
            # thread's stack into the log on SIGABRT.
            tree = subprocess.run(
                ["xwininfo", "-root", "-tree"],
                env=env,
                capture_output=True,
                text=True,
                timeout=TOOL_TIMEOUT,
            ).stdout
            if proc.poll() is None:
                proc.send_signal(signal.SIGABRT)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(10)
            log.flush()
            raise AssertionError(
                f"{exc}\n--- kiosk log ---\n{(tmp_path / 'kiosk.log').read_text()}"
                f"\n--- X windows ---\n{tree}"
            ) from None
        yield Visitor(xserver, str(window), tmp_path)
    finally:
        proc.terminate()  # what systemd sends on stop
        try:
            code = proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = None
        log.close()
    output = (tmp_path / "kiosk.log").read_text()
    assert "Traceback" not in output, f"the kiosk logged a traceback:\n{output}"
    assert code == 0, f"kiosk did not stop cleanly on SIGTERM (exit {code}):\n{output}"


def test_visitor_steps_through_story_and_idle_returns_to_attract(visitor, storyboard):
    assert wait_for(lambda: visitor.sees(storyboard) == "00-attract", 30, "the attract loop")
    visitor.press("Right")
    assert wait_for(lambda: visitor.sees(storyboard) == "01-sputnik", 10, "chapter 1")
    visitor.press("Right")
    assert wait_for(lambda: visitor.sees(storyboard) == "02-gagarin", 10, "chapter 2")
    visitor.press("Left")
    assert wait_for(lambda: visitor.sees(storyboard) == "01-sputnik", 10, "back to chapter 1")
    # Walk away: the idle timeout (shortened to a few seconds) brings back the attract loop.
    assert wait_for(lambda: visitor.sees(storyboard) == "00-attract", IDLE + 15, "idle → attract")


def test_dock_key_from_attract_plays_the_docking(visitor, storyboard):
    assert wait_for(lambda: visitor.sees(storyboard) == "00-attract", 30, "the attract loop")
    visitor.press("Return")
    assert wait_for(
        lambda: visitor.sees(storyboard).split("-")[1] == "docking", 10, "the docking scene"
    )


def test_gripping_the_simulated_hand_plays_the_docking(visitor, storyboard):
    """In the demo H grips the simulated sensor: the handshake travels over a real pty."""
    assert wait_for(lambda: visitor.sees(storyboard) == "00-attract", 30, "the attract loop")
    visitor.press("h")
    assert wait_for(
        lambda: visitor.sees(storyboard).split("-")[1] == "docking", 15, "the docking scene"
    )


def test_language_key_switches_the_page_to_russian(storyboard, storyboard_ru, visitor):
    """L redraws the chapter the visitor is reading in Russian, in the same place."""
    both = {f"en/{k}": v for k, v in storyboard.items()} | {
        f"ru/{k}": v for k, v in storyboard_ru.items()
    }
    assert wait_for(lambda: visitor.sees(storyboard) == "00-attract", 30, "the attract loop")
    visitor.press("Right")
    assert wait_for(lambda: visitor.sees(both) == "en/01-sputnik", 10, "chapter 1 in English")
    visitor.press("l")
    assert wait_for(lambda: visitor.sees(both) == "ru/01-sputnik", 10, "chapter 1 in Russian")
