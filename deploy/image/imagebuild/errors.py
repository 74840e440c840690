"""The builder's one error type: a message that tells the technician what to do."""

from __future__ import annotations


class BuildError(Exception):
    """Something about the inputs or the build host that the technician must fix.

    The message is printed as it is (``kiosk-image: error: …``), so it names the
    file and says what to do.
    """


class Interrupted(BaseException):
    """A signal (SIGTERM, SIGINT, SIGHUP) stopped the build; cleanup runs on the way out.

    A :class:`BaseException`, like :class:`KeyboardInterrupt`, so that only the
    clean-up code (``finally``, ``except BaseException``) sees it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
