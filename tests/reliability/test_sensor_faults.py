"""Sensor faults in a running exhibit: the buttons carry the story, staff see the state.

The whole exhibit runs as ``kiosk run`` wires it (:mod:`tests.reliability.exhibit`):
real :class:`hardware.Hardware` with its supervisor and reader threads, the sensor
on a real pty — the firmware simulator (:class:`hardware.sim.SimulatedSensor`) or a
raw pty the test writes to (:class:`RawSensor`) — the buttons on gpiozero's mock
pins, the real control socket.  The unit-level behaviour (a hundred replugs leak
nothing, session errors back off and are logged once) is proven in
``tests/hardware/test_hw_replug.py`` and ``tests/hardware/test_hw_supervisor_errors.py``;
here the question is what the exhibit does while the sensor misbehaves, and what
staff are shown (``kiosk ctl status`` and the staff overlay).
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import threading
from collections.abc import Iterator

import pytest

from hardware.sim import SimulatedSensor
from tests.reliability.exhibit import (
    Exhibit,
    RawSensor,
    discovery_in,
    make_site,
    open_fds,
    thread_names,
    wait_until,
)

pytestmark = pytest.mark.reliability


def read_on(kiosk: Exhibit, presses: int = 3) -> None:
    """A visitor reads on with the buttons alone: every Next shows another page."""
    for _ in range(presses):
        before = kiosk.page()
        kiosk.press("next")
        assert kiosk.page() != before, f"Next did nothing on {before}"


def back_to_attract(kiosk: Exhibit) -> None:
    """Back, as a visitor would, until the attract loop shows."""
    for _ in range(20):
        if kiosk.page()[0] == "attract":
            return
        kiosk.press("back")
    raise AssertionError(f"Back never reached the attract loop (on {kiosk.page()})")


@contextlib.contextmanager
def no_leaks() -> Iterator[None]:
    """The block leaves no thread and no file descriptor behind."""
    threads, fds = thread_names(), open_fds()
    yield
    assert wait_until(lambda: thread_names() == threads), (thread_names(), threads)
    assert open_fds() == fds


def connected(kiosk: Exhibit) -> bool:
    return bool(kiosk.sensor_status()["connected"])


def test_unplugging_the_hand_mid_handshake_ends_the_grip_and_the_docking_carries_on(tmp_path):
    site = make_site(tmp_path)
    with (
        no_leaks(),
        discovery_in(site.by_id),
        SimulatedSensor(heartbeat_ms=50, link_dir=str(site.by_id)) as sim,
        Exhibit(site) as kiosk,
    ):
        assert kiosk.step_until(lambda: connected(kiosk))
        threads, fds = thread_names(), open_fds()
        sim.grip(strength=80)
        assert kiosk.step_until(lambda: kiosk.page()[0] == "docking")
        assert wait_until(lambda: kiosk.sensor_status()["gripping"] == [True])
        sim.unplug()  # mid-handshake: the hand is still squeezed
        assert kiosk.step_until(lambda: not connected(kiosk))
        kiosk.step()
        # the app is told the grip ended, because the sensor went away
        lost = ("handshake_end", "serial", {"hand": 0, "reason": "sensor lost"})
        assert lost in kiosk.inputs.events
        sensor = kiosk.status()["hardware"]["sensor"]
        assert sensor["connected"] is False
        assert True not in sensor["gripping"], "the lost hand still shows as gripping"
        assert "Sensor: NOT CONNECTED" in kiosk.overlay()
        # the docking plays on by itself...
        for _ in range(50):
            kiosk.step(0.1)
        assert kiosk.page()[0] == "docking"
        # ...and the buttons still work: Next leaves it for where it leads, and on
        kiosk.press("next")
        assert kiosk.page()[0] == "credits"
        kiosk.press("next")
        assert kiosk.page()[0] == "attract"
        read_on(kiosk)
        # plugged in again: found again, and a grip plays the docking again
        sim.plug()
        assert kiosk.step_until(lambda: connected(kiosk))
        assert kiosk.sensor_status()["reconnects"] == 1
        back_to_attract(kiosk)
        sim.grip(strength=80)
        assert kiosk.step_until(lambda: kiosk.page()[0] == "docking")
        sim.release()
        assert kiosk.step_until(lambda: kiosk.sensor_status()["gripping"] == [False])
        # the replacement reader thread and port, nothing more
        assert thread_names() == threads
        assert open_fds() == fds


def replug_under_a_new_name(sim: SimulatedSensor) -> tuple[str, str]:
    """Unplug and plug in again while something still holds the old device open.

    That is how /dev/ttyACM0 comes back as /dev/ttyACM1: the kernel cannot reuse a
    name still open somewhere (the kiosk's own reader holds it for a moment after an
    unplug).  Returns (old device, new device).
    """
    old = sim.device
    assert old is not None
    holder = os.open(old, os.O_RDWR | os.O_NOCTTY)
    try:
        sim.unplug()
        sim.plug()
    finally:
        os.close(holder)
    assert sim.device is not None and sim.device != old
    assert not os.path.exists(old)
    return old, sim.device


def test_a_sensor_back_under_another_device_name_is_found_by_auto_detection(
    tmp_path, long_run
) -> None:
    """``port = "auto"`` (the default): the supervisor looks again after every loss and
    finds the sensor by its /dev/serial/by-id link, whatever its device name now."""
    site = make_site(tmp_path)
    cycles = 10 if long_run else 2
    with (
        no_leaks(),
        discovery_in(site.by_id),
        SimulatedSensor(heartbeat_ms=50, link_dir=str(site.by_id)) as sim,
        Exhibit(site) as kiosk,
    ):
        assert kiosk.step_until(lambda: connected(kiosk))
        for cycle in range(1, cycles + 1):
            _, new = replug_under_a_new_name(sim)
            assert kiosk.step_until(
                lambda c=cycle: connected(kiosk) and kiosk.sensor_status()["reconnects"] == c
            )
            sensor = kiosk.status()["hardware"]["sensor"]
            assert os.path.realpath(sensor["port"]) == new
            back_to_attract(kiosk)
            sim.grip(strength=60)
            assert kiosk.step_until(lambda: kiosk.page()[0] == "docking")
            sim.release()
            kiosk.press("next")  # the visitor moves on; the credits
            kiosk.press("next")
        # away altogether: the buttons alone, and staff read why
        sim.unplug()
        assert kiosk.step_until(lambda: not connected(kiosk))
        assert kiosk.step_until(lambda: "not found" in str(kiosk.sensor_status()["last_error"]))
        read_on(kiosk)
        status = kiosk.status()["hardware"]["sensor"]
        assert str(site.by_id) not in status["last_error"]  # the real search path is named
        assert "/dev/serial/by-id" in status["last_error"]
        assert "Sensor: NOT CONNECTED (handshake sensor not found" in kiosk.overlay()


def test_a_sensor_configured_by_device_name_is_not_followed_to_a_new_name_and_staff_see_why(
    tmp_path,
) -> None:
    """A fixed ``port = "/dev/ttyACM0"`` is only ever that device: after a replug under
    another name the exhibit runs on buttons alone and the status says which port is
    missing (the fix is ``port = "auto"`` or a /dev/serial/by-id path)."""
    with SimulatedSensor(heartbeat_ms=50) as sim:
        assert sim.device is not None
        site = make_site(tmp_path, sensor_port=sim.device)
        with no_leaks(), Exhibit(site) as kiosk:
            assert kiosk.step_until(lambda: connected(kiosk))
            old, new = replug_under_a_new_name(sim)
            assert kiosk.step_until(
                lambda: (
                    f"cannot open handshake sensor port {old}"
                    in str(kiosk.sensor_status()["last_error"])
                )
            )
            status = kiosk.status()["hardware"]["sensor"]
            assert status["connected"] is False
            assert "No such file or directory" in status["last_error"]
            assert f"Sensor: NOT CONNECTED (cannot open handshake sensor port {old}" in (
                kiosk.overlay()
            )
            read_on(kiosk)
            # the sensor is there, alive, under its new name; the kiosk never looks there
            assert os.path.exists(new) and sim.plugged
            assert not connected(kiosk) and kiosk.sensor_status()["connects"] == 1


def garbage_lines(rng: random.Random, count: int) -> list[bytes]:
    """Lines of electrical noise: bytes outside printable ASCII, never a line feed."""
    return [
        bytes(rng.randrange(0x80, 0x100) for _ in range(rng.randint(1, 60))) for _ in range(count)
    ]


def test_a_sensor_that_sends_only_garbage_is_counted_retried_and_shown_to_staff(
    tmp_path, caplog, long_run
) -> None:
    caplog.set_level(logging.DEBUG, logger="hardware")
    rng = random.Random(1975)
    sessions = 6 if long_run else 3
    with RawSensor() as device:
        site = make_site(tmp_path, sensor_port=device.path)
        with no_leaks(), Exhibit(site, sensor={"heartbeat_timeout": 1.0}) as kiosk:
            sent = 0
            for session in range(1, sessions + 1):
                assert device.wait_for_host(), f"session {session}: the kiosk never opened the port"
                noise = garbage_lines(rng, 200)
                device.write(b"".join(line + b"\n" for line in noise))
                sent += len(noise)
                # every line is counted once; none of it is taken for a message
                assert kiosk.step_until(lambda n=sent: kiosk.sensor_status()["garbage"] == n)
                kiosk.press("next")  # the buttons carry on meanwhile
            assert kiosk.step_until(lambda: kiosk.sensor_status()["connects"] > sessions)
            sensor = kiosk.status()["hardware"]["sensor"]
            assert sensor["connected"] is False and sensor["lines"] == 0
            assert sensor["garbage"] == sent
            assert sensor["reconnects"] == sensor["connects"] - 1 >= sessions
            assert f"handshake sensor on {device.path}: no heartbeat" in sensor["last_error"]
            overlay = kiosk.overlay()
            assert f"garbage {sent}" in overlay
            assert f"reconnects {sensor['reconnects']}" in overlay
            assert kiosk.page()[0] == "chapter"
            lost = [
                r for r in caplog.records if r.levelno >= logging.WARNING and "lost" in r.message
            ]
    # a sensor that never works is retried for ever: that must not flood the log
    assert len(lost) == 1, [r.message for r in lost]


def heartbeats(device: RawSensor, stop: threading.Event, every: float = 0.05) -> threading.Thread:
    """A device thread: one heartbeat every ``every`` seconds until ``stop``."""

    def beat() -> None:
        seq = 0
        while not stop.wait(every):
            with contextlib.suppress(OSError):
                device.send("HB", seq=seq, up=seq * 50, lvl=0, grip=0)
            seq += 1

    thread = threading.Thread(target=beat, name="test-heartbeats", daemon=True)
    thread.start()
    return thread


def test_a_sensor_that_stops_heartbeating_with_its_port_open_is_reconnected(tmp_path) -> None:
    """Firmware hung, USB still enumerated: the port stays open and silent."""
    with RawSensor() as device:
        site = make_site(tmp_path, sensor_port=device.path)
        with no_leaks(), Exhibit(site, sensor={"heartbeat_timeout": 0.5}) as kiosk:
            assert device.wait_for_host()
            device.hello()
            stop = threading.Event()
            beating = heartbeats(device, stop)
            assert kiosk.step_until(lambda: connected(kiosk))
            assert kiosk.step_until(lambda: kiosk.sensor_status()["heartbeat_age"] is not None)
            stop.set()  # hung: nothing more, but the port stays open
            beating.join()
            assert kiosk.step_until(lambda: not connected(kiosk))
            sensor = kiosk.status()["hardware"]["sensor"]
            assert f"handshake sensor on {device.path}: no heartbeat for" in sensor["last_error"]
            assert "Sensor: NOT CONNECTED (handshake sensor on" in kiosk.overlay()
            read_on(kiosk)
            # the kiosk closes the port and opens it again, asking who is there
            assert device.wait_for_host()
            assert kiosk.step_until(lambda: kiosk.sensor_status()["reconnects"] >= 1)
            # the firmware comes back to life (e.g. its watchdog rebooted it)
            device.hello()
            stop = threading.Event()
            beating = heartbeats(device, stop)
            try:
                assert kiosk.step_until(lambda: connected(kiosk))
                assert "Sensor: /dev/pts/" in kiosk.overlay()
            finally:
                stop.set()
                beating.join()


def test_a_flooding_sensor_never_starves_the_buttons(tmp_path, long_run) -> None:
    """Heartbeats, over-long lines and bad checksums as fast as the pty takes them: the
    pages still turn, every line is counted exactly, and heartbeats keep it connected."""
    overlong = b"A" * 300 + b"\n"
    corrupt = bytearray(b"HB seq=1 up=1 lvl=0 grip=0*00\n")
    presses = 12 if long_run else 4
    with RawSensor() as device:
        site = make_site(tmp_path, sensor_port=device.path)
        with no_leaks(), Exhibit(site, sensor={"heartbeat_timeout": 2.0}) as kiosk:
            assert device.wait_for_host()
            device.hello()
            assert kiosk.step_until(lambda: connected(kiosk))
            stop = threading.Event()
            rounds = [0]

            def flood() -> None:
                while not stop.is_set():
                    seq = rounds[0] % 65536
                    heartbeat = device.line("HB", seq=seq, up=seq, lvl=0, grip=0)
                    device.write(heartbeat + overlong + bytes(corrupt))
                    rounds[0] += 1

            flooding = threading.Thread(target=flood, name="test-flood", daemon=True)
            flooding.start()
            try:
                assert wait_until(lambda: rounds[0] > 100)
                for _ in range(presses):
                    before = kiosk.page()
                    kiosk.press("next" if before[0] != "credits" else "back")
                    assert kiosk.page() != before
                assert flooding.is_alive()  # the pages turned during the flood
            finally:
                stop.set()
                flooding.join()
            sent = rounds[0]
            assert kiosk.step_until(lambda: kiosk.sensor_status()["overlong"] == sent)
            assert kiosk.step_until(lambda: kiosk.sensor_status()["bad_checksum"] == sent)
            sensor = kiosk.status()["hardware"]["sensor"]
            assert sensor["lines"] == sent + 1  # every heartbeat and the HELLO
            assert sensor["garbage"] == 0
            assert sensor["connected"] is True and sensor["connects"] == 1
