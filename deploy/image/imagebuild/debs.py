"""The kiosk's runtime packages as ``.deb`` files, installed offline at first boot.

:func:`read_deb` reads a package's name and architecture from the file itself (a
``.deb`` is an ``ar`` archive holding ``control.tar.*``), so a bundle fetched for the
wrong machine is caught at build time.  :func:`fetch` downloads the bundle with
``apt-get`` on the build host, for arm64, using the base image's own package sources
and keys, and its list of installed packages, so exactly what the image lacks is
fetched.
"""

from __future__ import annotations

import gzip
import io
import lzma
import re
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

from imagebuild import plan, tools
from imagebuild.errors import BuildError
from imagebuild.extfs import ExtFs

#: What the kiosk needs on Raspberry Pi OS (trixie, arm64) besides the base image.
RUNTIME_PACKAGES = (
    "python3-pygame",
    "python3-serial",
    "python3-gpiozero",
    "python3-lgpio",
    "fonts-dejavu-core",
    "overlayroot",
    "v4l-utils",  # cec-ctl: HDMI display power off/on outside opening hours
)
ARCHITECTURES = ("arm64", "all")


@dataclass(frozen=True)
class Deb:
    """One ``.deb`` file: which package, version and machine it is for."""

    path: Path
    package: str
    version: str
    architecture: str


def _members(data: bytes, source: Path) -> dict[str, bytes]:
    if not data.startswith(b"!<arch>\n"):
        raise BuildError(f"{source}: not a .deb file (no ar archive header)")
    members, pos = {}, 8
    while pos + 60 <= len(data):
        header = data[pos : pos + 60]
        name = header[:16].decode("ascii", "replace").strip().rstrip("/")
        try:
            size = int(header[48:58].decode("ascii").strip())
        except ValueError:
            raise BuildError(f"{source}: damaged .deb file (bad ar member header)") from None
        members[name] = data[pos + 60 : pos + 60 + size]
        pos += 60 + size + (size % 2)
    return members


def read_deb(path: Path) -> Deb:
    """The package in ``path``; a clear error if it is not a readable ``.deb``."""
    members = _members(path.read_bytes(), path)
    control = next((n for n in members if n.startswith("control.tar")), None)
    if control is None:
        raise BuildError(f"{path}: not a .deb file (no control.tar member)")
    raw = members[control]
    try:
        if control.endswith(".gz"):
            raw = gzip.decompress(raw)
        elif control.endswith(".xz"):
            raw = lzma.decompress(raw)
        elif control != "control.tar":
            raise BuildError(
                f"{path}: its control data is compressed as {control}, which this builder "
                "cannot read (Debian and Raspberry Pi OS use .xz)"
            )
        with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
            member = next(m for m in tar.getmembers() if m.name in ("./control", "control"))
            text = tar.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
    except (OSError, EOFError, lzma.LZMAError, tarfile.TarError, StopIteration):
        raise BuildError(f"{path}: damaged .deb file (cannot read its control data)") from None

    def field(name: str) -> str:
        found = re.search(rf"^{name}:\s*(\S+)", text, re.M)
        if not found:
            raise BuildError(f"{path}: its control data has no {name} field")
        return found.group(1)

    return Deb(path, field("Package"), field("Version"), field("Architecture"))


def check_bundle(directory: Path, installed: set[str]) -> list[Deb]:
    """The ``.deb`` files in ``directory``, checked: for arm64, one version each, complete.

    Complete means every package in :data:`RUNTIME_PACKAGES` is in the bundle or
    already in the base image (``installed``).
    """
    if not directory.is_dir():
        raise BuildError(f"--debs {directory}: no such folder")
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
                f"{directory}: two versions of {deb.package} "
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
    tools.require(["apt-get", "debugfs"])
    status = fs.read("/var/lib/dpkg/status")
    if status is None:
        raise BuildError("the base image has no /var/lib/dpkg/status: is it Raspberry Pi OS?")
    mapping = {}
    for folder in ("/etc/apt", "/usr/share/keyrings"):
        if fs.stat(folder) is not None:
            tools.run(
                ["debugfs", "-R", f"rdump {folder} {scratch}", str(fs.path)],
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
