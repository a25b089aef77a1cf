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
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import ReaderError
from ..transcript import Message
from .common import (
    Grouper,
    Item,
    Problem,
    Reading,
    Source,
    TextSource,
    collect,
    in_parts,
    is_operator_name,
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
    default_id = Path(path).stem or "conversation"
    conversations = Grouper()
    first: list[Problem] = []  # the first problem, for the error when nothing could be read
    roles_from_names = False
    any_operator = False
    authors: list[str] = []

    for line_no, raw in enumerate(source.lines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except (ValueError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield _kept(first, Problem(line_no, f"not valid JSON ({reason}); line skipped"))
            continue
        if not isinstance(data, dict):
            yield _kept(first, Problem(line_no, f"a JSON {_json_kind(data)}, not an object; line skipped"))
            continue

        body = data.get("text")
        if not isinstance(body, str):
            what = "no `text`" if body is None else f"`text` is a {_json_kind(body)}, not a string"
            yield _kept(first, Problem(line_no, f"{what}; line skipped"))
            continue
        media = data.get("media") is True  # a photo or a file; its text is the caption, if any
        if not body.strip() and not media:
            yield _kept(first, Problem(line_no, "empty `text`; line skipped"))
            continue

        author = _author(data.get("author"))
        role_value = data.get("role")
        role = role_from_data(role_value) if isinstance(role_value, str) else None
        if role is None:
            roles_from_names = True
            role = "operator" if is_operator_name(author, operators) else "client"

        when, time_problem = _time(data.get("time"))
        if time_problem:
            yield _kept(first, Problem(line_no, f"{time_problem}; message kept without a time"))

        conversation = _conversation_id(data.get("conversation_id")) or default_id
        message = Message(
            text=_LONE_SURROGATE.sub("\ufffd", body),
            role=role,
            author=author,
            time=when,
            source_line=line_no,
            media=media,
        )
        conversations.add(conversation, message)
        any_operator |= role == "operator"
        if len(authors) < 8 and author and author not in authors:
            authors.append(author)

    if not len(conversations):
        if first:
            raise ReaderError(f"no line could be read as a message (first problem: {first[0]})")
        raise ReaderError("empty file: no JSON lines")
    if roles_from_names and not any_operator:
        yield no_operator_problem(authors)
    for cid, messages in conversations.conversations():
        yield from in_parts(cid, messages)


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


def _author(value: Any) -> str | None:
    """The author's name: a string (or a number, e.g. an operator id) that is not blank."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        name = _LONE_SURROGATE.sub("\ufffd", str(value)).strip()
        return name or None
    return None


def _conversation_id(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        cid = _LONE_SURROGATE.sub("\ufffd", str(value)).strip()
        return cid or None
    return None


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
