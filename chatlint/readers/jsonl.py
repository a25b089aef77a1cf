"""The chatlint JSONL reader (SPEC §6): one JSON object a line.

    {"conversation_id": "42", "role": "operator", "author": "Анна", "time": "2026-11-22T14:05:33+03:00",
     "text": "Здравствуйте, меня зовут Анна."}

- Lines are grouped by ``conversation_id`` (a string or a number); conversations keep the order
  in which they first appear, messages keep file order (they are not sorted by time: timestamps
  out of order are the dialogue rules' business). Lines without ``conversation_id`` form one
  conversation named after the file (its stem).
- ``role`` is taken from the data when it is a known role word (English or Russian, any case,
  see :func:`role_from_data`); a missing, null or unknown role falls back on the configured
  ``operators`` names. Only when some role came from names does a file without any operator
  end with the "configure your operators" :class:`Problem` (the messages are still read): a file whose data says every message is a
  client's is read as it is.
- ``time`` is ISO 8601 (``Z``, an offset, or naive) or a number of unix seconds; missing or
  null means no time.
- ``media``: ``true`` for a photo or a file (its ``text`` the caption, or ``""`` when sent
  without one: a client's photo of the problem starts the response clock like a question).
- A line that cannot be a message (not JSON, not an object, ``text`` missing, not a string or
  empty without ``"media": true``) is skipped and reported as a :class:`Problem` with its line number. A line whose
  *time* is unreadable is kept without a time and also reported: its text can still be
  checked, and dropping it would distort the dialogue (an operator reply that vanished would
  leave the client "unanswered").
- Blank lines are skipped. A file without any readable line raises :class:`ReaderError`.

Lines are split on ``\\n`` only (``\\r`` before it is dropped), so the line numbers are the ones an
editor shows even when a JSON string holds U+2028; the reader is linear in the size of the file
and streams: lines are read one at a time and grouped by conversation in bounded memory
(:class:`Grouper`), a conversation longer than ``MAX_CONVERSATION_MESSAGES`` checked in parts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from ..errors import ReaderError
from ..transcript import Message
from .common import (
    FileSource,
    Grouper,
    Item,
    LineGrouper,
    Located,
    Problem,
    Reading,
    Source,
    TextSource,
    collect,
    in_parts,
    is_operator_name,
    line_at,
    no_operator_problem,
    role_from_data,
)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def read(text: str, path: str, operators: Sequence[str]) -> Reading:
    """Read a chatlint JSONL file into one transcript per ``conversation_id``."""
    return collect(stream(TextSource(text), path, operators))


def stream(source: Source, path: str, operators: Sequence[str]) -> Iterator[Item]:
    """Read a JSONL file line by line: problems as they come, then the conversations in
    order of first appearance (held in memory up to ``MAX_BUFFERED_CHARS``, beyond that in a
    temporary file; see :class:`Grouper`)."""
    conversations = Grouper()
    for item in _scan(enumerate(source.lines(), start=1), Path(path).stem or "conversation", operators):
        if type(item) is tuple:
            conversations.add(item[0], _message(*item[1:]))
        else:
            yield item
    for cid, messages in conversations.conversations():
        yield from in_parts(cid, messages)


def locate(source: FileSource, path: str, operators: Sequence[str], early: bool = False) -> Iterator[Problem | Located]:
    """:func:`stream` for a ``--jobs`` run on a large UTF-8 file: the same problems, and each
    conversation as where its lines are (:class:`Located`); :func:`located` reads one.

    ``early``: also, while the file is read, a conversation whose lines are followed by another
    one's is given as far as it goes (``final=False``): usually it is whole (an export writes a
    conversation's lines together), and a worker can check it while the rest of the file is
    read. Once a conversation comes back after another (the lines interleave), or the grouping
    spills to disk, no more are given early."""
    conversations = LineGrouper()
    last = None
    lines = ((line_no, offset, crc, line)
             for line_no, (offset, crc, line) in enumerate(source.located_lines(sums=True), start=1))
    for item in _scan(lines, Path(path).stem or "conversation", operators, located=True):
        if type(item) is tuple:
            cid = item[0]
            if early and cid != last:
                if cid in conversations.order or conversations.db is not None:
                    early = False  # interleaved (or spilled): a conversation is known whole at the end only
                elif last is not None:
                    yield Located.of(last, conversations.held(last) or (), final=False)
                last = cid
            conversations.add(cid, item[1:])
        else:
            yield item
    for cid, where in conversations.conversations():
        yield Located.of(cid, where)


def located(fh: IO[bytes], path: str, operators: Sequence[str], conversation: Located) -> Iterator[Item]:
    """The transcript (or the parts, with their note) of a conversation :func:`locate` found in
    the file ``fh``, exactly as :func:`stream` reads it."""
    default_id = Path(path).stem or "conversation"
    where = conversation.lines
    changed: list[Problem] = []

    def messages() -> Iterator[Message]:
        for i in range(0, len(where), 3):
            offset, line_no, crc = where[i], where[i + 1], where[i + 2]
            try:
                now, line = line_at(fh, offset)
            except UnicodeDecodeError:  # rewritten in another encoding, or cut in a character
                now = line = None
            row = _row(line.rstrip("\r"), line_no, operators) if now == crc else None
            if type(row) is tuple and (_conversation_id(row[0]) or default_id) == conversation.cid:
                yield _message(*row[1:])
            else:  # the file was written to since it was read
                changed.append(Problem(line_no, "changed while the file was checked; line skipped"))

    yield from in_parts(conversation.cid, messages())
    yield from changed


def _scan(lines: Iterable[tuple], default_id: str, operators: Sequence[str], located: bool = False) -> Iterator:
    """The problems of the lines (``(line number, line)``, or ``(line number, offset, CRC-32,
    line)`` when ``located``), and for each message ``(its conversation id, line number, then the
    message's fields)`` or, ``located``, ``(its conversation id, offset, line number, CRC-32)``; then the
    problem of no operator, if so. Raises :class:`ReaderError` when there is no message."""
    first: list[Problem] = []  # the first problem, for the error when nothing could be read
    roles_from_names = False
    any_operator = False
    authors: list[str] = []
    count = 0
    for entry in lines:
        line_no, line = entry[0], entry[-1].rstrip("\r")
        if not line.strip():
            continue
        row = _row(line, line_no, operators)
        if type(row) is not tuple:
            yield _kept(first, row)
            continue
        cid_value, _, _, role, author, when, media, time_problem, from_names = row
        if time_problem:
            yield _kept(first, Problem(line_no, f"{time_problem}; message kept without a time"))
        cid = _conversation_id(cid_value) or default_id
        yield (cid, entry[1], line_no, entry[2]) if located else (cid, *row[1:])
        count += 1
        roles_from_names |= from_names
        any_operator |= role == "operator"
        if len(authors) < 8 and author and author not in authors:
            authors.append(author)
    if not count:
        if first:
            raise ReaderError(f"no line could be read as a message (first problem: {first[0]})")
        raise ReaderError("empty file: no JSON lines")
    if roles_from_names and not any_operator:
        yield no_operator_problem(authors)


def _row(line: str, line_no: int, operators: Sequence[str]) -> tuple | Problem:
    """One line that is not blank: the message's fields ``(conversation_id as written, line number,
    text, role, author, time, media, the time's problem, whether the role came from the
    name)``, or the :class:`Problem` of a line that is no message."""
    try:
        data = _loads(line)
    except (ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return Problem(line_no, f"not valid JSON ({reason}); line skipped")
    if not isinstance(data, dict):
        return Problem(line_no, f"a JSON {_json_kind(data)}, not an object; line skipped")
    body = data.get("text")
    if not isinstance(body, str):
        what = "no `text`" if body is None else f"`text` is a {_json_kind(body)}, not a string"
        return Problem(line_no, f"{what}; line skipped")
    media = data.get("media") is True  # a photo or a file; its text is the caption, if any
    if not body.strip() and not media:
        return Problem(line_no, "empty `text`; line skipped")
    author = _author(data.get("author"))
    role_value = data.get("role")
    role = role_from_data(role_value) if isinstance(role_value, str) else None
    from_names = role is None
    if from_names:
        role = "operator" if is_operator_name(author, operators) else "client"
    when, time_problem = _time(data.get("time"))
    return data.get("conversation_id"), line_no, body, role, author, when, media, time_problem, from_names


_scan_value = json.JSONDecoder().scan_once  # what json.loads runs on a line, without its two wrappers


def _loads(line: str) -> Any:
    """``json.loads(line)``: a line that is one object, as most are, read by the decoder's scanner
    directly (~1 µs less a line); anything else (white space around it, more after it, an
    error) by ``json.loads`` itself, so that every value and every error is its own."""
    if line[:1] == "{":
        try:
            data, end = _scan_value(line, 0)
        except (StopIteration, ValueError, RecursionError):
            pass
        else:
            if end == len(line):
                return data
    return json.loads(line)


def _message(line_no: int, body: str, role: str, author: str | None, when, media: bool, *_) -> Message:
    return Message(text=_LONE_SURROGATE.sub("\ufffd", body), role=role, author=author, time=when,
                   source_line=line_no, media=media)


def _kept(first: list[Problem], problem: Problem) -> Problem:
    if not first:
        first.append(problem)
    return problem


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _label(value: Any) -> str | None:
    """An author's name or a conversation id: a string (or a number, e.g. an operator id) that
    is not blank, lone surrogates replaced."""
    if type(value) is str and value.isprintable():  # no lone surrogate to replace (most values)
        return value.strip() or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return _LONE_SURROGATE.sub("\ufffd", str(value)).strip() or None
    return None


_author = _conversation_id = _label


def _time(value: Any) -> tuple[datetime | None, str | None]:
    """The message time and, if the value is there but unreadable, why."""
    if value is None or value == "":
        return None, None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()), None
        except (ValueError, OverflowError):
            shown = value if len(value) <= 40 else value[:40] + "…"
            return None, f"`time` {shown!r} is not an ISO 8601 time"
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC), None
        except (ValueError, OverflowError, OSError):
            return None, f"`time` {value!r} is out of range for unix seconds"
    return None, f"`time` is a {_json_kind(value)}, not an ISO 8601 string"
