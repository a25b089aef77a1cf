"""Reading the files a user names (inputs, configurations, rule packs) without hanging on them.

A FIFO, a device (``/dev/zero``), a socket or a symlink loop given where a file is expected
must be a clear one-line error, never a read that blocks or never ends. :func:`read_regular`
looks at the file before it opens it, opens it without blocking, and checks again on the open
descriptor (the path may have been swapped in between).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path exists but is not a regular file (its ``strerror`` says what it is)."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in a few words."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_regular(mode: int, path: str | Path) -> NotRegularFile:
    what = kind_of(mode)
    reason = "is a directory" if what == "a directory" else f"not a regular file ({what})"
    return NotRegularFile(errno.EINVAL, reason, str(path))


def read_regular(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (at most ``limit + 1`` of them when a limit is given).

    Raises :class:`NotRegularFile` for anything else, and ``OSError`` (``FileNotFoundError``,
    ``PermissionError``, ``ELOOP`` for a symlink loop…) when it cannot be opened.
    """
    st = os.stat(path)  # follows symlinks; a loop raises ELOOP here
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(st.st_mode, path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(st.st_mode, path)
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            return fh.read() if limit is None else fh.read(limit + 1)
    finally:
        if fd >= 0:
            os.close(fd)


def describe_oserror(exc: OSError) -> str:
    """A one-line reason for an ``OSError`` of :func:`read_regular`."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop (too many levels of symbolic links)"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return exc.strerror or str(exc)
