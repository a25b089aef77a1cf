"""WhatsApp "Export chat" reader (``.txt``, exported without media or with it) (SPEC §6).

A message starts with a line that begins with its date and time; every following line without
one belongs to it (WhatsApp writes multi-line messages as they are, with no escaping):

- Android: ``22.11.2026, 14:05 - Анна: текст``, ``11/22/26, 2:05 PM - Anna: text``;
- iOS: ``[22.11.2026, 14:05:33] Анна: текст``, ``[11/22/26, 2:05:33 PM] Anna: text``; the
  line may start with U+200E LEFT-TO-RIGHT MARK.

Dates are day-month-year, month-day-year (2- or 4-digit years) or year-month-day
(«2016-04-15,», «2019/01/01,»: with the comma that follows them); times have 24 or 12 hours
(``AM``/``PM``, ``am``/``pm``, ``a.m.``/``p.m.``, ``дп``/``пп``, after a space or U+202F NARROW
NO-BREAK SPACE), with or without seconds. The order of day and month is decided once for the
whole file, as chat-miner and whatstk do: if a first field above 12 occurs anywhere, the file is
day-first; else if a second field above 12 occurs, month-first; else day-first for dates with
dots and month-first for dates with slashes (``11/12/26`` in a US export). Year-first dates are
always year-month-day and decide nothing. Streaming does not weaken this: the reader makes a
first pass over the whole source to decide the order (only three flags are kept), then reads
it again (a :class:`Source` can be read twice; the CLI spools stdin to make it so). Times are
naive: the export has no time zone; their order is kept as in the file (an iPhone export may
step a second back between lines: the dialogue rules tolerate that).

Authors: invisible marks (U+200E, U+200F, the U+202A…U+202C around phone numbers) are removed,
U+00A0 and U+202F become spaces, and the «~ » iOS puts before a sender who is not in the
phone's contacts is dropped, so that «~ Егор Белов» is the configured «Егор Белов».

Skipped: system lines without ``Name:`` (the encryption notice, «Анна добавил(а) Вас», group
changes), known system notes that iOS puts after a name (the encryption notice, «Ваш код
безопасности … изменился», deleted messages, missed calls), stickers and GIFs sent alone (a
reaction, like an emoji), locations (iOS «‎Местоположение: https://maps…», Android's place,
city and «местоположение: https://maps…»).

Media: the placeholder or attachment line («<Без медиафайлов>», "<Media omitted>", iOS
«‎изображение отсутствует», documents «Счёт.pdf • ‎2 страницы ‎документ отсутствует», attachment
lines «IMG-…jpg (файл добавлен)» with a document's name repeated below them) is never text: a
caption is kept as the message (``media=True``): on the lines after an Android attachment, or on
the same line as an iOS marker, before or after it («Вот чек ‎изображение отсутствует» → «Вот
чек»). A photo, video, voice message or file sent without a caption is a message with no text
(``text=""``, ``media=True``): a client's photo of the problem starts the response clock like a
question (issue 15), and no message rule reads it. The «<Это сообщение было изменено>» / "<This
message was edited>" marker is removed with its marks.

Lines before the first dated line are reported as a problem. One transcript per file; its
``conversation_id`` is the file's stem. A chat longer than ``MAX_CONVERSATION_MESSAGES`` is
checked in parts, preferably cut at a pause of an hour or more, and said so in a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import PurePath

from ..compiled import regex
from ..errors import ReaderError
from ..transcript import Message
from .common import (
    MAX_MESSAGE_CHARS,
    Item,
    Parts,
    Problem,
    Reading,
    Source,
    TextSource,
    collect,
    is_operator_name,
    long_conversation_note,
    no_operator_problem,
)

# The date-and-time prefix of a message line; ``rest`` is "Name: text" or a system note. The
# date is day/month-first (``a``, ``b``: which is the day is decided for the whole file) or
# year-first (``y``, ``ym``, ``yd``: «2016-04-15», «2019/01/01», always year-month-day).
_HEADER = regex(
    r"""
    [\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]*
    (?P<bracket>\[)?
    (?:
        (?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})
      | (?P<y>\d{4})(?P<ysep>[./-])(?P<ym>\d{1,2})(?P=ysep)(?P<yd>\d{1,2})(?=,)  # with its comma
    )
    ,?[ \t\u00a0\u202f]
    (?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?
    (?:[ \u00a0\u202f]?(?P<ampm>[AaPp]\.?[ \u00a0\u202f]?[Mm]\.?|[ДдПп][Пп]\.?))?
    (?(bracket)\][ \u00a0]|[ \u00a0][-–][ \u00a0])
    (?P<rest>.*)
    """,
    re.VERBOSE,
)

# Invisible direction marks around names (phone numbers come wrapped in U+202A…U+202C).
_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_NAME_FORBIDDEN = regex(r"[«»\"“”]")
_MAX_NAME = 80

# Bodies (after "Name: ") that are WhatsApp's notes, not what the person wrote.
_NOTES = regex(
    r"""^(?:
        <[^<>\n]{1,60}>                                        # <Без медиафайлов>, <Media omitted>, <attached: …>
      | .{0,200}\((?:файл\ добавлен|file\ attached)\)           # Android attachment line
      | .{0,200}<(?:прикреплено|attached):\ [^<>\n]*>          # iOS attachment line
      | (?:изображение|видео|аудиофайл|GIF|стикер|документ|Карточка\ контакта)\ (?:отсутствует|не\ добавлен)
      | .{0,200}[\ \u200e]документ\ отсутствует
      | (?:image|video|audio|GIF|sticker|document|Contact\ card)\ omitted
      | .{0,200}[\ \u200e]document\ omitted
      | [\u200e\u200f]*(?:[Мм]естоположение|[Ll]ocation):\ https://maps\.google\.com/\?q=[-\d.,]+   # iOS live location
      | \ [^\n]{1,200}:\ https://maps\.google\.com/\?q=[-\d.,]+        # iOS static: « Place (City): link»
      | [Ll]ive\ location\ shared
      | (?:Данное|Это)\ сообщение\ (?:было\ )?удалено\.?
      | Вы\ удалили\ (?:данное|это)\ сообщение\.?
      | This\ message\ was\ deleted\.?
      | You\ deleted\ this\ message\.?
      | (?:Пропущенный|Missed)\ (?:групповой\ )?(?:аудиозвонок|видеозвонок|voice\ call|video\ call|group\ voice\ call|group\ video\ call)
      | (?:Ваши\ )?[Сс]ообщения\ и\ звонки\ защищены\ сквозным\ шифрованием.*
      | Messages\ and\ calls\ are\ (?:now\ )?end-to-end\ encrypted.*
      | Ваш\ код\ безопасности\ с\ .{1,120}\ изменился.*
      | Your\ security\ code\ with\ .{1,120}\ changed.*
    )$""",
    re.VERBOSE,
)
# A trailing "edited" marker that newer exports append to an edited message, with its marks.
_EDITED = regex(
    r"[ \u00a0\u200e\u200f]*<(?:This message was edited|Сообщение изменено|Это сообщение было изменено)>"
    r"[\u200e\u200f]*$"
)
# A media marker sharing its line with a caption (iOS): «Подпись ‎изображение отсутствует»,
# «‎<прикреплено: 00000004-PHOTO-….jpg> Подпись». A bare «изображение отсутствует» inside a
# line counts only after WhatsApp's U+200E mark (a person may write those words).
_MEDIA = regex(
    r"""
    (?P<marks>[\u200e\u200f]+)?
    (?:
        <(?:прикреплено|attached):\ (?:\d+-)?(?P<file>[^<>\n]*)>
      | (?P<omitted>(?:изображение|видео|аудиофайл|GIF|стикер|Карточка\ контакта)\ (?:отсутствует|не\ добавлен)
      | (?:image|video|audio|GIF|sticker|Contact\ card)\ omitted)
    )
    [\u200e\u200f]*
    """,
    re.VERBOSE,
)
# An iOS document's name and page count before its marker: «Счёт.pdf • ‎2 страницы ‎<прикреплено: …>».
_PAGES = regex(r"•[ \u00a0\u200e]*\d+[ \u00a0]*(?:страниц[аы]?|pages?)[ \u00a0\u200e]*$")
# An Android attachment line: «IMG-20261122-WA0003.jpg (файл добавлен)».
# Media sent without a caption, in an export without media: Android's «<Без медиафайлов>»,
# "<Media omitted>"; an iOS document «Счёт.pdf • ‎1 страница ‎документ отсутствует».
_MEDIA_ONLY = regex(
    r"^(?:<(?:Без медиафайлов|Media omitted)>|.{0,200}[ \u200e](?:документ отсутствует|document omitted)"
    r"|(?:документ отсутствует|document omitted))$"
)
# A sticker or a GIF (a reaction, not a question): «‎стикер отсутствует», "sticker omitted",
# «<прикреплено: 00000012-STICKER-…webp>», «…-GIF-…»
_REACTION = regex(r"стикер|sticker|\bGIF\b|-GIF-|\.webp\b", re.IGNORECASE)
_ATTACHED = regex(r"^(?P<file>.{0,200})[ \u00a0]\((?:файл добавлен|file attached)\)$")
# The last line of an Android static location (place and city on the lines above it).
_LOCATION = regex(r"^[\u200e\u200f]*(?:местоположение|location): https://maps\.google\.com/\?q=[-\d.,]+$")
_BLANK = _MARKS + " \u00a0\u202f\t"


class _Entry:
    __slots__ = ("line", "author", "lines", "stamp", "chars")

    def __init__(self, line: int, author: str | None, first: str, stamp: tuple[int, ...] | None) -> None:
        self.line = line
        self.author = author  # None: a system line
        self.lines = [first]
        self.stamp = stamp
        self.chars = len(first)


def read(text: str, path: str, operators: Sequence[str]) -> Reading:
    """Read a WhatsApp chat export: one transcript of the whole file (in parts when it is
    longer than ``MAX_CONVERSATION_MESSAGES``)."""
    return collect(stream(TextSource(text), path, operators))


def stream(source: Source, path: str, operators: Sequence[str]) -> Iterator[Item]:
    """Read a WhatsApp chat export as it comes: a first pass decides the order of day and
    month (from every date of the file), the second yields the conversation (in parts of at
    most ``MAX_CONVERSATION_MESSAGES`` messages, so that memory does not grow with the file)."""
    first_above_12 = second_above_12 = False
    separators: set[str] = set()
    for line in source.lines():
        m = _HEADER.match(line[:-1] if line.endswith("\r") else line)
        if m is not None and m["a"] is not None:  # year-first dates decide nothing
            first_above_12 |= int(m["a"]) > 12
            second_above_12 |= int(m["b"]) > 12
            separators.add(m["sep"])
    day_first = first_above_12 or (not second_above_12 and "/" not in separators)

    cid = PurePath(path).stem or None
    parts = Parts(cid)
    entry: _Entry | None = None
    orphan_line: int | None = None
    any_operator = False
    entries = 0
    cut: int | None = None
    authors: dict[str, None] = {}

    def message(e: _Entry) -> Message | None:
        nonlocal any_operator
        if e.author is None:
            return None
        found = _message_text(e.lines)
        if found is None:
            return None
        body, skipped, media = found
        role = "operator" if is_operator_name(e.author, operators) else "client"
        any_operator |= role == "operator"
        if len(authors) < 8:
            authors.setdefault(e.author, None)
        return Message(
            text=body, role=role, author=e.author, time=_datetime(e.stamp, day_first), source_line=e.line + skipped,
            media=media,
        )

    for number, raw in enumerate(source.lines(), start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        m = _HEADER.match(line)
        if m is None:
            if entry is not None:
                if entry.chars <= MAX_MESSAGE_CHARS:
                    entry.lines.append(line)
                    entry.chars += len(line) + 1
                elif cut != entry.line:
                    cut = entry.line
                    yield Problem(entry.line, f"a message longer than {MAX_MESSAGE_CHARS:,} characters: the rest "
                                              "of it is not checked", note=True)
            elif line.strip() and orphan_line is None:
                orphan_line = number
                yield Problem(orphan_line, "text before the first dated message line skipped")
            continue
        if entry is not None and (msg := message(entry)) is not None and (t := parts.add(msg)) is not None:
            yield t
        author, body = _split(m["rest"])
        if m["a"] is not None:
            stamp = (int(m["a"]), int(m["b"]), int(m["year"]), int(m["hour"]), int(m["minute"]),
                     int(m["second"] or 0), 0)
        else:  # year-first: the day and month are known (the last field, 1, says so)
            stamp = (int(m["yd"]), int(m["ym"]), int(m["y"]), int(m["hour"]), int(m["minute"]),
                     int(m["second"] or 0), 1)
        entry = _Entry(number, author, body, _twelve_hour(stamp, m["ampm"]))
        entries += 1

    if entry is not None and (msg := message(entry)) is not None and (t := parts.add(msg)) is not None:
        yield t
    if not entries:
        raise ReaderError(
            "not a WhatsApp chat export: no line starts with a date and time "
            "(«22.11.2026, 14:05 - Имя: текст» or «[22.11.2026, 14:05:33] Имя: текст»)"
        )
    t = parts.finish()
    if t is not None:
        yield t
    if parts.count > 1:
        yield long_conversation_note(None, cid, parts.count)
    if authors and not any_operator:
        yield no_operator_problem(list(authors))


def _split(rest: str) -> tuple[str | None, str]:
    """("Name", "text") of a message line; (None, note) for a system line."""
    head, sep, body = rest.partition(": ")
    if not sep:
        if rest.endswith(":") and 0 < len(rest) - 1 <= _MAX_NAME:  # "Name:" and the text on the next lines
            head, body = rest[:-1], ""
        else:
            return None, rest
    author = _name(head)
    if not author or len(author) > _MAX_NAME or _NAME_FORBIDDEN.search(author):
        return None, rest
    return author, body


_DROP_MARKS = dict.fromkeys(map(ord, _MARKS))


def _name(head: str) -> str:
    """An author's name as people write it: without invisible marks, with ordinary spaces
    (U+00A0 and U+202F in iOS exports), and without the «~ » iOS puts before a sender who is
    not in the phone's contacts."""
    name = " ".join(head.translate(_DROP_MARKS).split())
    if name.startswith("~"):
        name = name[1:].lstrip()
    return name


def _first_line(first: str) -> tuple[str | None, str | None, bool]:
    """The text a person wrote on a message's first line, and the attached file's name if the
    line is an Android attachment line, and whether the line has media: (None, …) when the
    line is only WhatsApp's (a note, a placeholder, an attachment); a caption sharing its line
    with a media marker is kept."""
    stripped = first.strip(_BLANK)
    attached = _ATTACHED.match(stripped)
    if attached:
        return None, attached["file"], True
    m = _MEDIA.search(first)
    if m is not None:
        before, after = first[: m.start()], first[m.end():]
        if m["file"] is not None or m["marks"] or not (before.strip(_BLANK) or after.strip(_BLANK)):
            name = before.strip(_BLANK)
            if name and (_PAGES.search(before) or (m["file"] is not None and m["file"].endswith(name))):
                before = ""  # a document's name (and pages), not a caption
            caption = " ".join(p.strip(_BLANK) for p in (before, after) if p.strip(_BLANK))
            return caption or None, None, True
    if _MEDIA_ONLY.match(stripped):
        return None, None, True
    if first.startswith("\u200e") or _NOTES.match(first.lstrip(_MARKS + " \u00a0")):
        return None, None, False
    return first, None, False


def _message_text(lines: list[str]) -> tuple[str, int, bool] | None:
    """The text a person wrote and how many of the message's lines precede it: the note on
    the first line (a media placeholder or an attachment) is dropped and its caption on the
    following lines kept, blank lines around the text too; and whether it is a caption of a
    photo, a video or a file (``Message.media``): ("", 0, True) for media sent without a
    caption. None when nothing is left (a note, a deleted message, a location)."""
    lines = list(lines)
    start, end = 0, len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    if end and end - start <= 3 and _LOCATION.match(lines[end - 1].strip()):
        return None  # a location: place, city, «местоположение: https://maps…»
    first, attached, media = _first_line(lines[0])
    if first is None:
        start = 1
        if attached and start < end and lines[start].strip() == attached.rpartition(".")[0].strip():
            start = 2  # Android repeats a document's name below its attachment line
    else:
        lines[0] = first
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    body = _EDITED.sub("", "\n".join(lines[start:end])) if start < end else ""
    if body.strip():
        return body, start, media
    # a photo, a video, a voice message or a file sent without a caption is still a message:
    # the client's photo of the problem starts the clock like a question (Message.media, text
    # ""); a sticker or a GIF alone is a reaction, like an emoji, and is dropped
    if media and not _REACTION.search(lines[0]):
        return "", 0, True
    return None


def _twelve_hour(stamp: tuple[int, ...], ampm: str | None) -> tuple[int, ...] | None:
    """The stamp with a 24-hour hour; None when the hour cannot be one."""
    a, b, year, hour, minute, second, known = stamp
    if ampm is not None:
        if not 1 <= hour <= 12:
            return None
        pm = ampm[0] in "PpПп"
        hour = hour % 12 + (12 if pm else 0)
    return a, b, year, hour, minute, second, known


def _datetime(stamp: tuple[int, ...] | None, day_first: bool) -> datetime | None:
    if stamp is None:
        return None
    a, b, year, hour, minute, second, known = stamp
    day, month = (a, b) if day_first or known else (b, a)
    if year < 100:
        year += 2000
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
