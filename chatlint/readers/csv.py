"""The CSV reader (SPEC §6): columns mapped by the header row.

- **Columns.** The first non-blank row is the header. Its names are matched case- and
  «ё»-insensitively (spaces, dashes, dots and slashes count as ``_``) against English and
  Russian aliases of our fields: ``time`` («время», ``timestamp``…), ``date`` («дата»; joined
  with a ``time`` column that holds only a clock time), ``author`` («автор», «имя», ``from``…),
  ``role`` («роль»…), ``text`` («текст», «сообщение», ``message``…) and ``conversation_id``
  («диалог», «чат», ``chat_id``, ``ticket``…). ``columns`` maps fields to header names
  explicitly (``{"text": "Комментарий"}``) and wins over the aliases. Only ``text`` is required:
  without it a :class:`ReaderError` lists the headers found and how to map them.
- **Dialect.** The separator is ``;``, ``,`` or a tab: :class:`csv.Sniffer` guesses it from the
  start of the file, and the guess must occur in the header line, else the most frequent of the
  three there wins (``,`` if none). Quoting is always the standard one (``"`` doubled inside
  quotes): the Sniffer's quote guesses are unreliable on prose.
- **Rows.** ``source_line`` is the physical line where a row starts (quoted cells may span
  lines). Blank rows and repeated header rows are skipped; a row without text is reported as a
  :class:`Problem` and skipped. Cells are stripped; line breaks inside the text become ``\\n``.
  Rows are grouped by ``conversation_id`` in order of first appearance (one conversation named
  after the file when there is no such column or the cell is empty).
- **Roles** come from the ``role`` column when it holds a role word (:func:`role_from_data`),
  else from the configured ``operators`` names; a file where no one turns out to be an operator
  then ends with the "configure your operators" :class:`Problem` (every author is kept: reading
  never fails for want of operator names).
- **Times**: ISO 8601, ``22.11.2026 14:05[:33]`` (also ``22.11.26``, ``22.11.2026, 14:05``,
  ``11/27/2026 9:41 AM``: slashed dates are day-first unless the file's dates prove them
  month-first, decided in a first pass over the whole file), unix
  seconds (or 13-digit milliseconds); a bare ``14:05`` takes the ``date`` column's date, or else
  the current day as in the plain-text reader (:class:`~chatlint.readers.text.DayClock`:
  1970-01-01, moving on at midnight). An unreadable time is reported and the row kept without
  a time, so that its text is still checked and the dialogue keeps its turns.
- **Who wrote.** ``author`` (or ``role``) is needed as well: without either a :class:`ReaderError`
  names the headers found. «Оператор», «Сотрудник», ``Agent``, ``Operator`` name the author
  column when no ``author`` alias does; a role word in the author column («Клиент»,
  «Оператор») is the row's role.
- **An unclosed quote** (a cell opened with ``"`` that never closes) would make the rest of the
  file one cell: a multi-line cell holding two lines with as many separators as a row (three
  in a file of two columns) is taken for one, the line where the quote opened is reported as a :class:`Problem` and skipped, and
  reading goes on with the next line. Any other malformed file (a field over the ``csv``
  module's size limit) stops the reading at that row with a :class:`Problem`; the rows before
  it are kept.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, time
from pathlib import Path

from ..compiled import regex
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
from .text import DayClock

FIELDS = ("time", "date", "author", "role", "text", "conversation_id")

ALIASES: dict[str, tuple[str, ...]] = {
    "time": (
        "time", "timestamp", "datetime", "date_time", "created_at", "created", "sent_at", "sent",
        "время", "дата_и_время", "дата_время", "время_сообщения", "время_отправки",
    ),
    "date": ("date", "day", "дата"),
    "author": (
        "author", "author_name", "name", "from", "sender", "sender_name", "speaker",
        "автор", "имя", "отправитель", "от_кого", "кто",
    ),
    "role": ("role", "author_role", "sender_role", "sender_type", "роль", "роль_автора", "тип_отправителя"),
    "text": ("text", "message", "message_text", "body", "content", "текст", "сообщение", "текст_сообщения"),
    "conversation_id": (
        "conversation_id", "conversation", "chat_id", "chat", "dialog_id", "dialogue_id", "dialog",
        "thread_id", "ticket_id", "ticket", "session_id", "диалог", "id_диалога", "номер_диалога",
        "чат", "обращение", "номер_обращения", "тикет",
    ),
}  # fmt: skip
#: Headers that name who wrote a row only when no column above does: «Оператор», «Сотрудник»,
#: ``Agent`` (an export with both «Автор» and «Оператор» has the ticket's operator in the latter).
SECONDARY_ALIASES: dict[str, tuple[str, ...]] = {
    "author": ("сотрудник", "оператор", "агент", "менеджер", "agent", "operator", "employee", "staff", "user"),
}

DELIMITERS = ";,\t"
SNIFF_CHARS = 4096  # the Sniffer's regular expressions are quadratic in the worst case: keep it small

_UNIX = regex(r"\d{9,10}(?:\.\d+)?|\d{12,13}")
_CLOCK = regex(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?")
_DMY = regex(
    r"(\d{1,2})([./-])(\d{1,2})[./-](\d{4}|\d{2})(?:,?[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"(?:\s?([AaPp])\.?[Mm]\.?)?)?"
)
_SLASH_DATE = regex(r"(?<!\d)(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})(?!\d)")
_KEY_JUNK = regex(r"[\s\-./]+")


def read(text: str, path: str, operators: Sequence[str], columns: Mapping[str, str] | None = None) -> Reading:
    """Read a CSV export; ``columns`` maps our field names to the file's header names."""
    return collect(stream(TextSource(text), path, operators, columns))


def stream(
    source: Source, path: str, operators: Sequence[str], columns: Mapping[str, str] | None = None
) -> Iterator[Item]:
    """Read a CSV export row by row: problems as they come, then the conversations in order
    of first appearance (held in memory up to ``MAX_BUFFERED_CHARS``, beyond that in a
    temporary file; see :class:`Grouper`)."""
    default_id = Path(path).stem or "conversation"
    wanted = _check_mapping(columns)
    head: list[str] = []
    size = 0
    for line in source.lines():
        head.append(line)
        size += len(line) + 1
        if size > SNIFF_CHARS and any(ln.strip("\r") for ln in head):
            break
    delimiter = _delimiter("\n".join(head))

    def rows_from(skip: int):
        lines = (line + "\n" for line in source.lines())
        for _ in zip(range(skip), lines, strict=False):
            pass
        return csv.reader(lines, delimiter=delimiter)

    month_first = _month_first(source)
    reader = rows_from(0)
    base = 0  # physical lines before the reader's first (after an unclosed quote: it starts again)

    conversations = Grouper()
    clocks: dict[str, DayClock] = {}
    first: list[Problem] = []  # the first problem, for the error when nothing could be read
    roles_from_names = False
    any_operator = False
    authors: list[str] = []
    header: list[str] | None = None
    index: dict[str, int] = {}
    last_line = 0
    while True:
        start = last_line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield _kept(first, Problem(start, f"malformed CSV ({exc}); the rest of the file is skipped"))
            break
        last_line = base + reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = row
            index = _columns(header, wanted)
            continue
        if row == header:
            continue
        opened = _unclosed_quote(row, start, last_line, delimiter, len(header))
        if opened is not None:
            yield _kept(first, Problem(opened, f"unclosed quote: the cell that opens with «\"» on line {opened} "
                                               f"does not close, and lines {opened + 1}-{last_line} would have become "
                                               f"part of it; line {opened} is skipped, reading goes on at line "
                                               f"{opened + 1} (close the quote or double it: \"\")"))
            base = last_line = opened
            reader = rows_from(opened)
            continue

        body = _cell(row, index, "text")
        if not body:
            yield _kept(first, Problem(start, "row without text; skipped"))
            continue
        body = body.replace("\r\n", "\n").replace("\r", "\n")
        author = _cell(row, index, "author") or None
        role = role_from_data(_cell(row, index, "role"))
        if role is None and (role := role_from_data(author)) is not None:
            author = None  # «Клиент», «Оператор» in the column of who wrote: a role, not a name
        if role is None:
            roles_from_names = True
            role = "operator" if is_operator_name(author, operators) else "client"
        conversation = _cell(row, index, "conversation_id") or default_id
        clock = clocks.setdefault(conversation, DayClock())
        when, time_problem = _row_time(_cell(row, index, "time"), _cell(row, index, "date"), clock, month_first)
        if time_problem:
            yield _kept(first, Problem(start, f"{time_problem}; row kept without a time"))
        message = Message(text=body, role=role, author=author, time=when, source_line=start)
        conversations.add(conversation, message)
        any_operator |= role == "operator"
        if len(authors) < 8 and author and author not in authors:
            authors.append(author)

    if not len(conversations):
        if header is None:
            raise ReaderError("empty file: no header row")
        if first:
            raise ReaderError(f"no row could be read as a message (first problem: {first[0]})")
        raise ReaderError("a header but no rows")
    if roles_from_names and not any_operator:
        yield no_operator_problem(authors)
    for cid, messages in conversations.conversations():
        yield from in_parts(cid, messages)


def _unclosed_quote(row: list[str], start: int, end: int, delimiter: str, columns: int) -> int | None:
    """The line where a quote opened that swallowed the rows after it, or None: a row that
    spans lines, one of whose cells holds lines that look like rows of their own (at least as
    many separators as a row has): two of them (three in a file of two columns, where a comma
    in prose is one separator)."""
    if end <= start or columns < 2:
        return None
    need, rows = columns - 1, (2 if columns >= 3 else 3)
    line = start
    for cell in row:
        inner = cell.split("\n")
        if sum(ln.count(delimiter) >= need for ln in inner[1:]) >= rows:
            return line
        line += len(inner) - 1
    return None


def _kept(first: list[Problem], problem: Problem) -> Problem:
    if not first:
        first.append(problem)
    return problem


# ------------------------------------------------------------------ columns


def _key(name: str) -> str:
    """A header name as compared: case, «ё», spaces and punctuation folded."""
    return _KEY_JUNK.sub(
        "_", name.replace("\ufeff", "").replace("ё", "е").replace("Ё", "Е").casefold()
    ).strip("_")


_ALIAS_FIELD = {_key(alias): name for name, aliases in ALIASES.items() for alias in aliases}
_SECONDARY_FIELD = {_key(alias): name for name, aliases in SECONDARY_ALIASES.items() for alias in aliases}


# a word of every name of the text column, as :func:`_key` folds it: a header names the text
# only if its line holds one of them (most lines of prose with a comma hold none)
_TEXT_WORDS = tuple(sorted({_key(alias).split("_")[0] for alias in ALIASES["text"]}))


def header_fields(line: str) -> set[str] | None:
    """The fields a header line names (detection: is this a CSV export?), or None unless it
    has at least two cells, one of them the text."""
    folded = line.replace("\ufeff", "").replace("ё", "е").replace("Ё", "Е").casefold()
    if not any(word in folded for word in _TEXT_WORDS):
        return None  # no cell can be the text's (each is folded the same way, piece by piece)
    best = max(DELIMITERS, key=line.count)
    cells = [c.strip().strip('"') for c in line.split(best)]
    fields = {f for c in cells if (f := _ALIAS_FIELD.get(_key(c)) or _SECONDARY_FIELD.get(_key(c)))}
    return fields if len(cells) >= 2 and "text" in fields and len(fields) >= 2 else None


def _check_mapping(columns: Mapping[str, str] | None) -> dict[str, str]:
    """The explicit mapping, checked: our field name → the header name."""
    if not columns:
        return {}
    for name in columns:
        if name not in FIELDS:
            raise ReaderError(
                f"unknown field {name!r} in csv_columns (fields: {', '.join(FIELDS)})"
            )
    return {name: str(header) for name, header in columns.items()}


def _columns(header: list[str], wanted: Mapping[str, str]) -> dict[str, int]:
    """Which column holds each field: the explicit mapping first, then the aliases."""
    keys = [_key(h) for h in header]
    index: dict[str, int] = {}
    for name, wanted_header in wanted.items():
        key = _key(wanted_header)
        if key not in keys:
            raise ReaderError(
                f"csv_columns in the config says {name} = {wanted_header!r}, but there is no such column; "
                f"headers found: {_shown(header)}"
            )
        index[name] = keys.index(key)
    for aliases in (_ALIAS_FIELD, _SECONDARY_FIELD):
        for i, key in enumerate(keys):
            name = aliases.get(key)
            if name is not None and name not in index:
                index[name] = i
    if "text" not in index:
        raise ReaderError(
            f"no column holds the message text; headers found: {_shown(header)}. Name it `text` "
            "(or «текст», «сообщение», `message`), or map your headers to the fields "
            f'{", ".join(FIELDS)} in the config: csv_columns = {{ text = "Комментарий" }}'
        )
    if "author" not in index and "role" not in index:
        raise ReaderError(
            f"no column says who wrote each message; headers found: {_shown(header)}. Name one `author` "
            "(or «Автор», «Оператор», «Сотрудник», `Agent`) or `role` («Роль»: operator/client), or map "
            'yours in the config: csv_columns = { author = "Кто написал" }'
        )
    return index


def _cell(row: list[str], index: Mapping[str, int], name: str) -> str:
    """The stripped cell of a field ("" if the file has no such column or the row is short)."""
    i = index.get(name)
    return row[i].strip() if i is not None and i < len(row) else ""


def _shown(header: list[str]) -> str:
    names = [f"«{h.strip()[:40]}»" for h in header[:12]]
    if len(header) > 12:
        names.append(f"… ({len(header)} in all)")
    return ", ".join(names) or "none"


def _delimiter(text: str) -> str:
    """``;``, ``,`` or a tab: the Sniffer's guess if the header line has it, else the header's
    most frequent of the three."""
    start = len(text) - len(text.lstrip("\r\n"))
    end = text.find("\n", start)
    header_line = text[start:] if end < 0 else text[start:end]
    sample = text[:SNIFF_CHARS]
    try:
        guess = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        guess = ""
    if guess and guess in header_line:
        return guess
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


# ------------------------------------------------------------------ times


def _month_first(source: Source) -> bool:
    """Whether the file's slashed dates are month-first («11/27/2026», Excel in a US locale):
    decided for the whole file in a first pass, as the WhatsApp reader does — a first field
    above 12 anywhere makes it day-first, else a second field above 12 month-first; else
    day-first (Russian exports). Dates with dots are always day-first."""
    second_above = False
    for line in source.lines():
        if "/" not in line:
            continue
        for m in _SLASH_DATE.finditer(line):
            if int(m[1]) > 12:
                return False
            second_above |= int(m[2]) > 12
    return second_above


def parse_time(value: str, month_first: bool = False) -> datetime | time | None:
    """A date and time (:class:`datetime`), a bare clock time (:class:`time`), or None.
    ``month_first``: slashed dates are month/day/year (the file's order, :func:`_month_first`)."""
    v = value.strip()
    try:
        if _UNIX.fullmatch(v):
            seconds = float(v) / (1000 if len(v) >= 12 and "." not in v else 1)
            return datetime.fromtimestamp(seconds, tz=UTC)
        m = _CLOCK.fullmatch(v)
        if m:
            return time(int(m[1]), int(m[2]), int(m[3] or 0))
        m = _DMY.fullmatch(v)
        if m:
            year = int(m[4]) + (2000 if len(m[4]) == 2 else 0)
            day, month = int(m[1]), int(m[3])
            if month_first and m[2] == "/":
                day, month = month, day
            hour = int(m[5] or 0)
            if m[8]:  # «9:41 AM», «1:05 PM»
                if not 1 <= hour <= 12:
                    return None
                hour = hour % 12 + (12 if m[8] in "Pp" else 0)
            return datetime(year, month, day, hour, int(m[6] or 0), int(m[7] or 0))
        return datetime.fromisoformat(v)
    except (ValueError, OverflowError, OSError):
        return None


def _row_time(
    time_cell: str, date_cell: str, clock: DayClock, month_first: bool = False
) -> tuple[datetime | None, str | None]:
    """The row's time from its ``time`` and ``date`` cells, and why not if they are unreadable."""
    if not time_cell and not date_cell:
        return None, None
    at = parse_time(time_cell, month_first) if time_cell else None
    day = parse_time(date_cell, month_first) if date_cell else None
    if time_cell and at is None:
        return (
            None,
            f"unreadable time {_short(time_cell)!r} (expected ISO 8601, 22.11.2026 14:05 or unix seconds)",
        )
    if date_cell and not isinstance(day, datetime) and not (at is None and isinstance(day, time)):
        return None, f"unreadable date {_short(date_cell)!r} (expected 22.11.2026 or 2026-11-22)"
    if isinstance(at, datetime):
        return clock.dated(at), None
    if isinstance(at, time):
        if isinstance(day, datetime):
            return clock.dated(datetime.combine(day.date(), at, tzinfo=day.tzinfo)), None
        return clock.clock(at), None
    if isinstance(day, datetime):
        return clock.dated(day), None
    if isinstance(day, time):
        return clock.clock(day), None
    return None, None


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"
