"""Files on ext4 partitions, edited with e2fsprogs on a partition file: no mount, no root.

Reading: ``debugfs -R 'stat|cat|ls'``.  Writing: one ``debugfs -w -f COMMANDS`` session
per batch (``mkdir``, ``write``, ``symlink``, ``rm``, then ``set_inode_field`` for owner
and mode).  ``debugfs`` exits 0 even when a command fails, so every line it prints on
stderr other than its banner is treated as an error.  Time comes from
``E2FSPROGS_FAKE_TIME`` (the build's fixed time), so two builds give the same bytes.

Every path in a debugfs command is quoted (:func:`quote`), so local folders may have
spaces; paths inside the image are checked against a strict set of characters.
"""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from imagebuild import tools
from imagebuild.errors import BuildError

#: debugfs's "mode" field: file type bits.
S_IFREG, S_IFDIR, S_IFLNK = 0o100000, 0o040000, 0o120000
#: Paths inside the image: what Debian file names use (``%3a`` epochs, ``~``, ``+``).
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9._@+,=:%~/-]*$")
#: Superblock states that are not features of a new file system.
_STATE_FEATURES = {"needs_recovery", "orphan_present", "recover"}


@dataclass(frozen=True)
class Inode:
    """What ``debugfs stat`` says about a path."""

    kind: str  # "regular", "directory", "symlink", …
    mode: int  # permission bits, e.g. 0o644 (0o2775 with setgid)
    uid: int
    gid: int


def _check_path(path: str) -> str:
    """A path inside the image, checked and quoted for a debugfs command."""
    if not _SAFE_PATH.match(path) or "/../" in path + "/" or "//" in path:
        raise BuildError(f"cannot put {path!r} into the image: unusual characters in the name")
    return quote(path)


def quote(path: str) -> str:
    """``path`` as one debugfs argument: in double quotes, a quote doubled (ss's rules).

    debugfs reads one command per line, so a line break cannot be quoted.
    """
    if any(ch in path for ch in "\n\r\0"):
        raise BuildError(f"{path!r}: a line break in a path; rename the file or folder")
    return '"' + path.replace('"', '""') + '"'


class ExtFs:
    """An ext2/3/4 file system in the file ``path``."""

    def __init__(self, path: Path, epoch: int) -> None:
        self.path = path
        self.env = {"E2FSPROGS_FAKE_TIME": str(epoch), "TZ": "UTC"}

    def _query(self, request: str) -> tuple[str, str]:
        done = tools.run(["debugfs", "-R", request, str(self.path)], env=self.env)
        return done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")

    def stat(self, path: str) -> Inode | None:
        """The inode at ``path`` (symlinks not followed), or ``None`` if there is none."""
        out, _err = self._query(f"stat {_check_path(path)}")
        found = re.search(r"Type:\s+(\S+)\s+Mode:\s+([0-7]+)", out)
        owner = re.search(r"User:\s+(\d+)\s+Group:\s+(\d+)", out)
        if not found or not owner:
            return None
        return Inode(found.group(1), int(found.group(2), 8), int(owner[1]), int(owner[2]))

    def read(self, path: str) -> bytes | None:
        """A regular file's bytes, or ``None`` if there is no such file."""
        inode = self.stat(path)
        if inode is None or inode.kind != "regular":
            return None
        done = tools.run(
            ["debugfs", "-R", f"cat {_check_path(path)}", str(self.path)], env=self.env
        )
        return done.stdout

    def read_text(self, path: str) -> str | None:
        """A text file's content, or ``None``."""
        data = self.read(path)
        return None if data is None else data.decode("utf-8")

    def names(self, path: str) -> list[str]:
        """The names in a directory (without ``.`` and ``..``)."""
        out, _err = self._query(f"ls -p {_check_path(path)}")
        names = [line.split("/")[5] for line in out.splitlines() if line.count("/") >= 6]
        return [n for n in names if n not in (".", "..")]

    def superblock(self) -> dict[str, str]:
        """``dumpe2fs -h``, as a dict of its ``Name: value`` lines."""
        done = tools.run(["dumpe2fs", "-h", str(self.path)], env={"TZ": "UTC"})
        fields = {}
        for line in done.stdout.decode("utf-8", "replace").splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip()] = value.strip()
        return fields

    def free_bytes(self) -> int:
        """Free space, in bytes."""
        sb = self.superblock()
        return int(sb["Free blocks"]) * int(sb["Block size"])

    def size_bytes(self) -> int:
        """The file system's size, in bytes."""
        sb = self.superblock()
        return int(sb["Block count"]) * int(sb["Block size"])

    def last_write(self) -> int:
        """The superblock's last write time (seconds since 1970, UTC)."""
        text = self.superblock().get("Last write time", "")
        try:
            return calendar.timegm(time.strptime(text, "%a %b %d %H:%M:%S %Y"))
        except ValueError:
            return 0

    def features(self) -> list[str]:
        """The file system's features, without transient states such as needs_recovery."""
        listed = self.superblock().get("Filesystem features", "").split()
        return [f for f in listed if f not in _STATE_FEATURES]

    def check(self, what: str) -> None:
        """``e2fsck -fn``: fail unless the file system is clean."""
        done = tools.run_status(["e2fsck", "-fn", str(self.path)], env=self.env)
        if done.returncode != 0:
            detail = done.stdout.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise BuildError(f"{what} has errors (e2fsck -fn): {' / '.join(detail)}")

    def grow(self, new_bytes: int) -> None:
        """Grow the file (as the partition grows) and the file system to ``new_bytes``."""
        with self.path.open("r+b") as fout:
            fout.truncate(new_bytes)
        block = int(self.superblock()["Block size"])
        tools.run(
            ["resize2fs", "-f", str(self.path), f"{new_bytes // block}"],
            env=self.env,
            what="growing the root file system",
        )


class Batch:
    """Changes to an :class:`ExtFs`, applied in one ``debugfs -w`` session."""

    def __init__(self) -> None:
        self.commands: list[str] = []

    def _owner_mode(self, path: str, kind: int, mode: int, uid: int, gid: int) -> None:
        path = _check_path(path)
        self.commands += [
            f"sif {path} mode 0{kind | mode:o}",
            f"sif {path} uid {uid}",
            f"sif {path} gid {gid}",
        ]

    def rm(self, path: str) -> None:
        """Remove a file or symlink."""
        self.commands.append(f"rm {_check_path(path)}")

    def mkdir(self, path: str, mode: int = 0o755, uid: int = 0, gid: int = 0) -> None:
        """Make a directory (the parent must exist or be made first in this batch)."""
        self.commands.append(f"mkdir {_check_path(path)}")
        self._owner_mode(path, S_IFDIR, mode, uid, gid)

    def chown(self, path: str, kind: int, mode: int, uid: int, gid: int) -> None:
        """Set owner and mode of an existing inode."""
        self._owner_mode(path, kind, mode, uid, gid)

    def write(self, source: Path, path: str, mode: int = 0o644, uid: int = 0, gid: int = 0) -> None:
        """Copy a local file in (the path must not exist: :meth:`rm` it first)."""
        self.commands.append(f"write {quote(str(source.absolute()))} {_check_path(path)}")
        self._owner_mode(path, S_IFREG, mode, uid, gid)

    def times(self, path: str, epoch: int) -> None:
        """Set all four timestamps (for files ``mke2fs -d`` copied with the host's times)."""
        for name in ("atime", "mtime", "ctime", "crtime"):
            self.commands.append(f"sif {_check_path(path)} {name} @{epoch}")

    def symlink(self, path: str, target: str) -> None:
        """Make a symlink (owned by root)."""
        self.commands.append(f"symlink {_check_path(path)} {_check_path(target)}")

    def apply(self, fs: ExtFs, scratch: Path) -> None:
        """Run the batch; any error message from debugfs fails the build."""
        if not self.commands:
            return
        script = scratch / "debugfs-commands"
        script.write_text("\n".join(self.commands) + "\n", encoding="utf-8")
        done = tools.run(["debugfs", "-w", "-f", str(script), str(fs.path)], env=fs.env)
        errors = [
            line
            for line in done.stderr.decode("utf-8", "replace").splitlines()
            if line.strip() and not line.startswith("debugfs ")
        ]
        if errors:
            raise BuildError("editing the file system failed: " + "; ".join(errors[:5]))
        self.commands = []


def parents(path: str) -> list[str]:
    """``/a/b/c`` -> ``["/a", "/a/b"]``."""
    parts = PurePosixPath(path).parents
    return [str(p) for p in reversed(parts) if str(p) != "/"]


def make_data_fs(
    path: Path,
    size: int,
    source: Path,
    *,
    label: str,
    features: list[str],
    fs_uuid: str,
    hash_seed: str,
    epoch: int,
) -> ExtFs:
    """A new ext4 file system of ``size`` bytes holding the tree ``source`` (``mke2fs -d``)."""
    with path.open("wb") as out:
        out.truncate(size)
    options = ["-O", "none," + ",".join(features)] if features else ["-t", "ext4"]
    env = {"E2FSPROGS_FAKE_TIME": str(epoch), "TZ": "UTC"}
    tools.run(
        [
            "mke2fs",
            "-q",
            "-F",
            "-t",
            "ext4",
            *options,
            "-b",
            "4096",
            "-m",
            "1",
            "-L",
            label,
            "-U",
            fs_uuid,
            "-E",
            f"hash_seed={hash_seed},root_owner=0:0",
            "-d",
            str(source),
            str(path),
        ],
        env=env,
        what="making the data partition (mke2fs)",
    )
    return ExtFs(path, epoch)
