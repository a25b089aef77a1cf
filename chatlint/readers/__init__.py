"""Transcript readers: one module per export format (SPEC §6), the :data:`READERS` table, and
``--as auto`` detection.

The table is the one place the CLI learns about formats: ``--as`` choices, the suffixes it
searches directories for, detection (by content, then by name), each export's own channel,
whether a message's lines are lines of the file, and the read function. Adding a transcript
format is a module here and one line in :data:`READERS` (CONTRIBUTING.md, "Add a transcript
format").

Every reader module has ``read(text, path, operators) -> Reading``:

- ``text`` is the whole file, already decoded (UTF-8, BOM removed);
- ``path`` is shown in messages only (readers never open files themselves);
- ``operators`` are the configured operator names (``operators`` in the config), used where
  the data has no roles.

A reader returns every conversation it could read plus the *problems* it stepped over (a
broken JSONL line, a CSV row without text): those are reported with their line number while
the rest is still checked. Input that cannot be read at all raises :class:`ReaderError`.

A reader that can read in a streaming fashion also has ``stream(source, path, operators)``,
which takes a :class:`Source` (the file's lines, readable more than once) and yields
conversations and problems as it goes, holding a bounded amount of the file at a time (see
:data:`MAX_CONVERSATION_MESSAGES`, :data:`MAX_BUFFERED_CHARS`); its ``read`` is then
``collect(stream(TextSource(text), …))``. WhatsApp, plain text, JSONL and CSV stream;
Telegram's JSON and e-mail are read whole (up to :data:`MAX_WHOLE_BYTES`).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..compiled import regex
from ..errors import InputError, ReaderError
from .common import (
    MAX_BUFFERED_CHARS,
    MAX_CONVERSATION_MESSAGES,
    MAX_MESSAGE_CHARS,
    MAX_WHOLE_BYTES,
    FileSource,
    Item,
    Located,
    Problem,
    Reader,
    Reading,
    Source,
    TextSource,
    assign_roles,
    collect,
    is_operator_name,
    no_operator_error,
    no_operator_problem,
    require_operator,
    role_from_data,
)

if TYPE_CHECKING:
    from ..transcript import Transcript

__all__ = [
    "MAX_BUFFERED_CHARS",
    "MAX_CONVERSATION_MESSAGES",
    "MAX_MESSAGE_CHARS",
    "MAX_WHOLE_BYTES",
    "READERS",
    "FileSource",
    "Item",
    "Located",
    "Problem",
    "Reader",
    "ReaderError",
    "ReaderSpec",
    "Reading",
    "Source",
    "TextSource",
    "assign_roles",
    "collect",
    "Detection",
    "detect",
    "detection",
    "looks_like_conversation",
    "is_operator_name",
    "no_operator_error",
    "no_operator_problem",
    "read_transcripts",
    "reader_for",
    "require_operator",
    "role_from_data",
    "suffixes_for",
]


# ------------------------------------------------------------------ detection


class _Lazy:
    """A regular expression compiled when it is first used: the signatures of the transcript
    formats are read only for an input that the quick look (:func:`_no_signature`) does not
    settle, which a run on message files rarely meets (their nine patterns: ~2 ms of every
    start-up)."""

    __slots__ = ("_source", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


# 12-hour clocks: "2:05 PM", "2:05\u202fpm", "2:05 a.m.", Russian "2:05 пп" (after a space, NBSP or U+202F).
_WHATSAPP_AMPM = r"(?:\s?(?:[APap]\.?\s?[Mm]\.?|[ДдПп][Пп]\.?))?"
# Day/month-first «22.11.2026», «11/22/26» or year-first «2016-04-15,», «2019/01/01,» (with its
# comma: «[2026-11-22 14:05:33] Оператор Анна:» is a plain-text transcript).
_WHATSAPP_DATE = r"(?:\d{1,2}([./-])\d{1,2}\1\d{2,4}|\d{4}([./-])\d{1,2}\2\d{1,2}(?=,))"
_WHATSAPP_ANDROID = _Lazy(
    r"^[\u200e\u200f]*" + _WHATSAPP_DATE + r",?\s\d{1,2}[:.]\d{2}" + _WHATSAPP_AMPM + r"\s[-–]\s"
)
_WHATSAPP_IOS = _Lazy(
    r"^[\u200e\u200f]*\[" + _WHATSAPP_DATE + r",?\s\d{1,2}[:.]\d{2}(?:[:.]\d{2})?" + _WHATSAPP_AMPM + r"\]\s"
)
_TEXT_TRANSCRIPT = _Lazy(
    r"^\s*\[?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?\]?\s+[^:\n]{1,60}:(?!\d)"
)
# A Telegram chat copied as text from the desktop app: «Имя, [27.11.2026 10:15]», «Имя, 10:15».
_PASTED_DATED = _Lazy(
    r"^\s*[^\s,:\[\]][^,:\[\]]{0,59}?,\s\[(?:\d{1,2}[./]\d{1,2}[./]\d{2,4},?\s)?\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:[ \u202f]?[AaPp]\.?[Mm]\.?)?\]\s*$"
)
_PASTED_BARE = _Lazy(r"^\s*[^\s,:\[\]][^,:\[\]]{0,59}?,\s\d{1,2}:\d{2}\s*$")
# A line that starts with a date and a time and then a speaker: «27.11.2026 10:15 - Анна:»,
# «[2026-11-27 10:15] Анна:» (a conversation in a shape no reader knows).
_STAMPED_SPEAKER = _Lazy(
    r"^\s*\[?(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}),?[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
    r"[^\n]{0,12}?\]?\s*(?:[-–—]\s*)?[^\s:][^:\n]{0,59}:(?!\d)"
)
# «Имя:» at the start of a line: one to three capitalised words (or a role word) and a colon.
_SPEAKER_LINE = _Lazy(r"^\s*([A-ZА-ЯЁ][\w.\-]*(?: [A-ZА-ЯЁ][\w.\-]*){0,2}):[ \t]+\S")
# A conversation separator of plain-text transcripts: "--- conversation 42 ---".
_TEXT_SEPARATOR = _Lazy(r"^\s*-{3,}\s*(?:conversation|chat|диалог|чат)\s+\S.*?-{3,}\s*$", re.I)


_CSV_HEADER = regex(
    r"^\ufeff?\"?(?:time|author|role|text|conversation_id|время|автор|роль|текст|сообщение)\"?[;,\t]", re.I
)
_EML_HEADER = _Lazy(r"^(?:From|Subject|Date|Message-ID|Return-Path|Received|MIME-Version|To): ", re.I)


def _labelled_by_role(head: str) -> bool:
    label = re.sub(r"^\s*\[?[\d\- T:]+\]?\s+", "", head).rstrip(":")
    word = label.split()[0] if label.split() else ""
    return role_from_data(word) is not None


# ------------------------------------------------------------------ the table


class Head:
    """What detection sees of an input: its name's suffix and its first 64 KB. Its lines are
    split once, when it is made (every sniffer reads them: they were split again on each read;
    and a ``functools.cached_property`` takes a lock on every read before Python 3.12)."""

    __slots__ = ("suffix", "text", "lines", "first", "open")

    def __init__(self, suffix: str, text: str) -> None:
        self.suffix = suffix
        self.text = text
        self.lines: tuple[str, ...] = tuple(ln for ln in text[:8192].splitlines() if ln.strip())
        self.first: str = self.lines[0].lstrip("\ufeff") if self.lines else ""
        #: a name that says nothing: no suffix, ``.txt``, or one no reader claims (``.log``)
        self.open: bool = suffix in ("", ".txt") or not any(suffix in r.suffixes for r in READERS.values())

    @property
    def unnamed(self) -> bool:
        """No suffix or ``.txt``: stdin, a renamed export."""
        return self.suffix in ("", ".txt")


def _sniff_jsonl(h: Head) -> bool:
    first = h.first.rstrip()
    whole = first.startswith("{") and first.endswith("}") and '"text"' in first and '"messages"' not in first
    if whole and (h.suffix == ".json" or h.unnamed):
        # JSONL saved as .json: a whole message object on the first line (Telegram's result.json
        # is pretty-printed, its first line a lone "{"; minified, it has "messages")
        return True
    return h.open and first.lstrip().startswith("{") and '"text"' in first and not _sniff_transcript(h)


def _sniff_telegram(h: Head) -> bool:
    if not h.unnamed or h.text.lstrip("\ufeff \t\r\n")[:1] != "{":
        return False
    head = h.text[:4096]
    return '"messages"' in head or '"chats"' in head or '"personal_information"' in head


def _sniff_csv(h: Head) -> bool:
    if not h.unnamed:
        return False
    if _CSV_HEADER.match(h.first):
        return True
    # any header the CSV reader knows: at least two cells, one a text column and one another field
    first = h.first
    if not any(d in first for d in ";,\t") or len(first) > 2000:
        return False
    folded = first.replace("\ufeff", "").replace("ё", "е").replace("Ё", "Е").casefold()
    if not any(word in folded for word in _CSV_TEXT_WORDS):
        return False  # header_fields' own quick rejection, without importing the CSV reader
    from .csv import header_fields

    return header_fields(first) is not None


#: A word of every name the CSV reader knows for the text column (``readers.csv._TEXT_WORDS``,
#: kept equal by a test): a first line without one is no CSV header.
_CSV_TEXT_WORDS = ("body", "content", "message", "text", "сообщение", "текст")


def _sniff_email(h: Head) -> bool:
    return (h.unnamed and bool(_EML_HEADER.match(h.first))
            and bool(re.search(r"^Subject:|^From:", h.text[:16384], re.M | re.I)))


def _sniff_whatsapp(h: Head) -> bool:
    return h.open and bool(_WHATSAPP_IOS.match(h.first) or _WHATSAPP_ANDROID.match(h.first))


def _sniff_transcript(h: Head) -> bool:
    if not h.open:
        return False
    lines = h.lines
    head = lines[:5]
    if not head:
        return False
    first = h.first
    if _PASTED_DATED.match(first) or (
        _PASTED_BARE.match(first) and any(_PASTED_DATED.match(ln) or _PASTED_BARE.match(ln) for ln in lines[2:24])
    ):
        return True  # a Telegram chat copied as text
    m = _TEXT_TRANSCRIPT.match(first)
    if m and (any(_TEXT_TRANSCRIPT.match(ln) for ln in lines[1:12]) or _labelled_by_role(m.group(0))):
        # two speaker lines, or one whose label is a role («Клиент:», «Оператор Анна:»);
        # «10:00 курьер приедет по адресу: …» alone is a message
        return True
    # a transcript that opens with a conversation separator or a title line: the next line is a
    # message, and another one follows soon (continuation lines may stand between them)
    if len(head) > 1 and _TEXT_TRANSCRIPT.match(head[1]):
        if len(first) <= 200 and _TEXT_SEPARATOR.match(first):
            return True
        if any(_TEXT_TRANSCRIPT.match(ln) for ln in lines[2:12]):
            return True
    return False


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    """One ``--as`` format."""

    name: str
    module: str | None  # chatlint.readers.<module>: read(text, path, operators) [and stream(…)]
    suffixes: tuple[str, ...]  # searched for in directories; a suffix only this format has decides
    sniff: Callable[[Head], bool] | None  # claims an input by its content (checked before names)
    channel: str | None  # the export's own channel (None: the config's)
    verbatim: bool  # a message's lines are lines of the file (else one escaped string: JSON)
    help: str
    # options for ``read``/``stream`` from the config (e.g. CSV's column names)
    options: Callable[[Any], dict] | None = None
    # 8-bit input allowed (decoded by the reader per its declared charsets: e-mail)
    eight_bit: bool = False

    def reader(self) -> Any:
        """The reader's module (imported on first use): ``read`` and, if it streams, ``stream``."""
        if self.module is None:
            raise ValueError(f"no reader for {self.name!r}")
        return importlib.import_module(f"{__name__}.{self.module}")


def _csv_options(cfg: Any) -> dict:
    columns = getattr(cfg, "csv_columns", None)
    return {"columns": columns} if columns else {}


#: Every input format of ``chatlint check --as``, in the order detection asks them; a new
#: transcript format is a module and a line here.
READERS: dict[str, ReaderSpec] = {
    r.name: r
    for r in (
        ReaderSpec("jsonl", "jsonl", (".jsonl", ".ndjson"), _sniff_jsonl, None, False,
                   "chatlint JSONL, one message object a line"),
        ReaderSpec("telegram", "telegram", (".json",), _sniff_telegram, "messenger", False,
                   "Telegram Desktop's result.json"),
        ReaderSpec("csv", "csv", (".csv", ".tsv"), _sniff_csv, None, True,
                   "CSV with a header row (time, author, role, text, conversation_id)", options=_csv_options),
        ReaderSpec("email", "eml", (".eml",), _sniff_email, "email", True, "an e-mail (.eml)", eight_bit=True),
        ReaderSpec("whatsapp", "whatsapp", (".txt",), _sniff_whatsapp, "messenger", True,
                   "WhatsApp's «Export chat» .txt (Android or iOS)"),
        ReaderSpec("transcript", "text", (".txt",), _sniff_transcript, None, True,
                   "a plain-text transcript: «14:05 Клиент: текст» lines"),
        ReaderSpec("message", None, (".txt",), None, None, True, "the whole file is one operator message"),
    )
}


def suffixes_for(name: str = "auto") -> tuple[str, ...]:
    """The suffixes a directory is searched for when inputs are read as ``name``."""
    specs = READERS.values() if name == "auto" else [READERS[name]]
    return tuple(dict.fromkeys(sfx for r in specs for sfx in r.suffixes))


@dataclass(frozen=True, slots=True)
class Detection:
    """What ``--as auto`` decided about an input, and how sure it is.

    - ``by``: ``"content"`` (a reader's signature: on the first lines, or — ``confidence``
      0.8 — further down the first lines, after a title or stray text), ``"name"`` (the one
      format whose suffix the name has), or ``"default"`` (nothing claimed it: one operator
      message);
    - ``confidence``: 1.0 for a signature at the top, 0.8 further down, 0.6 by name, 0.5 for a
      message with nothing of a conversation, 0.1 for a message that looks like one;
    - ``conversation``: for a ``message``, why the input looks like a conversation (timestamped
      lines, «Имя:» lines, a reader's signature); None when it does not. Such an input is not to
      be checked or rewritten as one operator message without ``--as message``
      (:attr:`trusted` is False).
    """

    format: str
    by: str
    confidence: float
    conversation: str | None = None

    @property
    def trusted(self) -> bool:
        """Whether the input may be taken as detected (and, for a message, rewritten by ``--fix``)."""
        return self.conversation is None


def detection(path: str, text: str, suffix: str | None = None) -> Detection:
    """The format of an input by its content and name (``--as auto``): the first reader in
    :data:`READERS` whose ``sniff`` claims the content; else a reader whose signature is on a
    later line of the beginning; else the one format whose suffix the name has; else
    ``message``, with the reason it looks like a conversation if it does. ``text`` may be only
    the input's beginning (64 KB do)."""
    h = Head((Path(path).suffix if suffix is None else suffix).lower(), text[:65536])
    if h.unnamed and _no_signature(h):  # most message files: only a CSV header could claim them
        return Detection("csv", "content", 1.0) if _sniff_csv(h) else _A_MESSAGE
    return _detection(h)


_A_MESSAGE = Detection("message", "default", 0.5)
# What every signature but a CSV header needs on some line detection reads (a superset: the
# sniffers decide when it is there): a line that opens, after white space, bidi marks, a BOM or
# «[», with a date or a time («12.05.26», «2026-05-12», «14:05», WhatsApp's «14.05»: its dated
# lines, timed transcript lines, stamped speakers), a «{» (JSON) or an e-mail header in any
# case; a line that ends with «]» or a clock time (a Telegram chat pasted as text: «Анна,
# [27.11.2026 10:15]», «Анна, 10:15»); or two lines that open with one to three capitalised
# words and a colon (speakers: one such line, «Итого: …», is a line of a message).
_OPENS = regex(r"[\s\ufeff\u200e\u200f\[]*(?:\{|\d{1,2}[:./-]\d|\d{4}[./-]\d"
                    r"|(?i:from|subject|date|message-id|return-path|received|mime-version|to):)")
_LABEL = regex(r"[\s\ufeff\u200e\u200f\[]*[A-ZА-ЯЁ][\w.\-]*(?: [A-ZА-ЯЁ][\w.\-]*){0,2}:")


def _no_signature(h: Head) -> bool:
    """Whether no reader but CSV can claim ``h`` (an input with no suffix or ``.txt``) and it
    cannot look like a conversation: then :func:`_detection` decides ``message`` (0.5), or
    ``csv`` by the header; one look at each line instead of asking every sniffer about every
    line. Pinned against :func:`_detection` by tests/test_detection_fast.py."""
    opens, label = _OPENS.match, _LABEL.match
    labels = 0
    for ln in h.lines:
        end = ln.rstrip()
        last = end[-1:]
        if last == "]" or (last.isdigit() and end[-3:-2] == ":") or opens(ln):
            return False
        if label(ln):
            labels += 1
            if labels > 1:
                return False
    return True


def _detection(h: Head) -> Detection:
    """:func:`detection` asking every sniffer (the plain path)."""
    for r in READERS.values():
        if r.sniff is not None and r.sniff(h):
            return Detection(r.name, "content", 1.0)
    lines = h.lines[:200]
    if h.open:
        later = _signature_below(lines)
        if later is not None:
            return Detection(later, "content", 0.8)
    owners = [r.name for r in READERS.values() if h.suffix in r.suffixes]
    if len(owners) == 1:
        return Detection(owners[0], "name", 0.6)
    why = looks_like_conversation(lines)
    return Detection("message", "default", 0.1 if why else 0.5, why)


def detect(path: str, text: str) -> str:
    """The format :func:`detection` decides (``--as auto``)."""
    return detection(path, text).format


def _signature_below(lines: Sequence[str]) -> str | None:
    """A reader whose message lines start further down (after a title, a note, stray text):
    WhatsApp's dated lines, or two plain-text transcript lines (timed, or Telegram pasted)."""
    text_lines = 0
    for ln in lines[1:]:
        if _WHATSAPP_ANDROID.match(ln) or _WHATSAPP_IOS.match(ln):
            return "whatsapp"
        if _TEXT_TRANSCRIPT.match(ln) or _PASTED_DATED.match(ln):
            text_lines += 1
            if text_lines >= 2:
                return "transcript"
    return None


def looks_like_conversation(lines: Sequence[str]) -> str | None:
    """Why these lines (of an input no reader claimed) look like a conversation rather than one
    operator message, or None: lines that start with a date, a time and a speaker; a reader's
    message line; «Имя:» lines with a role word («Клиент:», «Оператор Анна:») or with a
    speaker who comes back after another one (a key–value list «Адрес: …», «Телефон: …» names
    each key once)."""
    stamped = [i for i, ln in enumerate(lines) if _STAMPED_SPEAKER.match(ln) or _PASTED_DATED.match(ln)
               or _WHATSAPP_ANDROID.match(ln) or _WHATSAPP_IOS.match(ln)]
    # «15:00 перезвоню: хорошо?» alone is a line of a message; two such lines are a log
    timed = [i for i, ln in enumerate(lines) if _TEXT_TRANSCRIPT.match(ln)]
    if stamped or len(timed) >= 2:
        first = min(stamped[:1] + timed[:1]) if stamped else timed[0]
        return f"line «{_shown(lines[first])}» starts with a time and a speaker"
    labels: list[tuple[int, str]] = []
    for i, ln in enumerate(lines):
        m = _SPEAKER_LINE.match(ln)
        if m:
            labels.append((i, m.group(1)))
    if len(labels) >= 2:
        for i, label in labels:
            if role_from_data(label.split()[0]) is not None:
                return f"line «{_shown(lines[i])}» names a speaker («{label}:»)"
        seen: dict[str, int] = {}
        for k, (i, label) in enumerate(labels):
            if label in seen and any(other != label for _, other in labels[seen[label] + 1:k]):
                return f"«{label}:» speaks again on line «{_shown(lines[i])}» after another speaker"
            seen.setdefault(label, k)
    return None


def _shown(line: str) -> str:
    line = line.strip()
    return line if len(line) <= 60 else line[:57] + "…"


def reader_for(fmt: str) -> Reader:
    """The ``read`` function of a format."""
    return READERS[fmt].reader().read


# ------------------------------------------------------------------ the public reading API


def read_transcripts(
    path: str | Path, as_: str = "auto", encoding: str | None = None, *, operators: Sequence[str] = ()
) -> list[Transcript]:
    """The conversations of an export file (``chatlint.read_transcripts``).

    ``as_`` is a format of :data:`READERS` or ``"auto"`` (:func:`detection`; an input that
    looks like a conversation no reader knows raises rather than being read as one message).
    ``encoding`` overrides the detected one (UTF-8 with or without a BOM, UTF-16 with a BOM,
    cp1251, koi8-r: :mod:`chatlint.encoding`).

    Reading never fails for want of operator names: every author is kept, and a message whose
    role is not in the data is a client's unless its author is one of ``operators`` (roles
    follow from the config or ``--operator`` when linting; the CLI passes them here). Lines
    the reader stepped over are not returned (the CLI reports them); input that cannot be read
    at all raises :class:`ReaderError` (or :class:`~chatlint.errors.InputError` for bytes that
    are not text). A ``message`` file is one transcript of one operator message.
    """
    from .. import encoding as encodings
    from ..transcript import Message, Transcript

    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_WHOLE_BYTES * 4:
            raise InputError(f"{p}: too large ({size / 1e6:.0f} MB) to read whole; use the CLI, which streams")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from None
    if as_ != "auto" and as_ not in READERS:
        raise ValueError(f"unknown format {as_!r} (formats: auto, {', '.join(READERS)})")
    head, _ = _decoded(data[:65536], encoding, encodings, partial=True)
    fmt = as_
    if fmt == "auto":
        found = detection(str(p), head)
        if not found.trusted:
            raise ReaderError(f"looks like a conversation, not one operator message ({found.conversation}): "
                              "give its format (as_=...)")
        fmt = found.format
    spec = READERS[fmt]
    if spec.eight_bit and encoding is None and not _is_utf8(data):
        text = data.decode("ascii", "surrogateescape")  # e-mail: each part in its declared charset
    else:
        text, _ = _decoded(data, encoding, encodings)
    if spec.module is None:
        return [Transcript(messages=(Message(text=text, role="operator"),), conversation_id=p.stem or None)]
    reading = spec.reader().read(text, str(p), list(operators))
    return reading.transcripts


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decoded(data: bytes, encoding: str | None, encodings: Any, partial: bool = False) -> tuple[str, Any]:
    if partial:
        try:
            enc = encodings.Encoding(encodings.check_name(encoding), "given") if encoding else encodings.detect(
                data, complete=False)
        except InputError:
            return data.decode("utf-8", "ignore"), None
        codec = "utf-8-sig" if enc.is_utf8 else enc.codec
        return data.decode(codec, "ignore").lstrip("\ufeff"), enc
    return encodings.decode(data, encoding)
