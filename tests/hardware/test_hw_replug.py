"""100 unplug/replug cycles over real ptys: reconnects every time, leaks nothing."""

from __future__ import annotations

import gc
import os
import threading

from hw_helpers import wait_until

from hardware import GpioConfig, Hardware, SensorConfig
from hardware.sim import SimulatedSensor
from kiosk.core.events import EventBus
from kiosk.inputs import InputMapping

CYCLES = 100


def open_fds() -> int:
    """Open file descriptors, after collecting garbage: objects left by earlier tests
    (pygame fonts keep their file open) must not close theirs mid-test and skew the count."""
    gc.collect()
    return len(os.listdir("/proc/self/fd"))


def test_hundred_unplug_replug_cycles() -> None:
    threads_before = threading.active_count()
    fds_before = open_fds()
    sim = SimulatedSensor(heartbeat_ms=50)
    sim.open()
    # auto-detection is tested elsewhere; here the stable by-id style link is the port
    hw = Hardware(
        GpioConfig(enabled=False),
        SensorConfig(port=sim.path, reconnect_initial=0.002, reconnect_max=0.01),
    )
    try:
        hw.start(InputMapping(EventBus()))

        def sensor() -> dict:
            return hw.status()["sensor"]  # type: ignore[return-value]

        assert wait_until(lambda: sensor()["connected"])
        for cycle in range(1, CYCLES + 1):
            sim.unplug()
            assert wait_until(lambda: not sensor()["connected"]), f"cycle {cycle}: not lost"
            sim.plug()
            assert wait_until(
                lambda c=cycle: sensor()["connected"] and sensor()["reconnects"] == c
            ), f"cycle {cycle}: no reconnect ({sensor()})"
        # the reconnected sensor still works end to end
        before = sensor()["lines"]
        assert wait_until(lambda: sensor()["lines"] > before)
        final = sensor()
    finally:
        hw.close()
        sim.close()
    assert final["connects"] == CYCLES + 1
    assert final["garbage"] == final["bad_checksum"] == final["overlong"] == 0
    assert threading.active_count() == threads_before
    assert open_fds() == fds_before
