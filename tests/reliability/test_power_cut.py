"""Power cut: the real ``kiosk run`` killed with SIGKILL at random moments.

Each round starts ``kiosk run`` headless (SDL's dummy drivers) on a config in a
temporary folder, with ``$NOTIFY_SOCKET`` bound by the test so the kiosk's
``READY=1`` (sent once its first frame is on screen) says when start-up is done.
A :class:`~scripted_visitor.ScriptedVisitor` drives it (handshakes on a simulated
sensor, staff commands, config edits with ``reload``) until SIGKILL lands at a
seeded random moment: usually while it is being visited, sometimes during
start-up.  After every kill the statistics database passes SQLite's integrity
check with its schema intact and counts that never go backwards, the config file
and the kiosk's last good copy of it both load cleanly as configs the test wrote,
and the next start reaches its first frame with nothing logged at error level.
The figures (kills, where they landed, what the visitor did) are printed at the end
(``pytest -s``); ``pytest --long`` kills it 50 times.
"""

from __future__ import annotations

import contextlib
import grp
import os
import random
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from hardware.sim import SimulatedSensor
from kiosk.content import load_story
from kiosk.control import send_command
from kiosk.exhibit import known_illustrations
from kiosk.settings import Config, last_good_path, load_startup_config, parse_config
from kiosk.stats import DB_NAME, SCHEMA_VERSION
from tests.conftest import REPO, STORY_DIR
from tests.reliability.scripted_visitor import ScriptedVisitor, VisitorLog

pytestmark = pytest.mark.reliability

KILLS_QUICK = 8
KILLS_LONG = 50
#: Share of the kills that land during start-up rather than while the kiosk is visited.
STARTUP_KILLS = 0.25
#: A kill while visited lands this long (seconds) after the first frame.
VISITED_FOR = (0.0, 2.5)
#: An upper bound for start-up on a busy machine (about a second here), never a measurement.
READY_DEADLINE = 60.0
#: Idle timeouts of the config variants the scripted member of staff saves in turn.
IDLE_TIMEOUTS = (20, 25, 30)


@dataclass
class Site:
    """One kiosk's folder: config, data, control and notify sockets, logs."""

    root: Path
    run: Path  # short path for the sockets (at most 107 bytes)
    sensor: str
    group: str
    variant: int = 0
    written: list[str] = field(default_factory=list)

    @property
    def config_file(self) -> Path:
        """The config staff edit."""
        return self.root / "kiosk.toml"

    @property
    def data(self) -> Path:
        """The data folder: statistics and the last good config."""
        return self.root / "data"

    @property
    def control(self) -> Path:
        """The control socket."""
        return self.run / "control.sock"

    @property
    def notify(self) -> Path:
        """Where this test listens as systemd would."""
        return self.run / "notify.sock"

    def config_text(self, variant: int) -> str:
        """A good config: headless, GPIO off, the simulated sensor, statistics on."""
        return (
            "[exhibit]\n"
            f"idle_timeout = {IDLE_TIMEOUTS[variant % len(IDLE_TIMEOUTS)]}\n"
            f"credits_seconds = {5 + variant % 2}\n"
            '[display]\nsize = "640x360"\nfps = 30\n'
            f'[paths]\ndata = "{self.data}"\n'
            "[gpio]\nenabled = false\n"
            f'[sensor]\nenabled = true\nport = "{self.sensor}"\n'
            f'[control]\nsocket = "{self.control}"\ngroup = "{self.group}"\n'
            "[stats]\nenabled = true\n"
        )

    def edit_config(self) -> None:
        """Save the next variant as staff would, whole (written aside, then renamed)."""
        self.variant += 1
        text = self.config_text(self.variant)
        self.written.append(text)
        partial = self.config_file.with_name(".kiosk.toml.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, self.config_file)


@contextlib.contextmanager
def site_in(tmp_path: Path, sensor: SimulatedSensor) -> Iterator[Site]:
    """A site whose config names the simulated sensor."""
    run = Path(tempfile.mkdtemp(prefix="kiosk-pc-"))
    site = Site(tmp_path, run, sensor.path, grp.getgrgid(os.getgid()).gr_name)
    site.written.append(site.config_text(0))
    site.config_file.write_text(site.written[0], encoding="utf-8")
    try:
        yield site
    finally:
        shutil.rmtree(run, ignore_errors=True)


class Notifications:
    """The ``$NOTIFY_SOCKET`` of the kiosk: a datagram socket, as systemd listens."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))

    def drain(self) -> None:
        """Forget the messages of an earlier process."""
        self.sock.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            while True:
                self.sock.recv(4096)
        self.sock.setblocking(True)

    def wait_ready(self, deadline: float) -> bool:
        """Wait (until ``deadline``, monotonic) for ``READY=1``."""
        while (remaining := deadline - time.monotonic()) > 0:
            self.sock.settimeout(remaining)
            try:
                message = self.sock.recv(4096)
            except TimeoutError:
                return False
            if b"READY=1" in message.split(b"\n"):
                return True
        return False

    def close(self) -> None:
        """Stop listening."""
        self.sock.close()


def start_kiosk(site: Site, log: Path) -> subprocess.Popen[bytes]:
    """``kiosk run --config FILE`` headless, logging to ``log``."""
    env = {
        **os.environ,
        "SDL_VIDEODRIVER": "dummy",
        "SDL_AUDIODRIVER": "dummy",
        "NOTIFY_SOCKET": str(site.notify),
        "PYTHONPATH": str(REPO),
    }
    env.pop("JOURNAL_STREAM", None)
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "kiosk", "run", "--config", str(site.config_file)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=site.root,
        )


def problems_logged(log: Path) -> list[str]:
    """Lines logged at error level or worse, and tracebacks."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [
        line
        for line in lines
        if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")
    ]


@dataclass(frozen=True)
class Counts:
    """Rows in the statistics database."""

    sessions: int = 0
    events: int = 0
    presses: int = 0

    def at_least(self, other: Counts) -> bool:
        """No count went backwards since ``other``."""
        return (
            self.sessions >= other.sessions
            and self.events >= other.events
            and self.presses >= other.presses
        )


def check_database(data: Path) -> Counts | None:
    """Integrity, schema and counts of the statistics database (None: not created yet)."""
    path = data / DB_NAME
    assert not list(data.glob(f"{DB_NAME}.corrupt-*")), "the database was moved aside"
    if not path.exists():
        return None
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if version == 0:  # killed before the schema's transaction committed
            assert "sessions" not in tables
            return Counts()
        assert version == SCHEMA_VERSION
        assert {"sessions", "events"} <= tables
        return Counts(
            db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM events").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM events WHERE kind = 'press'").fetchone()[0],
        )
    finally:
        db.close()


def torn_transaction(data: Path) -> bool:
    """Whether the database's write-ahead log ends in frames of a transaction that never
    committed: the kill landed while the statistics were being written.

    WAL format (sqlite.org/fileformat.html): a 32-byte header (page size at byte 8,
    salts at 16 and 20), then frames of a 24-byte header (commit size at byte 4: 0
    except on a transaction's last frame; the salts at 8 and 12) and one page.
    """
    wal = data / f"{DB_NAME}-wal"
    if not wal.exists():
        return False
    log = wal.read_bytes()
    if len(log) < 32:
        return False
    page_size, _, salt1, salt2 = struct.unpack(">IIII", log[8:24])
    page_size = 65536 if page_size == 1 else page_size
    size = 24 + page_size
    pending = 0
    for offset in range(32, len(log) - size + 1, size):
        _, commit, s1, s2 = struct.unpack(">IIII", log[offset : offset + 16])
        if (s1, s2) != (salt1, salt2):  # left from before the log was last restarted
            break
        pending = 0 if commit else pending + 1
    return pending > 0


def as_written(text: str, path: Path) -> Config:
    """The config ``text`` describes, wherever it was read from."""
    config, problems = parse_config(text, path, Config())
    assert problems == []
    return replace(config, source="")


def check_configs(site: Site, started: bool) -> bool:
    """The config file loads as the variant last written; the last good copy (there
    once the kiosk has started) loads as one of the variants written.  Returns whether
    a partly written copy was left beside it (the kill landed mid-save)."""
    config, problems = load_startup_config(site.config_file, fallback_dir=site.data, save=False)
    assert problems == [], problems
    assert replace(config, source="") == as_written(site.written[-1], site.config_file)
    copy = last_good_path(site.data)
    if started:
        assert copy.is_file(), "no last good copy of the config"
    if copy.is_file():
        kept = as_written(copy.read_text(encoding="utf-8"), copy)
        assert kept in [as_written(text, copy) for text in site.written]
    leftovers = list(site.data.glob(f".{copy.name}.*.tmp"))
    for leftover in leftovers:
        leftover.unlink()  # counted once
    return bool(leftovers)


@dataclass
class Figures:
    """What the power cuts hit."""

    kills: int = 0
    during_startup: int = 0
    during_reload: int = 0
    mid_config_save: int = 0
    mid_database_write: int = 0
    handshakes: int = 0
    commands: int = 0
    reloads: int = 0
    ready_seconds: list[float] = field(default_factory=list)

    def summary(self, counts: Counts | None, seconds: float) -> str:
        """One line for the log of the run."""
        ready = sorted(self.ready_seconds)
        return (
            f"power cuts: {self.kills} kills in {seconds:.0f} s ({self.during_startup} during "
            f"start-up, {self.during_reload} during a reload, {self.mid_config_save} mid-save "
            f"of the last good config, {self.mid_database_write} mid-write of the "
            f"statistics); visitor: {self.handshakes} handshakes, "
            f"{self.commands} commands, {self.reloads} config edits; start-up to first frame "
            f"median {ready[len(ready) // 2]:.2f} s, worst {ready[-1]:.2f} s; database: "
            f"{counts}, integrity ok after every kill"
        )


def test_the_kiosk_survives_power_cuts_at_random_moments(tmp_path: Path, long_run: bool):
    story = load_story(STORY_DIR, known_illustrations())
    kills = KILLS_LONG if long_run else KILLS_QUICK
    rng = random.Random(17071975)
    figures = Figures()
    began = time.monotonic()
    counts: Counts | None = None
    with SimulatedSensor() as hand, site_in(tmp_path, hand) as site:
        notify = Notifications(site.notify)
        try:
            started = False
            for round_ in range(kills):
                notify.drain()
                log = tmp_path / f"run-{round_:02d}.log"
                spawned = time.monotonic()
                kiosk = start_kiosk(site, log)
                visitor: ScriptedVisitor | None = None
                try:
                    if figures.ready_seconds and rng.random() < STARTUP_KILLS:
                        # Somewhere in start-up (as long as the last start-up took).
                        pause = rng.uniform(0.0, figures.ready_seconds[-1])
                        threading.Event().wait(pause)  # the random moment itself
                        figures.during_startup += 1
                    else:
                        assert notify.wait_ready(spawned + READY_DEADLINE), (
                            f"round {round_}: no first frame after a restart:\n"
                            + log.read_text(errors="replace")
                        )
                        figures.ready_seconds.append(time.monotonic() - spawned)
                        started = True
                        # Live control is back (the socket left by the kill replaced).
                        status = send_command(site.control, "status", group="", timeout=30)
                        assert status["ok"] and status["result"]["pid"] == kiosk.pid, status
                        visitor = ScriptedVisitor(
                            site.control,
                            hand,
                            site.edit_config,
                            story.codes,
                            story.chapter_count,
                            seed=round_,
                        )
                        visitor.start()
                        threading.Event().wait(rng.uniform(*VISITED_FOR))  # the random moment
                finally:
                    kiosk.send_signal(signal.SIGKILL)
                    kiosk.wait(timeout=30)
                    figures.kills += 1
                if visitor is not None:
                    done: VisitorLog = visitor.stop()
                    figures.handshakes += done.handshakes
                    figures.commands += sum(done.commands.values())
                    figures.reloads += done.reloads
                    figures.during_reload += done.in_flight == "reload"

                assert problems_logged(log) == [], f"round {round_}"
                figures.mid_database_write += torn_transaction(site.data)
                now = check_database(site.data)
                if now is not None:
                    assert now.at_least(counts or Counts()), (round_, counts, now)
                    counts = now
                figures.mid_config_save += check_configs(site, started)

            # The restart after the last power cut, and a clean stop.
            notify.drain()
            log = tmp_path / "run-last.log"
            spawned = time.monotonic()
            kiosk = start_kiosk(site, log)
            try:
                assert notify.wait_ready(spawned + READY_DEADLINE), log.read_text(errors="replace")
                figures.ready_seconds.append(time.monotonic() - spawned)
            finally:
                kiosk.send_signal(signal.SIGTERM)
                assert kiosk.wait(timeout=30) == 0
            assert problems_logged(log) == []
            final = check_database(site.data)
            assert final is not None and final.at_least(counts or Counts())
            assert check_configs(site, started=True) is False
        finally:
            notify.close()
    assert figures.handshakes > 0 and figures.reloads > 0
    assert final.presses > 0  # the handshakes were counted as visitor presses
    print(figures.summary(final, time.monotonic() - began))
