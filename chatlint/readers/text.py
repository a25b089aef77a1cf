"""The plain-text transcript reader (SPEC §6).

A message starts on a line with a time and a speaker label, in any of these shapes::

    [2026-11-22 14:05:33] Оператор Анна: текст
    2026-11-22 14:05 Клиент: текст
    [14:05] Мария: текст
    14:05:33 Система: Клиент вышел из чата

Every other line continues the message above it (its line breaks are kept; blank lines at its
end are dropped).

A Telegram chat copied as text from the desktop app has its header alone on a line, the text
on the lines below, and a blank line between messages::

    Зарина Ахметова, [27.11.2026 10:15]
    Добрый день! Подскажите, почему списали деньги дважды?

    Марина Соколова, [27.11.2026 10:16]
    Здравствуйте, меня зовут Марина, чем я могу Вам помочь?

The bracketed stamp is a date and a time (``27.11.2026 10:15``, ``11/27/2026 9:41 AM``, seconds
optional) or a time alone; a header with a bare time and no brackets (``Марина, 10:16``) counts
only at the start of the file or after a blank line (a line «Хорошо, 10:20» inside a message is
text). Dates with dots are day-first; with slashes month-first unless the first field is above
12. Both shapes may be mixed in a file.

- **Speakers.** When the label's first word is a role word (``Оператор``, ``Клиент``,
  ``Operator``, ``Система``… — :func:`role_from_data`), that is the role and the rest of the label
  the author («Оператор Анна» → operator «Анна»; «Клиент» alone → a client with no name).
  Otherwise the whole label is the author and the role comes from the configured ``operators``
  names; a file in which no one turns out to be an operator then ends with the "configure your
  operators" :class:`Problem` (every author is kept; reading never fails for want of names).
- **Labels.** The label ends at the first colon, which must not be followed by a digit: a
  continuation line such as «14:05 перезвоню в 15:00» is not taken for a new message.
- **Times without a date** take the date of the last dated line above them, or 1970-01-01 if
  there is none (only differences between times matter to the rules). When such a clock time
  is more than 12 hours *before* the previous message, midnight has passed and the date moves
  on one day (23:58 → 00:03 is five minutes later); a smaller step back is kept as it is (a
  timestamp out of order). Times are naive (local to the export). A header with an impossible
  time (``25:61``) still starts its message, which is kept without a time and reported.
- **Conversations.** A file is one conversation, named after the file's stem, unless it holds
  separator lines ``--- conversation ID ---`` (or ``--- диалог ID ---``, ``--- чат ID ---``):
  each starts a conversation with that ID. Messages before the first separator form a
  conversation named after the file.
- **Bad input.** Text before the first message (of the file, or after a separator) is reported
  as a :class:`Problem` and skipped, as is a message without text; a file without any message
  line raises :class:`ReaderError`. The reader is linear in the size of the file and streams:
  it holds one conversation at a time (one longer than ``MAX_CONVERSATION_MESSAGES`` is checked
  in parts, with a note).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

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
    role_from_data,
)

#: A message's first line: time (with an optional ISO date, optionally in brackets), label, text.
HEADER = regex(
    r"[ \t]*\[?(?:(?P<date>\d{4}-\d{2}-\d{2})[ T])?(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)\]?[ \t]+"
    r"(?P<label>[^\s:\[][^:]{0,59}?)[ \t]*:(?!\d)[ \t]?(?P<text>.*)"
)
#: A header of a Telegram chat copied as text: «Имя, [27.11.2026 10:15]» or «Имя, 10:15».
PASTED = regex(
    r"[ \t]*(?P<label>[^\s,:\[\]][^,:\[\]]{0,59}?),[ \t]"
    r"(?:\[(?:(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2}),?[ \t])?"
    r"(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)(?:[ \t\u202f]?(?P<ampm>[AaPp]\.?[Mm]\.?))?\]"
    r"|(?P<bare>\d{1,2}:\d{2}))[ \t]*"
)
#: A conversation separator: ``--- conversation ID ---``.
SEPARATOR = regex(
    r"[ \t]*-{3,}[ \t]*(?:conversation|chat|диалог|чат)[ \t]+(?P<id>\S.*?)[ \t]*-{3,}[ \t]*", re.I
)

MAX_SEPARATOR = 200  # longer lines are never separators (and the pattern backtracks on long dash runs)
EPOCH_DAY = date(1970, 1, 1)


class DayClock:
    """Dates for clock times that come without one.

    A dated time sets the day; a bare clock time takes the current day, moving on to the next
    day when it is more than 12 hours before the previous time (midnight has passed).
    """

    def __init__(self, day: date = EPOCH_DAY) -> None:
        self.day = day
        self.last: datetime | None = None

    def dated(self, when: datetime) -> datetime:
        """A time that has its date: it becomes the current day."""
        self.day = when.date()
        self.last = when.replace(tzinfo=None)
        return when

    def clock(self, at: time) -> datetime:
        """A time of day without a date, on the current day (or the next, past midnight)."""
        when = datetime.combine(self.day, at)
        try:
            if self.last is not None and when < self.last - timedelta(hours=12):
                when += timedelta(days=1)
                self.day = when.date()
        except OverflowError:  # the first or the last day a datetime can hold
            pass
        self.last = when
        return when

    def restart(self) -> None:
        """A new conversation: keep the day, forget the previous time (no rollover across)."""
        self.last = None


@dataclass(slots=True)
class _Pending:
    """The message being read: its header and its lines so far."""

    line: int
    role: str
    author: str | None
    time: datetime | None
    lines: list[str] = field(default_factory=list)
    chars: int = 0
    cut: bool = False


def read(text: str, path: str, operators: Sequence[str]) -> Reading:
    """Read a plain-text transcript: one conversation, or one per separator line."""
    return collect(stream(TextSource(text), path, operators))


def stream(source: Source, path: str, operators: Sequence[str]) -> Iterator[Item]:
    """Read a plain-text transcript as it comes, yielding each conversation when it ends (a
    conversation longer than ``MAX_CONVERSATION_MESSAGES`` in parts)."""
    default_id = Path(path).stem or "conversation"
    ready: list[Item] = []
    clock = DayClock()
    roles_from_names = False
    any_operator = False
    authors: list[str] = []
    headers_seen = 0
    conversations = 0

    conversation_id = default_id
    parts = Parts(conversation_id)
    first_line: int | None = None
    pending: _Pending | None = None
    stray_reported = False  # text before the first message of a conversation, reported once a block

    def finish_message() -> None:
        nonlocal pending, any_operator, first_line
        if pending is None:
            return
        lines = pending.lines
        while lines and not lines[-1].strip():
            lines.pop()
        start = 0
        while start < len(lines) and not lines[start].strip():
            start += 1
        body = "\n".join(lines[start:])
        if body:
            any_operator |= pending.role == "operator"
            if len(authors) < 8 and pending.author and pending.author not in authors:
                authors.append(pending.author)
            if first_line is None:
                first_line = pending.line
            t = parts.add(
                Message(
                    text=body,
                    role=pending.role,
                    author=pending.author,
                    time=pending.time,
                    source_line=pending.line,
                )
            )
            if t is not None:
                ready.append(t)
        else:
            ready.append(Problem(pending.line, "message without text; skipped"))
        pending = None

    def finish_conversation() -> None:
        nonlocal conversations, first_line
        finish_message()
        t = parts.finish()
        if t is not None:
            ready.append(t)
            conversations += 1
        if parts.count > 1:
            ready.append(long_conversation_note(first_line, parts.cid, parts.count))
        first_line = None

    after_blank = True  # the start of the file, or a blank line above: where a bare pasted header may be
    for line_no, raw in enumerate(source.lines(), start=1):
        if ready:
            yield from ready
            ready.clear()
        line = raw.rstrip("\r")
        was_after_blank, after_blank = after_blank, not line.strip()
        separator = SEPARATOR.fullmatch(line) if len(line) <= MAX_SEPARATOR else None
        if separator:
            finish_conversation()
            conversation_id = separator["id"]
            parts = Parts(conversation_id)
            clock.restart()
            stray_reported = False
            continue
        header = HEADER.fullmatch(line)
        pasted = None
        if header is None and len(line) <= 160:
            pasted = PASTED.fullmatch(line)
            if pasted is not None and pasted["bare"] is not None and not was_after_blank:
                pasted = None
        if pasted is not None:
            finish_message()
            headers_seen += 1
            role, author = _speaker(pasted["label"])
            if role is None:
                roles_from_names = True
                role = "operator" if is_operator_name(author, operators) else "client"
            when = _pasted_when(pasted, clock)
            if when is None:
                ready.append(Problem(line_no, f"impossible time in «{line.strip()}»; message kept without a time"))
            pending = _Pending(line=line_no, role=role, author=author, time=when, lines=[])
            continue
        if header is None:
            if pending is not None:
                if pending.chars <= MAX_MESSAGE_CHARS:
                    pending.lines.append(line)
                    pending.chars += len(line) + 1
                elif not pending.cut:
                    pending.cut = True
                    ready.append(Problem(pending.line, f"a message longer than {MAX_MESSAGE_CHARS:,} characters: "
                                                       "the rest of it is not checked", note=True))
            elif line.strip() and not stray_reported:
                ready.append(Problem(line_no, "text before the first message (no `14:05 Name:`); skipped"))
                stray_reported = True
            continue

        finish_message()
        headers_seen += 1
        role, author = _speaker(header["label"])
        if role is None:
            roles_from_names = True
            role = "operator" if is_operator_name(author, operators) else "client"
        when = _when(header["date"], header["clock"], clock)
        if when is None:
            shown = " ".join(filter(None, (header["date"], header["clock"])))
            ready.append(Problem(line_no, f"impossible time {shown}; message kept without a time"))
        pending = _Pending(line=line_no, role=role, author=author, time=when, lines=[header["text"]])
        pending.chars = len(header["text"])
    finish_conversation()
    yield from ready
    ready.clear()

    if not conversations:
        if headers_seen:
            raise ReaderError("no message has any text")
        raise ReaderError(
            "no line looks like a transcript message (`[2026-11-22 14:05:33] Оператор Анна: текст` "
            "or `14:05 Клиент: текст`)"
        )
    if roles_from_names and not any_operator:
        yield no_operator_problem(authors)


def _speaker(label: str) -> tuple[str | None, str | None]:
    """The role written in the label (if its first word is one) and the author's name."""
    words = label.split(None, 1)
    role = role_from_data(words[0].rstrip(".,")) if words else None
    if role is not None:
        rest = words[1].strip() if len(words) > 1 else ""
        return role, rest or None
    return None, label.strip() or None


def _pasted_when(m: re.Match, clock: DayClock) -> datetime | None:
    """The time of a pasted Telegram header, or None if it is impossible."""
    try:
        hms = [int(p) for p in (m["clock"] or m["bare"]).split(":")]
        hour = hms[0]
        if m["ampm"]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if m["ampm"][0] in "Pp" else 0)
        at = time(hour, hms[1], hms[2] if len(hms) > 2 else 0)
        if m["a"] is None:
            return clock.clock(at)
        a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
        day, month = (a, b) if m["sep"] == "." or a > 12 else (b, a)
        return clock.dated(datetime.combine(date(year + 2000 if year < 100 else year, month, day), at))
    except ValueError:
        return None


def _when(day: str | None, clock_text: str, clock: DayClock) -> datetime | None:
    """The header's time, or None if it is impossible (the clock is then left as it was)."""
    try:
        parts = [int(p) for p in clock_text.split(":")]
        at = time(parts[0], parts[1], parts[2] if len(parts) > 2 else 0)
        if day is not None:
            return clock.dated(datetime.combine(date.fromisoformat(day), at))
    except ValueError:
        return None
    return clock.clock(at)
