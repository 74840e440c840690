"""Visitor statistics: sessions, chapters, dockings, handshakes, presses, in SQLite.

:class:`StatsRecorder` is an :class:`~kiosk.core.events.ExhibitObserver`.  Its
``on_input``/``on_state`` only put the call on a bounded queue and return; a
writer thread turns them into rows with the pure
:class:`~kiosk.core.sessions.SessionTracker` and writes whatever has queued up in
one transaction.  The database is in WAL mode with ``synchronous=FULL``: a
committed row survives a power cut or ``kill -9``, and a half-written
transaction is rolled back on the next open.

Disk trouble never reaches the exhibit: a folder that cannot be written, a full
disk or a locked database is logged once (and once more when writing works
again), counted in :meth:`StatsRecorder.status`, and the rows are skipped.  A
database file that is not a database (or fails its check) is moved aside with
a log line and a new one is started.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.events import ExhibitState, InputEvent
from kiosk.core.sessions import Record, SessionTracker
from kiosk.exc import CorruptDatabase

if TYPE_CHECKING:
    from kiosk.settings import Config

log = logging.getLogger(__name__)

DB_NAME = "stats.sqlite3"
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,          -- Unix time of the first press
    ended REAL,                     -- Unix time of the return to attract (NULL: cut short)
    end_reason TEXT,                -- 'timeout', 'visitor' or 'sleep'
    language TEXT NOT NULL          -- at the start, then the one the visit ended in
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,               -- Unix time
    session INTEGER REFERENCES sessions(id),
    kind TEXT NOT NULL,             -- 'press', 'chapter', 'docking', 'credits'
    value TEXT NOT NULL             -- action, 0-based chapter number, or ''
);
CREATE INDEX events_at ON events(at);
CREATE INDEX sessions_started ON sessions(started);
"""
#: Calls waiting for the writer; beyond this (a stuck disk) new ones are dropped.
QUEUE_LIMIT = 10_000
#: After the database could not be opened, try again this often (seconds).
REOPEN_SECONDS = 60.0
#: How long a write waits for another connection's lock before giving up.
BUSY_TIMEOUT = 2.0

_STOP = object()


def db_path(data_dir: Path) -> Path:
    """The statistics database in the data folder."""
    return data_dir / DB_NAME


def open_database(path: Path, busy_timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """Open (creating if needed) the statistics database for writing.

    Raises :class:`CorruptDatabase` for a file that is not a sound database and
    :class:`sqlite3.Error` / :class:`OSError` for other trouble.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    try:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            check = db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and not _is_corruption(exc):
                raise
            raise CorruptDatabase(str(exc)) from exc
        if check != "ok":
            raise CorruptDatabase(check)
        db.execute("BEGIN IMMEDIATE")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        elif version != SCHEMA_VERSION:  # a newer kiosk's file: leave it alone
            db.execute("ROLLBACK")
            raise sqlite3.OperationalError(
                f"schema version {version} is not {SCHEMA_VERSION} (made by another kiosk version)"
            )
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.close()
        raise
    return db


def _is_corruption(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def move_aside(path: Path, stamp: float) -> Path:
    """Rename a damaged database (and its -wal/-shm files) out of the way."""
    suffix = time.strftime("%Y%m%d-%H%M%S", time.gmtime(stamp))
    target = path.with_name(f"{path.name}.corrupt-{suffix}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.corrupt-{suffix}-{number}")
    for extra in ("", "-wal", "-shm"):
        source = Path(f"{path}{extra}")
        if source.exists():
            source.rename(Path(f"{target}{extra}"))
    return target


class StatsRecorder:
    """Records visitor statistics in ``path`` without ever slowing the frame loop.

    ``enabled=False`` records nothing; ``status()`` then says why (``reason``).
    ``idle_timeout`` is the exhibit's, so a visit that ended without a screen
    change is closed at the right time.  ``clock`` (monotonic) paces re-opening;
    ``busy_timeout`` is how long a write waits for another connection's lock.
    """

    def __init__(
        self,
        path: Path,
        *,
        idle_timeout: float = 90.0,
        enabled: bool = True,
        reason: str = "",
        clock: Callable[[], float] = time.monotonic,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self.enabled = enabled
        self._clock = clock
        self._tracker = SessionTracker(idle_timeout)
        self._queue: queue.Queue[object] = queue.Queue(QUEUE_LIMIT)
        self._lock = threading.Lock()
        self._state = "starting" if enabled else "disabled"
        self._reason = reason if not enabled else ""
        self._rows = 0
        self._lost = 0
        self._dropped = 0
        self._last_error: str | None = None
        self._last_error_at: float | None = None
        self._db: sqlite3.Connection | None = None
        self._retry_at = float("-inf")
        self._failing = False
        self._ids: dict[int, int] = {}  # tracker session number → sessions.id
        self._thread: threading.Thread | None = None
        if enabled:
            self._thread = threading.Thread(target=self._run, name="stats-writer", daemon=True)
            self._thread.start()

    @classmethod
    def from_config(cls, config: Config) -> StatsRecorder:
        """The recorder for ``config``: ``<data>/stats.sqlite3``, off if ``[stats]`` says so."""
        return cls(
            db_path(config.data_dir),
            idle_timeout=config.idle_timeout,
            enabled=config.stats,
            reason="" if config.stats else "turned off in the config ([stats] enabled = false)",
        )

    # -- the observer side: called on the app's thread, return at once ---------------

    def on_input(self, event: InputEvent, wall: float) -> None:
        """Queue a visitor (or staff) input."""
        self._put(("input", event, wall))

    def on_state(self, state: ExhibitState, wall: float) -> None:
        """Queue a change of screen, chapter or language."""
        self._put(("state", state, wall))

    def on_config(self, config: Config) -> None:
        """The config was reloaded: judge visits from now on by its idle timeout."""
        self.set_idle_timeout(config.idle_timeout)

    def set_idle_timeout(self, seconds: float) -> None:
        """Use ``seconds`` as the idle timeout for the inputs that follow (queued in order)."""
        self._put(("idle_timeout", seconds, 0.0))

    def _put(self, item: object) -> None:
        if not self.enabled:
            return
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            with self._lock:
                self._dropped += 1
                first = self._dropped == 1
            if first:
                log.error("statistics: the writer is not keeping up; dropping new events")

    def flush(self, timeout: float | None = 10.0) -> bool:
        """Wait until everything queued so far is written (or given up on)."""
        if self._thread is None or not self._thread.is_alive():
            return True
        done = threading.Event()
        try:
            self._queue.put(done, timeout=timeout)
        except queue.Full:
            return False
        return done.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop the writer and close the database."""
        if self._thread is None:
            return
        with contextlib.suppress(queue.Full):
            self._queue.put(_STOP, timeout=timeout)
        self._thread.join(timeout)
        self._thread = None

    def status(self) -> dict[str, object]:
        """For staff (``kiosk ctl status``): ok / disabled and why / rows written / last error."""
        with self._lock:
            return {
                "state": self._state,
                "reason": self._reason or None,
                "path": str(self.path),
                "rows_written": self._rows,
                "rows_lost": self._lost + self._dropped,
                "queued": self._queue.qsize(),
                "last_error": self._last_error,
                "last_error_at": self._last_error_at,
            }

    # -- the writer thread ---------------------------------------------------------

    def _run(self) -> None:
        self._open()
        stop = False
        while not stop:
            batch = [self._queue.get()]
            while len(batch) < 1000:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            waiters = [item for item in batch if isinstance(item, threading.Event)]
            stop = any(item is _STOP for item in batch)
            records: list[Record] = []
            for item in batch:
                if isinstance(item, tuple):
                    kind, payload, wall = item
                    try:
                        if kind == "idle_timeout":
                            self._tracker.set_idle_timeout(payload)
                        elif kind == "input":
                            records += self._tracker.on_input(payload, wall)
                        else:
                            records += self._tracker.on_state(payload, wall)
                    except Exception as exc:  # a bug here must not stop the writer
                        self._note_error(f"{type(exc).__name__}: {exc}", "reading an event", exc)
            if records:
                try:
                    self._write(records)
                except Exception as exc:  # never let the writer die: the queue would fill
                    with self._lock:
                        self._lost += len(records)
                    doing = f"writing to {self.path}"
                    self._note_error(f"{type(exc).__name__}: {exc}", doing, exc)
            for waiter in waiters:
                waiter.set()
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        with self._lock:
            if self._state in ("ok", "starting"):
                self._state = "closed"

    def _open(self) -> bool:
        if self._db is not None:
            return True
        now = self._clock()
        if now < self._retry_at:
            return False
        self._retry_at = now + REOPEN_SECONDS
        try:
            try:
                self._db = open_database(self.path, self.busy_timeout)
            except CorruptDatabase as exc:
                aside = move_aside(self.path, time.time())
                log.error(
                    "statistics: %s was damaged (%s); moved it to %s and started a new one",
                    self.path,
                    exc,
                    aside,
                )
                self._db = open_database(self.path, self.busy_timeout)
        except (sqlite3.Error, OSError, CorruptDatabase) as exc:
            self._note_error(f"{type(exc).__name__}: {exc}", f"opening {self.path}")
            return False
        with self._lock:
            self._state = "ok"
            self._reason = ""
        return True

    def _write(self, records: list[Record]) -> None:
        if not self._open():
            with self._lock:
                self._lost += len(records)
            return
        db = self._db
        assert db is not None
        added: dict[int, int] = {}
        changes = db.total_changes
        try:
            db.execute("BEGIN IMMEDIATE")
            for record in records:
                self._store(db, record, added)
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            with self._lock:
                self._lost += len(records)
            self._note_error(f"{type(exc).__name__}: {exc}", f"writing to {self.path}")
            if isinstance(exc, sqlite3.DatabaseError) and _is_corruption(exc):
                with contextlib.suppress(sqlite3.Error):
                    db.close()
                self._db = None
                self._ids.clear()
                self._retry_at = float("-inf")
                with contextlib.suppress(OSError):
                    aside = move_aside(self.path, time.time())
                    log.error("statistics: moved the damaged %s to %s", self.path, aside)
            return
        except Exception:  # a bug: never leave the transaction open (every write would fail)
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise
        self._ids.update(added)
        for record in records:  # a visit that ended is never written to again
            if record.kind == "end" and record.session is not None:
                self._ids.pop(record.session, None)
        # Only rows really written show the disk works again: the records of a visit
        # whose start was lost change nothing, and a transaction that changes nothing
        # commits even on a full disk.
        wrote = db.total_changes != changes
        with self._lock:
            self._rows += len(records)
            recovered = False
            if wrote or not self._failing:
                self._state = "ok"
                self._reason = ""
                recovered, self._failing = self._failing, False
        if recovered:
            log.warning("statistics: writing to %s again", self.path)

    def _store(self, db: sqlite3.Connection, record: Record, added: dict[int, int]) -> None:
        session = None
        if record.session is not None:
            session = added.get(record.session, self._ids.get(record.session))
        if record.kind == "start":
            cursor = db.execute(
                "INSERT INTO sessions (started, language) VALUES (?, ?)",
                (record.at, record.value),
            )
            if record.session is not None and cursor.lastrowid is not None:
                added[record.session] = cursor.lastrowid
        elif record.kind == "end":
            if session is not None:
                db.execute(
                    "UPDATE sessions SET ended = ?, end_reason = ?, language = ? WHERE id = ?",
                    (record.at, record.value, record.language, session),
                )
        else:
            db.execute(
                "INSERT INTO events (at, session, kind, value) VALUES (?, ?, ?, ?)",
                (record.at, session, record.kind, record.value),
            )

    def _note_error(self, message: str, doing: str, bug: BaseException | None = None) -> None:
        """Remember an error; log it only when a run of trouble starts (with the
        traceback of ``bug``, an exception that is not disk or database trouble)."""
        with self._lock:
            self._last_error = f"{doing}: {message}"
            self._last_error_at = time.time()
            first, self._failing = not self._failing, True
            self._state = "error"
            self._reason = "statistics are being skipped; see last_error"
        if first:
            log.error(
                "statistics: %s failed (%s); skipping statistics until it works again, "
                "the exhibit runs on",
                doing,
                message,
                exc_info=bug,
            )
