"""The real ``kiosk run`` in a child process: start-up time and CPU use.

Each run writes a config into a temp folder (1920×1080 unless asked otherwise,
no GPIO, no sensor, statistics, data folder and control socket in the temp
folder, an idle timeout that never fires), binds an AF_UNIX datagram socket as
``$NOTIFY_SOCKET`` and starts ``python -m kiosk run --config FILE`` with SDL's
dummy video and audio drivers.  The kiosk sends ``READY=1`` once its first frame is presented
(:mod:`kiosk.sdnotify`); start-up is the time from just before ``Popen`` to
that datagram.

The CPU figures read the child's ``utime + stime`` from ``/proc/PID/stat``
over wall-clock windows, as a % of one core:

* ``attract_cpu``: on the attract loop, once the warm-up after start (the
  pictures drawn ahead, a slice after each frame) is over.  The bench waits
  until two successive 1 s windows use less than :data:`WARM_UP_CPU` % of a
  core *and* ``kiosk ctl status`` reports a frame rate of at least
  :data:`WARM_UP_FPS` of the configured one (a warm-up slice delays the next
  frame, so while it lasts the rate is well below; on a busy machine the CPU
  share alone would mislead, as the kiosk then gets less CPU either way).
* ``static_chapter_cpu``: after ``goto 3`` over the control socket (always
  after the warm-up wait above), once the transition and the drawing of the
  neighbouring pages are over: two successive 0.5 s windows under
  :data:`STATIC_CPU` % with a reported frame rate of 0 (no frame in 2 s).

If a wait does not end within :data:`DEADLINE`, the CPU is measured anyway and
the figure's note says so.
"""

from __future__ import annotations

import grp
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Budget, Figure
from kiosk.control import send_command

REPO = Path(__file__).resolve().parent.parent
FULL_HD = (1920, 1080)
STARTUP_BUDGET_S = 0.8
#: The frame rate of ``kiosk run`` (the bench config leaves the default).
FPS = 30
STATIC_BUDGET = 1.0
ATTRACT_BUDGET = 10.0
#: Longest wait for READY, for a settled CPU, for the process to end (seconds).
DEADLINE = 60.0
#: The warm-up is over when two 1 s windows use less than this % of a core and the
#: frame rate is at least this share of the configured one.
WARM_UP_CPU = 25.0
WARM_UP_FPS = 0.8
#: The page change is over when two 0.5 s windows use less than this and no frames come.
STATIC_CPU = 20.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def config_text(tmp: Path, size: tuple[int, int]) -> str:
    """The kiosk's config for a bench run at ``size``, everything in ``tmp``."""
    group = own_group()
    lines = "\n".join(
        [
            "[exhibit]",
            "idle_timeout = 86400",
            "[display]",
            f'size = "{size[0]}x{size[1]}"',
            "[paths]",
            f'data = "{tmp / "data"}"',
            "[gpio]",
            "enabled = false",
            "[sensor]",
            "enabled = false",
            "[stats]",
            "enabled = true",
            "[control]",
            f'socket = "{tmp / "control.sock"}"',
        ]
    )
    # The socket's group: the bench's own (without a name the kiosk keeps its default
    # and only warns that the group does not exist).
    return lines + (f'\ngroup = "{group}"\n' if group else "\n")


def own_group() -> str | None:
    """The name of this process's group, if it has one."""
    try:
        return grp.getgrgid(os.getgid()).gr_name
    except KeyError:
        return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 of proc(5) (state); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_share(pid: int, seconds: float) -> float:
    """% of one core that ``pid`` used over the next ``seconds`` of wall time."""
    used = cpu_seconds(pid)
    start = time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - used) / (time.monotonic() - start) * 100


@dataclass
class KioskProcess:
    """A running ``kiosk run`` and where to reach it."""

    process: subprocess.Popen[bytes]
    folder: Path
    notify: socket.socket
    size: tuple[int, int]
    ready_s: float = 0.0

    @property
    def socket(self) -> Path:
        """Its control socket."""
        return self.folder / "control.sock"

    def drain(self) -> None:
        """Read the status messages the kiosk sent since (so its sends never block)."""
        self.notify.setblocking(False)
        try:
            while True:
                self.notify.recv(4096)
        except BlockingIOError:
            pass

    def command(self, cmd: str, arg: str | None = None) -> dict[str, object]:
        """A staff command over the control socket; its result."""
        self.drain()
        group = own_group() or "kiosk-staff"
        reply = send_command(self.socket, cmd, arg, group=group, timeout=10.0)
        if not reply.get("ok"):
            raise RuntimeError(f"kiosk refused {cmd}: {reply.get('error')}")
        return reply["result"]  # type: ignore[return-value]

    def settle(self, below: float, window: float, frame_rate: Callable[[float], bool]) -> bool:
        """Wait until two successive ``window``-second windows use less than ``below``
        % of a core with ``frame_rate(status's frame_rate)`` true after each; False if
        that did not happen before the deadline."""
        end = time.monotonic() + DEADLINE
        quiet = 0
        while time.monotonic() < end:
            share = cpu_share(self.process.pid, window)
            rate = float(self.command("status")["frame_rate"])  # type: ignore[arg-type]
            quiet = quiet + 1 if share < below and frame_rate(rate) else 0
            if quiet >= 2:
                return True
        return False

    def log(self) -> str:
        """The end of what the kiosk wrote to stdout and stderr."""
        path = self.folder / "kiosk.log"
        return path.read_text(encoding="utf-8", errors="replace")[-3000:]

    def stop(self) -> None:
        """SIGTERM, then wait for it to end (kill after the deadline)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(DEADLINE)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.notify.close()


def start_kiosk(folder: Path, size: tuple[int, int] = FULL_HD) -> KioskProcess:
    """Start ``kiosk run`` at ``size``, its config in ``folder``; return once it is READY."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "kiosk.toml"
    config.write_text(config_text(folder, size), encoding="utf-8")
    notify_path = folder / "notify.sock"
    env = dict(os.environ)
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", NOTIFY_SOCKET=str(notify_path))
    env.pop("WATCHDOG_USEC", None)
    command = [sys.executable, "-m", "kiosk", "run", "--config", str(config)]
    # The socket stays open while the kiosk runs (it goes on sending its status).
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(notify_path))
    notify.settimeout(DEADLINE)
    with open(folder / "kiosk.log", "wb") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    kiosk = KioskProcess(process, folder, notify, size)
    try:
        while True:
            message = notify.recv(4096)
            if b"READY=1" in message.split(b"\n"):
                kiosk.ready_s = time.perf_counter() - start
                return kiosk
    except TimeoutError:
        kiosk.stop()
        raise RuntimeError(f"kiosk run sent no READY=1:\n{kiosk.log()}") from None


def kiosk_figures(
    runs: int,
    windows: int,
    window_s: float,
    wanted: set[str],
    size: tuple[int, int] = FULL_HD,
) -> list[Figure]:
    """``startup`` over ``runs`` fresh processes (each ended with SIGTERM); the last
    one goes on to ``attract_cpu`` and ``static_chapter_cpu`` when wanted."""
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-kiosk-") as tmp:
        ready: list[float] = []
        cpu_wanted = bool(wanted & {"attract_cpu", "static_chapter_cpu"})
        count = runs if "startup" in wanted else 1
        for run in range(count):
            kiosk = start_kiosk(Path(tmp) / f"run-{run}", size)
            ready.append(kiosk.ready_s)
            try:
                if run == count - 1 and cpu_wanted:
                    figures += cpu_figures(kiosk, windows, window_s, wanted)
            except BaseException:
                kiosk.stop()
                raise
            kiosk.stop()
            if kiosk.process.returncode not in (0, -15):
                raise RuntimeError(f"kiosk run ended with {kiosk.process.returncode}")
        if "startup" in wanted:
            figures.insert(
                0,
                Figure(
                    "startup",
                    "s",
                    ready,
                    budget=Budget(f"median ≤ {STARTUP_BUDGET_S:g} s", "median", STARTUP_BUDGET_S),
                    size=size,
                    note=f"Popen of `python -m kiosk run` → READY=1 (first frame), {runs} runs",
                ),
            )
    return figures


def cpu_figures(
    kiosk: KioskProcess, windows: int, window_s: float, wanted: set[str]
) -> list[Figure]:
    """% of a core on the attract loop, then on chapter 3 with nothing changing."""
    figures: list[Figure] = []
    pid = kiosk.process.pid
    warmed = kiosk.settle(WARM_UP_CPU, 1.0, lambda rate: rate >= WARM_UP_FPS * FPS)
    if "attract_cpu" in wanted:
        shares = [cpu_share(pid, window_s) for _ in range(windows)]
        figures.append(
            Figure(
                "attract_cpu",
                "%",
                shares,
                budget=Budget(f"≤ {ATTRACT_BUDGET:g} % of a core", "median", ATTRACT_BUDGET),
                size=kiosk.size,
                note=f"{windows} × {window_s:g} s on the attract loop after the warm-up"
                + ("" if warmed else " (the warm-up never seemed to end)"),
            )
        )
    if "static_chapter_cpu" in wanted:
        shown = kiosk.command("goto", "3")
        settled = kiosk.settle(STATIC_CPU, 0.5, lambda rate: rate == 0.0)
        shares = [cpu_share(pid, window_s) for _ in range(windows)]
        status = kiosk.command("status")
        if status.get("screen") != "chapter" or status.get("chapter") != 3:  # type: ignore[union-attr]
            raise RuntimeError(f"the kiosk left chapter 3 while measured: {status}")
        figures.append(
            Figure(
                "static_chapter_cpu",
                "%",
                shares,
                budget=Budget(f"≤ {STATIC_BUDGET:g} % of a core", "median", STATIC_BUDGET),
                size=kiosk.size,
                note=f"{windows} × {window_s:g} s on chapter 3 ({shown}) after the transition"
                + ("" if settled and warmed else " (it never settled)"),
            )
        )
    return figures
