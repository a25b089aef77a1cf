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
from pathlib import Path

from ..errors import ReaderError
from .common import (
    Problem,
    Reader,
    Reading,
    assign_roles,
    is_operator_name,
    no_operator_error,
    require_operator,
    role_from_data,
)

__all__ = [
    "Problem",
    "Reader",
    "ReaderError",
    "Reading",
    "assign_roles",
    "detect",
    "is_operator_name",
    "no_operator_error",
    "reader_for",
    "require_operator",
    "role_from_data",
]

FORMATS = ("message", "transcript", "telegram", "whatsapp", "csv", "jsonl", "email")


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
