#!/usr/bin/env python3
"""The text edits kiosk-image makes, for the pi-gen stage (the same code, so the same result).

kiosk-edit.py cmdline FILE   quiet boot on tty3, no first-boot resize (in place)
kiosk-edit.py fstab FILE     the data partition at /var/lib/kiosk (in place)
kiosk-edit.py config FILE    print the site config with the story on the data partition
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "image"))

from imagebuild import plan
from imagebuild.errors import BuildError


def main(argv: list[str]) -> int:
    """Edit one file; 0 done, 1 error, 2 wrong usage."""
    if len(argv) != 2 or argv[0] not in ("cmdline", "fstab", "config"):
        print(__doc__, file=sys.stderr)
        return 2
    what, path = argv[0], Path(argv[1])
    try:
        text = path.read_text(encoding="utf-8")
        if what == "config":
            sys.stdout.write(plan.config_with_story_on_data(text, str(path)))
            return 0
        edited = plan.kiosk_cmdline(text) if what == "cmdline" else plan.with_data_mount(text)
        path.write_text(edited, encoding="utf-8")
    except (OSError, BuildError) as exc:
        print(f"kiosk-edit: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
