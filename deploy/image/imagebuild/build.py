"""``kiosk-image build``: a Raspberry Pi OS Lite image in, the kiosk's image out.

The input is only ever read.  Work happens in a scratch folder next to the output
(partition files can be gigabytes: not in a RAM-backed /tmp), the image is written
to a hidden ``.partial`` file and renamed into place at the very end; on any error,
and on SIGTERM, SIGINT or SIGHUP (``kiosk_image.py`` turns them into
:class:`~imagebuild.errors.Interrupted`), both are removed, so nothing is left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from imagebuild import debs as debs_mod
from imagebuild import disk, paths, plan, tools
from imagebuild.bootfs import BootFs
from imagebuild.errors import BuildError
from imagebuild.extfs import S_IFDIR, S_IFREG, Batch, ExtFs, make_data_fs, parents

HERE = Path(__file__).resolve().parent.parent  # deploy/image
REPO = HERE.parent.parent
FILES = HERE / "files"
#: What of the repository goes to /opt/kiosk.
APP_DIRS = ("kiosk", "hardware", "assets", "deploy")
APP_FILES = ("README.md", "pyproject.toml")
SKIP_NAMES = {"__pycache__", ".venv", "venv", ".pytest_cache", ".ruff_cache", ".mypy_cache"}
SKIP_SUFFIXES = (".pyc", ".pyo", ".partial")
MiB = 1 << 20
XZ_MAGIC = b"\xfd7zXZ\x00"
WANTS = "/etc/systemd/system/multi-user.target.wants"


@dataclass
class Options:
    """What the technician asked for (``kiosk-image build --help``)."""

    base: Path
    out: Path
    config: Path
    ssh_key: Path
    sha256: str | None = None
    hostname: str = "apollo-soyuz"
    staff_user: str = "kioskadmin"
    wifi_ssid: str | None = None
    wifi_psk_file: Path | None = None
    wifi_country: str | None = None
    debs: Path | None = None
    data_size: int = 256 * MiB
    root_free: int = 1024 * MiB
    bmap: bool = False
    epoch: int | None = None  # SOURCE_DATE_EPOCH; default: the base root's last write
    repo: Path = REPO


@dataclass
class Report:
    """What was built, for the summary printed at the end."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        """One line of the summary."""
        self.lines.append(line)


@dataclass
class Inputs:
    """The technician's inputs, read and checked before any heavy work."""

    config_text: str
    authorized_keys: str
    wifi: tuple[str, str, str] | None  # ssid, psk, country


# -- checking the inputs ---------------------------------------------------------------
def _check_config(path: Path, repo: Path) -> str:
    """The site config's text, checked as the kiosk checks it, then pointed at the data.

    The kiosk's own check (``kiosk config check``) needs its dependencies; where they
    are missing only the TOML syntax is checked here.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"--config {path}: cannot be read ({exc})") from None
    sys.path.insert(0, str(repo))
    try:
        from kiosk.settings import Config, parse_config
    except ImportError:
        parse_config = None
    finally:
        sys.path.remove(str(repo))
    if parse_config is not None:
        _config, problems = parse_config(text, path, Config())
        if problems:
            listing = "\n  ".join(str(p) for p in problems)
            raise BuildError(f"--config {path} has problems (fix them first):\n  {listing}")
    return plan.config_with_story_on_data(text, str(path))


def check_paths(opts: Options) -> Options:
    """The options with every path checked for its kind and made absolute.

    Relative paths are taken from the current folder, as a shell user expects.
    """
    image = "the .img or .img.xz file"
    return replace(
        opts,
        base=paths.input_file("--base", opts.base, image),
        out=paths.output_file("--out", opts.out, "apollo-soyuz-1.img"),
        config=paths.input_file("--config", opts.config, "the site's kiosk.toml"),
        ssh_key=paths.input_file("--ssh-key", opts.ssh_key, "the staff's public key (.pub)"),
        wifi_psk_file=opts.wifi_psk_file
        and paths.input_file("--wifi-psk-file", opts.wifi_psk_file, "the passphrase file"),
        debs=opts.debs
        and paths.input_dir("--debs", opts.debs, "the folder kiosk-image fetch-debs made"),
        repo=paths.absolute(opts.repo),
    )


def read_inputs(opts: Options) -> Inputs:
    """Every input checked, with the file and line of each problem."""
    if opts.sha256 is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", opts.sha256):
        raise BuildError(f"--sha256 {opts.sha256!r}: expected 64 hexadecimal digits")
    if opts.out.resolve() == opts.base.resolve():
        raise BuildError("--out must not be the base image: the input is never changed")
    if opts.data_size < 16 * MiB:
        raise BuildError("--data-size: at least 16M")
    plan.check_hostname(opts.hostname)
    try:
        key_text = opts.ssh_key.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"--ssh-key {opts.ssh_key}: cannot be read ({exc})") from None
    keys = plan.authorized_keys(key_text, str(opts.ssh_key))
    wifi = None
    if opts.wifi_ssid or opts.wifi_psk_file:
        if not (opts.wifi_ssid and opts.wifi_psk_file and opts.wifi_country):
            raise BuildError("Wi-Fi needs all of --wifi-ssid, --wifi-psk-file and --wifi-country")
        try:
            psk_text = opts.wifi_psk_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BuildError(
                f"--wifi-psk-file {opts.wifi_psk_file}: cannot be read ({exc})"
            ) from None
        psk = plan.wifi_psk(psk_text, str(opts.wifi_psk_file))
        wifi = (opts.wifi_ssid, psk, plan.check_country(opts.wifi_country))
        plan.wifi_connection(opts.wifi_ssid, psk)  # checks the SSID
    return Inputs(_check_config(opts.config, opts.repo), keys, wifi)


# -- the application -------------------------------------------------------------------
def app_files(repo: Path) -> Iterator[tuple[Path, str]]:
    """(local file, path under /opt/kiosk) for the application, without caches or venvs."""
    for name in APP_FILES:
        if (repo / name).is_file():
            yield repo / name, name
    for top in APP_DIRS:
        base = repo / top
        if not base.is_dir():
            raise BuildError(f"{base}: missing (run the builder from the kiosk's repository)")
        for folder, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_NAMES and not d.endswith(".egg-info"))
            for name in sorted(files):
                path = Path(folder) / name
                if name.endswith(SKIP_SUFFIXES) or not path.is_file() or path.is_symlink():
                    continue
                yield path, path.relative_to(repo).as_posix()


def _version(repo: Path) -> str:
    found = re.search(
        r'__version__\s*=\s*"([^"]+)"', (repo / "kiosk" / "__init__.py").read_text("utf-8")
    )
    return found.group(1) if found else "unknown"


# -- the root file system ---------------------------------------------------------------
class RootEdit:
    """Collects the root file system's changes as one :class:`Batch`, knowing what exists."""

    def __init__(self, fs: ExtFs, scratch: Path) -> None:
        self.fs = fs
        self.scratch = scratch
        self.batch = Batch()
        self.made: set[str] = set()
        self.counter = 0
        #: Folders known to be new (checked once): nothing below them needs looking up.
        self.fresh: tuple[str, ...] = ()

    def _known_new(self, path: str) -> bool:
        return path.startswith(self.fresh) if self.fresh else False

    def exists(self, path: str) -> bool:
        """Whether ``path`` exists in the image (or was made in this batch)."""
        if path in self.made:
            return True
        return not self._known_new(path) and self.fs.stat(path) is not None

    def mkdirs(self, path: str, mode: int = 0o755, uid: int = 0, gid: int = 0) -> None:
        """Make ``path`` and missing parents (parents: root-owned 0755)."""
        for parent in parents(path):
            if not self.exists(parent):
                self.batch.mkdir(parent)
                self.made.add(parent)
        if self.exists(path):
            self.batch.chown(path, S_IFDIR, mode, uid, gid)
        else:
            self.batch.mkdir(path, mode, uid, gid)
            self.made.add(path)

    def _parent(self, path: str) -> None:
        for parent in parents(path):
            if not self.exists(parent):
                self.batch.mkdir(parent)
                self.made.add(parent)

    def _clear(self, path: str) -> None:
        if path in self.made:
            raise BuildError(f"{path} is written twice (a bug in the builder)")
        inode = None if self._known_new(path) else self.fs.stat(path)
        if inode is not None:
            if inode.kind == "directory":
                raise BuildError(f"{path} is a folder in the base image; expected a file")
            self.batch.rm(path)
        self.made.add(path)

    def file(self, path: str, source: Path, mode: int = 0o644, uid: int = 0, gid: int = 0) -> None:
        """Put the local file ``source`` at ``path`` (replacing what is there)."""
        self._parent(path)
        self._clear(path)
        self.batch.write(source, path, mode, uid, gid)

    def text(self, path: str, text: str, mode: int = 0o644, uid: int = 0, gid: int = 0) -> None:
        """Put ``text`` at ``path``."""
        self.counter += 1
        local = self.scratch / f"root-{self.counter:04d}"
        local.write_text(text, encoding="utf-8")
        self.file(path, local, mode, uid, gid)

    def symlink(self, path: str, target: str) -> None:
        """Make ``path`` a symlink to ``target`` (replacing what is there)."""
        self._parent(path)
        self._clear(path)
        self.batch.symlink(path, target)

    def remove(self, path: str) -> bool:
        """Remove a file or symlink if the image has it; whether it had."""
        inode = self.fs.stat(path)
        if inode is None or inode.kind == "directory":
            return False
        self.batch.rm(path)
        return True


def _keep_owner(fs: ExtFs, path: str) -> tuple[int, int, int]:
    inode = fs.stat(path)
    return (inode.mode, inode.uid, inode.gid) if inode else (0o644, 0, 0)


def edit_root(
    fs: ExtFs,
    opts: Options,
    inputs: Inputs,
    bundle: list[debs_mod.Deb],
    scratch: Path,
    epoch: int,
    report: Report,
) -> tuple[int, int]:
    """Every change to the root file system; returns the kiosk's uid and kiosk-staff's gid."""
    need, ssh_unit = _check_base(fs)
    edit = RootEdit(fs, scratch)
    kiosk_uid, staff_gid = _edit_accounts(edit, fs, opts, inputs, need, epoch, report)
    version = _edit_application(edit, fs, opts, ssh_unit, report)
    _edit_settings(edit, fs, opts, inputs, need, kiosk_uid, staff_gid, report)
    _edit_bundle(edit, opts, bundle, version, epoch, report)
    edit.batch.apply(fs, scratch)
    return kiosk_uid, staff_gid


def _check_base(fs: ExtFs) -> tuple[dict[str, str | None], str]:
    """The base image's passwd, group and fstab, and its SSH unit; BuildError if it is
    not a Raspberry Pi OS Lite image (or already a kiosk image)."""
    need = {p: fs.read_text(p) for p in ("/etc/passwd", "/etc/group", "/etc/fstab")}
    for path, text in need.items():
        if text is None:
            raise BuildError(f"the base image has no {path}: is it Raspberry Pi OS?")
    if fs.stat("/opt/kiosk") is not None:
        raise BuildError(
            "the base image already has /opt/kiosk (a kiosk image?): start from the "
            "official Raspberry Pi OS image"
        )
    ssh_unit = next(
        (
            p
            for p in ("/usr/lib/systemd/system/ssh.service", "/lib/systemd/system/ssh.service")
            if fs.stat(p) is not None
        ),
        None,
    )
    if ssh_unit is None:
        raise BuildError("the base image has no SSH server (ssh.service): use Raspberry Pi OS Lite")
    return need, ssh_unit


def _edit_accounts(
    edit: RootEdit,
    fs: ExtFs,
    opts: Options,
    inputs: Inputs,
    need: dict[str, str | None],
    epoch: int,
    report: Report,
) -> tuple[int, int]:
    """The kiosk's user and group (as kiosk.sysusers makes them) and the staff login;
    returns the kiosk's uid and kiosk-staff's gid."""
    accounts = plan.Accounts.parse(
        need["/etc/passwd"] or "",
        need["/etc/group"] or "",
        fs.read_text("/etc/shadow"),
        fs.read_text("/etc/gshadow"),
        days=epoch // 86400,
    )
    staff_gid = accounts.add_group("kiosk-staff")
    kiosk_uid = accounts.add_system_user(
        "kiosk", "kiosk-staff", "Apollo-Soyuz kiosk", plan.DATA_MOUNT
    )
    accounts.add_group("gpio")
    person = accounts.add_person(opts.staff_user, "Kiosk staff")
    groups = [
        g
        for g in ("kiosk-staff", "sudo", "adm", "systemd-journal", "video")
        if accounts.add_member(g, opts.staff_user)
    ]
    for name, text in accounts.render().items():
        if text is not None:
            mode, uid, gid = _keep_owner(fs, f"/etc/{name}")
            edit.text(f"/etc/{name}", text, mode, uid, gid)
    report.add(f"accounts: {', '.join(accounts.added) or 'all there already'}")
    report.add(f"staff login: {opts.staff_user} (groups {', '.join(groups)}), SSH key only")

    home = f"/home/{opts.staff_user}"
    edit.mkdirs(home, 0o700, person, person)
    edit.mkdirs(f"{home}/.ssh", 0o700, person, person)
    edit.text(f"{home}/.ssh/authorized_keys", inputs.authorized_keys, 0o600, person, person)
    edit.text(
        f"/etc/sudoers.d/010_{opts.staff_user}-nopasswd", plan.sudoers(opts.staff_user), 0o440
    )
    return kiosk_uid, staff_gid


def _edit_application(
    edit: RootEdit, fs: ExtFs, opts: Options, ssh_unit: str, report: Report
) -> str:
    """The application, its command, its service, the first boot; returns its version."""
    version = _version(opts.repo)
    count = 0
    edit.mkdirs("/opt/kiosk")
    edit.fresh = ("/opt/kiosk/",)
    for source, relative in app_files(opts.repo):
        path = f"/opt/kiosk/{relative}"
        for parent in parents(path):
            if parent.startswith("/opt/kiosk/") and not edit.exists(parent):
                edit.mkdirs(parent)
        executable = source.stat().st_mode & stat.S_IXUSR
        edit.file(path, source, 0o755 if executable else 0o644)
        count += 1
    report.add(f"application: kiosk {version}, {count} files in /opt/kiosk")
    for local in sorted(p for p in FILES.rglob("*") if p.is_file()):
        target = "/" + local.relative_to(FILES).as_posix()
        edit.file(target, local, 0o755 if local.stat().st_mode & stat.S_IXUSR else 0o644)
    systemd = opts.repo / "deploy" / "systemd"
    edit.file("/etc/systemd/system/kiosk.service", systemd / "kiosk.service")
    edit.file("/etc/sysusers.d/kiosk.conf", systemd / "kiosk.sysusers")
    edit.file("/etc/tmpfiles.d/kiosk.conf", systemd / "kiosk.tmpfiles")
    edit.mkdirs(WANTS)
    for unit in ("kiosk.service", "kiosk-firstboot.service"):
        edit.symlink(f"{WANTS}/{unit}", f"/etc/systemd/system/{unit}")
    edit.symlink(f"{WANTS}/ssh.service", ssh_unit)
    if not edit.exists("/etc/systemd/system/sshd.service"):
        edit.symlink("/etc/systemd/system/sshd.service", ssh_unit)
    _edit_console(edit, fs, report)
    return version


def _edit_console(edit: RootEdit, fs: ExtFs, report: Report) -> None:
    """An empty console: no login prompt behind the exhibit, no first-user wizard."""
    for unit in ("getty@tty1.service", "autovt@tty1.service", "userconfig.service"):
        edit.symlink(f"/etc/systemd/system/{unit}", "/dev/null")
    removed = [
        path
        for path in (
            f"{WANTS}/userconfig.service",
            "/etc/systemd/system/getty.target.wants/getty@tty1.service",
            "/etc/ssh/sshd_config.d/rename_user.conf",
            "/var/lib/userconf-pi/autologin",
            *(f"/etc/ssh/{n}" for n in fs.names("/etc/ssh") if n.startswith("ssh_host_")),
        )
        if edit.remove(path)
    ]
    if fs.stat("/etc/cloud") is not None:
        edit.text("/etc/cloud/cloud-init.disabled", "# kiosk-image: configured by kiosk-image\n")
        removed.append("cloud-init (disabled)")
    report.add(f"removed: {', '.join(removed) or 'nothing'}")


def _edit_settings(
    edit: RootEdit,
    fs: ExtFs,
    opts: Options,
    inputs: Inputs,
    need: dict[str, str | None],
    kiosk_uid: int,
    staff_gid: int,
    report: Report,
) -> None:
    """Config, data partition, hostname, Wi-Fi."""
    edit.mkdirs("/etc/kiosk", 0o2775, 0, staff_gid)
    edit.symlink("/etc/kiosk/kiosk.toml", plan.DATA_CONFIG)
    edit.mkdirs(plan.DATA_MOUNT, 0o750, kiosk_uid, staff_gid)
    mode, uid, gid = _keep_owner(fs, "/etc/fstab")
    edit.text("/etc/fstab", plan.with_data_mount(need["/etc/fstab"] or ""), mode, uid, gid)
    edit.text("/etc/hostname", opts.hostname + "\n")
    edit.text("/etc/hosts", plan.with_hostname(fs.read_text("/etc/hosts") or "", opts.hostname))
    if inputs.wifi:
        ssid, psk, country = inputs.wifi
        connections = "/etc/NetworkManager/system-connections"
        edit.text(f"{connections}/kiosk-wifi.nmconnection", plan.wifi_connection(ssid, psk), 0o600)
        edit.text("/etc/kiosk-image/wifi-country", country + "\n")
        report.add(f"Wi-Fi: {ssid!r} ({country})")


def _edit_bundle(
    edit: RootEdit,
    opts: Options,
    bundle: list[debs_mod.Deb],
    version: str,
    epoch: int,
    report: Report,
) -> None:
    """The package bundle for the first boot, and what this image is."""
    edit.mkdirs("/var/lib/kiosk-image/debs")
    for deb in bundle:
        edit.file(f"/var/lib/kiosk-image/debs/{deb.image_name}", deb.path)
    report.add(f"packages for the first boot: {len(bundle)} .deb files")
    info = [
        "# kiosk-image: what this image was built from",
        f"base image: {opts.base.name}",
        f"base sha256: {opts.sha256 or 'not checked'}",
        f"kiosk: {version}",
        f"hostname: {opts.hostname}",
        f"staff login: {opts.staff_user}",
        f"source date (SOURCE_DATE_EPOCH): {epoch}",
        *(f"bundled: {d.package} {d.version}" for d in bundle),
    ]
    edit.text("/etc/kiosk-image/build.txt", "\n".join(info) + "\n")


def root_growth(fs: ExtFs, opts: Options, bundle: list[debs_mod.Deb]) -> int:
    """How many bytes the root file system must grow (0: none), in 4 MiB steps.

    After the first boot, the bundle's packages are unpacked (about three times the size
    of the .deb files) and the .deb files deleted; ``--root-free`` must still be free then.
    """
    app = sum(p.stat().st_size + 4096 for p, _ in app_files(opts.repo))
    packages = sum(d.path.stat().st_size for d in bundle)
    needed = app + 3 * packages + opts.root_free + 16 * MiB
    missing = needed - fs.free_bytes()
    step = disk.ALIGN * disk.SECTOR
    return 0 if missing <= 0 else -(-missing // step) * step


def make_data(
    path: Path,
    opts: Options,
    inputs: Inputs,
    scratch: Path,
    *,
    kiosk_uid: int,
    staff_gid: int,
    features: list[str],
    seed: str,
    epoch: int,
) -> ExtFs:
    """The data partition: the site config, the story staff edit, a log folder."""
    tree = scratch / "data"
    (tree / "config").mkdir(parents=True)
    (tree / "story").mkdir()
    (tree / "log").mkdir()
    (tree / "config" / "kiosk.toml").write_text(inputs.config_text, encoding="utf-8")
    for story in sorted((opts.repo / "assets" / "story").glob("*.toml")):
        shutil.copyfile(story, tree / "story" / story.name)
    (tree / "README.txt").write_text(
        "Kiosk data partition (mounted at /var/lib/kiosk on the kiosk).\n"
        "config/kiosk.toml  the site config (/etc/kiosk/kiosk.toml points here)\n"
        "story/             the story files staff edit\n"
        "log/               the first boot's log\n"
        "stats.sqlite3, last-good-config.toml, screenshots/: written by the kiosk\n"
        "See deploy/README.md in the kiosk's repository.\n",
        encoding="utf-8",
    )
    fs = make_data_fs(
        path,
        opts.data_size,
        tree,
        label=plan.DATA_LABEL,
        features=features,
        fs_uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, seed + "|data-uuid")),
        hash_seed=str(uuid.uuid5(uuid.NAMESPACE_URL, seed + "|data-hash")),
        epoch=epoch,
    )
    batch = Batch()
    batch.chown("/", S_IFDIR, 0o750, kiosk_uid, staff_gid)
    for local in sorted(tree.rglob("*")):
        inside = "/" + local.relative_to(tree).as_posix()
        if local.is_dir():
            batch.chown(inside, S_IFDIR, 0o2775, 0, staff_gid)
        else:
            mode = 0o644 if local.name == "README.txt" else 0o664
            batch.chown(inside, S_IFREG, mode, 0, staff_gid)
        batch.times(inside, epoch)
    batch.apply(fs, scratch)
    return fs


# -- the whole build ------------------------------------------------------------------------
#: Tests set this to the name of a :func:`checkpoint` to stop the build there and signal it.
PAUSE_ENV = "KIOSK_IMAGE_TEST_PAUSE"


def checkpoint(name: str) -> None:
    """A known point of the build where a test may hold it (``KIOSK_IMAGE_TEST_PAUSE=name``).

    The build says so on stderr and waits for a signal; without the variable, nothing.
    """
    if os.environ.get(PAUSE_ENV) == name:
        print(f"kiosk-image: paused at {name} ({PAUSE_ENV})", file=sys.stderr, flush=True)
        while True:
            signal.pause()


def _base_image(opts: Options, scratch: Path) -> Path:
    with opts.base.open("rb") as fin:
        magic = fin.read(len(XZ_MAGIC))
    if magic != XZ_MAGIC:
        return opts.base
    unpacked = scratch / "base.img"
    disk.decompress_xz(opts.base, unpacked)
    return unpacked


def build(opts: Options) -> Report:
    """Build the image; see the module's docstring for what is promised."""
    report = Report()
    opts = check_paths(opts)
    inputs = read_inputs(opts)
    tools.require(tools.BUILD_TOOLS)
    tools.check_e2fsprogs()
    if opts.bmap:
        tools.require(["bmaptool"])
    if opts.sha256:
        actual = disk.sha256(opts.base)
        if actual != opts.sha256.lower():
            raise BuildError(
                f"{opts.base}: wrong checksum: sha256 is {actual}, expected {opts.sha256.lower()} "
                "(a damaged or different download)"
            )
        report.add(f"base image sha256 checked: {actual}")
    partial = opts.out.with_name(f".{opts.out.name}.partial")
    bmap = opts.out.with_name(opts.out.name + ".bmap")
    bmap_partial = bmap.with_name(f".{bmap.name}.partial")
    scratch = None
    try:
        scratch = Path(tempfile.mkdtemp(prefix=".kiosk-image-", dir=opts.out.parent))
        _build(opts, inputs, scratch, partial, report)
        if opts.bmap:
            # Made from the finished partial file, so both appear together at the end.
            tools.run(
                ["bmaptool", "create", "-o", str(bmap_partial), str(partial)],
                what="bmaptool create",
            )
        checkpoint("finished")
        os.replace(partial, opts.out)
        if opts.bmap:
            os.replace(bmap_partial, bmap)
        report.add(f"written: {opts.out} ({opts.out.stat().st_size // MiB} MiB, sparse)")
        if opts.bmap:
            report.add(f"written: {bmap}")
    except BaseException:
        for leftover in (partial, bmap_partial):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return report


def _build(opts: Options, inputs: Inputs, scratch: Path, partial: Path, report: Report) -> None:
    base = _base_image(opts, scratch)
    table = disk.read_table(base)
    boot, root = disk.raspios_partitions(base, table)
    report.add(
        f"base image: disk id {table.disk_id}, boot {boot.length // MiB} MiB, "
        f"root {root.length // MiB} MiB"
    )

    # The boot partition first (it is small): a readable FAT with Raspberry Pi OS's files.
    disk.new_sparse(partial, root.offset)
    disk.copy_range(base, 0, partial, 0, root.offset)
    bootfs = BootFs(partial, boot.offset)
    bootfs.check()
    cmdline = bootfs.read("cmdline.txt")
    config_txt = bootfs.read("config.txt")
    if cmdline is None or config_txt is None:
        raise BuildError(
            "the boot partition has no cmdline.txt or config.txt: is it Raspberry Pi OS?"
        )
    wifi_country = inputs.wifi[2] if inputs.wifi else None
    new_cmdline = plan.kiosk_cmdline(cmdline, wifi_country=wifi_country)
    found = plan.root_partuuid(cmdline)
    if found is not None and found.lower() != table.partuuid(2):
        raise BuildError(
            f"cmdline.txt boots root=PARTUUID={found}, but this disk's partition 2 is "
            f"{table.partuuid(2)}: the image is inconsistent"
        )

    # The root file system, on its own file.
    rootfile = scratch / "root.ext4"
    disk.new_sparse(rootfile, root.length)
    disk.copy_range(base, root.offset, rootfile, 0, root.length)
    rootfs = ExtFs(rootfile, 0)
    try:
        features = rootfs.features()
    except BuildError:
        raise BuildError("partition 2 is not an ext4 file system") from None
    epoch = opts.epoch if opts.epoch is not None else (rootfs.last_write() or 1)
    rootfs = ExtFs(rootfile, epoch)
    rootfs.check("the base image's root file system")
    checkpoint("root-copied")
    status = rootfs.read_text("/var/lib/dpkg/status") or ""
    installed = plan.installed_packages(status)
    if opts.debs is not None:
        bundle = debs_mod.check_bundle(opts.debs, installed)
    else:
        missing = [p for p in debs_mod.RUNTIME_PACKAGES if p not in installed]
        if missing:
            raise BuildError(
                f"the base image lacks {', '.join(missing)}: give --debs DIR "
                "(made with: kiosk-image fetch-debs --base IMAGE --out DIR)"
            )
        bundle = []
    grow = root_growth(rootfs, opts, bundle)
    if grow:
        rootfs.grow(root.length + grow)
        report.add(
            f"root file system grown by {grow // MiB} MiB (--root-free {opts.root_free // MiB}M)"
        )
    kiosk_uid, staff_gid = edit_root(rootfs, opts, inputs, bundle, scratch, epoch, report)
    rootfs.check("the edited root file system")

    # The data partition, after the root partition, 4 MiB aligned.
    new_root = disk.grown(root, (root.length + grow) // disk.SECTOR)
    data = disk.Partition(3, disk.align_up(new_root.end), opts.data_size // disk.SECTOR, "83")
    seed = f"{table.disk_id}|{epoch}|{opts.hostname}"
    datafs = make_data(
        scratch / "data.ext4",
        opts,
        inputs,
        scratch,
        kiosk_uid=kiosk_uid,
        staff_gid=staff_gid,
        features=features,
        seed=seed,
        epoch=epoch,
    )
    datafs.check("the new data partition")
    report.add(
        f"data partition: {opts.data_size // MiB} MiB, LABEL={plan.DATA_LABEL}, "
        f"PARTUUID={table.partuuid(3)}, mounted at {plan.DATA_MOUNT} (grows at first boot)"
    )

    # The disk: same identifier, so root=PARTUUID=…-02 still matches.
    with partial.open("r+b") as out:
        out.truncate(data.end * disk.SECTOR)
    disk.copy_range(rootfile, 0, partial, new_root.offset, new_root.length)
    disk.copy_range(datafs.path, 0, partial, data.offset, data.length)
    disk.write_table(partial, disk.Table(table.disk_id, (boot, new_root, data)))
    bootfs.write("cmdline.txt", new_cmdline, scratch, epoch)
    new_config = plan.ensure_initramfs(config_txt)
    if new_config != config_txt:
        bootfs.write("config.txt", new_config, scratch, epoch)
    report.add(f"cmdline.txt: {new_cmdline.strip()}")
    with partial.open("rb") as out:
        os.fsync(out.fileno())
