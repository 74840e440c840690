"""The benchmark suite still runs and still writes its JSON (no pass/fail on timings)."""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench import FIGURES
from bench.measure import Budget, Figure, percentile
from bench.startup import cpu_seconds

#: Figures that are frame times, so carry a ratio to the full-screen blit.
FRAME_TIMES = {
    "transition",
    "transition_attract",
    "docking_800x480",
    "docking_1280x720",
    "docking_1920x1080",
    "stats_off",
    "stats_on",
    "serial_quiet",
    "serial_flood",
}
#: CPU shares: an idle kiosk may honestly use no measurable CPU at all.
MAY_BE_ZERO = {"static_chapter_cpu", "attract_cpu"}
#: A difference between two figures, in %: either sign.
SIGNED = {"stats_difference"}


def nearest_rank(samples: list[float], p: float) -> float:
    """The smallest sample that at least ``p`` % of the samples do not exceed."""
    return min(v for v in samples if sum(x <= v for x in samples) >= p / 100 * len(samples))


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=300))
def test_percentile_is_the_nearest_rank(samples):
    assert percentile(samples, 99) == nearest_rank(samples, 99)
    assert percentile(samples, 50) == nearest_rank(samples, 50)


@pytest.mark.parametrize("p", [50, 90, 99])
def test_percentile_is_the_nearest_rank_of_distinct_samples_of_every_count(p):
    rng = random.Random(p)
    for count in range(1, 301):
        samples = [rng.uniform(0, 100) for _ in range(count)]
        assert percentile(samples, p) == nearest_rank(samples, p), count


def test_p99_of_a_thousand_distinct_samples_leaves_just_the_ten_largest_above_it():
    samples = [float(i) for i in range(1, 1001)]
    random.Random(8).shuffle(samples)
    p99 = percentile(samples, 99)
    assert p99 in samples
    assert sum(s > p99 for s in samples) == len(samples) // 100


def test_a_frame_figure_counts_in_blits_and_judges_its_budget():
    samples = [1.0, 2.0, 3.0, 4.0, 10.0]
    figure = Figure(
        "frames", "ms", samples, Budget("p99 ≤ 3× blit", "ratio_p99", 3.0), reference_blit_ms=2.0
    )
    assert figure.ratio_median == statistics.median(samples) / 2.0
    assert figure.ratio_p99 == max(samples) / 2.0
    assert figure.met is (max(samples) / 2.0 <= 3.0)


def test_a_signed_budget_judges_the_size_of_a_difference():
    within = Budget("|diff| ≤ 2 %", "median", 2.0, absolute=True)
    assert within.met(Figure("diff", "%", [-1.5]))
    assert not within.met(Figure("diff", "%", [-2.5]))


def test_cpu_seconds_of_a_process_agree_with_its_own_count():
    end = time.process_time() + 0.2
    while time.process_time() < end:
        pass  # use some CPU
    times = os.times()
    assert cpu_seconds(os.getpid()) == pytest.approx(times.user + times.system, abs=0.05)


@pytest.fixture(scope="module")
def quick_run(bench_quick_run) -> tuple[dict, str]:
    """``python -m bench --quick`` once: its JSON and what it printed.

    tests/conftest.py starts it alongside the other tests and runs these last."""
    done, out = bench_quick_run
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), done.stdout


def test_the_quick_run_measures_every_figure(quick_run):
    results, _ = quick_run
    assert results["quick"] is True
    assert results["errors"] == []
    assert [f["name"] for f in results["figures"]] == list(FIGURES)


def test_the_quick_run_describes_the_machine(quick_run):
    results, _ = quick_run
    machine = results["machine"]
    for key in ("cpu", "cores", "python", "pygame", "sdl", "platform"):
        assert machine[key], key
    assert machine["cores"] == os.cpu_count()
    assert results["date"]


def test_every_figure_is_its_samples_summed_up(quick_run):
    results, _ = quick_run
    for figure in results["figures"]:
        name, samples = figure["name"], figure["samples"]
        assert figure["count"] == len(samples) > 0, name
        assert all(math.isfinite(s) for s in samples), name
        if name in SIGNED:
            pass
        elif name in MAY_BE_ZERO:
            assert min(samples) >= 0, name
        else:
            assert min(samples) > 0, name
        assert figure["median"] == pytest.approx(statistics.median(samples)), name
        assert figure["p99"] == pytest.approx(nearest_rank(samples, 99)), name
        assert figure["p99"] >= figure["median"], name


def test_frame_times_are_also_counted_in_full_screen_blits(quick_run):
    results, _ = quick_run
    for figure in results["figures"]:
        name = figure["name"]
        if name not in FRAME_TIMES:
            assert "ratio_p99" not in figure, name
            continue
        blit = figure["reference_blit_ms"]
        assert blit > 0, name
        assert figure["ratio_median"] == pytest.approx(figure["median"] / blit), name
        assert figure["ratio_p99"] == pytest.approx(figure["p99"] / blit), name


def test_budgets_are_judged_on_the_figures_own_statistic(quick_run):
    results, _ = quick_run
    for figure in results["figures"]:
        budget = figure["budget"]
        if budget is None:
            assert figure["met"] is None, figure["name"]
            continue
        value = figure[budget["statistic"]]
        value = abs(value) if budget["absolute"] else value
        assert figure["met"] is (value <= budget["limit"]), figure["name"]


def test_the_flood_reached_the_sensors_parser(quick_run):
    results, _ = quick_run
    flood = next(f for f in results["figures"] if f["name"] == "serial_flood")
    written = flood["flood_lines_written"]
    assert written > 0
    # every line is garbage; a reconnect on a very busy machine could cost a few
    assert 0.95 * written <= flood["garbage_counted"] <= written


def test_the_printed_table_names_every_figure(quick_run):
    results, printed = quick_run
    rows = {line.split()[0] for line in printed.splitlines() if line.strip()}
    for name in FIGURES:
        assert name in rows
    assert results["machine"]["cpu"] in printed
