"""Output formats for the CLI: each turns (path, text, findings) records into a string."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from ..findings import Finding
from ..transcript import Message


@dataclass(frozen=True, slots=True)
class Report:
    """The findings of one checked input, with its text for showing the offending lines.

    For a transcript, ``messages`` holds the messages that have findings, by
    (conversation_id, message_index): a finding's offsets are into its message's text.
    """

    path: str
    text: str
    findings: list[Finding]
    messages: dict[tuple[str | None, int], Message] = field(default_factory=dict)
    # whether a message's lines are lines of the file (text, WhatsApp, CSV, e-mail) or not
    # (JSONL, Telegram's JSON: a message is one escaped string)
    verbatim: bool = True

    def message_of(self, f: Finding) -> Message | None:
        if f.message_index is None:
            return None
        return self.messages.get((f.conversation_id, f.message_index))

    def text_of(self, f: Finding) -> str:
        """The text the finding's offsets point into: its message's, or the whole input's."""
        m = self.message_of(f)
        return m.text if m is not None else self.text

    def file_line(self, f: Finding) -> int | None:
        """The line of the input file a finding is on (for a transcript finding: where its
        message starts plus its line in the message), or None when unknown."""
        if f.message_index is None:
            return f.line
        m = self.message_of(f)
        if m is None or m.source_line is None:
            return None
        return m.source_line + f.line - 1 if self.verbatim else m.source_line


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=64)
def utf16_mapper(text: str) -> Callable[[int], int]:
    """``str`` offset -> UTF-16 code-unit offset for many offsets of one text, O(log n) each:
    browsers (JavaScript string indices) count an astral character such as an emoji as two
    units. Offsets are clamped into the text."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    n = len(text)
    if not astral:
        return lambda i: min(max(i, 0), n)
    return lambda i: (j := min(max(i, 0), n)) + bisect_left(astral, j)


def utf16_offset(text: str, offset: int) -> int:
    """The UTF-16 code-unit offset of a ``str`` offset (see :func:`utf16_mapper`)."""
    return utf16_mapper(text)(offset)


def finding_record(report: Report, f: Finding) -> dict:
    """A finding as JSON-able data: the SPEC §1 fields, ``path``, and UTF-16 offsets."""
    d = f.model_dump(mode="json")
    d["path"] = report.path
    text = report.text_of(f)
    d["start_utf16"] = utf16_offset(text, f.start)
    d["end_utf16"] = utf16_offset(text, f.end)
    if f.message_index is not None:
        d["file_line"] = report.file_line(f)
    return d
