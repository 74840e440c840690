"""The kiosk's runtime packages as ``.deb`` files, installed offline at first boot.

:func:`read_deb` asks ``dpkg-deb`` for a package's name, version and architecture:
the control data inside the file, not its name, says what it is, so a bundle fetched
for the wrong machine is caught at build time.  File names are only checked for
what could do harm (a leading dash or dot, shell metacharacters); any name apt or
dpkg-deb makes (``libjpeg62-turbo_1%3a2.1.5-4_arm64.deb``, ``…-3~deb13u5_arm64.deb``)
is fine.  In the image each file gets the name apt itself would give it, from the
control data (:attr:`Deb.image_name`).

:func:`fetch` downloads the bundle with ``apt-get`` on the build host, for arm64,
using the base image's own package sources and keys, and its list of installed
packages, so exactly what the image lacks is fetched.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from imagebuild import plan, tools
from imagebuild.errors import BuildError
from imagebuild.extfs import ExtFs, quote

#: What the kiosk needs on Raspberry Pi OS (trixie, arm64) besides the base image.
#: Named explicitly, never left to Recommends (fetch-debs does not follow them).
RUNTIME_PACKAGES = (
    "python3-pygame",
    "python3-serial",
    "python3-gpiozero",
    "python3-lgpio",
    "fonts-dejavu-core",
    # SDL's kmsdrm video driver (pygame full screen without a desktop) loads these at run
    # time: GBM and EGL/GLES from Mesa, and Mesa's DRI drivers (vc4/v3d on a Pi, virtio-gpu
    # in QEMU).  Without them: "EGL not initialized" and a dark screen.
    "libgbm1",
    "libegl1",
    "libegl-mesa0",
    "libgles2",
    "libgl1-mesa-dri",
    # The read-only root: overlayroot's initramfs script needs busybox (grep, …).
    "overlayroot",
    "busybox",
    "v4l-utils",  # cec-ctl: HDMI display power off/on outside opening hours
)
ARCHITECTURES = ("arm64", "all")
#: Debian policy 5.6.1, 5.6.12, 5.6.8: what the control fields may hold.
_PACKAGE = re.compile(r"[a-z0-9][a-z0-9+.-]+")
_VERSION = re.compile(r"(\d+:)?[A-Za-z0-9][A-Za-z0-9.+~-]*")
_ARCH = re.compile(r"[a-z0-9][a-z0-9-]*")
#: A bundle file's name: what apt and dpkg-deb make, and nothing a shell or an option
#: parser could misread (no leading dash or dot, no spaces, quotes, ``$``, ``;`` …).
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+~%:=,@-]*\.deb")


@dataclass(frozen=True)
class Deb:
    """One ``.deb`` file: which package, version and machine it is for."""

    path: Path
    package: str
    version: str
    architecture: str

    @property
    def image_name(self) -> str:
        """The name apt gives this package's file: ``NAME_VERSION_ARCH.deb``, ``:`` as ``%3a``."""
        return f"{self.package}_{self.version.replace(':', '%3a')}_{self.architecture}.deb"


def check_file_name(path: Path) -> None:
    """Refuse a ``.deb`` file name that could be misread; say which character and why."""
    name = path.name
    if _FILE_NAME.fullmatch(name):
        return
    if name.startswith("-"):
        why = "it starts with '-', which programs read as an option"
    elif name.startswith("."):
        why = "it starts with '.' (a hidden file)"
    else:
        bad = sorted({ch for ch in name if not re.fullmatch(r"[A-Za-z0-9._+~%:=,@-]", ch)})
        why = f"it contains {' '.join(repr(ch) for ch in bad)}"
    raise BuildError(
        f"{path}: unusual .deb file name ({why}); rename it to NAME_VERSION_ARCH.deb "
        "as apt does (kiosk-image fetch-debs makes such names)"
    )


def read_deb(path: Path) -> Deb:
    """The package in ``path``, from its control data; a clear error if it is not a ``.deb``."""
    check_file_name(path)
    if not path.is_file():
        raise BuildError(f"{path}: not a file; a bundle holds .deb files only")
    tools.require(["dpkg-deb"])
    done = tools.run_status(
        ["dpkg-deb", "--field", str(path), "Package", "Version", "Architecture"]
    )
    if done.returncode != 0:
        detail = " ".join(done.stderr.decode("utf-8", "replace").split())
        detail = detail.removeprefix("dpkg-deb: ")
        raise BuildError(f"{path}: not a .deb file that dpkg-deb can read ({detail})")
    fields = dict(
        line.split(":", 1)
        for line in done.stdout.decode("utf-8", "replace").splitlines()
        if ":" in line
    )

    def field(name: str, pattern: re.Pattern[str]) -> str:
        value = fields.get(name, "").strip()
        if not value:
            raise BuildError(f"{path}: its control data has no {name} field")
        if not pattern.fullmatch(value):
            raise BuildError(f"{path}: its control data has an invalid {name}: {value!r}")
        return value

    return Deb(
        path, field("Package", _PACKAGE), field("Version", _VERSION), field("Architecture", _ARCH)
    )


def check_bundle(directory: Path, installed: set[str]) -> list[Deb]:
    """The ``.deb`` files in ``directory``, checked: for arm64, one version each, complete.

    Complete means every package in :data:`RUNTIME_PACKAGES` is in the bundle or
    already in the base image (``installed``).
    """
    debs = [read_deb(path) for path in sorted(directory.glob("*.deb"))]
    seen: dict[str, Deb] = {}
    for deb in debs:
        if deb.architecture not in ARCHITECTURES:
            raise BuildError(
                f"{deb.path}: is for {deb.architecture}; the kiosk's Raspberry Pi needs arm64 "
                "(fetch the bundle with: kiosk-image fetch-debs)"
            )
        if deb.package in seen:
            raise BuildError(
                f"{directory}: two files for {deb.package} "
                f"({seen[deb.package].path.name}, {deb.path.name}); keep one"
            )
        seen[deb.package] = deb
    missing = [p for p in RUNTIME_PACKAGES if p not in installed and p not in seen]
    if missing:
        raise BuildError(
            f"--debs {directory}: missing {', '.join(missing)} (neither in the base image nor "
            "in the bundle); fetch them with: kiosk-image fetch-debs --base IMAGE --out DIR"
        )
    return debs


def _local_sources(apt_dir: Path, mapping: dict[str, str]) -> None:
    """Point ``Signed-By`` / ``signed-by=`` paths in the sources at the copied keyrings."""
    files = [apt_dir / "sources.list", *sorted((apt_dir / "sources.list.d").glob("*"))]
    for path in files:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for old, new in mapping.items():
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")


def fetch(fs: ExtFs, out: Path, packages: list[str], scratch: Path) -> list[Deb]:
    """Download ``packages`` and what they need, for arm64, into ``out``.

    The base image's root file system ``fs`` provides the package sources
    (``/etc/apt``), their keys (``/usr/share/keyrings``) and the list of installed
    packages (``/var/lib/dpkg/status``), so only what the image lacks is downloaded.
    """
    tools.require(["apt-get", "debugfs", "dpkg-deb"])
    for folder in (out, scratch):
        if '"' in str(folder):
            raise BuildError(
                f"{folder}: apt-get cannot be given a folder with '\"' in its name; rename it"
            )
    status = fs.read("/var/lib/dpkg/status")
    if status is None:
        raise BuildError("the base image has no /var/lib/dpkg/status: is it Raspberry Pi OS?")
    mapping = {}
    for folder in ("/etc/apt", "/usr/share/keyrings"):
        if fs.stat(folder) is not None:
            tools.run(
                ["debugfs", "-R", f"rdump {folder} {quote(str(scratch))}", str(fs.path)],
                env=fs.env,
                what=f"copying {folder} out of the base image",
            )
            mapping[folder + "/"] = f"{scratch / Path(folder).name}/"
    apt_dir = scratch / "apt"
    if not apt_dir.is_dir():
        raise BuildError("the base image has no /etc/apt: is it Raspberry Pi OS?")
    _local_sources(apt_dir, mapping)
    (scratch / "status").write_bytes(status)
    for folder in ("state/lists/partial", "cache/archives/partial", "parts", "log"):
        (scratch / folder).mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / "partial").mkdir(exist_ok=True)
    config = scratch / "apt.conf"
    config.write_text(
        "\n".join(
            [
                f'Dir::Etc "{apt_dir}/";',
                f'Dir::Etc::Parts "{scratch}/parts/";',
                f'Dir::State "{scratch}/state/";',
                f'Dir::State::status "{scratch}/status";',
                f'Dir::Cache "{scratch}/cache/";',
                f'Dir::Cache::archives "{out.resolve()}/";',
                f'Dir::Log "{scratch}/log/";',
                'APT::Architecture "arm64";',
                'APT::Architectures { "arm64"; };',
                'APT::Sandbox::User "root";',
                'APT::Install-Recommends "false";',
                'Acquire::Languages "none";',
                'Debug::NoLocking "true";',
                "",
            ]
        ),
        encoding="utf-8",
    )
    env = {"APT_CONFIG": str(config), "DEBIAN_FRONTEND": "noninteractive"}
    try:
        tools.run(["apt-get", "-q", "update"], env=env, what="apt-get update (arm64)")
        tools.run(
            ["apt-get", "-q", "-y", "--download-only", "install", *packages],
            env=env,
            what="apt-get install --download-only (arm64)",
        )
    finally:
        shutil.rmtree(out / "partial", ignore_errors=True)
        (out / "lock").unlink(missing_ok=True)
    installed = plan.installed_packages(status.decode("utf-8", "replace"))
    debs = [read_deb(path) for path in sorted(out.glob("*.deb"))]
    listing = "".join(f"{d.package} {d.version} {d.architecture} {d.path.name}\n" for d in debs)
    (out / "BUNDLE.txt").write_text(
        "# kiosk-image fetch-debs: packages the base image lacks, installed at first boot\n"
        + listing,
        encoding="utf-8",
    )
    missing = [p for p in packages if p not in installed and p not in {d.package for d in debs}]
    if missing:
        raise BuildError(f"apt-get did not download {', '.join(missing)}")
    return debs
