"""Output formats for the CLI: each turns (path, text, findings) records into a string."""

from __future__ import annotations

from dataclasses import dataclass, field

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
        return m.source_line + f.line - 1


def utf16_offset(text: str, offset: int) -> int:
    """The UTF-16 code-unit offset of a ``str`` offset: browsers count emoji as two units."""
    prefix = text[:offset]
    return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


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
