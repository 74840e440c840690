"""The keyboard as an input source: key names to actions.

Pure: keys are pygame's key names (``pygame.key.name``), so this needs no
display and the mapping is easy to test and to document.
"""

from __future__ import annotations

from kiosk.core.events import Action

#: Key name → action.  Arrow keys step, Enter/Space dock, H is the handshake.
KEYMAP: dict[str, Action] = {
    "right": Action.NEXT,
    "page down": Action.NEXT,
    "left": Action.BACK,
    "page up": Action.BACK,
    "return": Action.DOCK,
    "enter": Action.DOCK,
    "space": Action.DOCK,
    "h": Action.HANDSHAKE,
    "l": Action.LANGUAGE,
    "f12": Action.STAFF,
}
#: Keys that quit ``kiosk demo`` (never ``kiosk run``: visitors must not quit).
QUIT_KEYS: frozenset[str] = frozenset({"escape", "q"})


def action_for(key_name: str) -> Action | None:
    """The action for a key, or ``None`` for keys the exhibit ignores."""
    return KEYMAP.get(key_name.lower())
