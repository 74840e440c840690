"""The external programs the builder runs, which Debian package has each, and running them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence

from imagebuild.errors import BuildError

#: program -> the Debian/Ubuntu package that installs it.
PACKAGES: dict[str, str] = {
    "sfdisk": "fdisk",
    "mcopy": "mtools",
    "mtype": "mtools",
    "mdir": "mtools",
    "debugfs": "e2fsprogs",
    "mke2fs": "e2fsprogs",
    "e2fsck": "e2fsprogs",
    "resize2fs": "e2fsprogs",
    "dumpe2fs": "e2fsprogs",
    "bmaptool": "bmap-tools",
    "apt-get": "apt",
    "dpkg-deb": "dpkg",
}

#: What ``kiosk-image build`` needs.
BUILD_TOOLS = (
    "sfdisk",
    "mcopy",
    "mtype",
    "mdir",
    "debugfs",
    "mke2fs",
    "e2fsck",
    "resize2fs",
    "dumpe2fs",
)
#: Raspberry Pi OS trixie's ext4 may use features (orphan_file) older e2fsprogs cannot write.
E2FSPROGS_MIN = (1, 47)


def require(names: Iterable[str]) -> None:
    """Fail with the apt command that installs every missing program."""
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        packages = sorted({PACKAGES.get(name, name) for name in missing})
        raise BuildError(
            f"missing program{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
            f"(install with: sudo apt install {' '.join(packages)})"
        )


def check_e2fsprogs() -> None:
    """Fail unless e2fsprogs is new enough for Raspberry Pi OS's ext4 features."""
    done = subprocess.run(["mke2fs", "-V"], capture_output=True, text=True, check=False)
    found = re.search(r"mke2fs (\d+)\.(\d+)", done.stdout + done.stderr)
    if found and (int(found.group(1)), int(found.group(2))) < E2FSPROGS_MIN:
        raise BuildError(
            f"e2fsprogs {found.group(1)}.{found.group(2)} is too old: 1.47 or newer is needed "
            "(Debian 12 or Ubuntu 24.04 and later; or install e2fsprogs from backports)"
        )


def run(
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    input: bytes | None = None,
    what: str = "",
) -> subprocess.CompletedProcess[bytes]:
    """Run a program; on failure raise :class:`BuildError` with its own error output."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    try:
        done = subprocess.run(
            list(args), env=full_env, input=input, capture_output=True, check=False
        )
    except FileNotFoundError:
        require([args[0]])
        raise
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
        raise BuildError(f"{what or args[0]} failed ({' '.join(args[:2])} …): {detail}")
    return done


def run_status(
    args: Sequence[str], *, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run a program whose exit status the caller judges (e.g. ``e2fsck -n``)."""
    require([args[0]])
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run(list(args), env=full_env, capture_output=True, check=False)
