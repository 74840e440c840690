"""kiosk-image: the flashable SD card image, built from a synthetic Raspberry Pi OS image.

The base image here has Raspberry Pi OS's layout (MBR; FAT32 ``bootfs`` at sector 8192
with ``cmdline.txt`` and ``config.txt``; ext4 ``rootfs`` with a small tree made with
``mke2fs -d`` under fakeroot).  The builder runs on it as a separate process, and the
result is read back with the same tools a technician would use: ``sfdisk``,
``mdir``/``mtype``, ``debugfs`` and ``e2fsck -fn``.  No root, no network, no loop devices.

The first-boot script and ``kiosk-root`` run in a scratch directory standing in for
``/``, with stand-ins for the commands that would change this machine.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
IMAGE_DIR = REPO / "deploy" / "image"
BUILDER = IMAGE_DIR / "kiosk_image.py"
FILES = IMAGE_DIR / "files"
FIRSTBOOT = FILES / "usr" / "local" / "sbin" / "kiosk-firstboot"
KIOSK_ROOT = FILES / "usr" / "local" / "sbin" / "kiosk-root"

sys.path.insert(0, str(IMAGE_DIR))
from imagebuild import plan  # noqa: E402
from imagebuild.errors import BuildError  # noqa: E402

NEEDED = {
    "sfdisk": "fdisk",
    "mkfs.vfat": "dosfstools",
    "mcopy": "mtools",
    "mtype": "mtools",
    "mdir": "mtools",
    "debugfs": "e2fsprogs",
    "mke2fs": "e2fsprogs",
    "e2fsck": "e2fsprogs",
    "fakeroot": "fakeroot",
    "dpkg-deb": "dpkg",
    "xz": "xz-utils",
}
_missing = sorted({pkg for tool, pkg in NEEDED.items() if shutil.which(tool) is None})
needs_tools = pytest.mark.skipif(bool(_missing), reason=f"needs apt packages: {' '.join(_missing)}")

MiB = 1 << 20
DISK_ID = "0x1a2b3c4d"
BOOT_START, BOOT_SECTORS = 8192, 64 * MiB // 512
ROOT_START, ROOT_SECTORS = BOOT_START + BOOT_SECTORS, 72 * MiB // 512
EPOCH = "1752710400"  # 17 July 2025
CMDLINE = (
    "console=serial0,115200 console=tty1 root=PARTUUID=1a2b3c4d-02 rootfstype=ext4 "
    "fsck.repair=yes rootwait quiet resize cfg80211.ieee80211_regdom=GB\n"
)
CONFIG_TXT = "# Raspberry Pi config.txt\ndtparam=audio=on\ncamera_auto_detect=1\nauto_initramfs=1\n"
FSTAB = (
    "proc            /proc           proc    defaults          0       0\n"
    "PARTUUID=1a2b3c4d-01  /boot/firmware  vfat    defaults          0       2\n"
    "PARTUUID=1a2b3c4d-02  /               ext4    defaults,noatime  0       1\n"
)
PASSWD = (
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "systemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin\n"
    "pi:x:1000:1000:,,,:/home/pi:/bin/bash\n"
)
GROUP = (
    "root:x:0:\nadm:x:4:\nshadow:x:42:\nvideo:x:44:\nsudo:x:27:pi\n"
    "systemd-journal:x:999:\nsystemd-network:x:998:\ngpio:x:997:pi\npi:x:1000:\n"
)
SHADOW = "root:*:20000:0:99999:7:::\ndaemon:*:20000:0:99999:7:::\npi:*:20000:0:99999:7:::\n"
GSHADOW = "root:*::\nadm:*::\nshadow:*::\nsudo:*::pi\ngpio:!::pi\npi:!::\n"
# The synthetic base image has these already; overlayroot and busybox come in the bundle.
RUNTIME = ("python3-pygame", "python3-serial", "python3-gpiozero", "python3-lgpio", "v4l-utils")
RUNTIME += ("libgbm1", "libegl1", "libegl-mesa0", "libgles2", "libgl1-mesa-dri")
#: The bundle's files, named as apt names them: an epoch as %3a, a binNMU's +b1.
BUNDLE = {
    "overlayroot_0.18.debian14_all.deb": ("overlayroot", "0.18.debian14", "all"),
    "busybox_1%3a1.37.0-6+b3_arm64.deb": ("busybox", "1:1.37.0-6+b3", "arm64"),
}
DPKG_STATUS = "".join(
    f"Package: {name}\nStatus: install ok installed\nArchitecture: arm64\nVersion: 1.0\n\n"
    for name in ("base-files", "python3", *RUNTIME, "fonts-dejavu-core")
)
SITE = textwrap.dedent(
    """\
    # the museum's settings
    [exhibit]
    idle_timeout = 120
    language = "nb"

    [hours]
    timezone = "Europe/Oslo"
    """
)


def public_key(kind: str = "ssh-ed25519", comment: str = "staff@museum") -> str:
    """An OpenSSH public key line with a well-formed (made-up) key."""
    blob = struct.pack(">I", len(kind)) + kind.encode()
    blob += struct.pack(">I", 32) + hashlib.sha256(comment.encode()).digest()
    return f"{kind} {base64.b64encode(blob).decode()} {comment}\n"


SSH_KEY = public_key()


# -- helpers -----------------------------------------------------------------------------
def run(*args: str | Path, env: dict[str, str] | None = None, check: bool = True, **kw):
    """Run a program; its output as text (``text=False``: bytes)."""
    full = {**os.environ, "TZ": "UTC", "MTOOLS_SKIP_CHECK": "1", **(env or {})}
    kw.setdefault("text", True)
    done = subprocess.run([str(a) for a in args], capture_output=True, env=full, timeout=300, **kw)
    if check and done.returncode != 0:
        raise AssertionError(f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    """A file with ``text`` and ``mode``, its folders made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def copy_into(src: Path, dst: Path, offset: int) -> None:
    """Copy ``src`` into ``dst`` at byte ``offset``."""
    with src.open("rb") as fin, dst.open("r+b") as fout:
        fout.seek(offset)
        shutil.copyfileobj(fin, fout, 1 << 20)


def extract(image: Path, start: int, sectors: int, out: Path) -> Path:
    """Partition bytes out of a disk image."""
    with image.open("rb") as fin, out.open("wb") as fout:
        fin.seek(start * 512)
        remaining = sectors * 512
        while remaining:
            block = fin.read(min(remaining, 1 << 20))
            fout.write(block)
            remaining -= len(block)
    return out


def make_deb(
    folder: Path,
    name: str,
    arch: str = "arm64",
    depends: str = "",
    *,
    recommends: str = "",
    version: str = "1.0",
    file_name: str = "",
    nocheck: bool = False,
) -> Path:
    """A tiny real .deb made with dpkg-deb (named as apt names it, unless ``file_name``).

    ``nocheck``: dpkg-deb builds it even with invalid control data.
    """
    tree = folder / f"{name}-tree"
    control = f"Package: {name}\nVersion: {version}\nArchitecture: {arch}\n"
    control += "Maintainer: Test <t@e>\n"
    if depends:
        control += f"Depends: {depends}\n"
    if recommends:
        control += f"Recommends: {recommends}\n"
    control += f"Description: test package {name}\n"
    write(tree / "DEBIAN" / "control", control)
    write(tree / "usr" / "share" / "doc" / name / "README", f"{name}\n")
    out = folder / (file_name or f"{name}_{version.replace(':', '%3a')}_{arch}.deb")
    checks = ["--nocheck"] if nocheck else []
    run("dpkg-deb", "--root-owner-group", "-Zxz", *checks, "--build", tree, out)
    shutil.rmtree(tree)
    return out


def make_base_image(folder: Path, *, partitions: int = 2, sources: str = "") -> Path:
    """A small disk image laid out like Raspberry Pi OS Lite (about 140 MiB, sparse)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {"E2FSPROGS_FAKE_TIME": EPOCH}
    boot = folder / "boot.vfat"
    with boot.open("wb") as f:
        f.truncate(BOOT_SECTORS * 512)
    run("mkfs.vfat", "-F", "32", "-s", "1", "-n", "bootfs", "-i", "1A2B3C4D", boot)
    write(folder / "cmdline.txt", CMDLINE)
    write(folder / "config.txt", CONFIG_TXT)
    for name in ("cmdline.txt", "config.txt"):
        os.utime(folder / name, (int(EPOCH), int(EPOCH)))
        run("mcopy", "-m", "-i", boot, folder / name, f"::{name}")

    tree = folder / "rootfs"
    etc = tree / "etc"
    write(etc / "fstab", FSTAB)
    write(etc / "passwd", PASSWD)
    write(etc / "group", GROUP)
    write(etc / "shadow", SHADOW, 0o640)
    write(etc / "gshadow", GSHADOW, 0o640)
    write(etc / "hostname", "raspberrypi\n")
    write(etc / "hosts", "127.0.0.1\tlocalhost\n127.0.1.1\t\traspberrypi\n")
    write(etc / "ssh" / "sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\n")
    write(etc / "ssh" / "sshd_config.d" / "rename_user.conf", "Banner /usr/share/banner\n")
    write(etc / "ssh" / "ssh_host_ed25519_key", "a shared secret\n", 0o600)
    write(etc / "ssh" / "ssh_host_ed25519_key.pub", "ssh-ed25519 AAAA shared\n")
    write(etc / "sudoers.d" / "README", "# sudoers drop-ins\n", 0o440)
    write(etc / "cloud" / "cloud.cfg", "# cloud-init\n")
    write(etc / "apt" / "sources.list", sources or "deb http://deb.debian.org/debian trixie main\n")
    (etc / "apt" / "sources.list.d").mkdir()
    units = tree / "usr" / "lib" / "systemd" / "system"
    write(units / "ssh.service", "[Service]\nExecStart=/usr/sbin/sshd -D\n")
    write(units / "userconfig.service", "[Service]\nExecStart=/usr/lib/userconf-pi/x\n")
    wants = etc / "systemd" / "system" / "multi-user.target.wants"
    wants.mkdir(parents=True)
    (wants / "userconfig.service").symlink_to("/usr/lib/systemd/system/userconfig.service")
    write(tree / "var" / "lib" / "dpkg" / "status", DPKG_STATUS)
    for empty in ("opt", "home/pi", "var/lib/kiosk-placeholder", "usr/local/bin"):
        (tree / empty).mkdir(parents=True, exist_ok=True)
    root = folder / "root.ext4"
    with root.open("wb") as f:
        f.truncate(ROOT_SECTORS * 512)
    script = (
        f"chown -R 0:0 {tree} && chown 0:42 {etc}/shadow {etc}/gshadow && "
        f"chown -R 1000:1000 {tree}/home/pi && "
        f"mke2fs -q -F -t ext4 -b 4096 -L rootfs -U 0b3c2d1e-0000-4000-8000-000000000001 "
        f"-E hash_seed=0b3c2d1e-0000-4000-8000-000000000002 -d {tree} {root}"
    )
    run("fakeroot", "sh", "-c", script, env=env)

    image = folder / "raspios-test-arm64-lite.img"
    sectors = ROOT_START + ROOT_SECTORS
    with image.open("wb") as f:
        f.truncate(sectors * 512)
    layout = f"label: dos\nlabel-id: {DISK_ID}\nunit: sectors\n\n"
    layout += f"start={BOOT_START}, size={BOOT_SECTORS}, type=c\n"
    if partitions > 1:
        layout += f"start={ROOT_START}, size={ROOT_SECTORS}, type=83\n"
    run("sfdisk", "--quiet", image, input=layout)
    copy_into(boot, image, BOOT_START * 512)
    if partitions > 1:
        copy_into(root, image, ROOT_START * 512)
    for leftover in (boot, root, folder / "cmdline.txt", folder / "config.txt"):
        leftover.unlink()
    shutil.rmtree(tree)
    return image


def sha256(path: Path) -> str:
    """The file's SHA-256."""
    digest = hashlib.sha256()
    with path.open("rb") as fin:
        while block := fin.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def build(tmp: Path, base: Path, out: Path, *extra: str, check: bool = True):
    """Run ``kiosk-image build`` as a technician would."""
    inputs = tmp / "inputs"
    if not inputs.exists():
        write(inputs / "site.toml", SITE)
        write(inputs / "staff.pub", SSH_KEY)
        write(inputs / "wifi.psk", "correct horse battery\n", 0o600)
        (inputs / "debs").mkdir()
        for file_name, (name, version, arch) in BUNDLE.items():
            make_deb(inputs / "debs", name, arch, version=version, file_name=file_name)
    args = [
        sys.executable,
        BUILDER,
        "build",
        "--base",
        base,
        "--config",
        inputs / "site.toml",
        "--ssh-key",
        inputs / "staff.pub",
        "--hostname",
        "apollo-soyuz-1",
        "--debs",
        inputs / "debs",
        "--data-size",
        "16M",
        "--root-free",
        "40M",
        "--out",
        out,
        *extra,
    ]
    return run(*args, env={"SOURCE_DATE_EPOCH": EPOCH}, check=check)


class Image:
    """A built image, opened for reading with sfdisk, mtools and debugfs."""

    def __init__(self, path: Path, scratch: Path) -> None:
        self.path = path
        table = json.loads(run("sfdisk", "--json", path).stdout)["partitiontable"]
        self.table = table
        self.parts = table["partitions"]
        self.root = extract(path, self.parts[1]["start"], self.parts[1]["size"], scratch / "p2")
        self.data = extract(path, self.parts[2]["start"], self.parts[2]["size"], scratch / "p3")

    def boot_file(self, name: str) -> str:
        """A file on the boot partition (mtype)."""
        drive = f"{self.path}@@{self.parts[0]['start'] * 512}"
        return run("mtype", "-i", drive, f"::{name}").stdout

    @staticmethod
    def cat(fs: Path, path: str) -> str:
        """A file's text from an ext4 partition (debugfs cat)."""
        return run("debugfs", "-R", f"cat {path}", fs).stdout

    @staticmethod
    def stat(fs: Path, path: str) -> dict[str, object] | None:
        """Type, mode, uid, gid (and a symlink's target) of a path (debugfs stat)."""
        out = run("debugfs", "-R", f"stat {path}", fs).stdout
        kind = re.search(r"Type:\s+(\S+)\s+Mode:\s+([0-7]+)", out)
        owner = re.search(r"User:\s+(\d+)\s+Group:\s+(\d+)", out)
        if not kind:
            return None
        info: dict[str, object] = {
            "type": kind.group(1),
            "mode": int(kind.group(2), 8),
            "uid": int(owner.group(1)),
            "gid": int(owner.group(2)),
        }
        target = re.search(r'Fast link dest:\s+"(.*)"', out)
        if target:
            info["target"] = target.group(1)
        return info

    @staticmethod
    def ls(fs: Path, path: str) -> list[str]:
        """Names in a folder (debugfs ls)."""
        out = run("debugfs", "-R", f"ls -p {path}", fs).stdout
        names = [line.split("/")[5] for line in out.splitlines() if line.count("/") >= 6]
        return [n for n in names if n not in (".", "..")]


def ids(passwd_or_group: str, name: str) -> int:
    """The id of a user or group from /etc/passwd or /etc/group text."""
    found = re.search(rf"^{re.escape(name)}:x:(\d+):", passwd_or_group, re.M)
    assert found, f"{name} not in\n{passwd_or_group}"
    return int(found.group(1))


# -- fixtures ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The synthetic base image, and the kiosk image built from it (once for the module)."""
    if _missing:
        pytest.skip(f"needs apt packages: {' '.join(_missing)}")
    tmp = tmp_path_factory.mktemp("image")
    base = make_base_image(tmp / "base")
    before = sha256(base)
    out = tmp / "out" / "kiosk.img"
    out.parent.mkdir()
    done = build(
        tmp,
        base,
        out,
        "--sha256",
        before,
        "--wifi-ssid",
        "Museum Guests",
        "--wifi-psk-file",
        str(tmp / "inputs" / "wifi.psk"),
        "--wifi-country",
        "NO",
        "--root-free",
        "80M",
    )
    (tmp / "read").mkdir()
    return {
        "tmp": tmp,
        "base": base,
        "base_sha256": before,
        "out": out,
        "log": done.stdout,
        "image": Image(out, tmp / "read"),
    }


# -- the built image ---------------------------------------------------------------------
def test_the_disk_keeps_its_identifier_and_gains_an_aligned_data_partition(built):
    image = built["image"]
    assert image.table["label"] == "dos"
    assert image.table["id"] == DISK_ID
    boot, root, data = image.parts
    assert (boot["start"], boot["size"], boot["type"]) == (BOOT_START, BOOT_SECTORS, "c")
    assert root["start"] == ROOT_START and root["type"] == "83"
    assert root["size"] > ROOT_SECTORS, "--root-free 80M needs a bigger root"
    assert data["type"] == "83" and data["size"] == 16 * MiB // 512
    assert data["start"] >= root["start"] + root["size"] and data["start"] % 8192 == 0
    assert built["out"].stat().st_size == (data["start"] + data["size"]) * 512
    assert "PARTUUID=1a2b3c4d-03" in built["log"]


def test_the_boot_partition_boots_quietly_with_the_same_root(built):
    image = built["image"]
    drive = f"{built['out']}@@{BOOT_START * 512}"
    listing = run("mdir", "-b", "-i", drive, "::").stdout.lower()
    assert "cmdline.txt" in listing and "config.txt" in listing
    cmdline = image.boot_file("cmdline.txt")
    assert cmdline.endswith("\n") and cmdline.count("\n") == 1
    tokens = cmdline.split()
    assert "root=PARTUUID=1a2b3c4d-02" in tokens
    assert {"console=serial0,115200", "rootfstype=ext4", "fsck.repair=yes", "rootwait"} <= set(
        tokens
    )
    for wanted in (
        "console=tty3",
        "quiet",
        "loglevel=3",
        "logo.nologo",
        "vt.global_cursor_default=0",
        "consoleblank=0",
        "cfg80211.ieee80211_regdom=NO",
    ):
        assert tokens.count(wanted) == 1, wanted
    assert "console=tty1" not in tokens and "resize" not in tokens
    assert "cfg80211.ieee80211_regdom=GB" not in tokens
    assert image.boot_file("config.txt") == CONFIG_TXT


def test_both_ext4_file_systems_are_clean_and_the_root_fills_its_partition(built):
    image = built["image"]
    for fs in (image.root, image.data):
        done = run("e2fsck", "-fn", fs, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    header = run("dumpe2fs", "-h", image.data).stdout
    assert re.search(r"^Filesystem volume name:\s+kioskdata$", header, re.M)
    root = run("dumpe2fs", "-h", image.root).stdout
    blocks = int(re.search(r"^Block count:\s+(\d+)", root, re.M).group(1))
    size = int(re.search(r"^Block size:\s+(\d+)", root, re.M).group(1))
    assert blocks * size == image.parts[1]["size"] * 512


def test_accounts_for_the_kiosk_and_the_staff_login(built):
    fs = built["image"].root
    passwd, group = Image.cat(fs, "/etc/passwd"), Image.cat(fs, "/etc/group")
    assert passwd.startswith(PASSWD), "existing accounts stay as they were"
    staff_gid = ids(group, "kiosk-staff")
    kiosk = re.search(r"^kiosk:x:(\d+):(\d+):[^:]*:([^:]*):([^:]*)$", passwd, re.M)
    assert kiosk and int(kiosk.group(2)) == staff_gid
    assert kiosk.group(3, 4) == ("/var/lib/kiosk", "/usr/sbin/nologin")
    assert int(kiosk.group(1)) < 1000 and staff_gid < 1000
    assert len({ids(passwd, n) for n in ("root", "daemon", "systemd-network", "pi", "kiosk")}) == 5
    person = ids(passwd, "kioskadmin")
    assert person == 1001 == ids(group, "kioskadmin"), "1000 is taken by the image's own user"
    for name in ("kiosk-staff", "sudo", "adm", "systemd-journal", "video"):
        members = re.search(rf"^{name}:x:\d+:(.*)$", group, re.M).group(1).split(",")
        assert "kioskadmin" in members, name
    assert "sudo:x:27:pi,kioskadmin" in group
    shadow = Image.cat(fs, "/etc/shadow")
    assert re.search(r"^kiosk:!\*:", shadow, re.M) and re.search(r"^kioskadmin:\*:", shadow, re.M)
    assert Image.stat(fs, "/etc/shadow")["mode"] == 0o640
    assert Image.stat(fs, "/etc/shadow")["gid"] == 42
    assert "kiosk-staff:!*::kioskadmin" in Image.cat(fs, "/etc/gshadow")


def test_staff_log_in_with_their_key_only(built):
    fs = built["image"].root
    person = ids(Image.cat(fs, "/etc/passwd"), "kioskadmin")
    keys = "/home/kioskadmin/.ssh/authorized_keys"
    assert Image.cat(fs, keys) == SSH_KEY
    for path, mode in (
        ("/home/kioskadmin", 0o700),
        ("/home/kioskadmin/.ssh", 0o700),
        (keys, 0o600),
    ):
        info = Image.stat(fs, path)
        assert (info["mode"], info["uid"], info["gid"]) == (mode, person, person), path
    dropin = Image.cat(fs, "/etc/ssh/sshd_config.d/10-kiosk.conf")
    assert "PasswordAuthentication no" in dropin.splitlines()
    assert "KbdInteractiveAuthentication no" in dropin.splitlines()
    names = Image.ls(fs, "/etc/ssh/sshd_config.d")
    assert "rename_user.conf" not in names, "the first-user wizard's sshd banner is gone"
    assert not [n for n in Image.ls(fs, "/etc/ssh") if n.startswith("ssh_host_")]
    wants = "/etc/systemd/system/multi-user.target.wants"
    assert Image.stat(fs, f"{wants}/ssh.service")["target"] == "/usr/lib/systemd/system/ssh.service"
    sudoers = Image.stat(fs, "/etc/sudoers.d/010_kioskadmin-nopasswd")
    assert (sudoers["mode"], sudoers["uid"]) == (0o440, 0)
    assert "kioskadmin ALL=(ALL:ALL) NOPASSWD: ALL" in Image.cat(
        fs, "/etc/sudoers.d/010_kioskadmin-nopasswd"
    )


def test_the_kiosk_and_its_first_boot_are_enabled_and_the_console_is_empty(built):
    fs = built["image"].root
    wants = "/etc/systemd/system/multi-user.target.wants"
    for unit in ("kiosk.service", "kiosk-firstboot.service"):
        assert Image.stat(fs, f"{wants}/{unit}")["target"] == f"/etc/systemd/system/{unit}"
    assert "userconfig.service" not in Image.ls(fs, wants)
    for masked in ("getty@tty1.service", "autovt@tty1.service", "userconfig.service"):
        assert Image.stat(fs, f"/etc/systemd/system/{masked}")["target"] == "/dev/null"
    unit = (REPO / "deploy" / "systemd" / "kiosk.service").read_text(encoding="utf-8")
    assert Image.cat(fs, "/etc/systemd/system/kiosk.service") == unit
    dropin = Image.cat(fs, "/etc/systemd/system/kiosk.service.d/10-kiosk-image.conf")
    assert "ExecStart=/usr/bin/python3 -m kiosk run" in dropin.splitlines()
    assert "NAutoVTs=0" in Image.cat(fs, "/etc/systemd/logind.conf.d/40-kiosk.conf")
    for script in ("/usr/local/sbin/kiosk-firstboot", "/usr/local/sbin/kiosk-root"):
        assert Image.stat(fs, script)["mode"] == 0o755
        assert Image.cat(fs, script) == (FILES / script.lstrip("/")).read_text(encoding="utf-8")
    assert Image.stat(fs, "/usr/local/bin/kiosk")["mode"] == 0o755
    assert Image.cat(fs, "/etc/sysusers.d/kiosk.conf") == (
        REPO / "deploy" / "systemd" / "kiosk.sysusers"
    ).read_text(encoding="utf-8")
    assert Image.stat(fs, "/etc/cloud/cloud-init.disabled")["type"] == "regular"


def test_the_data_partition_holds_the_site_config_and_the_story(built):
    image = built["image"]
    passwd, group = Image.cat(image.root, "/etc/passwd"), Image.cat(image.root, "/etc/group")
    kiosk, staff = ids(passwd, "kiosk"), ids(group, "kiosk-staff")
    fstab = Image.cat(image.root, "/etc/fstab")
    assert fstab.startswith(FSTAB)
    line = fstab.splitlines()[-1].split()
    assert line[:3] == ["LABEL=kioskdata", "/var/lib/kiosk", "ext4"]
    assert {"nofail", "noatime"} <= set(line[3].split(",")) and line[5] == "2"
    mountpoint = Image.stat(image.root, "/var/lib/kiosk")
    assert (mountpoint["type"], mountpoint["uid"], mountpoint["gid"]) == ("directory", kiosk, staff)
    link = Image.stat(image.root, "/etc/kiosk/kiosk.toml")
    assert link["target"] == "/var/lib/kiosk/config/kiosk.toml"
    etc_kiosk = Image.stat(image.root, "/etc/kiosk")
    assert (etc_kiosk["mode"], etc_kiosk["gid"]) == (0o2775, staff)

    data = image.data
    top = Image.stat(data, "/")
    assert (top["mode"], top["uid"], top["gid"]) == (0o750, kiosk, staff)
    config = Image.cat(data, "/config/kiosk.toml")
    assert config.startswith(SITE)
    assert 'content = "/var/lib/kiosk/story"' in config
    for folder in ("/config", "/story", "/log"):
        info = Image.stat(data, folder)
        assert (info["mode"], info["uid"], info["gid"]) == (0o2775, 0, staff), folder
    stories = sorted(p.name for p in (REPO / "assets" / "story").glob("*.toml"))
    assert sorted(Image.ls(data, "/story")) == stories
    for name in stories:
        assert Image.stat(data, f"/story/{name}")["mode"] == 0o664
        text = (REPO / "assets" / "story" / name).read_text(encoding="utf-8")
        assert Image.cat(data, f"/story/{name}") == text


def test_the_site_config_on_the_data_partition_loads_cleanly(built, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(Image.cat(built["image"].data, "/config/kiosk.toml"), encoding="utf-8")
    from kiosk.settings import load_config

    loaded, problems = load_config(config)
    assert problems == []
    assert str(loaded.content_dir) == "/var/lib/kiosk/story"
    assert loaded.idle_timeout == 120 and loaded.language == "nb"


def test_the_application_is_in_opt_kiosk_without_caches(built):
    fs = built["image"].root
    main = (REPO / "kiosk" / "__main__.py").read_text(encoding="utf-8")
    assert Image.cat(fs, "/opt/kiosk/kiosk/__main__.py") == main
    assert sorted(Image.ls(fs, "/opt/kiosk")) == sorted(
        ["README.md", "pyproject.toml", "kiosk", "hardware", "assets", "deploy"]
    )
    assert "__pycache__" not in Image.ls(fs, "/opt/kiosk/kiosk")
    info = Image.stat(fs, "/opt/kiosk/kiosk/cli.py")
    assert (info["mode"], info["uid"], info["gid"]) == (0o644, 0, 0)


def test_hostname_and_wifi(built):
    fs = built["image"].root
    assert Image.cat(fs, "/etc/hostname") == "apollo-soyuz-1\n"
    hosts = Image.cat(fs, "/etc/hosts")
    assert "127.0.1.1\tapollo-soyuz-1" in hosts and "raspberrypi" not in hosts
    path = "/etc/NetworkManager/system-connections/kiosk-wifi.nmconnection"
    info = Image.stat(fs, path)
    assert (info["mode"], info["uid"], info["gid"]) == (0o600, 0, 0)
    connection = Image.cat(fs, path).splitlines()
    assert "ssid=Museum Guests" in connection and "psk=correct horse battery" in connection
    assert Image.cat(fs, "/etc/kiosk-image/wifi-country") == "NO\n"


def test_the_package_bundle_is_in_the_image_for_the_first_boot(built):
    root = built["image"].root
    assert sorted(Image.ls(root, "/var/lib/kiosk-image/debs")) == sorted(BUNDLE)
    info = Image.cat(root, "/etc/kiosk-image/build.txt")
    for file_name, (name, version, _arch) in BUNDLE.items():
        deb = built["tmp"] / "inputs" / "debs" / file_name
        path = f'"/var/lib/kiosk-image/debs/{file_name}"'
        copied = run("debugfs", "-R", f"cat {path}", root, text=False).stdout
        assert copied == deb.read_bytes()
        assert f"bundled: {name} {version}" in info


def test_the_input_is_unchanged_and_only_the_image_is_left(built):
    assert sha256(built["base"]) == built["base_sha256"]
    assert sorted(p.name for p in built["out"].parent.iterdir()) == ["kiosk.img"]


def test_building_twice_gives_the_same_bytes(built):
    again = built["out"].with_name("again.img")
    build(
        built["tmp"],
        built["base"],
        again,
        "--sha256",
        built["base_sha256"],
        "--wifi-ssid",
        "Museum Guests",
        "--wifi-psk-file",
        str(built["tmp"] / "inputs" / "wifi.psk"),
        "--wifi-country",
        "NO",
        "--root-free",
        "80M",
    )
    try:
        assert sha256(again) == sha256(built["out"])
    finally:
        again.unlink()


def test_an_xz_compressed_base_gives_the_same_partitions(built, tmp_path):
    packed = tmp_path / "raspios.img.xz"
    with packed.open("wb") as out:
        subprocess.run(["xz", "-T0", "-1", "-c", str(built["base"])], stdout=out, check=True)
    out = tmp_path / "from-xz.img"
    build(tmp_path, packed, out)
    image = Image(out, tmp_path)
    assert image.table["id"] == DISK_ID
    assert [p["start"] for p in image.parts[:2]] == [BOOT_START, ROOT_START]
    assert run("e2fsck", "-fn", image.root, check=False).returncode == 0
    assert image.boot_file("cmdline.txt").count("root=PARTUUID=1a2b3c4d-02") == 1


@pytest.mark.skipif(shutil.which("bmaptool") is None, reason="apt install bmap-tools")
def test_the_bmap_file_flashes_the_same_bytes(built, tmp_path):
    out = tmp_path / "kiosk.img"
    build(built["tmp"], built["base"], out, "--bmap")
    bmap = tmp_path / "kiosk.img.bmap"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiosk.img", "kiosk.img.bmap"]
    card = tmp_path / "card.img"
    run("bmaptool", "copy", "--bmap", bmap, out, card)
    assert sha256(card) == sha256(out)


@pytest.fixture(scope="module")
def packed_base(built):
    """The synthetic base image as .img.xz (the build unpacks it into its scratch folder)."""
    packed = built["tmp"] / "packed" / "raspios.img.xz"
    packed.parent.mkdir(exist_ok=True)
    if not packed.exists():
        with packed.open("wb") as out:
            subprocess.run(["xz", "-T0", "-0", "-c", str(built["base"])], stdout=out, check=True)
    return packed


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=str)
@pytest.mark.parametrize("point", ["root-copied", "finished"])
def test_a_signal_during_a_build_leaves_nothing_behind(built, packed_base, tmp_path, stop, point):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    inputs = built["tmp"] / "inputs"
    args = [sys.executable, str(BUILDER), "build", "--base", str(packed_base)]
    args += ["--config", str(inputs / "site.toml"), "--ssh-key", str(inputs / "staff.pub")]
    args += ["--debs", str(inputs / "debs"), "--data-size", "16M", "--root-free", "40M"]
    args += ["--bmap"] if point == "finished" and shutil.which("bmaptool") else []
    args += ["--out", str(out_dir / "kiosk.img")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "KIOSK_IMAGE_TEST_PAUSE": point}
    with subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True) as build_process:
        try:
            line = build_process.stderr.readline()  # blocks until the build holds there
            assert line.startswith(f"kiosk-image: paused at {point}"), line
            # The test can fail: at this point there is something to clean up.
            scratch = [p for p in out_dir.iterdir() if p.name.startswith(".kiosk-image-")]
            assert len(scratch) == 1 and (scratch[0] / "base.img").stat().st_size > 0
            assert (out_dir / ".kiosk.img.partial").exists()
            build_process.send_signal(stop)
            code = build_process.wait(timeout=120)
            rest = build_process.stderr.read()
        finally:
            if build_process.poll() is None:
                build_process.kill()
    assert code == 128 + stop, rest
    assert f"stopped by {stop.name}; nothing was written" in rest and "Traceback" not in rest
    assert list(out_dir.iterdir()) == [], "no partial image, no scratch folder, no base.img"


def test_fetch_debs_names_a_folder_given_as_the_base(tmp_path):
    (tmp_path / "raspios").mkdir()
    done = run(
        sys.executable,
        BUILDER,
        "fetch-debs",
        "--base",
        tmp_path / "raspios",
        "--out",
        tmp_path / "debs",
        check=False,
    )
    assert done.returncode == 1
    assert "--base " in done.stderr and "raspios is a directory; give the .img or .img.xz" in (
        done.stderr
    )
    assert not (tmp_path / "debs").exists()


# -- damaged inputs ----------------------------------------------------------------------
def _damaged(kind: str, base: Path, folder: Path) -> tuple[Path, list[str]]:
    if kind == "not an image":
        path = folder / "notes.img"
        path.write_bytes(b"these are not the sectors you are looking for\n" * 20000)
        return path, []
    if kind == "wrong checksum":
        return base, ["--sha256", "0" * 64]
    if kind == "too small":
        path = folder / "truncated.img"
        with base.open("rb") as fin, path.open("wb") as fout:
            fout.write(fin.read((ROOT_START + 100) * 512))
        return path, []
    if kind == "missing partition":
        return make_base_image(folder / "one", partitions=1), []
    if kind == "broken xz":
        path = folder / "cut.img.xz"
        packed = subprocess.run(
            ["xz", "-1", "-c", str(base)], capture_output=True, check=True
        ).stdout
        path.write_bytes(packed[: len(packed) // 2])
        return path, []
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("not an image", "not a disk image"),
        ("wrong checksum", "wrong checksum"),
        ("too small", "too small"),
        ("missing partition", "missing partition"),
        ("broken xz", "not a complete .xz file"),
    ],
)
def test_a_damaged_input_is_refused_and_nothing_is_left_behind(built, tmp_path, kind, message):
    base, extra = _damaged(kind, built["base"], tmp_path)
    before = sha256(base)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    done = build(built["tmp"], base, out_dir / "kiosk.img", *extra, check=False)
    assert done.returncode == 1, done.stdout
    assert done.stderr.startswith("kiosk-image: error: ") and message in done.stderr
    assert list(out_dir.iterdir()) == []
    assert sha256(base) == before


def test_a_missing_program_is_named_with_its_package(built, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sfdisk", "mcopy", "mtype", "mdir", "mke2fs", "e2fsck", "resize2fs", "dumpe2fs"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    done = run(
        sys.executable,
        BUILDER,
        "build",
        "--base",
        built["base"],
        "--config",
        built["tmp"] / "inputs" / "site.toml",
        "--ssh-key",
        built["tmp"] / "inputs" / "staff.pub",
        "--debs",
        built["tmp"] / "inputs" / "debs",
        "--out",
        tmp_path / "k.img",
        env={"PATH": str(bin_dir)},
        check=False,
    )
    assert done.returncode == 1
    assert "missing program: debugfs (install with: sudo apt install e2fsprogs)" in done.stderr
    assert not (tmp_path / "k.img").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("private-key", "this is a private key"),
        ("bad-config", "site.toml:3: exhibit.idel_timeout: unknown key"),
        ("bad-hostname", "--hostname 'Apollo_Soyuz'"),
        ("wifi-no-country", "--wifi-country"),
        ("amd64-deb", "is for amd64; the kiosk's Raspberry Pi needs arm64"),
        ("no-overlayroot", "missing overlayroot"),
        ("no-busybox", "missing busybox"),
    ],
)
def test_wrong_inputs_are_refused_with_the_file_and_the_fix(built, tmp_path, change, message):
    inputs = tmp_path / "inputs"
    shutil.copytree(built["tmp"] / "inputs", inputs)
    extra: list[str] = ["--hostname", "apollo-soyuz-1"]
    if change == "private-key":
        write(inputs / "staff.pub", "-----BEGIN OPENSSH PRIVATE KEY-----\nxyz\n")
    elif change == "bad-config":
        write(inputs / "site.toml", "[exhibit]\nlanguage = 'en'\nidel_timeout = 30\n")
    elif change == "bad-hostname":
        extra = ["--hostname", "Apollo_Soyuz"]
    elif change == "wifi-no-country":
        extra += ["--wifi-ssid", "Museum", "--wifi-psk-file", str(inputs / "wifi.psk")]
    elif change == "amd64-deb":
        make_deb(inputs / "debs", "kiosk-extra", arch="amd64")
    elif change == "no-overlayroot":
        (inputs / "debs" / "overlayroot_0.18.debian14_all.deb").unlink()
    elif change == "no-busybox":
        (inputs / "debs" / "busybox_1%3a1.37.0-6+b3_arm64.deb").unlink()
    out = tmp_path / "out.img"
    done = build(tmp_path, built["base"], out, *extra, check=False)
    assert done.returncode == 1
    assert message in done.stderr, done.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- the text edits, one by one -----------------------------------------------------------
def test_the_cmdline_edit_keeps_other_tokens_and_is_idempotent():
    once = plan.kiosk_cmdline(CMDLINE, wifi_country="NO")
    assert plan.kiosk_cmdline(once, wifi_country="NO") == once
    tokens = once.split()
    assert tokens[:2] == ["console=serial0,115200", "root=PARTUUID=1a2b3c4d-02"]
    assert len(tokens) == len(set(tokens))
    edited = plan.kiosk_cmdline("root=/dev/mmcblk0p2 splash loglevel=7 init=/usr/lib/x\n")
    assert "loglevel=7" not in edited.split() and "loglevel=3" in edited.split()
    assert {"splash", "init=/usr/lib/x"} <= set(edited.split()), "unknown tokens stay"
    assert "init=/usr/lib/raspberrypi-sys-mods/firstboot" not in plan.kiosk_cmdline(
        "root=PARTUUID=1-02 init=/usr/lib/raspberrypi-sys-mods/firstboot\n"
    )
    with pytest.raises(BuildError, match="no root="):
        plan.kiosk_cmdline("console=tty1 quiet\n")
    assert plan.root_partuuid(CMDLINE) == "1a2b3c4d-02"


def test_config_txt_gets_an_initramfs_only_when_it_has_none():
    assert plan.ensure_initramfs(CONFIG_TXT) == CONFIG_TXT
    assert plan.ensure_initramfs("initramfs initrd.img followkernel\n").count("auto_") == 0
    added = plan.ensure_initramfs("dtparam=audio=on")
    assert added.startswith("dtparam=audio=on\n") and added.rstrip().endswith("auto_initramfs=1")


def test_fstab_gets_one_data_line_replacing_an_older_one():
    old = FSTAB + "/dev/sda1  /var/lib/kiosk  ext4  defaults  0  2\n# /var/lib/kiosk note\n"
    new = plan.with_data_mount(old)
    assert new.count("/var/lib/kiosk  ext4") == 1 and "/dev/sda1" not in new
    assert "# /var/lib/kiosk note" in new and new.startswith(FSTAB)
    assert plan.with_data_mount(new) == new


def test_accounts_take_free_ids_and_keep_existing_ones():
    accounts = plan.Accounts.parse(
        "root:x:0:0::/root:/bin/sh\nsvc:x:999:999::/:/bin/false\n",
        "root:x:0:\nsvc:x:999:\ngpio:x:998:\n",
        None,
        None,
        days=20000,
    )
    staff = accounts.add_group("kiosk-staff")
    user = accounts.add_system_user("kiosk", "kiosk-staff", "Kiosk", "/var/lib/kiosk")
    assert (staff, user) == (997, 998), "from the top of 100–999, skipping ids in use"
    assert accounts.add_group("gpio") == 998, "an existing group is kept"
    assert accounts.add_person("alice", "Alice") == 1000
    assert accounts.add_person("alice", "Alice") == 1000
    assert accounts.add_member("kiosk-staff", "alice") and not accounts.add_member("nope", "alice")
    text = accounts.render()
    assert text["shadow"] is None and "kiosk-staff:x:997:alice" in text["group"]
    with pytest.raises(BuildError, match="group of that name"):
        accounts.add_person("gpio", "clash")
    with pytest.raises(BuildError, match="no root"):
        plan.Accounts.parse("pi:x:1000:1000::/home/pi:/bin/sh\n", "", None, None, 1)


def test_public_keys_are_checked_line_by_line():
    two = "# staff keys\n" + SSH_KEY + "\n" + public_key("ssh-rsa", "tech@museum")
    assert plan.authorized_keys(two, "k.pub").count("\n") == 2
    kind, blob, _ = SSH_KEY.split()
    with pytest.raises(BuildError, match=r"k.pub:1: the key says 'ssh-ed25519'"):
        plan.authorized_keys(f"ssh-rsa {blob}\n", "k.pub")
    with pytest.raises(BuildError, match=r"k.pub:2: the key is damaged"):
        plan.authorized_keys(f"{SSH_KEY}{kind} AAAA!!!\n", "k.pub")
    with pytest.raises(BuildError, match="no public key"):
        plan.authorized_keys("\n# nothing\n", "k.pub")


def test_the_story_moves_to_the_data_partition_unless_the_config_says_otherwise():
    added = plan.config_with_story_on_data("[exhibit]\nfps = 30\n", "s.toml")
    assert added.endswith(
        '[paths]\ncontent = "/var/lib/kiosk/story"   '
        "# kiosk-image: the story on the data partition\n"
    )
    under = plan.config_with_story_on_data("[paths]  # where\ndata = '/srv'\n", "s.toml")
    assert under.splitlines()[1].startswith('content = "/var/lib/kiosk/story"')
    own = "[paths]\ncontent = '/srv/story'\n"
    assert plan.config_with_story_on_data(own, "s.toml") == own
    with pytest.raises(BuildError, match="set \\[paths\\] content yourself"):
        plan.config_with_story_on_data("paths = { data = '/srv' }\n", "s.toml")
    with pytest.raises(BuildError, match=r"s\.toml: not valid TOML"):
        plan.config_with_story_on_data("[paths\n", "s.toml")


def test_wifi_passphrase_ssid_and_country_are_checked():
    assert plan.wifi_psk("a" * 64 + "\n", "p") == "a" * 64
    with pytest.raises(BuildError, match="8 to 63"):
        plan.wifi_psk("short\n", "p")
    text = plan.wifi_connection(" Lobby\\1", "secret passphrase")
    assert "ssid=\\sLobby\\\\1" in text.splitlines()
    with pytest.raises(BuildError, match="1 to 32 bytes"):
        plan.wifi_connection("x" * 33, "secret passphrase")
    with pytest.raises(BuildError, match="two capital letters"):
        plan.check_country("no")
    with pytest.raises(BuildError, match="--hostname"):
        plan.check_hostname("-kiosk")


@needs_tools
def test_deb_files_are_read_from_the_file_itself(tmp_path):
    from imagebuild.debs import read_deb

    deb = read_deb(make_deb(tmp_path, "python3-lgpio", arch="arm64"))
    assert (deb.package, deb.version, deb.architecture) == ("python3-lgpio", "1.0", "arm64")
    fake = write(tmp_path / "fake.deb", "not an archive")
    with pytest.raises(BuildError, match=r"fake\.deb: not a \.deb file"):
        read_deb(fake)


#: File names as apt (``apt-get download``, ``fetch-debs``) and dpkg-deb name Debian's packages.
REAL_DEBS = [
    ("libjpeg62-turbo_1%3a2.1.5-4_arm64.deb", "libjpeg62-turbo", "1:2.1.5-4", "arm64"),
    ("libglib2.0-0t64_2.84.4-3~deb13u5_arm64.deb", "libglib2.0-0t64", "2.84.4-3~deb13u5", "arm64"),
    ("libstdc++6_14.2.0-19_arm64.deb", "libstdc++6", "14.2.0-19", "arm64"),
    ("python3-pygame_2.6.1-1+b1_arm64.deb", "python3-pygame", "2.6.1-1+b1", "arm64"),
    ("fonts-dejavu-core_2.37-8_all.deb", "fonts-dejavu-core", "2.37-8", "all"),
    ("libegl-mesa0_25.0.7-2_arm64.deb", "libegl-mesa0", "25.0.7-2", "arm64"),
]


@needs_tools
@pytest.mark.parametrize(("file_name", "name", "version", "arch"), REAL_DEBS)
def test_real_debian_file_names_are_read_and_kept(tmp_path, file_name, name, version, arch):
    from imagebuild.debs import read_deb

    deb = read_deb(make_deb(tmp_path, name, arch, version=version, file_name=file_name))
    assert (deb.package, deb.version, deb.architecture) == (name, version, arch)
    assert deb.image_name == file_name, "in the image: the name apt gives it"


@needs_tools
def test_the_control_data_names_the_file_in_the_image_not_the_download(tmp_path):
    from imagebuild.debs import read_deb

    saved = make_deb(tmp_path, "busybox", version="1:1.37.0-6+b3", file_name="busybox.deb")
    assert read_deb(saved).image_name == "busybox_1%3a1.37.0-6+b3_arm64.deb"
    lying = make_deb(tmp_path, "busybox", "amd64", file_name="busybox_1.37_arm64.deb")
    assert read_deb(lying).architecture == "amd64"


@needs_tools
@pytest.mark.parametrize(
    ("file_name", "why"),
    [
        ("-rf.deb", "starts with '-'"),
        (".hidden_1.0_all.deb", "starts with '.'"),
        ("my package (1).deb", "' ' '(' ')'"),
        ("x;reboot_1.0_all.deb", "';'"),
        ("$(reboot)_1.0_all.deb", "'$' '(' ')'"),
        ('quote"d_1.0_all.deb', "'\"'"),
        ("line\nbreak_1.0_all.deb", "'\\n'"),
    ],
)
def test_dangerous_deb_file_names_are_refused_with_the_reason(tmp_path, file_name, why):
    from imagebuild.debs import read_deb

    deb = make_deb(tmp_path, "kiosk-extra", file_name="kiosk-extra_1.0_arm64.deb")
    odd = deb.rename(tmp_path / file_name)
    with pytest.raises(BuildError) as caught:
        read_deb(odd)
    message = str(caught.value)
    assert "unusual .deb file name" in message and why in message, message
    assert "rename it to NAME_VERSION_ARCH.deb" in message


@needs_tools
def test_invalid_control_data_is_refused(tmp_path):
    from imagebuild.debs import read_deb

    deb = make_deb(tmp_path, "kiosk-extra", version="1.0/../../x", file_name="x.deb", nocheck=True)
    with pytest.raises(BuildError, match=r"(?s)x\.deb: .*invalid character in version"):
        read_deb(deb)


@needs_tools
def test_relative_paths_and_folders_with_spaces_build_as_the_readme_says(built, tmp_path):
    site = tmp_path / "museum kiosks" / "apollo soyuz"
    shutil.copytree(built["tmp"] / "inputs", site)
    shutil.copy(built["base"], site / "raspios lite.img")
    (site / "out dir").mkdir()
    done = run(
        sys.executable,
        BUILDER,
        "build",
        "--base",
        "raspios lite.img",
        "--config",
        "site.toml",
        "--ssh-key",
        "./staff.pub",
        "--debs",
        "debs/",
        "--data-size",
        "16M",
        "--root-free",
        "40M",
        "--out",
        "out dir/../out dir/apollo-soyuz-1.img",
        env={"SOURCE_DATE_EPOCH": EPOCH},
        cwd=site,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = site / "out dir" / "apollo-soyuz-1.img"
    assert [p.name for p in out.parent.iterdir()] == ["apollo-soyuz-1.img"]
    image = Image(out, tmp_path)
    assert sorted(Image.ls(image.root, "/var/lib/kiosk-image/debs")) == sorted(BUNDLE)
    assert not [p for p in site.iterdir() if p.name.startswith(".kiosk-image-")]


def _path_mistake(kind: str, folder: Path) -> tuple[str, Path]:
    if kind == "base is a folder":
        (folder / "raspios").mkdir()
        return "--base", folder / "raspios"
    if kind == "base is a FIFO":
        os.mkfifo(folder / "raspios.img")
        return "--base", folder / "raspios.img"
    if kind == "base is missing":
        return "--base", folder / "raspios.img"
    if kind == "base is a dangling symlink":
        (folder / "raspios.img").symlink_to(folder / "gone.img")
        return "--base", folder / "raspios.img"
    if kind == "config is a folder":
        (folder / "site").mkdir()
        return "--config", folder / "site"
    if kind == "debs is a file":
        return "--debs", write(folder / "debs.txt", "x\n")
    if kind == "out is a folder":
        (folder / "images").mkdir()
        return "--out", folder / "images"
    if kind == "out in a missing folder":
        return "--out", folder / "no-such-folder" / "kiosk.img"
    raise AssertionError(kind)


@needs_tools
@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("base is a folder", "raspios is a directory; give the .img or .img.xz file"),
        ("base is a FIFO", "is a named pipe (FIFO); give the .img or .img.xz file"),
        ("base is missing", "raspios.img: no such file or folder; give the .img or .img.xz"),
        ("base is a dangling symlink", "gone.img, which does not exist"),
        ("config is a folder", "site is a directory; give the site's kiosk.toml"),
        ("debs is a file", "debs.txt is a file; give the folder kiosk-image fetch-debs made"),
        ("out is a folder", "images is a directory; give the file to write, e.g."),
        ("out in a missing folder", "the folder"),
    ],
)
def test_a_path_of_the_wrong_kind_gets_a_message_that_says_what_to_give(
    built, tmp_path, kind, message
):
    option, path = _path_mistake(kind, tmp_path)
    inputs = built["tmp"] / "inputs"
    values = {
        "--base": built["base"],
        "--config": inputs / "site.toml",
        "--ssh-key": inputs / "staff.pub",
        "--debs": inputs / "debs",
        "--out": tmp_path / "kiosk.img",
    }
    values[option] = path
    args = [part for item in values.items() for part in item]
    done = run(sys.executable, BUILDER, "build", *args, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith(f"kiosk-image: error: {option} ") and message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "kiosk.img").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_input_is_named(tmp_path):
    from imagebuild import paths

    secret = write(tmp_path / "staff.pub", SSH_KEY, 0o000)
    with pytest.raises(BuildError, match="cannot be read \\(permission denied\\)"):
        paths.input_file("--ssh-key", secret, "the staff's public key")


# -- scripts and units ---------------------------------------------------------------------
SCRIPTS = [
    FIRSTBOOT,
    KIOSK_ROOT,
    FILES / "usr" / "local" / "bin" / "kiosk",
    IMAGE_DIR / "kiosk-image",
    *sorted((REPO / "deploy" / "pi-gen").rglob("*.sh")),
]


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="apt install shellcheck")
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(REPO)))
def test_shell_scripts_pass_shellcheck(script):
    done = run("shellcheck", "--severity=style", script, check=False)
    assert done.returncode == 0, done.stdout


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="apt install systemd")
def test_the_units_in_the_image_pass_systemd_analyze_verify(tmp_path):
    units = tmp_path / "units"
    shutil.copytree(FILES / "etc" / "systemd" / "system", units)
    shutil.copy(REPO / "deploy" / "systemd" / "kiosk.service", units)
    first = units / "kiosk-firstboot.service"
    first.write_text(
        first.read_text(encoding="utf-8").replace(
            "/usr/local/sbin/kiosk-firstboot", str(FIRSTBOOT)
        ),
        encoding="utf-8",
    )
    env = {"SYSTEMD_UNIT_PATH": f"{units}:"}
    for unit in ("kiosk.service", "kiosk-firstboot.service"):
        done = run("systemd-analyze", "verify", units / unit, env=env, check=False)
        assert done.returncode == 0 and unit not in done.stderr, done.stderr
    # The drop-in is read: pointing it at a missing program makes verify fail.
    dropin = units / "kiosk.service.d" / "10-kiosk-image.conf"
    dropin.write_text(
        dropin.read_text(encoding="utf-8").replace("/usr/bin/python3", "/nonexistent/python3"),
        encoding="utf-8",
    )
    done = run("systemd-analyze", "verify", units / "kiosk.service", env=env, check=False)
    assert done.returncode != 0 and "/nonexistent/python3" in done.stderr


SYSTEMD = next(
    (p for p in ("/usr/lib/systemd/systemd", "/lib/systemd/systemd") if os.access(p, os.X_OK)),
    None,
)


def _unit_dump(units: Path) -> str:
    """systemd's own view of kiosk.service (``systemd --test``: its dependencies, loaded).

    Test mode refuses to run as root, so as root it runs as nobody.
    """
    user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    done = run(
        *(user if os.geteuid() == 0 else []),
        "env",
        f"SYSTEMD_UNIT_PATH={units}:",
        SYSTEMD,
        "--test",
        "--system",
        "--unit=kiosk.service",
        "--no-pager",
        check=False,
    )
    block = re.search(
        r"^\s*-> Unit kiosk\.service:\n(.*?)(?=^\s*-> Unit |\Z)", done.stdout, re.M | re.S
    )
    assert block, done.stdout[-2000:] + done.stderr
    return block.group(1)


@pytest.mark.skipif(
    SYSTEMD is None or (os.geteuid() == 0 and shutil.which("setpriv") is None),
    reason="needs systemd (and setpriv as root)",
)
def test_the_kiosk_starts_without_its_data_partition():
    units = Path(tempfile.mkdtemp(prefix="kiosk-units-"))
    try:
        units.chmod(0o755)  # read by nobody
        shutil.copy(REPO / "deploy" / "systemd" / "kiosk.service", units)
        plain = _unit_dump(units)
        # The check can fail: StateDirectory= alone makes the mount a hard requirement.
        assert "RequiresMountsFor: /var/lib/kiosk " in plain
        shutil.copytree(
            FILES / "etc" / "systemd" / "system" / "kiosk.service.d", units / "kiosk.service.d"
        )
        for path in units.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        image = _unit_dump(units)
    finally:
        shutil.rmtree(units)
    hard = ("Requires", "Requisite", "BindsTo", "PartOf", "RequiresMountsFor")
    for line in image.splitlines():
        key, _, value = line.strip().partition(": ")
        if key in hard:
            assert "var-lib-kiosk" not in value and "/var/lib/kiosk" not in value, line
    assert "After: var-lib-kiosk.mount (origin-file)" in image, "the mount is waited for"
    assert "Wants: var-lib-kiosk.mount (origin-file)" in image
    assert "ReadWritePaths: -/var/lib/kiosk" in image, "writable with or without the partition"
    assert "mountpoint -q /var/lib/kiosk" in image, "a missing partition is said in the journal"
    fstab = plan.with_data_mount(FSTAB).splitlines()[-1].split()[3].split(",")
    assert "nofail" in fstab
    # Long enough for a slow udev coldplug (14 s in the QEMU boot test): the partition is there.
    timeout = next(o for o in fstab if o.startswith("x-systemd.device-timeout="))
    assert int(timeout.split("=")[1].rstrip("s")) >= 60


@pytest.mark.skipif(
    shutil.which("systemd-sysusers") is None or shutil.which("systemd-tmpfiles") is None,
    reason="needs systemd-sysusers and systemd-tmpfiles",
)
def test_tmpfiles_makes_the_state_folder_the_image_drop_in_no_longer_asks_for(tmp_path):
    root = tmp_path / "root"
    write(root / "etc" / "passwd", "root:x:0:0:root:/root:/bin/sh\n")
    write(root / "etc" / "group", "root:x:0:\n")
    systemd = REPO / "deploy" / "systemd"
    run("systemd-sysusers", f"--root={root}", systemd / "kiosk.sysusers")
    run("systemd-tmpfiles", f"--root={root}", "--create", systemd / "kiosk.tmpfiles")
    state = (root / "var" / "lib" / "kiosk").stat()
    passwd, group = (root / "etc" / "passwd").read_text(), (root / "etc" / "group").read_text()
    assert oct(state.st_mode & 0o7777) == "0o750"
    assert (state.st_uid, state.st_gid) == (ids(passwd, "kiosk"), ids(group, "kiosk-staff"))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="apt install systemd")
def test_the_image_drop_in_keeps_the_kiosks_security_exposure(tmp_path):
    units = tmp_path / "units"
    shutil.copytree(FILES / "etc" / "systemd" / "system", units)
    shutil.copy(REPO / "deploy" / "systemd" / "kiosk.service", units)
    done = run(
        "systemd-analyze",
        "security",
        "--offline=yes",
        "--no-pager",
        "kiosk.service",
        env={"SYSTEMD_UNIT_PATH": f"{units}:"},
        check=False,
    )
    if "--offline" in done.stderr and done.returncode != 0:
        pytest.skip(f"this systemd-analyze has no --offline: {done.stderr.strip()}")
    found = re.search(r"Overall exposure level for kiosk\.service: ([\d.]+)", done.stdout)
    assert found and float(found.group(1)) <= 1.1, done.stdout


# -- the first boot, in a scratch directory standing in for / ------------------------------
STUB = r"""#!/bin/bash
# A stand-in: records how it was called; fails if named in STUB_FAIL.
name=${0##*/}
printf '%s\n' "$name $*" >>"$STUB_LOG"
case " ${STUB_FAIL:-} " in *" $name "*) echo "$name: failing on purpose" >&2; exit 1 ;; esac
case $name in
  ssh-keygen) prefix=; [ "${2:-}" = -f ] && prefix=$3
              echo new >"$prefix/etc/ssh/ssh_host_ed25519_key" ;;
  update-initramfs) initrd=$STUB_ROOT/boot/initrd.img-$3
                    echo scripts/init-bottom/overlayroot >"$initrd"
                    [ -n "${STUB_NO_BUSYBOX:-}" ] || echo usr/bin/busybox >>"$initrd" ;;
  lsinitramfs) cat "$1" ;;
  overlayroot-chroot) # the command, on the real root that overlayroot mounts here
                      last=${*: -1}; set -- "${@:1:$#-1}" "$STUB_ROOT/media/root-ro$last"
                      "$@" ;;
  blkid) [ -n "${STUB_DATA_DEV:-}" ] || exit 2; echo "$STUB_DATA_DEV" ;;
  findmnt) case "$*" in
             *SOURCE*) echo "${STUB_ROOT_DEV:-/dev/mmcblk0p2}" ;;
             *) echo "${STUB_ROOT_FSTYPE:-ext4}" ;;
           esac ;;
  sfdisk) cat >/dev/null ;;
esac
"""
STUBBED = ("apt-get", "dpkg", "ssh-keygen", "python3", "rfkill", "blkid", "sfdisk", "partx")
STUBBED += ("resize2fs", "update-initramfs", "systemctl", "findmnt", "udevadm", "mkfs.ext4")
STUBBED += ("mount", "chown", "lsinitramfs", "overlayroot-chroot")
KERNELS = ("6.12.34+rpt-rpi-v8", "6.12.34+rpt-rpi-2712")
PI_CMDLINE = "console=serial0,115200 console=tty3 root=PARTUUID=1a2b3c4d-02 rootwait quiet\n"


@pytest.fixture
def scratch(tmp_path):
    """A tree standing in for a freshly flashed kiosk's /, and stand-in commands."""
    root = tmp_path / "root"
    write(root / "boot" / "firmware" / "cmdline.txt", PI_CMDLINE)
    write(root / "boot" / "firmware" / "config.txt", CONFIG_TXT)
    write(root / "etc" / "ssh" / "ssh_host_rsa_key", "the image's shared key\n", 0o600)
    debs = root / "var" / "lib" / "kiosk-image" / "debs"
    for name in ("python3-pygame_2.6.1_arm64.deb", "overlayroot_0.18_all.deb"):
        write(debs / name, "deb")
    write(root / "usr" / "share" / "initramfs-tools" / "hooks" / "overlayroot", "#!/bin/sh\n")
    write(root / "usr" / "bin" / "busybox", "#!/bin/sh\n", 0o755)
    # What images before issue 14 wrote: it kept the root read-only after kiosk-root writable.
    write(root / "etc" / "overlayroot.local.conf", 'overlayroot="tmpfs:recurse=0"\n')
    for kernel in KERNELS:
        (root / "lib" / "modules" / kernel).mkdir(parents=True)
    write(root / "boot" / f"initrd.img-{KERNELS[0]}", "the old initramfs")
    wants = root / "etc" / "systemd" / "system" / "multi-user.target.wants"
    wants.mkdir(parents=True)
    (wants / "kiosk-firstboot.service").symlink_to("/etc/systemd/system/kiosk-firstboot.service")
    (root / "opt" / "kiosk" / "kiosk").mkdir(parents=True)
    (root / "opt" / "kiosk" / "hardware").mkdir()
    write(root / "etc" / "kiosk-image" / "wifi-country", "NO\n")
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    stub = write(tmp_path / "stub", STUB, 0o755)
    for name in STUBBED:
        (stubs / name).symlink_to(stub)
    log = tmp_path / "calls.log"
    log.touch()

    def firstboot(*args: str, fail: str = "", script: Path = FIRSTBOOT, **env: str):
        done = run(
            script,
            *args,
            env={
                "PATH": f"{stubs}:{os.environ['PATH']}",
                "KIOSK_FIRSTBOOT_TESTING": "1",
                "KIOSK_FIRSTBOOT_TTY": "/dev/null",
                "STUB_LOG": str(log),
                "STUB_ROOT": str(root),
                "STUB_DATA_DEV": "/dev/mmcblk0p3",
                "STUB_FAIL": fail,
                **env,
            },
            check=False,
        )
        calls = log.read_text(encoding="utf-8").splitlines()
        log.write_text("", encoding="utf-8")
        return done, calls

    return root, firstboot


STEPS = ("ssh_host_keys", "install_packages", "compile_app", "wifi", "make_data", "grow_data")
STEPS += ("volatile_journal", "read_only_root")


def test_the_first_boot_does_every_step_then_disables_itself_and_reboots(scratch):
    root, firstboot = scratch
    done, calls = firstboot("--root", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    state = root / "var" / "lib" / "kiosk-image"
    debs = state / "debs"
    assert [c for c in calls if not c.startswith("lsinitramfs ")] == [
        f"ssh-keygen -A -f {root}",
        "dpkg --configure -a",
        "apt-get install -y --no-install-recommends -o Dir::Etc::SourceList=/dev/null "
        f"-o Dir::Etc::SourceParts={state}/no-sources "
        "-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "
        f"{debs}/overlayroot_0.18_all.deb {debs}/python3-pygame_2.6.1_arm64.deb",
        f"python3 -m compileall -q {root}/opt/kiosk/kiosk {root}/opt/kiosk/hardware",
        "rfkill unblock wifi",
        "blkid -L kioskdata",
        "blkid -L kioskdata",
        "sfdisk --force --no-reread --no-tell-kernel --wipe never --wipe-partitions never "
        "-N 3 /dev/mmcblk0",
        "partx --update --nr 3 /dev/mmcblk0",
        "resize2fs /dev/mmcblk0p3",
        f"update-initramfs -c -k {KERNELS[1]}",
        f"update-initramfs -u -k {KERNELS[0]}",
        "systemctl --no-block reboot",
    ]
    assert list(debs.iterdir()) == [], "installed packages are removed from the root"
    assert not list((state / "no-sources").iterdir()), "apt gets no package sources at all"
    ssh = sorted(p.name for p in (root / "etc" / "ssh").iterdir())
    assert ssh == ["ssh_host_ed25519_key"], "the image's shared host key is gone"
    journald = root / "etc" / "systemd" / "journald.conf.d" / "40-kiosk-volatile.conf"
    assert "Storage=volatile" in journald.read_text(encoding="utf-8").splitlines()
    assert not (root / "etc" / "overlayroot.local.conf").exists(), "cmdline.txt decides alone"
    cmdline = (root / "boot" / "firmware" / "cmdline.txt").read_text(encoding="utf-8")
    assert cmdline == PI_CMDLINE.rstrip("\n") + " overlayroot=tmpfs:recurse=0\n"
    for kernel in KERNELS:
        assert (root / "boot" / f"initrd.img-{kernel}").exists()
    wants = root / "etc" / "systemd" / "system" / "multi-user.target.wants"
    assert list(wants.iterdir()) == []
    assert (state / "firstboot.done").exists()
    assert {p.name for p in (state / "done").iterdir()} == set(STEPS)
    log = (root / "var" / "lib" / "kiosk" / "log" / "kiosk-firstboot.log").read_text("utf-8")
    for step in STEPS:
        assert f"kiosk-firstboot: {step}: ok" in log
    assert "kiosk-firstboot: finished: rebooting into the exhibit" in log


@pytest.mark.parametrize(
    ("fail", "step", "again"),
    [
        ("ssh-keygen", "ssh_host_keys", {"ssh-keygen"}),
        ("apt-get", "install_packages", {"dpkg", "apt-get"}),
        ("sfdisk", "make_data", {"findmnt", "sfdisk", "partx", "udevadm", "mkfs.ext4", "mount"}),
        ("update-initramfs", "read_only_root", {"update-initramfs"}),
    ],
)
def test_a_failed_step_never_stops_the_others_and_the_next_boot_retries_it(
    scratch, fail, step, again
):
    root, firstboot = scratch
    no_data = {"STUB_DATA_DEV": ""} if step == "make_data" else {}
    done, calls = firstboot("--root", str(root), fail=fail, **no_data)
    assert done.returncode == 1, done.stdout
    assert f"kiosk-firstboot: {step} FAILED (status 1); carrying on" in done.stdout
    state = root / "var" / "lib" / "kiosk-image"
    assert {p.name for p in (state / "done").iterdir()} == set(STEPS) - {step}, "others ran"
    assert calls[0] == f"ssh-keygen -A -f {root}", "host keys come first"
    assert any(c.startswith("update-initramfs") for c in calls), "the last step ran"
    assert "systemctl --no-block reboot" not in calls
    cmdline = (root / "boot" / "firmware" / "cmdline.txt").read_text(encoding="utf-8")
    assert cmdline == PI_CMDLINE, "the root stays writable while a step is missing"
    wants = root / "etc" / "systemd" / "system" / "multi-user.target.wants"
    assert [p.name for p in wants.iterdir()] == ["kiosk-firstboot.service"]
    log = (root / "var" / "lib" / "kiosk" / "log" / "kiosk-firstboot.log").read_text("utf-8")
    assert f"{step}: FAILED" in log and "the kiosk and SSH start anyway" in log

    done, calls = firstboot("--root", str(root), **no_data)
    assert done.returncode == 0, done.stdout
    assert calls[-1] == "systemctl --no-block reboot"
    assert "volatile_journal: done at an earlier boot" in done.stdout
    ran = {c.split()[0] for c in calls} - {"lsinitramfs", "systemctl", "blkid", "chown"}
    assert ran == again, "only the failed step runs again"
    cmdline = (root / "boot" / "firmware" / "cmdline.txt").read_text(encoding="utf-8")
    assert cmdline.split().count("overlayroot=tmpfs:recurse=0") == 1


def test_a_failing_dpkg_configure_leaves_the_install_to_apt(scratch):
    root, firstboot = scratch
    done, calls = firstboot("--root", str(root), "install_packages", fail="dpkg")
    assert done.returncode == 0, done.stdout
    assert "dpkg --configure -a failed; apt-get carries on" in done.stdout
    assert [c.split()[0] for c in calls] == ["dpkg", "apt-get"]


def test_single_steps_repeat_safely_and_leave_the_switch_to_the_whole_run(scratch):
    root, firstboot = scratch
    for _ in range(2):
        done, calls = firstboot("--root", str(root), "read_only_root")
        assert done.returncode == 0, done.stdout
        (root / "var" / "lib" / "kiosk-image" / "done" / "read_only_root").unlink()
    cmdline = (root / "boot" / "firmware" / "cmdline.txt").read_text(encoding="utf-8")
    assert cmdline == PI_CMDLINE, "only a complete first boot turns the read-only root on"
    assert "systemctl --no-block reboot" not in calls, "a single step neither reboots"
    assert (root / "etc" / "systemd" / "system" / "multi-user.target.wants").iterdir()


def test_an_initramfs_that_has_overlayroot_already_is_not_made_again(scratch):
    root, firstboot = scratch
    # The packages' own initramfs trigger made this one while they were installed.
    write(
        root / "boot" / f"initrd.img-{KERNELS[0]}",
        "usr/share/initramfs-tools/scripts/init-bottom/overlayroot\nusr/bin/busybox\n",
    )
    done, calls = firstboot("--root", str(root), "read_only_root")
    assert done.returncode == 0, done.stdout
    assert [c for c in calls if c.startswith("update-initramfs")] == [
        f"update-initramfs -c -k {KERNELS[1]}"
    ]
    assert f"the initramfs of kernel {KERNELS[0]} has overlayroot and busybox" in done.stdout


def test_the_read_only_root_needs_busybox_in_the_initramfs(scratch):
    root, firstboot = scratch
    done, _ = firstboot("--root", str(root), "read_only_root", STUB_NO_BUSYBOX="1")
    assert done.returncode == 1
    assert "lacks overlayroot or busybox (lsinitramfs)" in done.stdout
    (root / "usr" / "bin" / "busybox").unlink()
    done, calls = firstboot("--root", str(root), "read_only_root")
    assert done.returncode == 1 and "busybox is not installed" in done.stdout
    assert not [c for c in calls if c.startswith("update-initramfs")]


def test_the_first_boot_refuses_a_read_only_root_without_overlayroot(scratch):
    root, firstboot = scratch
    (root / "usr" / "share" / "initramfs-tools" / "hooks" / "overlayroot").unlink()
    done, calls = firstboot("--root", str(root), "read_only_root")
    assert done.returncode == 1
    assert "overlayroot is not installed" in done.stdout
    assert not [c for c in calls if c.startswith("update-initramfs")]


def test_growing_the_data_partition_is_best_effort(scratch):
    root, firstboot = scratch
    done, calls = firstboot("--root", str(root), "grow_data", STUB_DATA_DEV="")
    assert done.returncode == 0 and "no data partition" in done.stdout
    assert calls == ["blkid -L kioskdata"]
    (root / "var" / "lib" / "kiosk-image" / "done" / "grow_data").unlink()
    done, calls = firstboot("--root", str(root), "grow_data", fail="partx")
    assert done.returncode == 0 and "could not grow the data partition" in done.stdout
    assert "resize2fs /dev/mmcblk0p3" not in calls


def test_a_card_without_a_data_partition_gets_one_after_the_root(scratch):
    root, firstboot = scratch
    skeleton = root / "usr" / "share" / "kiosk-image" / "data"
    write(skeleton / "config" / "kiosk.toml", SITE)
    write(skeleton / "story" / "en.toml", "# story\n")
    done, calls = firstboot("--root", str(root), "make_data", STUB_DATA_DEV="")
    assert done.returncode == 0, done.stdout + done.stderr
    data = root / "var" / "lib" / "kiosk"
    assert calls == [
        "blkid -L kioskdata",
        "findmnt -n -o SOURCE /",
        "sfdisk --force --no-reread --no-tell-kernel --wipe never --wipe-partitions never "
        "--append /dev/mmcblk0",
        "partx --add --nr 3 /dev/mmcblk0",
        "udevadm settle",
        "mkfs.ext4 -F -q -m 1 -L kioskdata /dev/mmcblk0p3",
        f"mount {data}",
        f"chown root:kiosk-staff {data}/config {data}/story {data}/log",
        f"chown -R root:kiosk-staff {data}/config {data}/story",
        f"chown kiosk:kiosk-staff {data}",
    ]
    assert (data / "config" / "kiosk.toml").read_text(encoding="utf-8") == SITE
    assert oct(data.stat().st_mode & 0o7777) == "0o750"
    assert oct((data / "story").stat().st_mode & 0o7777) == "0o2775"

    (root / "var" / "lib" / "kiosk-image" / "done" / "make_data").unlink()
    done, calls = firstboot("--root", str(root), "make_data")
    assert done.returncode == 0 and calls == ["blkid -L kioskdata"], "it has one: nothing to do"
    (root / "var" / "lib" / "kiosk-image" / "done" / "make_data").unlink()
    done, calls = firstboot(
        "--root", str(root), "make_data", STUB_DATA_DEV="", STUB_ROOT_DEV="/dev/mmcblk0p5"
    )
    assert done.returncode == 1 and "not partition 2" in done.stdout
    assert not [c for c in calls if c.startswith("sfdisk")]


def test_the_first_boot_guards_its_test_options(scratch):
    root, firstboot = scratch
    done, _ = firstboot("--root", str(root), KIOSK_FIRSTBOOT_TESTING="")
    assert done.returncode == 2 and "--root is for tests" in done.stderr
    done, _ = firstboot("--root", str(root), "make_coffee")
    assert done.returncode == 2 and "unknown step make_coffee" in done.stderr


def test_kiosk_root_switches_the_next_boot_between_read_only_and_writable(scratch):
    root, firstboot = scratch
    cmdline = root / "boot" / "firmware" / "cmdline.txt"
    cmdline.write_text(PI_CMDLINE.rstrip("\n") + " overlayroot=tmpfs:recurse=0\n")
    done, _ = firstboot(
        "--root", str(root), "status", script=KIOSK_ROOT, STUB_ROOT_FSTYPE="overlay"
    )
    assert "now: read-only" in done.stdout and "after the next boot:  read-only" in done.stdout
    done, _ = firstboot("--root", str(root), "writable", script=KIOSK_ROOT)
    assert done.returncode == 0 and cmdline.read_text() == PI_CMDLINE
    done, _ = firstboot("--root", str(root), "status", script=KIOSK_ROOT)
    assert "now: writable" in done.stdout and "after the next boot:  writable" in done.stdout
    for _ in range(2):
        done, _ = firstboot("--root", str(root), "read-only", script=KIOSK_ROOT)
        assert done.returncode == 0
    assert cmdline.read_text().split().count("overlayroot=tmpfs:recurse=0") == 1
    (root / "usr" / "share" / "initramfs-tools" / "hooks" / "overlayroot").unlink()
    done, _ = firstboot("--root", str(root), "read-only", script=KIOSK_ROOT)
    assert done.returncode == 1 and "overlayroot is not installed" in done.stderr
    done, _ = firstboot("--root", str(root), "sideways", script=KIOSK_ROOT)
    assert done.returncode == 2


def overlayroot_setting(root: Path, cmdline: str) -> str:
    """The overlayroot= value overlayroot's initramfs script would use at boot.

    As its scripts/init-bottom/overlayroot (0.18.debian14, trixie) does: it collects
    a built-in empty value, /etc/overlayroot.conf, /etc/overlayroot.local.conf (both
    from the real root) and the kernel command line, in that order, and sources them
    one after the other, so the last one that sets overlayroot wins.
    """
    value = ""
    for name in ("overlayroot.conf", "overlayroot.local.conf"):
        path = root / "etc" / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                found = re.fullmatch(r"\s*overlayroot=([\"']?)(.*)\1\s*", line)
                if found:
                    value = found.group(2)
    for token in cmdline.split():
        if token.startswith("overlayroot="):
            value = token.removeprefix("overlayroot=")
    return value


def test_the_documented_update_path_works_with_what_overlayroot_reads(scratch):
    """writable, reboot, change, read-only, reboot: on a card whose real root has a
    setting in /etc/overlayroot.local.conf (images before issue 14 wrote one)."""
    root, run_script = scratch
    lower = root / "media" / "root-ro"
    write(lower / "etc" / "overlayroot.conf", '# package default\noverlayroot=""\n')
    write(lower / "etc" / "overlayroot.local.conf", 'overlayroot="tmpfs:recurse=0"\n')
    cmdline = root / "boot" / "firmware" / "cmdline.txt"
    cmdline.write_text(PI_CMDLINE.rstrip("\n") + " overlayroot=tmpfs:recurse=0\n")

    def kiosk_root(*args: str, fstype: str):
        return run_script("--root", str(root), *args, script=KIOSK_ROOT, STUB_ROOT_FSTYPE=fstype)

    done, _ = kiosk_root("status", fstype="overlay")
    assert "warning: /etc/overlayroot.local.conf sets overlayroot" in done.stdout
    # Only removing the token, as kiosk-root did before, would leave the root read-only:
    assert overlayroot_setting(lower, PI_CMDLINE) == "tmpfs:recurse=0"

    done, calls = kiosk_root("writable", fstype="overlay")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "overlayroot-chroot rm -f /etc/overlayroot.local.conf" in calls
    assert not (lower / "etc" / "overlayroot.local.conf").exists()
    assert cmdline.read_text() == PI_CMDLINE
    assert overlayroot_setting(lower, cmdline.read_text()) == "", "the next boot is writable"
    done, _ = kiosk_root("status", fstype="overlay")
    assert "after the next boot:  writable" in done.stdout and "warning" not in done.stdout

    # After the reboot: the root is the real one, writable; the update; back to read-only.
    done, calls = kiosk_root("read-only", fstype="ext4")
    assert done.returncode == 0 and not [c for c in calls if c.startswith("overlayroot-chroot")]
    assert overlayroot_setting(lower, cmdline.read_text()) == "tmpfs:recurse=0"
    done, _ = kiosk_root("status", fstype="ext4")
    assert "now: writable" in done.stdout and "after the next boot:  read-only" in done.stdout


def test_kiosk_root_clears_a_setting_in_overlayroot_conf_too(scratch):
    root, run_script = scratch
    write(root / "etc" / "overlayroot.conf", 'overlayroot="tmpfs"\n')
    done, _ = run_script("--root", str(root), "writable", script=KIOSK_ROOT)
    assert done.returncode == 0, done.stderr
    assert overlayroot_setting(root, (root / "boot" / "firmware" / "cmdline.txt").read_text()) == ""
    assert 'overlayroot=""' in (root / "etc" / "overlayroot.conf").read_text().splitlines()


# -- fetch-debs, against a local package repository ------------------------------------------
@pytest.mark.skipif(
    bool(_missing) or not shutil.which("apt-get") or not shutil.which("dpkg-scanpackages"),
    reason="needs apt, dpkg-dev and the image tools",
)
def test_fetch_debs_downloads_for_arm64_only_what_the_base_image_lacks(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    make_deb(
        repo, "kiosk-test-app", depends="kiosk-test-lib, base-files", recommends="kiosk-test-rec"
    )
    make_deb(repo, "kiosk-test-lib", version="1:2.0~rc1-1+b1")
    make_deb(repo, "kiosk-test-rec")
    make_deb(repo, "base-files")
    index = run("dpkg-scanpackages", "--multiversion", ".", cwd=repo).stdout
    write(repo / "Packages", index)
    digest = hashlib.sha256(index.encode()).hexdigest()
    write(
        repo / "Release",
        "Origin: test\nLabel: test\nSuite: test\nCodename: test\n"
        "Date: Thu, 17 Jul 2025 00:00:00 UTC\nArchitectures: arm64 all\n"
        f"SHA256:\n {digest} {len(index.encode())} Packages\n",
    )
    base = make_base_image(tmp_path / "base", sources=f"deb [trusted=yes] copy:{repo} ./\n")
    site = tmp_path / "kiosk build"  # as the README says: relative paths, here with a space
    site.mkdir()
    shutil.move(base, site / "raspios lite.img")
    out = site / "debs"
    done = run(
        sys.executable,
        BUILDER,
        "fetch-debs",
        "--base",
        "raspios lite.img",
        "--out",
        "debs/",
        "--packages",
        "kiosk-test-app",
        cwd=site,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "BUNDLE.txt",
        "kiosk-test-app_1.0_arm64.deb",
        "kiosk-test-lib_1%3a2.0~rc1-1+b1_arm64.deb",
    ], "base-files is in the base image already; Recommends are not followed"
    bundle = (out / "BUNDLE.txt").read_text(encoding="utf-8")
    assert "kiosk-test-lib 1:2.0~rc1-1+b1 arm64" in bundle
    assert not [p for p in site.iterdir() if p.name.startswith(".kiosk-image-")]


def test_fetch_debs_points_the_sources_at_the_copied_keyrings(tmp_path):
    from imagebuild.debs import _local_sources

    apt = tmp_path / "apt"
    write(apt / "sources.list", "deb [signed-by=/usr/share/keyrings/a.gpg] http://x/ trixie main\n")
    write(
        apt / "sources.list.d" / "raspi.sources",
        "Types: deb\nURIs: http://y/\nSigned-By: /usr/share/keyrings/raspi.pgp\n",
    )
    _local_sources(apt, {"/usr/share/keyrings/": f"{tmp_path}/keyrings/"})
    assert f"[signed-by={tmp_path}/keyrings/a.gpg]" in (apt / "sources.list").read_text()
    text = (apt / "sources.list.d" / "raspi.sources").read_text()
    assert f"Signed-By: {tmp_path}/keyrings/raspi.pgp" in text


def test_the_bundle_names_what_the_exhibit_needs_never_relying_on_recommends():
    from imagebuild.debs import RUNTIME_PACKAGES

    # overlayroot's initramfs script runs busybox's grep; SDL's kmsdrm loads GBM, EGL,
    # GLES and Mesa's DRI drivers at run time (no package Depends on them).
    needed = {"overlayroot", "busybox", "libgbm1", "libegl1", "libegl-mesa0", "libgles2"}
    needed |= {"libgl1-mesa-dri", "python3-pygame", "python3-gpiozero", "python3-lgpio"}
    assert needed <= set(RUNTIME_PACKAGES)
    files = FILES / "etc" / "initramfs-tools" / "conf.d" / "kiosk-busybox.conf"
    assert "BUSYBOX=y" in files.read_text(encoding="utf-8").splitlines()


def test_the_pi_gen_stage_makes_the_same_edits_as_kiosk_image(tmp_path):
    helper = REPO / "deploy" / "pi-gen" / "kiosk-edit.py"
    cmdline = write(tmp_path / "cmdline.txt", CMDLINE)
    fstab = write(tmp_path / "fstab", FSTAB)
    site = write(tmp_path / "site.toml", SITE)
    for what, path in (("cmdline", cmdline), ("fstab", fstab)):
        run(sys.executable, helper, what, path)
    assert cmdline.read_text(encoding="utf-8") == plan.kiosk_cmdline(CMDLINE)
    assert fstab.read_text(encoding="utf-8") == plan.with_data_mount(FSTAB)
    printed = run(sys.executable, helper, "config", site).stdout
    assert printed == plan.config_with_story_on_data(SITE, str(site))
    done = run(sys.executable, helper, "cmdline", write(tmp_path / "bad", "quiet\n"), check=False)
    assert done.returncode == 1 and "no root=" in done.stderr
    packages = REPO / "deploy" / "pi-gen" / "stage-kiosk" / "00-packages" / "00-packages-nr"
    from imagebuild.debs import RUNTIME_PACKAGES

    assert sorted(packages.read_text(encoding="utf-8").split()) == sorted(RUNTIME_PACKAGES)
