"""The builder's one error type: a message that tells the technician what to do."""

from __future__ import annotations


class BuildError(Exception):
    """Something about the inputs or the build host that the technician must fix.

    The message is printed as it is (``kiosk-image: error: …``), so it names the
    file and says what to do.
    """
