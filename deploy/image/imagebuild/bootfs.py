"""Files on the FAT boot partition, read and written with mtools inside the disk image.

``-i IMAGE@@OFFSET`` addresses the partition in place: no loop device, no mount.
Timestamps come from the local file (``mcopy -m``), which the builder sets to the
build's fixed time, in UTC, so two builds give the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

from imagebuild import tools
from imagebuild.errors import BuildError

ENV = {"MTOOLS_SKIP_CHECK": "1", "MTOOLSRC": os.devnull, "TZ": "UTC"}


class BootFs:
    """The FAT file system at byte ``offset`` of ``image``."""

    def __init__(self, image: Path, offset: int) -> None:
        self.image = image
        self.offset = offset

    @property
    def _drive(self) -> str:
        return f"{self.image}@@{self.offset}"

    def check(self) -> None:
        """Fail clearly if there is no readable FAT file system here."""
        try:
            tools.run(["mdir", "-i", self._drive, "::"], env=ENV, what="mdir")
        except BuildError as exc:
            raise BuildError(f"partition 1 is not a readable FAT file system: {exc}") from None

    def read(self, name: str) -> str | None:
        """A text file's content, or ``None`` if it is not there."""
        listing = tools.run(["mdir", "-b", "-i", self._drive, "::"], env=ENV).stdout.decode()
        names = {line.rsplit("/", 1)[-1].lower() for line in listing.split()}
        if name.lower() not in names:
            return None
        data = tools.run(["mtype", "-i", self._drive, f"::{name}"], env=ENV).stdout
        return data.decode("utf-8")

    def write(self, name: str, text: str, workdir: Path, mtime: int) -> None:
        """Replace (or create) a file in the top folder."""
        local = workdir / f"boot-{name}"
        local.write_text(text, encoding="utf-8")
        os.utime(local, (mtime, mtime))
        tools.run(
            ["mcopy", "-o", "-m", "-i", self._drive, str(local), f"::{name}"],
            env=ENV,
            what=f"writing {name} to the boot partition",
        )
