"""The technician's paths: each checked for what it must be, then made absolute.

Relative paths (``--out apollo-soyuz-1.img``, ``--debs debs/``) and folders with
spaces are fine.  A path of the wrong kind (a folder where a file belongs, a named
pipe, a missing or unreadable file) is refused with a message that names the option,
the path, what it is and what to give instead.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from imagebuild.errors import BuildError

_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFREG: "a file",
}


def absolute(path: Path) -> Path:
    """``path`` made absolute against the current folder, ``..`` folded, links kept."""
    return Path(os.path.abspath(path))


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _missing(option: str, path: Path, want: str) -> BuildError:
    """Why ``path`` is not there: a dangling symlink, a missing folder or file."""
    if path.is_symlink():
        return BuildError(
            f"{option} {path}: a symlink to {os.readlink(path)}, which does not exist; give {want}"
        )
    parent = absolute(path).parent
    for folder in (parent, *parent.parents):
        if folder.exists():
            if not folder.is_dir():
                return BuildError(
                    f"{option} {path}: {folder} is a file, not a folder; fix the path"
                )
            break
    if not parent.is_dir():
        return BuildError(
            f"{option} {path}: the folder {parent} does not exist (fix the path, or make "
            "the folder first)"
        )
    return BuildError(f"{option} {path}: no such file or folder; give {want}")


def input_file(option: str, path: Path, want: str) -> Path:
    """A file to read: exists, is a regular file (not a folder or FIFO), readable."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _missing(option, path, want) from None
    except OSError as exc:
        raise BuildError(f"{option} {path}: cannot be looked at ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise BuildError(f"{option} {path} is {_kind(info.st_mode)}; give {want}")
    if not os.access(path, os.R_OK):
        raise BuildError(
            f"{option} {path}: cannot be read (permission denied); make it readable "
            f"(chmod u+r) or run as its owner"
        )
    return absolute(path)


def input_dir(option: str, path: Path, want: str) -> Path:
    """A folder to read: exists, is a folder, can be listed."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _missing(option, path, want) from None
    except OSError as exc:
        raise BuildError(f"{option} {path}: cannot be looked at ({exc.strerror})") from None
    if not stat.S_ISDIR(info.st_mode):
        raise BuildError(f"{option} {path} is {_kind(info.st_mode)}; give {want}")
    if not os.access(path, os.R_OK | os.X_OK):
        raise BuildError(f"{option} {path}: cannot be read (permission denied)")
    return absolute(path)


def _writable_parent(option: str, path: Path) -> Path:
    full = absolute(path)
    parent = full.parent
    if not parent.is_dir():
        raise _missing(option, path, "a path in a folder that exists")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise BuildError(
            f"{option} {path}: cannot write in the folder {parent} (permission denied); "
            "choose a folder of your own"
        )
    return full


def output_file(option: str, path: Path, example: str) -> Path:
    """A file to write: its folder exists and is writable; it is not a folder or FIFO."""
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise BuildError(f"{option} {path}: cannot be looked at ({exc.strerror})") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        hint = f"{path / example}" if stat.S_ISDIR(info.st_mode) else example
        raise BuildError(
            f"{option} {path} is {_kind(info.st_mode)}; give the file to write, e.g. {hint}"
        )
    return _writable_parent(option, path)


def output_dir(option: str, path: Path) -> Path:
    """A folder to write into: a folder already, or one that can be made."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return _writable_parent(option, path)
    except OSError as exc:
        raise BuildError(f"{option} {path}: cannot be looked at ({exc.strerror})") from None
    if not stat.S_ISDIR(info.st_mode):
        raise BuildError(f"{option} {path} is {_kind(info.st_mode)}; give a folder")
    if not os.access(path, os.W_OK | os.X_OK):
        raise BuildError(f"{option} {path}: cannot write in it (permission denied)")
    return absolute(path)
