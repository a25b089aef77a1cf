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
from collections.abc import Iterator
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
    return "a special file"


def _not_regular(mode: int, path: str | Path) -> NotRegularFile:
    what = kind_of(mode)
    reason = "is a directory" if what == "a directory" else f"{what}, not a regular file"
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


# ------------------------------------------------------------------ directories


IGNORE_MARK = ".chatlintignore"


def walk(root: Path, suffixes: tuple[str, ...]) -> Iterator[tuple[Path, str | None]]:
    """The regular files under ``root`` whose suffix is in ``suffixes`` (hidden files and
    directories skipped), sorted, as ``(path, None)``; a directory that cannot be read as
    ``(dir, reason)``. Iterative: a tree 1,000 levels deep is no deeper for Python's stack.
    Symbolic links to directories are not followed (no loops); links to files are. A
    directory walked into that holds a ``.chatlintignore`` file is skipped whole (a folder of
    code or data that is no conversation, such as the browser add-on's ``manifest.json``); one
    named as ``root`` is still read."""
    found: list[tuple[tuple[str, ...], Path, str | None]] = []  # (the path's parts: its sort key, path, problem)
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                entries = list(it)
        except OSError as exc:
            found.append((d.parts, d, f"cannot read the directory: {describe_oserror(exc)}"))
            continue
        if d is not root and any(e.name == IGNORE_MARK for e in entries):
            continue
        parts = d.parts
        child = getattr(d, "_make_child_relpath", d.joinpath)
        for e in entries:
            name = e.name
            if name.startswith("."):
                continue
            try:
                if e.is_dir(follow_symlinks=False):
                    stack.append(child(name))
                    continue
                # its suffix as os.path.splitext gives it (the name has no leading dot)
                dot = name.rfind(".")
                if (name[dot:] if dot > 0 else "").lower() in suffixes and e.is_file():
                    found.append((parts + (name,), child(name), None))
            except OSError as exc:
                found.append((parts + (name,), child(name), describe_oserror(exc)))
    found.sort(key=_first)
    for _, path, problem in found:
        yield path, problem


def _first(item: tuple):
    return item[0]


# ------------------------------------------------------------------ --fix


class Refused(Exception):
    """``--fix`` will not rewrite this file: the message says why and what to do."""


def check_rewritable(path: Path, follow_symlinks: bool = False) -> Path:
    """The file ``--fix`` would rewrite for ``path`` (its target, for a symlink followed), or
    :class:`Refused`: a symlink without ``follow_symlinks``, anything but a regular file, a
    read-only file (by its mode bits, whoever runs chatlint: root may write anything), a file
    with several hard links (rewriting would split them)."""
    lst = os.lstat(path)
    target = path
    if stat.S_ISLNK(lst.st_mode):
        if not follow_symlinks:
            raise Refused("a symbolic link: not rewritten (give --follow-symlinks to fix the file it points to)")
        target = Path(os.path.realpath(path))
    st = os.stat(target)
    if not stat.S_ISREG(st.st_mode):
        raise Refused(f"{kind_of(st.st_mode)}, not a regular file: not rewritten")
    if not st.st_mode & stat.S_IWUSR:
        raise Refused("read-only (no write permission in its mode): not rewritten; chmod u+w it to allow --fix")
    if st.st_nlink > 1:
        raise Refused(f"has {st.st_nlink} hard links: rewriting would split them; not rewritten")
    return target


def write_fixed(path: Path, text: str, follow_symlinks: bool = False, encoding: str = "utf-8") -> None:
    """Replace the file at ``path`` with ``text`` in its ``encoding`` (UTF-8: a BOM kept if
    it had one; cp1251, koi8-r, UTF-16 as it was read: a file keeps its encoding), atomically:
    the new content goes to a temporary file created exclusively, with an unpredictable name,
    in the same directory; it gets the original's mode, owner and group, and is renamed over
    the original only if that is still the file that was checked. Nothing is left behind on
    any failure. Raises :class:`Refused` or ``OSError``."""
    import codecs
    import tempfile

    codec = codecs.lookup(encoding).name
    utf8 = codec in ("utf-8", "utf-8-sig")
    try:
        body = text.encode("utf-8" if utf8 else codec)
    except UnicodeEncodeError as exc:
        raise Refused(
            f"the fixed text has «{exc.object[exc.start:exc.end]}», which {codec} cannot hold: not rewritten"
        ) from None
    target = check_rewritable(path, follow_symlinks)
    st = os.stat(target)
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        bom = os.read(fd, 3) == b"\xef\xbb\xbf"
    finally:
        os.close(fd)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".chatlint-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write((b"\xef\xbb\xbf" if bom and utf8 else b"") + body)
            fh.flush()
            new = os.fstat(fh.fileno())
            if (new.st_uid, new.st_gid) != (st.st_uid, st.st_gid):
                try:
                    os.fchown(fh.fileno(), st.st_uid, st.st_gid)
                except PermissionError:
                    raise Refused("its owner or group could not be kept (run as its owner): not rewritten") from None
            os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode))  # after chown, which clears set-id bits
            os.fsync(fh.fileno())
        now = os.lstat(target)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise Refused("changed while it was being fixed: not rewritten")
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


# ------------------------------------------------------------------ --output


class AtomicOutput:
    """``--output FILE``: the output goes to a temporary file next to ``FILE`` (created
    exclusively, with an unpredictable name) and replaces ``FILE`` only when the run is done
    (:meth:`commit`): a reader of ``FILE`` never sees half a report, and a run that stops
    leaves the previous one in place (:meth:`discard`). A new file gets the usual mode
    (0666 less the umask); an existing one keeps its mode."""

    def __init__(self, path: Path) -> None:
        import tempfile

        self.path = path
        directory = path.parent if str(path.parent) else Path(".")
        fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".chatlint-tmp", dir=directory)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def write(self, text: str) -> int:
        return self.fh.write(text)

    def commit(self) -> None:
        try:
            try:
                mode = stat.S_IMODE(os.stat(self.path).st_mode)
            except FileNotFoundError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            self.fh.flush()
            os.fchmod(self.fh.fileno(), mode)
            os.fsync(self.fh.fileno())
            self.fh.close()
            os.replace(self.tmp, self.path)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        try:
            self.fh.close()
        finally:
            try:
                os.unlink(self.tmp)
            except FileNotFoundError:
                pass


def output_problem(output: Path, inputs: list[str], suffixes: tuple[str, ...]) -> str | None:
    """Why ``--output`` may not be ``output``, or None: it is one of the inputs (a file named,
    or a file a named directory would be searched for), or a directory."""
    if output.is_dir():
        return "is a directory"
    if not output.exists():
        return None
    for raw in inputs:
        if raw == "-":
            continue
        p = Path(raw)
        try:
            if p.is_dir():
                inside = output.resolve().is_relative_to(p.resolve())
                if inside and os.path.splitext(output.name)[1].lower() in suffixes:
                    return f"is an input (a file under {raw}): not overwritten"
            elif p.exists() and os.path.samefile(p, output):
                return "is an input: not overwritten"
        except OSError:
            continue
    return None
