"""Give memory freed by drawing back to the system.

Drawing a picture ahead of time makes large short-lived buffers (supersampled
illustrations, alpha layers).  glibc keeps freed memory in its heap for reuse, so
without a trim the exhibit's resident size stays near its highest point for good.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging

log = logging.getLogger(__name__)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim  # noqa: B018 - glibc only; musl and others lack it
    except (OSError, AttributeError):
        return None
    return libc


def release_free_memory() -> bool:
    """Return the heap's free memory to the system; False where that is not possible."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.malloc_trim(0))
