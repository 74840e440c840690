"""Which characters a TrueType/OpenType font can draw, read from its ``cmap`` table.

Rendering cannot answer this: a font without a glyph silently draws a box
(the ``.notdef`` glyph), and pygame measures the box like any other letter.
So the content check reads the font's character map directly.

Pure: standard library only (``struct``).  Handles plain fonts (``.ttf``,
``.otf``) and the first font of a collection (``.ttc``); reads the Unicode
subtables in format 4 (the Basic Multilingual Plane) and format 12 (all of
Unicode).  A code point mapped to glyph 0 counts as missing.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Iterable
from pathlib import Path

from kiosk.exc import CmapError

#: (platform, encoding) pairs whose subtables map Unicode code points.
UNICODE_ENCODINGS = frozenset({(0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (0, 6), (3, 1), (3, 10)})


def _unpack(fmt: str, data: bytes, offset: int) -> tuple[int, ...]:
    try:
        return struct.unpack_from(fmt, data, offset)
    except struct.error:
        raise CmapError(f"font data ends early (at byte {offset})") from None


def _table_offset(data: bytes, tag: bytes) -> int:
    """Byte offset of table ``tag`` in the (first) font of ``data``."""
    (version,) = _unpack(">4s", data, 0)
    base = 0
    if version == b"ttcf":
        (base,) = _unpack(">I", data, 12)  # the first font of the collection
        (version,) = _unpack(">4s", data, base)
    if version not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise CmapError(f"not a TrueType/OpenType font (starts with {version!r})")
    (count,) = _unpack(">H", data, base + 4)
    for i in range(count):
        name, _checksum, offset, _length = _unpack(">4sIII", data, base + 12 + 16 * i)
        if name == tag:
            return offset
    raise CmapError(f"the font has no {tag.decode()!r} table")


def _format4(data: bytes, at: int) -> set[int]:
    (seg_x2,) = _unpack(">H", data, at + 6)
    segs = seg_x2 // 2
    ends = _unpack(f">{segs}H", data, at + 14)
    starts_at = at + 16 + seg_x2
    starts = _unpack(f">{segs}H", data, starts_at)
    deltas = _unpack(f">{segs}h", data, starts_at + seg_x2)
    ranges_at = starts_at + 2 * seg_x2
    range_offsets = _unpack(f">{segs}H", data, ranges_at)
    found: set[int] = set()
    for i, (start, end, delta, range_offset) in enumerate(
        zip(starts, ends, deltas, range_offsets, strict=True)
    ):
        if start > end or start == 0xFFFF:
            continue
        if range_offset == 0:
            # Glyph (code + delta) mod 65536: only one code can land on glyph 0.
            blank = -delta & 0xFFFF
            found.update(code for code in range(start, end + 1) if code != blank)
            continue
        # idRangeOffset counts bytes from its own position in the array.
        where = ranges_at + 2 * i + range_offset
        glyphs = _unpack(f">{end - start + 1}H", data, where)
        found.update(
            code for code, glyph in enumerate(glyphs, start) if glyph and (glyph + delta) & 0xFFFF
        )
    return found


def _format12(data: bytes, at: int) -> set[int]:
    (groups,) = _unpack(">I", data, at + 12)
    found: set[int] = set()
    for g in range(groups):
        start, end, glyph = _unpack(">III", data, at + 16 + 12 * g)
        if end < start or end > 0x10FFFF:
            raise CmapError(f"bad character range U+{start:04X}–U+{end:04X} in the cmap")
        found.update(range(start + (1 if glyph == 0 else 0), end + 1))
    return found


def read_cmap(data: bytes) -> frozenset[int]:
    """Every Unicode code point the font in ``data`` maps to a real glyph."""
    cmap = _table_offset(data, b"cmap")
    _version, count = _unpack(">HH", data, cmap)
    found: set[int] = set()
    readable = False
    for i in range(count):
        platform, encoding, offset = _unpack(">HHI", data, cmap + 4 + 8 * i)
        if (platform, encoding) not in UNICODE_ENCODINGS:
            continue
        at = cmap + offset
        (fmt,) = _unpack(">H", data, at)
        if fmt == 4:
            found |= _format4(data, at)
            readable = True
        elif fmt == 12:
            found |= _format12(data, at)
            readable = True
    if not readable:
        raise CmapError("the font has no Unicode character map in format 4 or 12")
    return frozenset(found)


@functools.lru_cache(maxsize=16)
def _cached(path: Path, mtime_ns: int, size: int) -> frozenset[int]:
    return read_cmap(path.read_bytes())


def font_codepoints(path: Path | str) -> frozenset[int]:
    """The code points the font file at ``path`` can draw (cached per file version)."""
    path = Path(path)
    stat = path.stat()
    return _cached(path.resolve(), stat.st_mtime_ns, stat.st_size)


def missing_characters(text: str, codepoints: Iterable[int] | frozenset[int]) -> list[str]:
    """The distinct characters of ``text`` the font cannot draw, in order of appearance.

    Line breaks and tabs are layout, not glyphs, and are never reported.
    """
    have = codepoints if isinstance(codepoints, frozenset | set) else frozenset(codepoints)
    seen: list[str] = []
    for char in text:
        if char in "\n\r\t" or ord(char) in have or char in seen:
            continue
        seen.append(char)
    return seen


def describe(char: str) -> str:
    """A character as staff can find it: ``'«' (U+00AB)``."""
    return f"{char!r} (U+{ord(char):04X})"
