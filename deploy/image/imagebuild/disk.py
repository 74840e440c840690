"""The disk image as a whole: its MBR partition table (``sfdisk``), copies, ``.xz``, sha256.

Copies are sparse: runs of zeros become holes, so a mostly empty card image takes
little room and ``bmaptool`` writes only the data.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import os
from dataclasses import dataclass, replace
from pathlib import Path

from imagebuild import tools
from imagebuild.errors import BuildError

SECTOR = 512
CHUNK = 1 << 20
ALIGN = 8192  # sectors: 4 MiB, as Raspberry Pi OS aligns its partitions
FAT_TYPES = {"b", "c", "e", "6"}
LINUX_TYPE = "83"


@dataclass(frozen=True)
class Partition:
    """One MBR partition, in 512-byte sectors."""

    number: int
    start: int
    size: int
    type: str
    bootable: bool = False

    @property
    def offset(self) -> int:
        """Where it starts, in bytes."""
        return self.start * SECTOR

    @property
    def length(self) -> int:
        """Its size, in bytes."""
        return self.size * SECTOR

    @property
    def end(self) -> int:
        """The first sector after it."""
        return self.start + self.size


@dataclass(frozen=True)
class Table:
    """An MBR (``dos``) partition table: its disk identifier and partitions."""

    disk_id: str  # "0x1a2b3c4d"
    partitions: tuple[Partition, ...]

    def partuuid(self, number: int) -> str:
        """The PARTUUID Linux gives partition ``number`` of this disk: ``<id>-NN``."""
        return f"{int(self.disk_id, 16):08x}-{number:02d}"

    def get(self, number: int) -> Partition | None:
        """Partition ``number``, if there is one."""
        return next((p for p in self.partitions if p.number == number), None)


def read_table(image: Path) -> Table:
    """The partition table of ``image``; a clear error if it has none or not an MBR one."""
    try:
        done = tools.run(["sfdisk", "--json", str(image)], what="reading the partition table")
    except BuildError:
        raise BuildError(
            f"{image}: not a disk image (no partition table): expected a Raspberry Pi OS "
            "image (.img or .img.xz)"
        ) from None
    data = json.loads(done.stdout)["partitiontable"]
    if data.get("label") != "dos":
        raise BuildError(
            f"{image}: the partition table is {data.get('label')!r}; Raspberry Pi OS images "
            "use an MBR (dos) table"
        )
    if data.get("sectorsize", SECTOR) != SECTOR:
        raise BuildError(f"{image}: sector size {data.get('sectorsize')}, expected {SECTOR}")
    partitions = []
    for entry in data.get("partitions", []):
        number = int(entry["node"].rsplit(str(image.name), 1)[-1].lstrip("p") or 0)
        partitions.append(
            Partition(
                number=number,
                start=int(entry["start"]),
                size=int(entry["size"]),
                type=str(entry["type"]).lower(),
                bootable=bool(entry.get("bootable", False)),
            )
        )
    return Table(disk_id=data["id"], partitions=tuple(partitions))


def raspios_partitions(image: Path, table: Table) -> tuple[Partition, Partition]:
    """The boot (FAT) and root (ext4) partitions, checked against the file's size."""
    boot, root = table.get(1), table.get(2)
    if boot is None or root is None:
        have = ", ".join(f"{p.number} (type {p.type})" for p in table.partitions) or "none"
        raise BuildError(
            f"{image}: missing partition: Raspberry Pi OS has a FAT boot partition 1 and an "
            f"ext4 root partition 2; this image has {have}"
        )
    if boot.type not in FAT_TYPES:
        raise BuildError(f"{image}: partition 1 has type {boot.type}, expected FAT (c)")
    if root.type != LINUX_TYPE:
        raise BuildError(f"{image}: partition 2 has type {root.type}, expected Linux (83)")
    extra = [p.number for p in table.partitions if p.number > 2]
    if extra:
        raise BuildError(
            f"{image}: has partition {extra[0]} already (a kiosk image?): "
            "start from the official Raspberry Pi OS image"
        )
    size = image.stat().st_size
    if root.end * SECTOR > size:
        raise BuildError(
            f"{image}: too small: partition 2 ends at byte {root.end * SECTOR} but the file "
            f"has {size} bytes (an incomplete download? check its sha256)"
        )
    return boot, root


def align_up(sector: int) -> int:
    """The next 4 MiB boundary at or after ``sector``."""
    return -(-sector // ALIGN) * ALIGN


def write_table(image: Path, table: Table) -> None:
    """Write ``table`` to ``image``, keeping the disk identifier (so PARTUUIDs stay)."""
    lines = ["label: dos", f"label-id: {table.disk_id}", "unit: sectors", ""]
    for part in table.partitions:
        flags = ", bootable" if part.bootable else ""
        lines.append(f"start={part.start}, size={part.size}, type={part.type}{flags}")
    script = ("\n".join(lines) + "\n").encode()
    tools.run(
        [
            "sfdisk",
            "--quiet",
            "--no-reread",
            "--no-tell-kernel",
            "--wipe",
            "never",
            "--wipe-partitions",
            "never",
            str(image),
        ],
        input=script,
        what="writing the partition table",
    )
    written = read_table(image)
    if written.disk_id != table.disk_id or written.partitions != table.partitions:
        raise BuildError(f"{image}: the partition table did not come out as written")


def copy_range(src: Path, src_offset: int, dst: Path, dst_offset: int, length: int) -> None:
    """Copy ``length`` bytes; all-zero blocks are left as holes in ``dst``."""
    zeros = bytes(CHUNK)
    with src.open("rb") as fin, dst.open("r+b") as fout:
        fin.seek(src_offset)
        done = 0
        while done < length:
            block = fin.read(min(CHUNK, length - done))
            if not block:
                raise BuildError(f"{src}: ends early (at byte {src_offset + done})")
            if block != zeros[: len(block)]:
                fout.seek(dst_offset + done)
                fout.write(block)
            done += len(block)


def new_sparse(path: Path, size: int) -> None:
    """An empty (all holes) file of ``size`` bytes."""
    with path.open("wb") as out:
        out.truncate(size)


def decompress_xz(src: Path, dst: Path) -> None:
    """Unpack a ``.xz`` file, sparsely."""
    zeros = bytes(CHUNK)
    try:
        with lzma.open(src, "rb") as fin, dst.open("wb") as fout:
            while block := fin.read(CHUNK):
                if block == zeros[: len(block)]:
                    fout.seek(len(block), os.SEEK_CUR)
                else:
                    fout.write(block)
            fout.truncate()
    except (lzma.LZMAError, EOFError) as exc:
        raise BuildError(f"{src}: not a complete .xz file ({exc})") from None


def sha256(path: Path) -> str:
    """The file's SHA-256, as lower-case hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fin:
        while block := fin.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def grown(part: Partition, size: int) -> Partition:
    """The same partition with a new size in sectors."""
    return replace(part, size=size)
