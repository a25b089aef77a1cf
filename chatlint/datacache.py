"""Data derived from the installed dependencies' files, kept between runs.

Some tables chatlint reads are built from a dependency's data file at first use, the same way
every time: wordfreq's list of 61,000 Russian word forms, decompressed, decoded, folded and
indexed, costs each process (each ``--jobs`` worker) ~20 ms, where reading what it became takes
~1 ms. Such a table is kept in a file of the user's cache directory, under a key made of what
it was built from (the source file's path, size and modification time, the format's version
and the Python that reads it): a changed source, another format or another Python builds it
again. Nothing of the text being checked is ever kept. A file is a fixed header (a magic
number, the length and the CRC-32 of the rest) and the marshalled table with its key; nothing
of it is unmarshalled before the length and the CRC-32 match: a damaged file is built again,
never read as another table, and never read at all (a flipped bit in a length that marshal
trusts would have it allocate gigabytes).

The directory is ``$CHATLINT_CACHE_DIR`` if set (empty: keep nothing), else
``$XDG_CACHE_HOME/chatlint``, else ``~/.cache/chatlint``. A directory that cannot be made or
written, or a cache file that cannot be read or is not whole, is not an error: the table is
built as without a cache. A file is written to a temporary name and renamed into place, so a
reader never sees half of one, and concurrent writers (workers of one run) leave one whole;
a file is read only when this user owns it and nobody else may write it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import sys
import zlib

FORMAT = 3  # the layout of a cache file; bump when what a table stores changes
_MAGIC = b"CLC3"
_HEADER = struct.Struct("<4sII")  # magic, CRC-32 of the rest, its length


def directory() -> str | None:
    """The cache directory (not created here), or None when caching is off. A relative
    ``CHATLINT_CACHE_DIR`` is taken from the working directory of the first time it is asked
    for (a process that changes directory later still reads and writes the same folder); a
    relative ``XDG_CACHE_HOME`` is ignored, as its specification says."""
    configured = os.environ.get("CHATLINT_CACHE_DIR")
    if configured is not None:
        return _absolute(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home to speak of («~» left as it is): keep nothing
        return None
    return os.path.join(base, "chatlint")


_absolute_paths: dict[str, str] = {}


def _absolute(path: str) -> str:
    found = _absolute_paths.get(path)
    if found is None:
        found = _absolute_paths[path] = os.path.abspath(path)
    return found


def _path(name: str, key: tuple) -> tuple[str, tuple] | None:
    folder = directory()
    if folder is None:
        return None
    full = (FORMAT, sys.implementation.cache_tag, sys.byteorder, name, key)
    digest = hashlib.sha256(repr(full).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return os.path.join(folder, f"{name}-{digest}.marshal"), full


def load(name: str, key: tuple):
    """The value stored for ``name`` under ``key`` (values marshal can hold), or None."""
    where = _path(name, key)
    if where is None:
        return None
    path, full = where
    try:
        with open(path, "rb") as fh:
            if not _own(os.fstat(fh.fileno())):
                return None
            data = fh.read()
        if len(data) < _HEADER.size:
            return None
        magic, crc, size = _HEADER.unpack_from(data)
        body = memoryview(data)[_HEADER.size:]
        if magic != _MAGIC or size != len(body) or zlib.crc32(body) != crc:
            return None  # not whole, damaged, or no file of ours: never unmarshalled
        stored = marshal.loads(body)
        if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == full):
            return None  # another key with the same digest
        return stored[1]
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _own(st: os.stat_result) -> bool:
    """A cache file is read only when this user owns it and nobody else may write it (the folder
    could be a shared one, ``CHATLINT_CACHE_DIR=/tmp/x``: ``marshal`` must never read what
    another user made)."""
    getuid = getattr(os, "getuid", None)
    return (getuid is None or st.st_uid == getuid()) and not st.st_mode & 0o022


def store(name: str, key: tuple, value) -> None:
    """Keep ``value`` for ``name`` under ``key``; silently nothing when it cannot be kept."""
    where = _path(name, key)
    if where is None:
        return
    path, full = where
    folder = os.path.dirname(path)
    tmp = None
    try:
        body = marshal.dumps((full, value))
        data = _HEADER.pack(_MAGIC, zlib.crc32(body), len(body)) + body
        os.makedirs(folder, mode=0o700, exist_ok=True)
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)  # (replaces a link at ``path`` itself, never what it points to)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
