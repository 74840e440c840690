"""The data folder fills up or turns read-only under a running exhibit.

Statistics are skipped with one clear log line, the exhibit runs on (pages turn,
staff commands answer), ``kiosk ctl status`` says statistics are off and why, and
recording resumes once the disk works again.  The recorder's own behaviour in these
cases (a real tmpfs or a file-size limit in a writer process, kill -9, a locked or
corrupt file) is proven in ``tests/test_stats.py``; here it runs inside the exhibit.

How the disk is broken, without root where possible:

* **Full**: a file-size limit (``RLIMIT_FSIZE``) on this process, just above what
  the database files hold, with ``SIGXFSZ`` ignored.  The kernel then refuses the
  next write that would grow a file, as on a full disk (with ``EFBIG`` rather than
  ``ENOSPC``, so SQLite says "disk I/O error" rather than "database or disk is
  full"), for root too, and lifting the limit is "space freed".  SQLite's
  ``PRAGMA max_page_count`` was the alternative; it is refused inside SQLite, never
  by the kernel, so it would not exercise the real write path.
* **Read-only**: as a normal user, the folder and its files lose their write
  permission.  Root ignores permissions, so as root the folder is bind-mounted onto
  itself read-only (a real read-only file system, as when the SD card is remounted);
  without the right to mount the test is skipped.  A folder cannot turn read-only
  under an open database (the kernel refuses to remount while files are open for
  writing; permissions are checked only at open), so the exhibit *starts* on a
  read-only folder — after a reboot onto a failing card — and the folder becomes
  writable while it runs.  A write failing under an open database takes the same
  path as the full disk above.
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.stats import REOPEN_SECONDS, db_path
from tests.reliability.exhibit import Exhibit, make_site

pytestmark = pytest.mark.reliability


def visit(kiosk: Exhibit, pages: int = 3) -> int:
    """A visitor reads ``pages`` chapters and goes back to the attract loop (which ends
    the visit); returns how many presses that was."""
    assert kiosk.page()[0] == "attract"
    for _ in range(pages):
        kiosk.press("next")
    for _ in range(pages):
        kiosk.press("back")
    assert kiosk.page()[0] == "attract"
    return 2 * pages


def recorded_presses(data: Path) -> int:
    """Visitor presses in the statistics database."""
    db = sqlite3.connect(f"file:{db_path(data)}?mode=ro", uri=True)
    try:
        return db.execute("SELECT COUNT(*) FROM events WHERE kind = 'press'").fetchone()[0]
    finally:
        db.close()


def stats_log(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "kiosk.stats" and r.levelno >= logging.WARNING]


@contextlib.contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """No file of this process may grow past ``limit`` bytes (writes are cut short)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_a_full_disk_skips_statistics_once_and_recording_resumes_when_space_returns(
    tmp_path, caplog, long_run
) -> None:
    site = make_site(tmp_path, sensor=False)
    visits = 20 if long_run else 3
    with Exhibit(site) as kiosk:
        kept = sum(visit(kiosk) for _ in range(2))
        assert kiosk.stats.flush()
        assert kiosk.status()["stats"]["state"] == "ok"
        files = [Path(f"{db_path(site.data)}{suffix}") for suffix in ("", "-wal")]
        with file_size_limit(max(f.stat().st_size for f in files) + 100):
            for _ in range(visits):
                visit(kiosk)  # the pages still turn
            assert kiosk.stats.flush()
            status = kiosk.status()
            code, out, _ = kiosk.ctl("status")
        stats = status["stats"]
        assert stats["state"] == "error"
        assert stats["reason"] == "statistics are being skipped; see last_error"
        assert stats["last_error"].startswith(f"writing to {db_path(site.data)}: ")
        # SQLite's words for ENOSPC, or for EFBIG (the limit) once a write comes up short
        assert stats["last_error"].endswith(
            ("OperationalError: database or disk is full", "OperationalError: disk I/O error")
        )
        assert stats["rows_lost"] > 0
        assert code == 0 and "stats:\n  state: error\n" in out
        [line] = stats_log(caplog)  # one line for the whole outage
        assert line.levelno == logging.ERROR
        assert "skipping statistics until it works again, the exhibit runs on" in line.message
        # space freed: the next visit is recorded again, and the log says so
        kept += visit(kiosk)
        assert kiosk.stats.flush()
        assert kiosk.status()["stats"]["state"] == "ok"
        assert stats_log(caplog)[1:] and stats_log(caplog)[1].message == (
            f"statistics: writing to {db_path(site.data)} again"
        )
        assert kiosk.running.errors.recent() == []  # nothing reached the exhibit
    assert recorded_presses(site.data) == kept  # what was recorded is intact


class ReadOnlyFolder:
    """Makes a folder read-only for this process, and writable again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.mounted = False

    def make_read_only(self) -> None:
        """As a user: no write permission; as root: a read-only bind mount (or skip)."""
        if os.geteuid() != 0:
            for path in (self.folder, *self.folder.iterdir()):
                path.chmod(0o555 if path.is_dir() else 0o444)
            return
        if shutil.which("mount") is None:
            pytest.skip("root without mount(8): cannot make a folder read-only")
        bind = subprocess.run(
            ["mount", "--bind", str(self.folder), str(self.folder)], capture_output=True
        )
        if bind.returncode != 0:
            pytest.skip(f"root without the right to mount: {bind.stderr.decode().strip()}")
        self.mounted = True
        self._remount("ro")

    def make_writable(self) -> None:
        """Write access back, under the running exhibit."""
        if self.mounted:
            self._remount("rw")
        else:
            for path in (self.folder, *self.folder.iterdir()):
                path.chmod(0o755 if path.is_dir() else 0o644)

    def undo(self) -> None:
        """Leave no mount behind (after the exhibit has closed its files)."""
        if self.mounted:
            if subprocess.run(["umount", str(self.folder)], capture_output=True).returncode:
                subprocess.run(["umount", "-l", str(self.folder)], check=True)
            self.mounted = False
        else:
            self.make_writable()

    def _remount(self, mode: str) -> None:
        subprocess.run(
            ["mount", "-o", f"remount,bind,{mode}", str(self.folder)],
            check=True,
            capture_output=True,
        )


def test_a_read_only_data_folder_skips_statistics_once_and_recording_resumes_when_writable(
    tmp_path, caplog
) -> None:
    site = make_site(tmp_path, sensor=False)
    with Exhibit(site) as kiosk:  # an ordinary day, recorded
        kept = visit(kiosk)
    folder = ReadOnlyFolder(site.data)
    with contextlib.ExitStack() as stack:
        stack.callback(folder.undo)  # last: after the exhibit has closed the database
        folder.make_read_only()
        kiosk = stack.enter_context(Exhibit(site))  # the next morning, on a failing card
        for _ in range(3):
            visit(kiosk)
        assert kiosk.stats.flush()
        stats = kiosk.status()["stats"]
        assert stats["state"] == "error"
        assert stats["reason"] == "statistics are being skipped; see last_error"
        assert stats["last_error"].startswith(f"opening {db_path(site.data)}: ")
        assert stats["rows_written"] == 0 and stats["rows_lost"] > 0
        code, _, err = kiosk.ctl("screenshot", "now.png")
        assert code == 1 and ("Read-only file system" in err or "Permission denied" in err)
        [line] = stats_log(caplog)
        assert "skipping statistics until it works again, the exhibit runs on" in line.message
        # repaired: the recorder tries again (every REOPEN_SECONDS of kiosk time)
        folder.make_writable()
        kiosk.step(REOPEN_SECONDS)
        kept += visit(kiosk)
        assert kiosk.stats.flush()
        stats = kiosk.status()["stats"]
        assert stats["state"] == "ok" and stats["rows_written"] > 0
        assert stats_log(caplog)[-1].message == f"statistics: writing to {db_path(site.data)} again"
        assert len(stats_log(caplog)) == 2
        assert kiosk.ctl("screenshot", "now.png")[0] == 0
        assert kiosk.running.errors.recent() == []
    assert recorded_presses(site.data) == kept
