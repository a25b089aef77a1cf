"""Telegram Desktop export reader: ``result.json`` from "Export chat history" (SPEC §6).

Two shapes are read, both written by Telegram Desktop's "Machine-readable JSON" export:

- one chat: ``{"name", "type", "id", "messages": [...]}``;
- the whole account: ``{"about", "personal_information", ..., "chats": {"list": [chat, ...]},
  "left_chats": {"list": [...]}}``; every chat of both lists is read.

Each chat becomes one :class:`~chatlint.transcript.Transcript` (``conversation_id`` is the chat's
name, or its id when it has none; a repeated name gets its id appended). Only messages of
``"type": "message"`` are read: service messages (joins, pins, calls, title changes) are
skipped. A message with a photo or a file (``photo``, ``file``: a picture, a document, a video,
a voice message) is ``media=True``, its caption its text; sent without a caption it is a message
with no text (``text=""``): a client's photo of the problem starts the response clock like a
question (issue 15), and no message rule reads it. A sticker or an animation (GIF) sent alone is
a reaction, like an emoji, and is skipped, as is any other message without text. Forwarded
messages, replies and edited messages are read like any other: by their text.

``text`` is a string or a list of strings and entity objects (``{"type": "link", "text": ...}``);
the text is the concatenation of all parts (``text_entities`` is used when ``text`` is absent).

Times. A message has ``date`` (local time of the exporting computer, ISO, no offset) and,
since 2021, ``date_unixtime`` (seconds since the epoch, a string). When every message read
has ``date_unixtime``, all times are aware UTC datetimes; otherwise all times are the naive
``date`` values, so that the times of one file always compare with each other; a message with
only ``date_unixtime`` then gets it moved by the exporting computer's offset (``date`` minus
``date_unixtime`` of a message that has both; UTC when none has).

``source_line`` is the line where the message's ``{`` is. The json module does not report
positions, so the ``"id": N`` keys are found with one regular-expression pass over the text and
matched, in document order, to the parsed messages (Telegram writes ``id`` first, so the
nearest ``{`` before it opens the message).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from ..compiled import regex
from ..errors import ReaderError
from ..transcript import Message, Transcript
from .common import Reading, assign_roles, require_operator

DELETED_ACCOUNT = "Удалённый аккаунт"

EXPECTED = (
    'not a Telegram Desktop export: expected a JSON object with "messages" (one chat) or '
    '"chats": {"list": [...]} (the whole account), as written by Export chat history → JSON'
)

# An "id" key (not one inside a string: there its quotes are escaped) and its integer value.
_ID_KEY = regex(r'(?<!\\)"id"\s*:\s*(-?\d{1,30})(?![\d.eE])')


def read(text: str, path: str, operators: Sequence[str]) -> Reading:
    """Read a Telegram Desktop ``result.json``: one transcript per chat."""
    data = _load(text)
    chats = _chats(data)
    locator = _Locator(text)
    drafts: list[tuple[str | None, list[_Draft]]] = []
    current: str | None = None
    for section, chat in chats:
        if section is not None and section != current:
            locator.enter(section)
            current = section
        locator.seek(chat.get("id"))
        drafts.append((_conversation_id(chat), _drafts(chat["messages"], locator)))

    use_unixtime = all(d.unixtime is not None for _, ds in drafts for d in ds)
    offset = None if use_unixtime else _local_offset(d for _, ds in drafts for d in ds)
    transcripts: list[Transcript] = []
    used_ids: set[str] = set()
    for (conversation_id, ds), (_, chat) in zip(drafts, chats, strict=True):
        if not ds:
            continue
        if conversation_id in used_ids and chat.get("id") is not None:
            conversation_id = f"{conversation_id} ({chat['id']})"
        if conversation_id is not None:
            used_ids.add(conversation_id)
        messages = [
            Message(
                text=d.text,
                role="client",
                author=d.author,
                time=d.unixtime if use_unixtime else _local(d, offset),
                source_line=d.line,
                media=d.media,
            )
            for d in ds
        ]
        transcripts.append(
            Transcript(
                messages=tuple(assign_roles(messages, operators, path)), conversation_id=conversation_id
            )
        )
    problem = require_operator(transcripts, path)
    return Reading(transcripts=transcripts, problems=[problem] if problem else [])


# ------------------------------------------------------------------ structure


def _load(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise ReaderError(
                f"the JSON ends unexpectedly (a truncated export?): {exc.msg}, column {exc.colno}",
                line=exc.lineno,
            ) from None
        raise ReaderError(f"invalid JSON: {exc.msg}, column {exc.colno}", line=exc.lineno) from None
    except RecursionError:
        raise ReaderError("invalid JSON for a Telegram export: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise ReaderError(f"invalid JSON: {exc}") from None


def _chats(data: Any) -> list[tuple[str | None, dict[str, Any]]]:
    """The chats of a single-chat or whole-account export, each with the key of its list in
    the account export (None for a single chat); raises when the data is neither."""
    if not isinstance(data, dict):
        raise ReaderError(EXPECTED)
    if isinstance(data.get("messages"), list):
        return [(None, data)]
    found = False
    chats: list[tuple[str | None, dict[str, Any]]] = []
    for key in ("chats", "left_chats"):
        section = data.get(key)
        if isinstance(section, dict) and isinstance(section.get("list"), list):
            found = True
            chats.extend(
                (key, c)
                for c in section["list"]
                if isinstance(c, dict) and isinstance(c.get("messages"), list)
            )
    if not found:
        raise ReaderError(EXPECTED)
    return chats


def _conversation_id(chat: dict[str, Any]) -> str | None:
    name = chat.get("name")
    if isinstance(name, str) and name.strip():
        return name
    chat_id = chat.get("id")
    if isinstance(chat_id, (int, str)) and not isinstance(chat_id, bool):
        return str(chat_id)
    chat_type = chat.get("type")
    return chat_type if isinstance(chat_type, str) and chat_type else None


# ------------------------------------------------------------------ messages


class _Draft:
    """A message read from the JSON, before its time representation is chosen for the file."""

    __slots__ = ("text", "author", "date", "unixtime", "line", "media")

    def __init__(
        self, text: str, author: str, date: datetime | None, unixtime: datetime | None, line: int,
        media: bool = False,
    ) -> None:
        self.media = media
        self.text = text
        self.author = author
        self.date = date
        self.unixtime = unixtime
        self.line = line


def _drafts(items: list[Any], locator: _Locator) -> list[_Draft]:
    out: list[_Draft] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        line = locator.find(item.get("id"))
        if item.get("type") != "message":
            continue
        text = message_text(item)
        media = _has_media(item)
        if text is None or not text.strip():
            if not media:
                continue
            text = ""  # a photo or a file without a caption
        out.append(
            _Draft(text, _author(item), _date(item.get("date")), _unixtime(item.get("date_unixtime")), line, media)
        )
    return out


# media_type values of a reaction rather than a message (Telegram Desktop's export)
_REACTIONS = frozenset({"sticker", "animation"})


def _has_media(item: dict[str, Any]) -> bool:
    """A photo or a file (a document, a video, a voice message) is attached; a sticker or an
    animation is a reaction, not media that asks for an answer."""
    if item.get("media_type") in _REACTIONS:
        return False
    return bool(item.get("photo") or item.get("file"))


def message_text(item: dict[str, Any]) -> str | None:
    """The plain text of a message: ``text`` (a string, or a list of strings and entity
    objects with a ``text``), else ``text_entities``; None when it has neither."""
    for key in ("text", "text_entities"):
        value = item.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            parts = []
            for part in value:
                if isinstance(part, str):
                    parts.append(part)
                elif isinstance(part, dict) and isinstance(part.get("text"), str):
                    parts.append(part["text"])
            return "".join(parts)
    return None


def _author(item: dict[str, Any]) -> str:
    name = item.get("from")
    if isinstance(name, str) and name.strip():
        return name
    from_id = item.get("from_id")
    if isinstance(from_id, (str, int)) and not isinstance(from_id, bool) and str(from_id):
        return f"{DELETED_ACCOUNT} ({from_id})"
    return DELETED_ACCOUNT


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _local_offset(drafts: Iterable[_Draft]) -> timedelta:
    """The exporting computer's offset from UTC: ``date`` minus ``date_unixtime`` of the first
    message that has both (zero when none has)."""
    for d in drafts:
        if d.date is not None and d.unixtime is not None:
            return d.date - d.unixtime.replace(tzinfo=None)
    return timedelta(0)


def _local(d: _Draft, offset: timedelta | None) -> datetime | None:
    """A message's naive local time: its ``date``, else its ``date_unixtime`` moved by the
    file's offset (a message with only ``date_unixtime`` in a file where some lack it)."""
    if d.date is not None or d.unixtime is None:
        return d.date
    try:
        return d.unixtime.replace(tzinfo=None) + (offset or timedelta(0))
    except OverflowError:
        return None


def _unixtime(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


# ------------------------------------------------------------------ source lines


class _Locator:
    """Finds where objects start, by their ``"id"`` keys, moving forward through the file.

    ``find(id)`` returns the line of the ``{`` before the next ``"id": id`` key after the
    previous one found; for a message without an integer id (never in real exports) it
    returns the last line found. Each look-up is a binary search: linear in the file overall.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._positions: dict[int, list[int]] = {}
        for m in _ID_KEY.finditer(text):
            self._positions.setdefault(int(m.group(1)), []).append(m.start())
        self._newlines: list[int] | None = None
        self._cursor = -1
        self._line = 1

    def enter(self, section: str) -> None:
        """Move to the top-level ``"section":`` key (the ids of ``frequent_contacts`` and the
        like, written before the chats, must not be taken for messages)."""
        m = re.search(r'(?<!\\)"' + re.escape(section) + r'"\s*:\s*\{', self._text)
        if m is not None:
            self._cursor = m.start()

    def seek(self, key: Any) -> None:
        """Move past the ``"id"`` key of a chat, so its messages are looked for after it."""
        if _int_id(key) is not None:
            self.find(key)

    def find(self, key: Any) -> int:
        value = _int_id(key)
        positions = self._positions.get(value) if value is not None else None
        if positions:
            i = bisect.bisect_right(positions, self._cursor)
            if i < len(positions):
                self._cursor = positions[i]
                start = self._text.rfind("{", 0, self._cursor)
                self._line = self._line_of(start if start >= 0 else self._cursor)
        return self._line

    def _line_of(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self._text)]
        return bisect.bisect_left(self._newlines, offset) + 1


def _int_id(key: Any) -> int | None:
    if isinstance(key, bool) or not isinstance(key, int):
        return None
    return key
