"""Architecture rules: the host never imports the firmware (two separate programs), and
the hardware layer never imports the application (it knows no exhibit)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

HARDWARE = Path(__file__).resolve().parents[2] / "hardware"
# The simulator *is* a device: it runs the firmware logic on purpose.
DEVICE_SIDE = {HARDWARE / "sim.py"}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_host_code_does_not_import_firmware() -> None:
    host_files = [
        f
        for f in HARDWARE.rglob("*.py")
        if "firmware" not in f.relative_to(HARDWARE).parts and f not in DEVICE_SIDE
    ]
    assert len(host_files) > 10
    for path in host_files:
        bad = {m for m in imported_modules(path) if "firmware" in m or m == "sensor_protocol"}
        assert not bad, f"{path.relative_to(HARDWARE)} imports {bad}"


def test_firmware_does_not_import_host_code() -> None:
    for path in (HARDWARE / "firmware").glob("*.py"):
        mods = imported_modules(path)
        bad = {m for m in mods if m.startswith(("hardware.sensor", "kiosk", "serial", "gpiozero"))}
        assert not bad, f"{path.name} imports {bad}"


def test_hardware_imports_no_kiosk_module() -> None:
    """The hardware layer knows no exhibit, like a gpiozero device (AST scan)."""
    files = list(HARDWARE.rglob("*.py"))
    assert len(files) > 10
    for path in files:
        bad = {m for m in imported_modules(path) if m == "kiosk" or m.startswith("kiosk.")}
        assert not bad, f"{path.relative_to(HARDWARE)} imports {bad}"


#: Run in a fresh interpreter where ``import kiosk`` fails: every host module of the
#: hardware layer must still import (the MicroPython entry point needs ``machine``).
NO_KIOSK = """
import importlib, pkgutil, sys

class NoKiosk:
    def find_spec(self, name, path=None, target=None):
        if name == "kiosk" or name.startswith("kiosk."):
            raise ImportError(f"the hardware layer imported {name}")
        return None

sys.meta_path.insert(0, NoKiosk())
import hardware
names = [m.name for m in pkgutil.walk_packages(hardware.__path__, "hardware.")]
names = [n for n in names if n != "hardware.firmware.main"]
for name in names:
    importlib.import_module(name)
assert not [m for m in sys.modules if m.split(".")[0] == "kiosk"]
print(len(names))
"""


def test_hardware_imports_without_kiosk_installed() -> None:
    result = subprocess.run(
        [sys.executable, "-c", NO_KIOSK],
        cwd=HARDWARE.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 15  # every module was imported, not none
