"""Positions in TOML text, for error messages that name the line.

tomllib returns plain data without line numbers; staff still deserve
FILE:LINE in every message, so this finds a key's line in the source.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


class Locator:
    """Finds the line of a key in TOML source text (tomllib keeps no positions)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()

    def line(self, table: str = "", key: str = "", index: int | None = None) -> int | None:
        """Line number (1-based) of ``key`` in ``[table]`` or the ``index``-th ``[[table]]``.

        Without a key, the line of the table header.  ``None`` when not found.
        """
        current = ""
        seen = -1
        header_line: int | None = None
        for number, raw in enumerate(self._lines, start=1):
            header = self._HEADER.match(raw)
            if header:
                current = header.group(2)
                if current == table and header.group(1) == "[[":
                    seen += 1
                in_target = current == table and (index is None or seen == index)
                if in_target and not key:
                    return number
                if in_target:
                    header_line = number
                continue
            if not key:
                continue
            in_target = current == table and (index is None or seen == index)
            match = self._KEY.match(raw)
            if in_target and match and match.group(1) == key:
                return number
        return header_line


def suggest(word: str, choices: Iterable[str]) -> str:
    """A hint such as (did you mean "title"?) for a misspelt word, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def error_line(exc: Exception) -> int | None:
    """The line a :class:`tomllib.TOMLDecodeError` points at, if it says."""
    found = re.search(r"at line (\d+)", str(exc))
    return int(found.group(1)) if found else None
