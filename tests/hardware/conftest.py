"""Fixtures for the hardware-layer tests (buttons via gpiozero's MockFactory, serial
over real pty pairs, firmware logic under CPython with a stub ``machine`` module)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from gpiozero.pins.mock import MockFactory, MockPWMPin  # noqa: E402
from hw_helpers import FakeClock  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a hardware test that takes more than a second")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mock_factory() -> Iterator[MockFactory]:
    factory = MockFactory(pin_class=MockPWMPin)
    yield factory
    factory.reset()
    factory.close()


@pytest.fixture
def machine_stub(monkeypatch: pytest.MonkeyPatch):
    """Install ``tests/hardware/machine_stub.py`` as the MicroPython ``machine`` module."""
    import machine_stub as stub

    stub.clear()
    monkeypatch.setitem(sys.modules, "machine", stub)
    yield stub
    stub.clear()


@pytest.fixture
def micropython_stub(monkeypatch: pytest.MonkeyPatch):
    """Install ``tests/hardware/micropython_stub.py`` as the ``micropython`` module."""
    import micropython_stub as stub

    stub.clear()
    monkeypatch.setitem(sys.modules, "micropython", stub)
    yield stub
    stub.clear()


@pytest.fixture
def hw_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="hardware")
    return caplog
