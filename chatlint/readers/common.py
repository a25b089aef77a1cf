"""What every transcript reader shares: the :class:`Reading` it returns, the
:class:`Problem` values it steps over, and how roles come from the data or the configured
operator names. The readers import this module, never the package that dispatches to them.

The streaming machinery lives here too: :class:`Source` (the lines of an input, readable twice),
:func:`collect`, :class:`Parts` and :func:`in_parts` (a long conversation in parts), and
:class:`Grouper` (rows grouped by conversation in bounded memory)."""

from __future__ import annotations

import codecs
import os
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TYPE_CHECKING, TypeAlias
from zlib import crc32

from ..errors import ReaderError

if TYPE_CHECKING:  # imported where a grouping spills to disk (a file of messages needs neither)
    import sqlite3
    import tempfile

    # and where a transcript is made (the models import pydantic: a file of messages, whose
    # format is told by this package, needs neither)
    from ..transcript import Message, Transcript

#: A conversation longer than this many messages is checked in parts (at a pause of an hour
#: or more once it is past half of this, or here): the most a streaming reader holds at once.
MAX_CONVERSATION_MESSAGES = 4_000
#: A single message longer than this (characters) is cut: a message is not a book.
MAX_MESSAGE_CHARS = 200_000
#: JSONL and CSV group messages by conversation id: past this many characters of text held,
#: the messages go to a temporary SQLite file and come back one conversation at a time.
MAX_BUFFERED_CHARS = 16_000_000
#: Formats read whole (Telegram's JSON, e-mail): the largest file they take.
MAX_WHOLE_BYTES = 50_000_000


@dataclass(frozen=True, slots=True)
class Problem:
    """A part of the input that was skipped (or read in part, e.g. a message kept without its
    unreadable time); the rest of the file is still checked. A ``note`` is information (a
    long conversation checked in parts), not an error."""

    line: int | None
    reason: str
    note: bool = False

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line is not None else self.reason


@dataclass(slots=True)
class Reading:
    transcripts: list[Transcript] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


Reader = Callable[[str, str, Sequence[str]], Reading]
Item: TypeAlias = "Transcript | Problem"


def collect(items: Iterable[Item]) -> Reading:
    """A streaming reader's items as one :class:`Reading` (the whole-file ``read``)."""
    reading = Reading()
    for item in items:
        if isinstance(item, Problem):
            reading.problems.append(item)
        else:
            reading.transcripts.append(item)
    return reading


# ------------------------------------------------------------------ sources


class Source:
    """The lines of an input, split on ``\\n`` with the ``\\n`` dropped (a ``\\r`` before it
    is kept), exactly as ``text.split("\\n")`` gives them, BOM removed; :meth:`lines` can be
    called again for a second pass."""

    def lines(self) -> Iterator[str]:
        raise NotImplementedError


class TextSource(Source):
    def __init__(self, text: str) -> None:
        self.text = text[1:] if text.startswith("\ufeff") else text

    def lines(self) -> Iterator[str]:
        text = self.text
        pos = 0
        while True:
            end = text.find("\n", pos)
            if end < 0:
                yield text[pos:]
                return
            yield text[pos:end]
            pos = end + 1


class FileSource(Source):
    """Lines of an open binary file (seekable), decoded one line at a time: memory is one
    line, whatever the size of the file. The encoding is UTF-8 unless given (the CLI detects
    it with :func:`chatlint.encoding.detect_file`: cp1251, koi8-r, UTF-16…). For UTF-8, call
    :meth:`check` first: it reads the file once and raises :class:`ValueError` (with the byte
    offset) if it is not UTF-8."""

    def __init__(self, fh: IO[bytes], encoding: str = "utf-8") -> None:
        self.fh = fh
        self.encoding = codecs.lookup(encoding).name

    def check(self) -> None:
        self.fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        while True:
            chunk = self.fh.read(1 << 20)
            pending = len(decoder.getstate()[0])  # bytes of a character cut by the last chunk
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                raise ValueError(offset - pending + exc.start, exc.object[exc.start]) from None
            if not chunk:
                return
            offset += len(chunk)

    def lines(self) -> Iterator[str]:
        if self.encoding not in ("utf-8", "utf-8-sig"):
            from ..encoding import lines

            yield from lines(self.fh, self.encoding)
            return
        for _, line in self.located_lines():
            yield line

    @property
    def locatable(self) -> bool:
        """Whether :meth:`located_lines` can tell where each line starts (a UTF-8 file)."""
        return self.encoding in ("utf-8", "utf-8-sig")

    def located_lines(self, sums: bool = False) -> Iterator[tuple]:
        """The lines of a UTF-8 file with the byte offset each starts at, ``(offset, line)``:
        :func:`line_at` reads one back. ``sums``: ``(offset, CRC-32 of the line's bytes, line)``,
        by which :func:`line_at`'s reader tells a line changed since."""
        fh = self.fh
        fh.seek(0)
        offset = 0
        ended = True  # "".split("\\n") == [""]: an empty file is one empty line
        for raw in fh:
            ended = raw.endswith(b"\n")
            body = raw[:-1] if ended else raw
            line = body.decode("utf-8")
            if not offset and line.startswith("\ufeff"):
                line = line[1:]
            yield (offset, crc32(body), line) if sums else (offset, line)
            offset += len(raw)
        if ended:
            yield (offset, 0, "") if sums else (offset, "")


def line_at(fh: IO[bytes], offset: int) -> tuple[int, str]:
    """The line of a UTF-8 file that starts at byte ``offset`` now: the CRC-32 of its bytes, and
    the line, as :meth:`FileSource.located_lines` gave them (raises :class:`UnicodeDecodeError`
    when the bytes there are no longer UTF-8)."""
    fh.seek(offset)
    raw = fh.readline()
    body = raw[:-1] if raw.endswith(b"\n") else raw
    line = body.decode("utf-8")
    return crc32(body), line[1:] if not offset and line.startswith("\ufeff") else line


# ------------------------------------------------------------------ bounded conversations


def long_conversation_note(line: int | None, cid: str | None, parts: int) -> Problem:
    return Problem(
        line,
        f"conversation {cid} has more than {MAX_CONVERSATION_MESSAGES} messages: checked in {parts} parts "
        "(split at pauses of an hour or more where there are any)",
        note=True,
    )


class Parts:
    """Cuts one conversation's messages, as they come, into parts of at most
    :data:`MAX_CONVERSATION_MESSAGES`: past half of that, a part ends at the first pause of an
    hour or more. The first part keeps the conversation's id, the next are «ID (part 2)»…"""

    PAUSE_S = 3600

    def __init__(self, cid: str | None) -> None:
        self.cid = cid
        self.messages: list[Message] = []
        self.count = 0  # parts given out

    def add(self, m: Message) -> Transcript | None:
        """Add a message; returns the part it closes, if it starts a new one."""
        out = None
        msgs = self.messages
        if len(msgs) >= MAX_CONVERSATION_MESSAGES or (
            len(msgs) >= MAX_CONVERSATION_MESSAGES // 2 and _pause(msgs[-1].time, m.time) >= self.PAUSE_S
        ):
            out = self._part()
        self.messages.append(m)
        return out

    def finish(self) -> Transcript | None:
        return self._part() if self.messages else None

    def _part(self) -> Transcript:
        self.count += 1
        cid = self.cid if self.count == 1 or self.cid is None else f"{self.cid} (part {self.count})"
        if self.count > 1 and self.cid is None:
            cid = f"part {self.count}"
        from ..transcript import Transcript

        t = Transcript(messages=tuple(self.messages), conversation_id=cid)
        self.messages = []
        return t


def _pause(a: datetime | None, b: datetime | None) -> float:
    if a is None or b is None:
        return 0.0
    try:
        return (b - a).total_seconds()
    except TypeError:  # naive and aware
        return 0.0


def in_parts(cid: str | None, messages: Iterable[Message]) -> Iterator[Item]:
    """A conversation as one transcript, or in parts with a note when it is too long."""
    parts = Parts(cid)
    first_line = None
    for m in messages:
        if first_line is None:
            first_line = m.source_line
        t = parts.add(m)
        if t is not None:
            yield t
    t = parts.finish()
    if t is not None:
        yield t
    if parts.count > 1:
        yield long_conversation_note(first_line, cid, parts.count)


class Grouper:
    """Messages grouped by conversation id in order of first appearance (JSONL, CSV: their
    rows may interleave conversations), with memory bounded: while the messages' text is under
    :data:`MAX_BUFFERED_CHARS` they stay in memory; past it, every message goes to a temporary
    SQLite file (deleted when done) and comes back one conversation at a time, and so do the
    conversation ids (the last ``RECENT_IDS`` looked up stay in memory: rows of one
    conversation usually come together), so that an archive of millions of conversations is
    grouped in bounded memory."""

    RECENT_IDS = 4096

    def __init__(self) -> None:
        self.order: dict[str, int] = {}  # id → its rank, in memory until the first spill
        self.count = 0
        self.recent: OrderedDict[str, int] = OrderedDict()  # after the first spill
        self.buffer: dict[int, list[Message]] = {}  # by rank
        self.chars = 0
        self.db: sqlite3.Connection | None = None
        self._dir: tempfile.TemporaryDirectory | None = None

    def __len__(self) -> int:
        return self.count

    def _rank(self, cid: str) -> int:
        if self.db is None:
            k = self.order.get(cid)
            if k is None:
                k = self.order[cid] = self.count
                self.count += 1
            return k
        k = self.recent.get(cid)
        if k is not None:
            self.recent.move_to_end(cid)
            return k
        row = self.db.execute("SELECT k FROM c WHERE cid = ?", (cid,)).fetchone()
        if row is None:
            k = self.count
            self.count += 1
            self.db.execute("INSERT INTO c VALUES (?, ?)", (k, cid))
        else:
            k = row[0]
        self.recent[cid] = k
        if len(self.recent) > self.RECENT_IDS:
            self.recent.popitem(last=False)
        return k

    #: the columns a message takes in the temporary file (after the conversation's rank)
    COLUMNS = "text TEXT, role TEXT, author TEXT, time TEXT, line INTEGER, media INTEGER"

    @staticmethod
    def _encode(m: Message) -> tuple:
        return m.text, m.role, m.author, m.time.isoformat() if m.time else None, m.source_line, int(m.media)

    @staticmethod
    def _decode(row: tuple) -> Message:
        from ..transcript import Message

        text, role, author, time, line, media = row
        return Message(text=text, role=role, author=author, time=datetime.fromisoformat(time) if time else None,
                       source_line=line, media=bool(media))

    def add(self, cid: str, m: Message) -> None:
        self.buffer.setdefault(self._rank(cid), []).append(m)
        self.chars += len(m.text) + 64
        if self.chars > MAX_BUFFERED_CHARS:
            self._spill()

    def _spill(self) -> None:
        if self.db is None:
            import sqlite3
            import tempfile

            self._dir = tempfile.TemporaryDirectory(prefix="chatlint-")
            self.db = sqlite3.connect(os.path.join(self._dir.name, "messages.db"))
            self.db.execute("PRAGMA journal_mode=OFF")
            self.db.execute("PRAGMA synchronous=OFF")
            self.db.execute(f"CREATE TABLE m (conv INTEGER, {self.COLUMNS})")
            self.db.execute("CREATE TABLE c (k INTEGER PRIMARY KEY, cid TEXT UNIQUE)")
            self.db.executemany("INSERT INTO c VALUES (?, ?)", ((k, cid) for cid, k in self.order.items()))
            self.order = {}
        encode = self._encode
        rows = ((k, *encode(m)) for k, msgs in self.buffer.items() for m in msgs)
        marks = ", ".join("?" * (1 + self.COLUMNS.count(",") + 1))
        self.db.executemany(f"INSERT INTO m VALUES ({marks})", rows)
        self.buffer = {}
        self.chars = 0

    def conversations(self) -> Iterator[tuple[str, Iterator]]:
        """(id, its messages) in order of first appearance."""
        if self.db is None:
            order, self.order = self.order, {}
            buffer, self.buffer = self.buffer, {}
            for cid, k in order.items():
                yield cid, iter(buffer.pop(k))
            return
        try:
            self._spill()
            self.recent.clear()
            self.db.execute("CREATE INDEX m_conv ON m (conv)")
            ids = self.db.cursor()  # a cursor of its own: the messages' queries run beside it
            for k, cid in ids.execute("SELECT k, cid FROM c ORDER BY k"):
                rows = self.db.execute("SELECT * FROM m WHERE conv = ? ORDER BY rowid", (k,))
                yield cid, map(self._decode, (row[1:] for row in rows))
        finally:
            self.db.close()
            self.db = None
            if self._dir is not None:
                self._dir.cleanup()


class LineGrouper(Grouper):
    """A :class:`Grouper` of where the messages are, not of the messages: (byte offset, line
    number, CRC-32 of the line) of a file's lines, for a reader that reads them again elsewhere
    (a ``--jobs`` worker: :class:`Located`)."""

    COLUMNS = "offset INTEGER, line INTEGER, crc INTEGER"
    _encode = _decode = staticmethod(tuple)

    def held(self, cid: str) -> list[tuple[int, int, int]] | None:
        """The lines of ``cid`` so far, while they are all in memory (None once spilled)."""
        return self.buffer.get(self.order[cid]) if self.db is None and cid in self.order else None

    def add(self, cid: str, m: tuple[int, int, int]) -> None:  # type: ignore[override]
        self.buffer.setdefault(self._rank(cid), []).append(m)
        self.chars += 160  # what the three numbers take in memory, counted as characters of text
        if self.chars > MAX_BUFFERED_CHARS:
            self._spill()


@dataclass(frozen=True, slots=True)
class Located:
    """One conversation of a file, by where its lines are (``lines``: offset, line number,
    CRC-32 of the line's bytes, offset, line number, CRC-32…): what a reader's ``locate`` gives
    in place of a transcript, and its ``located`` reads into the transcript, in a ``--jobs``
    worker (the main process reads a large export once for the conversations' ids, and the
    workers read their conversations' lines again instead of receiving them; a line whose bytes
    changed since is told by its CRC)."""

    cid: str
    lines: array
    #: False for a conversation as far as the file has been read, given early (``locate``'s
    #: ``early``): its lines so far, when more of the file's lines came for another one
    final: bool = True

    @classmethod
    def of(cls, cid: str, lines: Iterable[tuple[int, int, int]], final: bool = True) -> Located:
        return cls(cid, array("q", [n for each in lines for n in each]), final)

    def __len__(self) -> int:
        """Its number of messages."""
        return len(self.lines) // 3


# ------------------------------------------------------------------ roles


OPERATOR_ROLES = frozenset({"operator", "agent", "support", "оператор", "сотрудник", "менеджер", "поддержка"})
CLIENT_ROLES = frozenset({"client", "customer", "user", "клиент", "покупатель", "пользователь", "посетитель"})
SYSTEM_ROLES = frozenset({"system", "bot", "service", "система", "бот"})


def role_from_data(value: str | None) -> str | None:
    """A role written in the data (any case, Russian or English); None if it is not one."""
    if not value:
        return None
    v = value.strip().lower()
    if v in OPERATOR_ROLES:
        return "operator"
    if v in CLIENT_ROLES:
        return "client"
    if v in SYSTEM_ROLES:
        return "system"
    return None


def _name_key(name: str) -> str:
    return " ".join(name.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def is_operator_name(author: str | None, operators: Sequence[str]) -> bool:
    """Whether ``author`` is one of the configured operators: the whole name, or the name
    followed by more words («Анна» matches «Анна Смирнова»), case- and «ё»-insensitive."""
    if not author:
        return False
    a = _name_key(author)
    for op in operators:
        o = _name_key(op)
        if o and (a == o or a.startswith(o + " ")):
            return True
    return False


def _no_operator_reason(authors: Sequence[str]) -> str:
    names = ", ".join(f"«{a}»" for a in list(dict.fromkeys(a for a in authors if a))[:6]) or "none"
    return (
        f"no operator can be identified (authors: {names}): list the operators' names in the "
        "config (`operators = [\"Анна\"]` in chatlint.toml or [tool.chatlint]) or with --operator NAME, "
        "or give the data a role"
    )


def no_operator_error(path: str, authors: Sequence[str]) -> ReaderError:
    """The "configure your operators" error (for callers that must have an operator)."""
    return ReaderError(_no_operator_reason(authors))


def no_operator_problem(authors: Sequence[str]) -> Problem:
    """The "configure your operators" problem a reader reports at the end of a file in which no
    message turned out to be an operator's: reading never fails for want of operator names
    (every author is kept, every message read as a client's); checking such a file is what
    cannot be done, and the CLI counts it as an input that failed."""
    return Problem(None, _no_operator_reason(authors))


def assign_roles(messages: list[Message], operators: Sequence[str], path: str) -> list[Message]:
    """Messages without a role from the data get one from the ``operators`` names: an operator
    name is an operator, anyone else a client. Raises :class:`ReaderError` when no message of
    the whole file is by an operator."""
    out = []
    for m in messages:
        if m.role == "system":
            out.append(m)
            continue
        role = "operator" if is_operator_name(m.author, operators) else "client"
        out.append(m if m.role == role else m.model_copy(update={"role": role}))
    return out


def require_operator(transcripts: list[Transcript], path: str) -> Problem | None:
    """The "configure your operators" problem when no message of any transcript is an
    operator's (a file of only clients cannot be checked), else None."""
    if not any(m.role == "operator" for t in transcripts for m in t.messages):
        authors = [m.author or "" for t in transcripts for m in t.messages]
        if authors:
            return no_operator_problem(authors)
    return None
