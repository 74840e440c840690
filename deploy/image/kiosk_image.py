#!/usr/bin/env python3
"""kiosk-image: make the kiosk's SD card image from a Raspberry Pi OS Lite image.

    kiosk-image build --base raspios-trixie-arm64-lite.img.xz --config site.toml \\
        --ssh-key staff.pub --debs debs/ --out kiosk.img
    kiosk-image fetch-debs --base raspios-trixie-arm64-lite.img.xz --out debs/

Needs no root, loop devices or mounts: sfdisk, mtools and e2fsprogs do the work.
Guide: deploy/README.md.  Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from imagebuild import debs, disk, paths
from imagebuild.build import Options, build
from imagebuild.errors import BuildError, Interrupted
from imagebuild.extfs import ExtFs

PROG = "kiosk-image"


def size(text: str) -> int:
    """``256M``, ``2G``, ``1048576``: bytes, a whole number of MiB."""
    found = re.fullmatch(r"(\d+)([MG]?)i?B?", text.strip(), re.I)
    if not found:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a size such as 256M or 2G")
    number, unit = int(found.group(1)), found.group(2).upper()
    value = number * {"": 1, "M": 1 << 20, "G": 1 << 30}[unit]
    if value % (1 << 20):
        raise argparse.ArgumentTypeError(f"{text!r}: use whole MiB (e.g. 256M)")
    return value


def parser() -> argparse.ArgumentParser:
    """The command line."""
    top = argparse.ArgumentParser(
        prog=PROG,
        description="Make the kiosk's SD card image from Raspberry Pi OS Lite (no root needed).",
        epilog="Guide: deploy/README.md",
    )
    commands = top.add_subparsers(dest="command", required=True)

    b = commands.add_parser(
        "build",
        help="customise a Raspberry Pi OS Lite image into the kiosk's image",
        description="Customise a Raspberry Pi OS Lite (arm64) image into the kiosk's image. "
        "The base image is never changed; the output appears only when complete.",
    )
    b.add_argument("--base", type=Path, required=True, help="raspios-…-arm64-lite.img[.xz]")
    b.add_argument("--sha256", help="the base image's published SHA-256 (checked first)")
    b.add_argument("--config", type=Path, required=True, help="the site's kiosk.toml")
    b.add_argument("--ssh-key", type=Path, required=True, help="staff public key(s), .pub")
    b.add_argument("--hostname", default="apollo-soyuz", help="default: %(default)s")
    b.add_argument(
        "--staff-user", default="kioskadmin", help="the staff login (default: %(default)s)"
    )
    b.add_argument("--wifi-ssid", help="the museum's Wi-Fi network (optional)")
    b.add_argument("--wifi-psk-file", type=Path, help="file whose first line is the passphrase")
    b.add_argument("--wifi-country", help="two-letter country code, e.g. NO (needed for Wi-Fi)")
    b.add_argument("--debs", type=Path, help="the .deb bundle (kiosk-image fetch-debs)")
    b.add_argument(
        "--data-size", type=size, default=256 << 20, help="data partition (default: 256M)"
    )
    b.add_argument(
        "--root-free",
        type=size,
        default=1 << 30,
        help="free space on the root after the first boot (default: 1G)",
    )
    b.add_argument("--bmap", action="store_true", help="also write OUT.bmap (bmaptool create)")
    b.add_argument("--out", type=Path, required=True, help="the image to write, e.g. kiosk.img")

    f = commands.add_parser(
        "fetch-debs",
        help="download the kiosk's packages for arm64, for an offline first boot",
        description="Download the packages the kiosk needs (and what they need) that the "
        "base image lacks, for arm64, with apt-get and the base image's own package "
        "sources and keys. Needs network on the build host; the kiosk needs none.",
    )
    f.add_argument("--base", type=Path, required=True, help="raspios-…-arm64-lite.img[.xz]")
    f.add_argument("--out", type=Path, required=True, help="folder for the .deb files")
    f.add_argument(
        "--packages",
        nargs="+",
        default=list(debs.RUNTIME_PACKAGES),
        help="default: %(default)s",
    )
    return top


def _build(args: argparse.Namespace) -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.isdigit():
        raise BuildError(f"SOURCE_DATE_EPOCH={epoch!r}: expected seconds since 1970")
    report = build(
        Options(
            base=args.base,
            out=args.out,
            config=args.config,
            ssh_key=args.ssh_key,
            sha256=args.sha256,
            hostname=args.hostname,
            staff_user=args.staff_user,
            wifi_ssid=args.wifi_ssid,
            wifi_psk_file=args.wifi_psk_file,
            wifi_country=args.wifi_country,
            debs=args.debs,
            data_size=args.data_size,
            root_free=args.root_free,
            bmap=args.bmap,
            epoch=int(epoch) if epoch is not None else None,
        )
    )
    for line in report.lines:
        print(line)
    return 0


def _fetch(args: argparse.Namespace) -> int:
    given = paths.input_file("--base", args.base, "the .img or .img.xz file")
    out = paths.output_dir("--out", args.out)
    scratch = Path(tempfile.mkdtemp(prefix=".kiosk-image-", dir=out.parent))
    try:
        base = given
        with base.open("rb") as fin:
            if fin.read(6) == b"\xfd7zXZ\x00":
                base = scratch / "base.img"
                disk.decompress_xz(given, base)
        table = disk.read_table(base)
        _boot, root = disk.raspios_partitions(base, table)
        rootfile = scratch / "root.ext4"
        disk.new_sparse(rootfile, root.length)
        disk.copy_range(base, root.offset, rootfile, 0, root.length)
        (scratch / "apt-work").mkdir()
        found = debs.fetch(ExtFs(rootfile, 0), out, args.packages, scratch / "apt-work")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for deb in found:
        print(f"{deb.package} {deb.version} ({deb.architecture})")
    print(f"{len(found)} packages in {args.out} (list: {args.out / 'BUNDLE.txt'})")
    return 0


#: Signals that stop a build: each removes what was written so far (the partial image,
#: the unpacked base image) on the way out.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _stop(signum: int, _frame: object) -> None:
    """Turn a stop signal into :class:`Interrupted`; further ones wait for the cleanup."""
    for other in STOP_SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    """Run ``kiosk-image``; 0 done, 1 error (printed), 2 wrong usage, 128+N signal N."""
    args = parser().parse_args(argv)
    previous = {number: signal.signal(number, _stop) for number in STOP_SIGNALS}
    try:
        return _build(args) if args.command == "build" else _fetch(args)
    except BuildError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except Interrupted as stop:
        name = signal.Signals(stop.signum).name
        print(
            f"{PROG}: stopped by {name}; nothing was written (the partial output and the "
            "scratch folder with the unpacked base image were removed)",
            file=sys.stderr,
        )
        return 128 + stop.signum
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


if __name__ == "__main__":
    raise SystemExit(main())
