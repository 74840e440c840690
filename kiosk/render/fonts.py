"""Find the exhibit's typefaces and hand out cached pygame fonts by size.

The exhibit wants a regular and a bold weight that cover Latin and Cyrillic.
It looks, in order, in the configured font directory, ``assets/fonts``, and
the system's DejaVu Sans (Debian's ``fonts-dejavu-core``, on Raspberry Pi OS
too); when none is found it falls back to pygame's bundled font and logs once,
so a missing font never stops the exhibit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pygame

log = logging.getLogger(__name__)

#: File names tried for each weight, most preferred first.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "regular": ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "FreeSans.ttf"),
    "bold": ("DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf", "FreeSansBold.ttf"),
}
SYSTEM_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/freefont"),
)


@dataclass(frozen=True, slots=True)
class FontFiles:
    """The font file chosen for each weight (``None``: pygame's bundled font)."""

    regular: Path | None
    bold: Path | None


def find_fonts(search: Iterable[Path] = ()) -> FontFiles:
    """Pick font files for both weights from ``search`` dirs, then the system's."""
    dirs = [Path(d) for d in search] + list(SYSTEM_DIRS)
    chosen: dict[str, Path | None] = {}
    for weight, names in CANDIDATES.items():
        chosen[weight] = next(
            (d / n for n in names for d in dirs if (d / n).is_file()),
            None,
        )
        if chosen[weight] is None:
            log.warning(
                "no %s font found in %s; using pygame's bundled font "
                "(install fonts-dejavu-core for the exhibit's typeface)",
                weight,
                ", ".join(str(d) for d in dirs),
            )
    return FontFiles(regular=chosen["regular"], bold=chosen["bold"])


class FontBook:
    """Cached :class:`pygame.font.Font` objects by weight and pixel size."""

    def __init__(self, files: FontFiles) -> None:
        self.files = files
        self._cache: dict[tuple[str, int], pygame.font.Font] = {}

    def get(self, size: int, bold: bool = False) -> pygame.font.Font:
        """A font of ``size`` pixels, bold or regular."""
        size = max(6, int(size))
        weight = "bold" if bold else "regular"
        key = (weight, size)
        font = self._cache.get(key)
        if font is None:
            path = self.files.bold if bold else self.files.regular
            try:
                font = pygame.font.Font(str(path) if path else None, size)
            except (OSError, pygame.error) as exc:
                log.warning("cannot open font %s (%s); using pygame's bundled font", path, exc)
                font = pygame.font.Font(None, size)
            self._cache[key] = font
        return font
