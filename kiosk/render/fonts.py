"""Find the exhibit's typefaces and hand out cached pygame fonts by size.

The exhibit wants a regular and a bold weight that draw everything the three
languages need: Latin and Cyrillic letters, æ ø å, typographic quotes
(“ ” ‘ ’ « » „), dashes and the no-break space.  DejaVu Sans (Debian's
``fonts-dejavu-core``, on Raspberry Pi OS too) is the choice; see
``assets/fonts/README.md`` for why and for its licence.

Fonts are looked for, in order, in the configured font directory,
``assets/fonts``, and the system's font folders.  A candidate whose character
map (read with :mod:`kiosk.render.cmap`, not by rendering) lacks any of
:data:`REQUIRED` is passed over with a warning.  When nothing suitable is
found the exhibit still runs, on pygame's bundled font, and says in the log
exactly which characters will show as boxes — a missing font never stops the
exhibit, and never fails silently either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pygame

from kiosk.render.cmap import CmapError, describe, font_codepoints, missing_characters

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
#: What every weight must be able to draw for English, Russian and Norwegian.
REQUIRED = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    "ÆØÅæøåéèêô«»“”„‘’–—…·×°№\u00a0"
)
INSTALL_HINT = "install the Debian package fonts-dejavu-core"


def bundled_font() -> Path:
    """pygame's own font (FreeSans Bold), used when no suitable font is installed."""
    return Path(pygame.__file__).parent / pygame.font.get_default_font()


@dataclass(frozen=True, slots=True)
class FontFiles:
    """The font file chosen for each weight (``None``: pygame's bundled font)."""

    regular: Path | None
    bold: Path | None

    def path(self, bold: bool = False) -> Path:
        """The file that will really draw this weight (the bundled font if none)."""
        chosen = self.bold if bold else self.regular
        return chosen if chosen is not None else bundled_font()


def coverage_gaps(path: Path, required: str = REQUIRED) -> list[str] | None:
    """Characters of ``required`` that the font at ``path`` lacks (``None``: unreadable)."""
    try:
        return missing_characters(required, font_codepoints(path))
    except (OSError, CmapError) as exc:
        log.warning("cannot read the character map of %s (%s)", path, exc)
        return None


def _listing(chars: list[str]) -> str:
    shown = ", ".join(describe(c) for c in chars[:8])
    return shown + (f" and {len(chars) - 8} more" if len(chars) > 8 else "")


def find_fonts(search: Iterable[Path] = ()) -> FontFiles:
    """Pick font files for both weights from ``search`` dirs, then the system's."""
    dirs = [Path(d) for d in search] + list(SYSTEM_DIRS)
    chosen: dict[str, Path | None] = {}
    for weight, names in CANDIDATES.items():
        chosen[weight] = None
        for path in (d / n for n in names for d in dirs):
            if not path.is_file():
                continue
            gaps = coverage_gaps(path)
            if gaps == []:
                chosen[weight] = path
                break
            if gaps:
                log.warning(
                    "skipping %s for the %s weight: it cannot draw %s", path, weight, _listing(gaps)
                )
        if chosen[weight] is None:
            gaps = coverage_gaps(bundled_font()) or []
            log.error(
                "no %s font that can draw English, Russian and Norwegian was found in %s; "
                "using pygame's bundled %s instead, which will show %s as boxes "
                "(%s for the exhibit's typeface, DejaVu Sans)",
                weight,
                ", ".join(str(d) for d in dirs),
                bundled_font().name,
                _listing(gaps) if gaps else "nothing missing",
                INSTALL_HINT,
            )
    return FontFiles(regular=chosen["regular"], bold=chosen["bold"])


class FontBook:
    """Cached :class:`pygame.font.Font` objects by weight and pixel size."""

    def __init__(self, files: FontFiles) -> None:
        self.files = files
        self._cache: dict[tuple[str, int], pygame.font.Font] = {}
        self._broken: set[Path] = set()  # files that failed: logged once, then skipped

    def get(self, size: int, bold: bool = False) -> pygame.font.Font:
        """A font of ``size`` pixels, bold or regular."""
        size = max(6, int(size))
        weight = "bold" if bold else "regular"
        key = (weight, size)
        font = self._cache.get(key)
        if font is None:
            path = self.files.bold if bold else self.files.regular
            if path in self._broken:
                path = None
            try:
                font = pygame.font.Font(str(path) if path else None, size)
                font.size(REQUIRED)  # a damaged file may open, then fail when drawing
            except (OSError, pygame.error) as exc:
                if path is None:
                    raise
                self._broken.add(path)
                log.error(
                    "cannot open font %s (%s); using pygame's bundled font (%s)",
                    path,
                    exc,
                    INSTALL_HINT,
                )
                font = pygame.font.Font(None, size)
            self._cache[key] = font
        return font
