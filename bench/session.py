"""A whole visitor session in a fresh process: peak memory, and statistics on vs off.

    python -m bench.session --stats on|off --out FILE.json [--quick] [--size WxH] [--data DIR]

runs the real app (at 1920×1080 unless ``--size`` says otherwise) on an
injected clock (headless) through one
scripted visit and writes JSON: the frame times (ms, from the start of a loop
turn to the end of its flip; the warm-up after start is excluded), the RSS once
the warm-up is done, the peak RSS of the process, and the statistics
recorder's status.  The visit: the attract loop, Next through every chapter
(each read for a moment, so the pages either side are drawn ahead as for a
real visitor), Dock on the docking chapter and all 80 s of the docking, on to
the credits, Back to the last chapter, the Language button, Back through the
chapters in that language to the attract loop, and the idle timeout returning
it to the default language.  ``--quick`` skips through the docking with Dock
and walks back through only a few chapters; the suite's quick mode also runs
it at 800×480, where the warm-up is short (a smoke test, not the figure).

:func:`session_figures` runs several such processes one after another and
turns them into the figures ``peak_rss``, ``rss_after_start``, ``stats_off``,
``stats_on`` and ``stats_difference``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.measure import Budget, Figure, percentile

REPO = Path(__file__).resolve().parent.parent
FULL_HD = (1920, 1080)
RSS_BUDGET_MB = 100.0
#: Injected seconds the visitor spends on each page.
READ_S = 2.0
ATTRACT_S = 5.0
#: The session's idle timeout: the end of the visit returns to the attract loop.
IDLE_S = 10.0
#: How often quick mode presses Dock to skip to the docking's next scene.
QUICK_SKIP_S = 2.0
QUICK_BACKS = 3


def parse_size(text: str) -> tuple[int, int]:
    """``"1920x1080"`` → (1920, 1080)."""
    width, height = text.lower().split("x")
    return int(width), int(height)


def rss_mb() -> float:
    """This process's resident set now, in MB (from /proc/self/status)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def peak_rss_mb() -> float:
    """The peak resident set of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_session(
    stats_on: bool, data_dir: Path, quick: bool, size: tuple[int, int]
) -> dict[str, object]:
    """One scripted visit at ``size``; the measurements as a JSON-ready dict."""
    from bench.exhibit import bench_config, make_exhibit
    from kiosk.core.events import Action
    from kiosk.core.flow import Screen
    from kiosk.stats import StatsRecorder, db_path

    config = bench_config(size, idle_timeout=IDLE_S, data_dir=data_dir, stats=stats_on)
    recorder = StatsRecorder(
        db_path(data_dir),
        idle_timeout=config.idle_timeout,
        enabled=stats_on,
        reason="" if stats_on else "turned off for the benchmark",
    )
    exhibit = make_exhibit(size, config=config, observers=[recorder])
    exhibit.app.status_sources["stats"] = recorder.status
    after_start = rss_mb()
    exhibit.frame_times.clear()  # the warm-up is not part of the visit's frames
    chapters = exhibit.app.story.chapter_count
    dock = exhibit.app.story.dock_chapter

    def press(action: Action, read: float = READ_S) -> None:
        exhibit.press(action)
        exhibit.run_for(read)

    exhibit.run_for(ATTRACT_S)
    press(Action.NEXT)
    while exhibit.page()[0] is Screen.CHAPTER:
        if exhibit.page()[1] == dock:
            exhibit.press(Action.DOCK)
            if quick:
                exhibit.run_for(QUICK_SKIP_S)
                while exhibit.page()[0] is Screen.DOCKING:
                    exhibit.press(Action.DOCK)
                    exhibit.run_for(QUICK_SKIP_S)
            else:
                exhibit.run_for(exhibit.app.flow.timings.docking_seconds)
            exhibit.run_for(READ_S)
            if exhibit.page()[0] is not Screen.CHAPTER:
                break
        press(Action.NEXT)
    if exhibit.page()[0] is not Screen.CREDITS:
        raise RuntimeError(f"the visit did not reach the credits: {exhibit.page()}")
    press(Action.BACK)
    press(Action.LANGUAGE)
    backs = QUICK_BACKS if quick else chapters
    for _ in range(backs):
        press(Action.BACK)
    exhibit.run_for(IDLE_S + READ_S)
    page = exhibit.app.flow.state.page
    if page.screen is not Screen.ATTRACT or page.language != config.language:
        raise RuntimeError(f"the visit did not end on the attract loop: {page}")
    recorder.close()
    return {
        "stats": stats_on,
        "quick": quick,
        "frame_times_ms": exhibit.frame_times,
        "warm_up_s": exhibit.warm_up_s,
        "rss_after_start_mb": after_start,
        "peak_rss_mb": peak_rss_mb(),
        "stats_status": recorder.status(),
        "reference_blit_ms": exhibit.reference_ms,
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.session``: one visit, its measurements to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stats", choices=("on", "off"), required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--data", type=Path, help="data folder (default: a new temp folder)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--size", type=parse_size, default=FULL_HD, help="e.g. 1920x1080")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-session-") as tmp:
        result = run_session(args.stats == "on", args.data or Path(tmp), args.quick, args.size)
    args.out.write_text(json.dumps(result), encoding="utf-8")
    return 0


# -- the figures (in the bench's own process) -----------------------------------------


def session_command(stats_on: bool, out: Path, quick: bool, size: tuple[int, int]) -> list[str]:
    """The command line of one session process."""
    command = [sys.executable, "-m", "bench.session", "--stats", "on" if stats_on else "off"]
    command += ["--out", str(out), "--size", f"{size[0]}x{size[1]}"]
    return [*command, "--quick"] if quick else command


def headless_env() -> dict[str, str]:
    """The environment for a headless child process."""
    env = dict(os.environ)
    env["SDL_VIDEODRIVER"] = "dummy"
    env["SDL_AUDIODRIVER"] = "dummy"
    env.pop("NOTIFY_SOCKET", None)
    return env


def run_sessions(order: list[bool], quick: bool, size: tuple[int, int]) -> list[dict[str, object]]:
    """Run one session process per entry of ``order`` (True: statistics on), one
    after another."""
    with tempfile.TemporaryDirectory(prefix="bench-sessions-") as tmp:
        outs = [Path(tmp) / f"session-{i}.json" for i in range(len(order))]
        logs = [Path(tmp) / f"session-{i}.log" for i in range(len(order))]
        commands = [
            session_command(on, out, quick, size) for on, out in zip(order, outs, strict=True)
        ]
        for command, log in zip(commands, logs, strict=True):
            with open(log, "wb") as sink:
                child = subprocess.run(
                    command, cwd=REPO, env=headless_env(), stdout=sink, stderr=subprocess.STDOUT
                )
            if child.returncode != 0:
                tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise RuntimeError(f"session process failed ({child.returncode}):\n{tail}")
        return [json.loads(out.read_text(encoding="utf-8")) for out in outs]


def session_order(quick: bool) -> list[bool]:
    """Statistics off and on, alternating, starting and ending with off (so the
    spread of the "off" runs measures the run-to-run noise); quick: once each."""
    return [False, True] if quick else [False, True, False, True, False]


def session_figures(quick: bool, size: tuple[int, int] = FULL_HD) -> list[Figure]:
    """``peak_rss``, ``rss_after_start``, ``stats_off``, ``stats_on``, ``stats_difference``."""
    order = session_order(quick)
    results = run_sessions(order, quick, size)
    off = [r for r in results if not r["stats"]]
    on = [r for r in results if r["stats"]]
    reference = float(results[0]["reference_blit_ms"])
    how = f"{len(results)} fresh processes, one after another"

    def frames(runs: list[dict[str, object]]) -> list[float]:
        return [t for r in runs for t in r["frame_times_ms"]]  # type: ignore[union-attr]

    off_p99 = [percentile(list(r["frame_times_ms"]), 99) for r in off]  # type: ignore[arg-type]
    on_p99 = [percentile(list(r["frame_times_ms"]), 99) for r in on]  # type: ignore[arg-type]
    base = statistics.median(off_p99)
    difference = (statistics.median(on_p99) - base) / base * 100
    noise = (max(off_p99) - min(off_p99)) / base * 100 if len(off_p99) > 1 else None
    rows = [r["stats_status"]["rows_written"] for r in on]  # type: ignore[index]
    return [
        Figure(
            "peak_rss",
            "MB",
            [float(r["peak_rss_mb"]) for r in results],  # type: ignore[arg-type]
            budget=Budget(f"≤ {RSS_BUDGET_MB:g} MB (worst run)", "p99", RSS_BUDGET_MB),
            size=size,
            note=f"ru_maxrss at the end of a full visitor session, {how}",
        ),
        Figure(
            "rss_after_start",
            "MB",
            [float(r["rss_after_start_mb"]) for r in results],  # type: ignore[arg-type]
            size=size,
            note="RSS once the warm-up after start is done; informational",
        ),
        Figure(
            "stats_off",
            "ms",
            frames(off),
            reference_blit_ms=reference,
            size=size,
            note=f"frames of the scripted session, statistics disabled ({len(off)} runs)",
            extra={"p99_per_run": off_p99},
        ),
        Figure(
            "stats_on",
            "ms",
            frames(on),
            reference_blit_ms=reference,
            size=size,
            note=f"the same session recording statistics to SQLite ({len(on)} runs)",
            extra={"p99_per_run": on_p99, "stats_rows_written": rows},
        ),
        Figure(
            "stats_difference",
            "%",
            [difference],
            budget=None
            if noise is None
            else Budget(f"|diff| ≤ noise ({noise:.1f} %)", "median", noise, absolute=True),
            note="p99 with statistics on vs off (medians over runs); the noise is the spread "
            "of the p99 over the 'off' runs, as a % of their median"
            + ("" if noise is not None else " (one 'off' run: noise not measured)"),
            extra={"noise_percent": noise},
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
