"""Output formats for the CLI: each turns (path, text, findings) records into a string."""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Finding


@dataclass(frozen=True, slots=True)
class Report:
    """The findings of one checked input, with its text for showing the offending lines."""

    path: str
    text: str
    findings: list[Finding]


def utf16_offset(text: str, offset: int) -> int:
    """The UTF-16 code-unit offset of a ``str`` offset: browsers count emoji as two units."""
    prefix = text[:offset]
    return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def finding_record(report: Report, f: Finding) -> dict:
    """A finding as JSON-able data: the SPEC §1 fields, ``path``, and UTF-16 offsets."""
    d = f.model_dump(mode="json")
    d["path"] = report.path
    d["start_utf16"] = utf16_offset(report.text, f.start)
    d["end_utf16"] = utf16_offset(report.text, f.end)
    return d
