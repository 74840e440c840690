"""The systemd unit: `systemd-analyze verify`, its security exposure, and agreement with
the kiosk's defaults (socket and data paths), sysusers.d and tmpfiles.d."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.settings import Config

DEPLOY = Path(__file__).resolve().parent.parent / "deploy" / "systemd"
UNIT = DEPLOY / "kiosk.service"
EXEC = "/opt/kiosk/venv/bin/kiosk"

needs_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (apt install systemd)",
)


def settings(text: str) -> dict[str, list[str]]:
    """Every ``Key=value`` of a unit file (keys may repeat)."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.fixture(scope="module")
def unit() -> dict[str, list[str]]:
    return settings(UNIT.read_text(encoding="utf-8"))


@needs_analyze
def test_systemd_analyze_verify_passes(tmp_path):
    # verify checks that ExecStart= exists: point it at this checkout's kiosk command.
    kiosk = Path(sys.executable).parent / "kiosk"
    if not kiosk.exists():
        pytest.skip(f"{kiosk} is not installed (pip install -e .)")
    text = UNIT.read_text(encoding="utf-8")
    assert text.count(EXEC) == 1
    copy = tmp_path / "kiosk.service"
    copy.write_text(text.replace(EXEC, str(kiosk)), encoding="utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "kiosk.service" not in done.stderr, done.stderr


@needs_analyze
def test_security_exposure_is_ok_or_better():
    done = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--no-pager", str(UNIT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if "--offline" in done.stderr and done.returncode != 0:
        pytest.skip(f"this systemd-analyze has no --offline: {done.stderr.strip()}")
    found = re.search(r"Overall exposure level for kiosk\.service: ([\d.]+) (\w+)", done.stdout)
    assert found, done.stdout + done.stderr
    exposure, level = float(found.group(1)), found.group(2)
    assert level in ("PERFECT", "SAFE", "OK"), done.stdout
    assert exposure <= 2.0, done.stdout


def test_the_unit_runs_the_kiosk_as_the_issue_asks(unit):
    assert unit["ExecStart"] == [f"{EXEC} run"]
    assert unit["Type"] == ["notify"]
    assert unit["Restart"] == ["always"]
    assert int(unit["WatchdogSec"][0]) > 0
    assert unit["User"] == ["kiosk"]
    groups = unit["SupplementaryGroups"][0].split()
    assert {"video", "render", "input", "gpio", "dialout"} <= set(groups)
    assert unit["Environment"].count("SDL_VIDEODRIVER=kmsdrm") == 1
    assert unit["TTYPath"] == ["/dev/tty1"]
    assert "getty@tty1.service" in unit["Conflicts"][0]
    for key in ("NoNewPrivileges", "ProtectHome", "PrivateTmp"):
        assert unit[key] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["CapabilityBoundingSet"] == [""]
    assert "AF_INET" not in unit["RestrictAddressFamilies"][0]


def test_the_units_directories_are_the_kiosks_defaults(unit):
    defaults = Config()
    assert defaults.control_socket.parent == Path("/run") / unit["RuntimeDirectory"][0]
    assert defaults.data_dir == Path("/var/lib") / unit["StateDirectory"][0]
    assert unit["Group"] == [defaults.control_group]
    assert "KIOSK_CONFIG=/etc/kiosk/kiosk.toml" in unit["Environment"]


@pytest.mark.skipif(shutil.which("systemd-sysusers") is None, reason="no systemd-sysusers")
def test_sysusers_and_tmpfiles_create_the_user_group_and_folders(tmp_path):
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
    (root / "etc" / "group").write_text("root:x:0:\n")
    story = root / "opt" / "kiosk" / "assets" / "story"
    story.mkdir(parents=True)
    (story / "en.toml").write_text("# story\n")
    subprocess.run(
        ["systemd-sysusers", f"--root={root}", str(DEPLOY / "kiosk.sysusers")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    passwd = (root / "etc" / "passwd").read_text()
    group = (root / "etc" / "group").read_text()
    staff_gid = re.search(r"^kiosk-staff:x:(\d+):", group, re.M).group(1)
    kiosk = rf"^kiosk:x:\d+:{staff_gid}:.*:/var/lib/kiosk:/usr/sbin/nologin$"
    assert re.search(kiosk, passwd, re.M)
    assert re.search(r"^gpio:x:\d+:", group, re.M)
    if shutil.which("systemd-tmpfiles") is None:
        return
    subprocess.run(
        ["systemd-tmpfiles", f"--root={root}", "--create", str(DEPLOY / "kiosk.tmpfiles")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    etc = (root / "etc" / "kiosk").stat()
    assert (oct(etc.st_mode & 0o7777), str(etc.st_gid)) == ("0o2775", staff_gid)
    assert oct((story / "en.toml").stat().st_mode & 0o777) == "0o664"
