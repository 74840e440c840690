"""Visitor statistics: sessions from events, real SQLite, reports, disk trouble, kill -9."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from kiosk import stats_report
from kiosk.control import Request
from kiosk.core.events import Action, ExhibitState, InputEvent
from kiosk.core.sessions import Record, SessionTracker
from kiosk.stats import StatsRecorder, db_path
from kiosk.stats_report import daily_report, format_csv, format_json, format_table

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "ru", "nb")
T0 = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC).timestamp()  # 10:00 in Oslo


def state(screen: str, language: str = "en", chapter: int | None = None) -> ExhibitState:
    return ExhibitState(screen, True, True, True, language, chapter)


def press(action: Action, source: str = "gpio") -> InputEvent:
    return InputEvent(action, source)


# --- The pure session tracker ---------------------------------------------------------


def test_a_visit_that_times_out():
    tracker = SessionTracker(idle_timeout=90)
    out: list[Record] = []
    out += tracker.on_state(state("attract"), 0)
    out += tracker.on_input(press(Action.NEXT), 10)
    out += tracker.on_state(state("chapter", chapter=0), 10)
    out += tracker.on_input(press(Action.NEXT), 20)
    out += tracker.on_state(state("chapter", chapter=1), 20)
    out += tracker.on_input(press(Action.BACK), 30)
    out += tracker.on_state(state("chapter", chapter=0), 30)
    out += tracker.on_input(press(Action.LANGUAGE), 35)
    out += tracker.on_state(state("chapter", "ru", chapter=0), 35)
    out += tracker.on_state(state("attract"), 125)  # idle: back to attract and English
    assert out == [
        Record("start", 10, 1, "en"),
        Record("press", 10, 1, "next"),
        Record("chapter", 10, 1, "0"),
        Record("press", 20, 1, "next"),
        Record("chapter", 20, 1, "1"),
        Record("press", 30, 1, "back"),
        Record("press", 35, 1, "language"),
        Record("end", 125, 1, "timeout", "ru"),
    ]


def test_a_docking_from_attract_ends_when_the_visitor_presses_on():
    tracker = SessionTracker()
    tracker.on_state(state("attract"), 0)
    out = tracker.on_input(press(Action.HANDSHAKE, "serial"), 5)
    out += tracker.on_state(state("docking"), 5)
    out += tracker.on_state(state("credits"), 80)
    out += tracker.on_input(press(Action.NEXT), 90)
    out += tracker.on_state(state("attract"), 90)
    out += tracker.on_input(press(Action.DOCK), 100)  # the next visitor
    assert [(r.kind, r.at, r.session, r.value) for r in out] == [
        ("start", 5, 1, "en"),
        ("press", 5, 1, "handshake"),
        ("docking", 5, 1, ""),
        ("credits", 80, 1, ""),
        ("press", 90, 1, "next"),
        ("end", 90, 1, "visitor"),
        ("start", 100, 2, "en"),
        ("press", 100, 2, "dock"),
    ]


def test_staff_commands_and_the_chord_are_not_visitors():
    tracker = SessionTracker()
    tracker.on_state(state("attract"), 0)
    assert tracker.on_input(press(Action.NEXT, "staff"), 1) == []
    assert tracker.on_state(state("chapter", chapter=0), 1) == []
    assert tracker.on_input(press(Action.STAFF), 2) == []
    assert tracker.on_input(press(Action.HANDSHAKE_END, "serial"), 3) == []
    assert tracker.on_state(state("attract"), 4) == []
    assert tracker.session is None


def test_a_language_only_visit_on_attract_times_out_at_the_next_press():
    tracker = SessionTracker(idle_timeout=90)
    tracker.on_state(state("attract"), 0)
    out = tracker.on_input(press(Action.LANGUAGE), 10)
    out += tracker.on_state(state("attract", "ru"), 10)
    out += tracker.on_input(press(Action.LANGUAGE), 12)
    out += tracker.on_state(state("attract", "nb"), 12)
    out += tracker.on_input(press(Action.LANGUAGE), 14)
    out += tracker.on_state(state("attract", "en"), 14)  # back to English: no idle reset
    out += tracker.on_input(press(Action.NEXT), 500)  # someone new
    assert [(r.kind, r.at, r.session, r.value) for r in out if r.kind != "press"] == [
        ("start", 10, 1, "en"),
        ("end", 104, 1, "timeout"),
        ("start", 500, 2, "en"),
    ]


def test_closing_time_ends_a_visit_and_presses_in_the_dark_have_no_session():
    tracker = SessionTracker()
    tracker.on_state(state("attract"), 0)
    tracker.on_input(press(Action.NEXT), 1)
    tracker.on_state(state("chapter", chapter=0), 1)
    assert tracker.on_state(state("sleep"), 50) == [Record("end", 50, 1, "sleep", "en")]
    assert tracker.on_input(press(Action.NEXT), 60) == [Record("press", 60, None, "next")]


# --- A visitor simulation that keeps its own tally --------------------------------------


@dataclass
class Tally:
    """What the simulated visitors did, counted independently of the code under test."""

    visits: int = 0
    presses: Counter[str] = field(default_factory=Counter)
    chapters: Counter[int] = field(default_factory=Counter)  # 1-based
    dockings: int = 0
    finished: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)


def visit(recorder, rng: random.Random, wall: float, tally: Tally) -> float:
    """One visitor from the first press to the return to attract; returns the time after."""
    language = "en"
    reached: set[int] = set()

    def do(action: Action) -> None:
        recorder.on_input(press(action), wall)
        tally.presses[action.value] += 1

    def show(screen: str, chapter: int | None = None) -> None:
        recorder.on_state(state(screen, language, chapter), wall)

    start = wall
    tally.visits += 1
    for _ in range(rng.randint(0, 2)):
        do(Action.LANGUAGE)
        language = LANGUAGES[(LANGUAGES.index(language) + 1) % 3]
        show("attract")
        wall += rng.uniform(0.5, 3)
    do(Action.NEXT)
    chapter = 0
    show("chapter", chapter)
    reached.add(chapter)
    for _ in range(rng.randint(0, 25)):
        wall += rng.uniform(2, 40)
        action = rng.choice([Action.NEXT, Action.NEXT, Action.NEXT, Action.BACK, Action.LANGUAGE])
        do(action)
        if action is Action.NEXT:
            chapter = min(chapter + 1, 12)
        elif action is Action.BACK:
            chapter = max(chapter - 1, 0)
        else:
            language = LANGUAGES[(LANGUAGES.index(language) + 1) % 3]
        show("chapter", chapter)
        reached.add(chapter)
    at_credits = False
    if rng.random() < 0.4:
        wall += rng.uniform(2, 20)
        do(rng.choice([Action.DOCK, Action.HANDSHAKE]))
        show("docking")
        tally.dockings += 1
        wall += 75
        show("credits")
        tally.finished += 1
        at_credits = True
    if at_credits and rng.random() < 0.5:
        wall += rng.uniform(2, 20)
        do(Action.NEXT)
    else:
        wall += 90
    tally.languages[language] += 1
    language = "en"
    show("attract")
    tally.chapters.update(n + 1 for n in reached)
    tally.seconds.append(wall - start)
    return wall + rng.uniform(5, 600)


def drive(recorder, visits: int, seed: int, wall: float = T0) -> tuple[Tally, float]:
    rng = random.Random(seed)
    tally = Tally()
    recorder.on_state(state("attract"), wall)
    for _ in range(visits):
        wall = visit(recorder, rng, wall, tally)
    return tally, wall


@pytest.fixture
def recorder(tmp_path):
    rec = StatsRecorder(db_path(tmp_path), busy_timeout=0.2)
    yield rec
    rec.close()


def test_counts_equal_what_was_driven_in(recorder, tmp_path):
    tally, _ = drive(recorder, 60, seed=7)
    recorder.close()
    assert recorder.status()["last_error"] is None
    total = daily_report(db_path(tmp_path), "Europe/Oslo").total
    assert total.visits == tally.visits
    assert dict(total.presses) == dict(tally.presses)
    assert total.handshakes == tally.presses["handshake"]
    assert dict(total.chapters) == dict(tally.chapters)
    assert (total.dockings, total.finished) == (tally.dockings, tally.finished)
    assert dict(total.languages) == dict(tally.languages)
    assert sorted(total.visit_seconds) == pytest.approx(sorted(tally.seconds))


def test_schema_is_versioned_and_durable(recorder, tmp_path):
    drive(recorder, 1, seed=1)
    assert recorder.flush()
    db = sqlite3.connect(db_path(tmp_path))
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.close()
    assert recorder.status()["state"] == "ok" and recorder.status()["rows_written"] > 0


def test_turned_off_in_the_config_records_nothing(tmp_path):
    from kiosk.settings import Config

    rec = StatsRecorder.from_config(Config(data_dir=tmp_path, stats=False))
    drive(rec, 3, seed=2)
    rec.close()
    assert not db_path(tmp_path).exists()
    status = rec.status()
    assert status["state"] == "disabled" and "[stats] enabled = false" in status["reason"]


# --- Daily figures ---------------------------------------------------------------------


def two_visits_around_midnight(recorder) -> None:
    """One visit at 23:30 and one at 00:30 Oslo summer time (21:30 and 22:30 UTC)."""
    for start in (
        dt.datetime(2026, 7, 1, 21, 30, tzinfo=dt.UTC).timestamp(),
        dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC).timestamp(),
    ):
        recorder.on_state(state("attract"), start - 1)
        recorder.on_input(press(Action.HANDSHAKE, "serial"), start)
        recorder.on_state(state("docking"), start)
        recorder.on_state(state("credits"), start + 70)
        recorder.on_state(state("attract"), start + 110)
    assert recorder.flush()


def test_days_are_the_museums_local_days(recorder, tmp_path):
    two_visits_around_midnight(recorder)
    oslo = daily_report(db_path(tmp_path), "Europe/Oslo")
    assert [(d.day, d.visits, d.handshakes) for d in oslo.days] == [
        ("2026-07-01", 1, 1),
        ("2026-07-02", 1, 1),
    ]
    utc = daily_report(db_path(tmp_path), "UTC")
    assert [(d.day, d.visits) for d in utc.days] == [("2026-07-01", 2)]


def test_a_period_lists_quiet_days_too(recorder, tmp_path):
    two_visits_around_midnight(recorder)
    report = daily_report(
        db_path(tmp_path), "Europe/Oslo", dt.date(2026, 6, 30), dt.date(2026, 7, 3)
    )
    assert [(d.day, d.visits) for d in report.days] == [
        ("2026-06-30", 0),
        ("2026-07-01", 1),
        ("2026-07-02", 1),
        ("2026-07-03", 0),
    ]
    only_second = daily_report(db_path(tmp_path), "Europe/Oslo", dt.date(2026, 7, 2))
    assert [(d.day, d.visits, d.dockings) for d in only_second.days] == [("2026-07-02", 1, 1)]


def test_report_formats(recorder, tmp_path):
    tally, _ = drive(recorder, 12, seed=3)
    assert recorder.flush()
    report = daily_report(db_path(tmp_path), "Europe/Oslo")

    rows = list(csv.DictReader(io.StringIO(format_csv(report))))
    assert [r["date"] for r in rows] == [d.day for d in report.days] + ["total"]
    total = rows[-1]
    assert int(total["visits"]) == tally.visits
    assert int(total["presses_next"]) == tally.presses["next"]
    assert int(total["dockings"]) == tally.dockings
    assert int(total["chapter_1"]) == tally.chapters[1]
    for code, count in tally.languages.items():
        assert int(total[f"visits_{code}"]) == count
    assert sum(int(r["visits"]) for r in rows[:-1]) == tally.visits

    data = json.loads(format_json(report))
    assert data["timezone"] == "Europe/Oslo"
    assert data["total"]["presses"] == dict(sorted(tally.presses.items()))
    assert data["total"]["chapters_reached"] == {
        str(n): c for n, c in sorted(tally.chapters.items())
    }
    assert data["total"]["finished"] == tally.finished

    table = format_table(report).splitlines()
    header = table[2].split()
    total_row = next(line for line in table if line.startswith("total")).split()
    assert header[:2] == ["date", "visits"] and int(total_row[1]) == tally.visits
    mean = sum(tally.seconds) / len(tally.seconds)
    assert total_row[2] == f"{round(mean) // 60}:{round(mean) % 60:02d}"


def test_the_report_reads_while_the_kiosk_writes(recorder, tmp_path):
    tally, wall = drive(recorder, 3, seed=4)
    assert recorder.flush()
    assert daily_report(db_path(tmp_path)).total.visits == tally.visits
    more, _ = drive(recorder, 2, seed=5, wall=wall)
    assert recorder.flush()
    assert daily_report(db_path(tmp_path)).total.visits == tally.visits + more.visits
    assert recorder.status()["state"] == "ok"


def test_kiosk_stats_command(tmp_path, capsys):
    from kiosk.cli import main

    rec = StatsRecorder(db_path(tmp_path / "data"))
    two_visits_around_midnight(rec)
    rec.close()
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[paths]\ndata = "{tmp_path / "data"}"\n[hours]\ntimezone = "Europe/Oslo"\n',
        encoding="utf-8",
    )
    args = ["stats", "--config", str(config), "--since", "2026-07-02", "--format", "json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["date"], d["visits"]) for d in data["days"]] == [("2026-07-02", 1)]
    assert main(["stats", "--config", str(config)]) == 0
    assert "2026-07-01" in capsys.readouterr().out
    config.write_text(f'[paths]\ndata = "{tmp_path / "empty"}"\n', encoding="utf-8")
    assert main(["stats", "--config", str(config)]) == 1
    assert "no statistics database" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["stats", "--since", "July"])
    assert "expected a date such as 2026-07-17, got 'July'" in capsys.readouterr().err


# --- Disk trouble: one log line, the exhibit runs on, status says why ---------------------


def stats_errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "kiosk.stats"]


def test_a_data_folder_that_cannot_exist(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    rec = StatsRecorder(db_path(blocker / "data"))
    drive(rec, 5, seed=6)
    assert rec.flush()
    rec.close()
    status = rec.status()
    assert status["state"] == "error" and status["rows_written"] == 0
    assert "opening" in status["last_error"] and status["rows_lost"] > 0
    [line] = stats_errors(caplog)
    assert "skipping statistics until it works again" in line


def test_a_locked_database_is_skipped_then_written_again(recorder, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    drive(recorder, 1, seed=8)
    assert recorder.flush()
    other = sqlite3.connect(db_path(tmp_path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        for _ in range(3):
            drive(recorder, 1, seed=9)
            assert recorder.flush()
        assert "locked" in recorder.status()["last_error"]
        assert recorder.status()["state"] == "error"
    finally:
        other.execute("ROLLBACK")
        other.close()
    drive(recorder, 1, seed=10, wall=T0 + 86400)
    assert recorder.flush()
    assert recorder.status()["state"] == "ok"
    assert stats_errors(caplog) == [
        stats_errors(caplog)[0],
        f"statistics: writing to {db_path(tmp_path)} again",
    ]
    assert "database is locked" in stats_errors(caplog)[0]


def test_a_corrupt_file_is_moved_aside_and_a_new_one_started(tmp_path, caplog):
    path = db_path(tmp_path)
    garbage = b"this is not a database, it is a shopping list\n" * 200
    path.write_bytes(garbage)
    rec = StatsRecorder(path)
    tally, _ = drive(rec, 4, seed=11)
    rec.close()
    [aside] = tmp_path.glob("stats.sqlite3.corrupt-*")
    assert aside.read_bytes() == garbage
    assert daily_report(path).total.visits == tally.visits
    [line] = stats_errors(caplog)
    assert "was damaged" in line and str(aside) in line


def test_queue_full_drops_and_never_blocks(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr("kiosk.stats.QUEUE_LIMIT", 5)
    rec = StatsRecorder(db_path(tmp_path), busy_timeout=0.2)
    rec.flush()
    other = sqlite3.connect(db_path(tmp_path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # the writer is stuck behind this lock
    try:
        drive(rec, 5, seed=12)  # far more than 5 calls: each returns at once
        assert rec.status()["rows_lost"] > 0
    finally:
        other.execute("ROLLBACK")
        other.close()
        rec.close()
    assert sum("not keeping up" in m for m in stats_errors(caplog)) == 1


# Real processes: a read-only file system, a full one, and kill -9 at random moments.

WRITER = """
import json, logging, random, sys
from pathlib import Path
logging.basicConfig(level=logging.INFO, format="LOG %(levelname)s %(name)s: %(message)s")
from kiosk.core.events import Action, ExhibitState, InputEvent
from kiosk.stats import StatsRecorder

args = json.loads(sys.argv[1])
rec = StatsRecorder(Path(args["db"]), busy_timeout=0.5)
rng = random.Random(args["seed"])
wall = args["wall"]
presses = 0
print(json.dumps({"ready": True}), flush=True)
visit = 0
while args["visits"] < 0 or visit < args["visits"]:
    visit += 1
    rec.on_state(ExhibitState("attract", True, True, True, "en"), wall)
    for chapter in range(rng.randint(1, 13)):
        wall += rng.uniform(1, 30)
        rec.on_input(InputEvent(Action.NEXT, "gpio"), wall)
        presses += 1
        rec.on_state(ExhibitState("chapter", True, True, True, "en", chapter), wall)
    wall += 90
    rec.on_state(ExhibitState("attract", True, True, True, "en"), wall)
    rec.flush()
    print(json.dumps({"presses": presses, "status": rec.status()}), flush=True)
rec.close()
print(json.dumps({"done": True, "status": rec.status()}), flush=True)
"""


def writer(args: dict, *, wrap: list[str] | None = None, **popen) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", WRITER, json.dumps(args)]
    if wrap:
        command = [*wrap, *command]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
        **popen,
    )


def can_remount() -> bool:
    """Root with mount namespaces (to make a real read-only or tiny file system)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return probe.returncode == 0


def in_namespace(setup: str) -> list[str]:
    return ["unshare", "-m", "sh", "-ec", f'{setup}; exec "$@"', "sh"]


def finish(process: subprocess.Popen[str]) -> tuple[list[dict], str]:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return [json.loads(line) for line in out.splitlines()], err


def log_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("LOG ")]


def test_a_read_only_data_folder(tmp_path):
    data = tmp_path / "data"
    rec = StatsRecorder(db_path(data))
    drive(rec, 2, seed=13)
    rec.close()
    before = daily_report(db_path(data)).total.presses.total()
    if can_remount():  # a real read-only file system, as when the SD card is remounted
        wrap = in_namespace(f"mount --bind {data} {data}; mount -o remount,bind,ro {data}")
        process = writer({"db": str(db_path(data)), "seed": 1, "wall": T0, "visits": 4}, wrap=wrap)
    elif os.geteuid() != 0:
        data.chmod(0o555)
        for item in data.iterdir():
            item.chmod(0o444)
        process = writer({"db": str(db_path(data)), "seed": 1, "wall": T0, "visits": 4})
    else:
        pytest.skip("root without mount namespaces: cannot make a read-only folder")
    try:
        lines, err = finish(process)
    finally:
        data.chmod(0o755)
        for item in data.iterdir():
            item.chmod(0o644)
    status = lines[-1]["status"]
    assert lines[-1]["done"] and status["state"] == "error" and status["rows_written"] == 0
    assert "readonly" in status["last_error"] or "read-only" in status["last_error"]
    [line] = log_lines(err)
    assert "skipping statistics until it works again" in line
    assert daily_report(db_path(data)).total.presses.total() == before


def test_a_full_disk(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    args = {"db": str(db_path(data)), "seed": 2, "wall": T0, "visits": 400}
    if can_remount():  # a real 200 KiB file system: ENOSPC
        process = writer(args, wrap=in_namespace(f"mount -t tmpfs -o size=200k kiosk {data}"))
    else:  # a file-size limit: the kernel refuses writes past 200 KiB
        limit = 200 * 1024

        def small_files() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        process = writer(args, preexec_fn=small_files)
    lines, err = finish(process)
    progress = [line for line in lines if "presses" in line]
    assert progress[0]["status"]["state"] == "ok"  # it worked until the disk filled up
    status = lines[-1]["status"]
    assert lines[-1]["done"] and status["state"] == "error" and status["rows_lost"] > 0
    assert "full" in status["last_error"] or "I/O" in status["last_error"]
    [line] = log_lines(err)  # one line for the whole run of failures
    assert "skipping statistics until it works again" in line


def test_statistics_survive_kill_9(tmp_path):
    """Kill a writer at random moments 100 times: the file always opens, counts never drop."""
    rng = random.Random(20260717)
    path = db_path(tmp_path)
    committed = 0
    wall = T0
    for round_ in range(100):
        process = writer({"db": str(path), "seed": round_, "wall": wall, "visits": -1})
        assert process.stdout is not None
        reported = 0
        for _ in range(1 + rng.randint(0, 3)):  # "ready", then 0–3 flushed visits
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else ""
            reported = json.loads(line).get("presses", reported)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
        wall += 86400
        if not path.exists():
            continue
        db = sqlite3.connect(path)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:  # killed before the schema's transaction committed
                assert committed == 0 and reported == 0
                continue
            assert version == 1
            presses = db.execute("SELECT COUNT(*) FROM events WHERE kind = 'press'").fetchone()
        finally:
            db.close()
        # Never backwards, and everything the writer said it had written is there.
        assert presses[0] >= committed + reported
        committed = presses[0]
    assert committed > 0


def test_a_database_from_a_newer_kiosk_is_left_alone(tmp_path, caplog):
    path = db_path(tmp_path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 2")
    db.close()
    rec = StatsRecorder(path)
    drive(rec, 1, seed=14)
    rec.close()
    status = rec.status()
    assert status["state"] == "error" and "schema version 2 is not 1" in status["last_error"]
    assert list(tmp_path.glob("*.corrupt-*")) == []
    assert len(stats_errors(caplog)) == 1


def test_a_finished_visit_is_forgotten_by_the_writer(recorder):
    drive(recorder, 40, seed=11)
    assert recorder.flush()
    assert recorder.status()["rows_written"] > 40
    assert len(recorder._ids) <= 1  # at most the visit still under way


def sessions_in(path: Path) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT started, ended, end_reason FROM sessions ORDER BY id").fetchall()
    finally:
        db.close()


def test_a_reload_gives_the_session_tracker_the_new_idle_timeout(tmp_path, clock, pygame_ready):
    import pygame

    from kiosk.content import load_story
    from kiosk.exhibit import known_illustrations
    from kiosk.settings import Config
    from tests.conftest import STORY_DIR
    from tests.support.exhibit import app_for

    story = load_story(STORY_DIR, known_illustrations())
    recorder = StatsRecorder(db_path(tmp_path), idle_timeout=90.0)
    config = Config(idle_timeout=90.0)
    shorter = replace(config, idle_timeout=20.0)
    pygame.display.init()
    try:
        screen = pygame.display.set_mode((800, 480))
        app = app_for(
            screen,
            story,
            config,
            clock=clock,
            observers=[recorder],
            reloader=lambda: (shorter, story),
            wall_clock=lambda: T0,
        )
        assert app.execute(Request("reload"), clock(), T0)["ok"]
    finally:
        pygame.display.quit()
    # Language presses on the attract loop, 30 s apart: with 20 s, two visits.
    recorder.on_input(press(Action.LANGUAGE), T0 + 100)
    recorder.on_input(press(Action.LANGUAGE), T0 + 130)
    recorder.close()
    visits = [row for row in sessions_in(db_path(tmp_path)) if row[0] >= T0 + 100]
    assert visits == [(T0 + 100, T0 + 120, "timeout"), (T0 + 130, None, None)]


def test_the_report_reads_one_snapshot(recorder, tmp_path, monkeypatch):
    """A visit written between the report's two SELECTs is in neither, never in one only."""
    tally, wall = drive(recorder, 2, seed=3)
    assert recorder.flush()
    real_connect = stats_report._connect_read_only
    written = []

    def connect(path: Path) -> sqlite3.Connection:
        db = real_connect(path)

        def between(statement: str) -> None:
            if "FROM events WHERE at" in statement and not written:
                # the kiosk writes a whole visit after the sessions were read
                more, _ = drive(recorder, 1, seed=9, wall=wall)
                assert recorder.flush()
                written.append(more)

        db.set_trace_callback(between)
        return db

    monkeypatch.setattr(stats_report, "_connect_read_only", connect)
    total = daily_report(db_path(tmp_path)).total
    assert written  # the write did happen mid-report
    assert total.visits == tally.visits
    assert dict(total.presses) == dict(tally.presses)
    after = daily_report(db_path(tmp_path)).total
    assert after.visits == tally.visits + written[0].visits
