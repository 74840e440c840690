"""Architecture rules: the host never imports the firmware (two separate programs)."""

from __future__ import annotations

import ast
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
