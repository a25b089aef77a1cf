"""Transcript readers: one module per export format (SPEC §6), and ``--as auto`` detection.

Every reader is a function ``read(text, path, operators) -> Reading``:

- ``text`` is the whole file, already decoded (UTF-8, BOM removed);
- ``path`` is shown in messages only (readers never open files themselves);
- ``operators`` are the configured operator names (``operators`` in the config), used where
  the data has no roles.

A reader returns every conversation it could read plus the *problems* it stepped over (a
broken JSONL line, a CSV row without text): those are reported with their line number while
the rest is still checked. Input that cannot be read at all raises :class:`ReaderError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..transcript import Message, Transcript

FORMATS = ("message", "transcript", "telegram", "whatsapp", "csv", "jsonl", "email")


class ReaderError(Exception):
    """Input that cannot be read: ``str(exc)`` is the one-line reason (with the line, if any)."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line is not None else reason)


@dataclass(frozen=True, slots=True)
class Problem:
    """A part of the input that was skipped (or read in part, e.g. a message kept without its
    unreadable time); the rest of the file is still checked."""

    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line is not None else self.reason


@dataclass(slots=True)
class Reading:
    transcripts: list[Transcript] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


Reader = Callable[[str, str, Sequence[str]], Reading]


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


def no_operator_error(path: str, authors: Sequence[str]) -> ReaderError:
    names = ", ".join(f"«{a}»" for a in list(dict.fromkeys(a for a in authors if a))[:6]) or "none"
    return ReaderError(
        f"no operator can be identified (authors: {names}): list the operators' names in the "
        "config (`operators = [\"Анна\"]` in chatlint.toml or [tool.chatlint]) or give the data a role"
    )


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


def require_operator(transcripts: list[Transcript], path: str) -> None:
    """Raise the "configure your operators" error when no message of any transcript is an
    operator's (a file of only clients cannot be checked)."""
    if not any(m.role == "operator" for t in transcripts for m in t.messages):
        authors = [m.author or "" for t in transcripts for m in t.messages]
        if authors:
            raise no_operator_error(path, authors)


# ------------------------------------------------------------------ detection

# 12-hour clocks: "2:05 PM", "2:05\u202fpm", "2:05 a.m.", Russian "2:05 пп" (after a space, NBSP or U+202F).
_WHATSAPP_AMPM = r"(?:\s?(?:[APap]\.?\s?[Mm]\.?|[ДдПп][Пп]\.?))?"
_WHATSAPP_ANDROID = re.compile(
    r"^[\u200e\u200f]*\d{1,2}([./-])\d{1,2}\1\d{2,4},?\s\d{1,2}[:.]\d{2}" + _WHATSAPP_AMPM + r"\s[-–]\s"
)
_WHATSAPP_IOS = re.compile(
    r"^[\u200e\u200f]*\[\d{1,2}([./-])\d{1,2}\1\d{2,4},?\s\d{1,2}[:.]\d{2}(?:[:.]\d{2})?" + _WHATSAPP_AMPM + r"\]\s"
)
_TEXT_TRANSCRIPT = re.compile(
    r"^\s*\[?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?\]?\s+[^:\n]{1,60}:(?!\d)"
)
# A conversation separator of plain-text transcripts: "--- conversation 42 ---".
_TEXT_SEPARATOR = re.compile(r"^\s*-{3,}\s*(?:conversation|chat|диалог|чат)\s+\S.*?-{3,}\s*$", re.I)


def detect(path: str, text: str) -> str:
    """The format of an input by its name and first lines (``--as auto``)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        first_line = text[:8192].lstrip("\ufeff \t\r\n").split("\n", 1)[0].rstrip()
        # JSONL saved as .json: a whole message object on the first line (Telegram's result.json
        # is pretty-printed, its first line a lone "{"; minified, it has "messages")
        if (
            first_line.startswith("{")
            and first_line.endswith("}")
            and '"text"' in first_line
            and '"messages"' not in first_line
        ):
            return "jsonl"
        return "telegram"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".eml":
        return "email"
    lines = [ln for ln in text[:8192].splitlines() if ln.strip()]
    head = lines[:5]
    if not head:
        return "message"
    first = head[0].lstrip("\ufeff")
    if _WHATSAPP_IOS.match(first) or _WHATSAPP_ANDROID.match(first):
        return "whatsapp"
    if not suffix or suffix == ".txt":
        sniffed = _sniff_structured(text, first)
        if sniffed:
            return sniffed
    m = _TEXT_TRANSCRIPT.match(first)
    if m and (any(_TEXT_TRANSCRIPT.match(ln) for ln in lines[1:12]) or _labelled_by_role(m.group(0))):
        # two speaker lines, or one whose label is a role («Клиент:», «Оператор Анна:»);
        # «10:00 курьер приедет по адресу: …» alone is a message
        return "transcript"
    # a transcript that opens with a conversation separator or a title line: the next line is a
    # message, and another one follows soon (continuation lines may stand between them)
    if len(head) > 1 and _TEXT_TRANSCRIPT.match(head[1]):
        if len(first) <= 200 and _TEXT_SEPARATOR.match(first):
            return "transcript"
        more = [ln for ln in text[:8192].splitlines() if ln.strip()][2:12]
        if any(_TEXT_TRANSCRIPT.match(ln) for ln in more):
            return "transcript"
    if first.lstrip().startswith("{") and '"text"' in first:
        return "jsonl"
    return "message"


_CSV_HEADER = re.compile(
    r"^\ufeff?\"?(?:time|author|role|text|conversation_id|время|автор|роль|текст|сообщение)\"?[;,\t]", re.I
)
_EML_HEADER = re.compile(r"^(?:From|Subject|Date|Message-ID|Return-Path|Received|MIME-Version|To): ", re.I)


def _labelled_by_role(head: str) -> bool:
    label = re.sub(r"^\s*\[?[\d\- T:]+\]?\s+", "", head).rstrip(":")
    word = label.split()[0] if label.split() else ""
    return role_from_data(word) is not None


def _sniff_structured(text: str, first: str) -> str | None:
    """A structured export without a telling name (stdin, a renamed file): Telegram's JSON,
    JSONL, a CSV with a known header, or an e-mail's headers."""
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start == "{":
        if first.rstrip().endswith("}") and '"text"' in first and '"messages"' not in first:
            return "jsonl"
        head = text[:4096]
        if '"messages"' in head or '"chats"' in head or '"personal_information"' in head:
            return "telegram"
    if _CSV_HEADER.match(first):
        return "csv"
    if _EML_HEADER.match(first) and re.search(r"^Subject:|^From:", text[:16384], re.M | re.I):
        return "email"
    return None


def reader_for(fmt: str) -> Reader:
    """The reader of a format (imported on first use)."""
    if fmt == "jsonl":
        from .jsonl import read
    elif fmt == "transcript":
        from .text import read
    elif fmt == "telegram":
        from .telegram import read
    elif fmt == "whatsapp":
        from .whatsapp import read
    elif fmt == "csv":
        from .csv import read
    elif fmt == "email":
        from .eml import read
    else:
        raise ValueError(f"no reader for {fmt!r}")
    return read
