"""Output formats of ``chatlint check``: the :data:`FORMATS` table (``--format`` choices and
rendering come from it), the :class:`Report` every format reads, and what formats share.

Adding an output format: a module here with ``stream(reports, options)`` and one line in
:data:`FORMATS` (CONTRIBUTING.md, "Add an output format"); one whose ``--jobs`` workers render
its reports (a ``chunk(report, options)``) also says what its stream writes between two
reports (``JOIN``).
"""

from __future__ import annotations

import bisect
import importlib
import os
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..compiled import regex
from ..findings import SEVERITY_RANK, finding_record, utf16_mapper, utf16_offset

if TYPE_CHECKING:
    from ..findings import PlainFinding as Finding
    from ..transcript import Message

__all__ = [
    "FORMATS",
    "Failure",
    "Status",
    "closing_line",
    "LineIndex",
    "artifact_path",
    "Options",
    "OutputFormat",
    "Rendered",
    "Report",
    "located_record",
    "prerender",
    "printable",
    "render",
    "stream",
    "utf16_mapper",
    "utf16_offset",
]


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
    # the rules' one-line summaries (in the configuration's language), for JSON records
    summaries: Mapping[str, str] = field(default_factory=dict)

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


@dataclass(frozen=True, slots=True)
class Rendered:
    """A report already rendered by a worker process of ``--jobs`` (:func:`prerender`): the
    format's text for it and the counts the format keeps across reports, so the main process
    only writes the text (no findings to unpickle, nothing to render twice)."""

    format: str
    text: str
    findings: int  # how many findings the text holds
    fixable: int = 0  # of them, fixable by ``--fix`` (the text format's closing line)
    worst: int = -1  # the highest severity rank among them (the exit code)


_CHUNKS: dict = {}  # format name -> its module's ``chunk`` (None: it has none)


def prerender(name: str, report: Report, options: Options | None = None) -> Rendered | None:
    """``report`` rendered in format ``name`` the way :func:`stream` renders it among others,
    or None when the format cannot render it alone (the format's ``chunk`` says so: SARIF with
    a rule code that is not registered, whose index depends on the reports before it)."""
    chunk = _CHUNKS.get(name, _CHUNKS)
    if chunk is _CHUNKS:  # the format's module, once (a worker renders thousands of reports)
        chunk = _CHUNKS[name] = getattr(importlib.import_module(f"{__name__}.{FORMATS[name].module}"), "chunk", None)
    if chunk is None:
        return None
    done = chunk(report, options or Options())
    if done is None:
        return None
    text, fixable = done
    worst = max((SEVERITY_RANK[f.severity] for f in report.findings), default=-1)
    return Rendered(name, text, len(report.findings), fixable, worst)


def joined(*parts: Rendered) -> Rendered:
    """Reports rendered one after the other by a worker, as one: what the format's ``stream``
    writes for them in turn is what it writes for the result (their texts joined by the
    format's ``JOIN``, what its stream puts between two reports; the counts added, the worst
    kept). A report without findings, which no stream writes, adds nothing but its worst. A
    ``--jobs`` worker hands its batch's reports on joined: the main process writes a text a
    batch, not one a file."""
    first = parts[0]
    if len(parts) == 1:
        return first
    name = first.format
    join = _JOINS.get(name, _JOINS)
    if join is _JOINS:
        join = _JOINS[name] = importlib.import_module(f"{__name__}.{FORMATS[name].module}").JOIN
    shown = [p for p in parts if p.findings]
    return Rendered(name, join.join(p.text for p in shown), sum(p.findings for p in shown),
                    sum(p.fixable for p in shown), max(p.worst for p in parts))


_JOINS: dict = {}  # format name -> its module's ``JOIN`` (what its stream writes between two reports)


def line_stream(reports: Iterable[Report | Rendered], options: Options | None, chunk, failure_line) -> Iterator[str]:
    """The stream of a format that writes a line per finding (JSON Lines, GitHub annotations):
    each report with findings as its ``chunk`` renders it (or as a worker already rendered it),
    then a line per input that could not be read (``failure_line`` of each)."""
    for rep in reports:
        if rep.findings:
            yield rep.text if isinstance(rep, Rendered) else chunk(rep)[0]
    status = options.status if options is not None else None
    if status is not None and status.failures:
        yield "".join(failure_line(f) + "\n" for f in status.failures)


def located_record(report: Report, f: Finding) -> dict:
    """A finding of a checked input as JSON-able data: the one serialiser's record
    (:func:`chatlint.findings.finding_record`, what the server returns too) plus ``path`` and,
    for a transcript finding, ``file_line``."""
    d = finding_record(f, report.text_of(f), report.summaries.get(f.code, ""))
    d["path"] = report.path
    if f.message_index is not None:
        d["file_line"] = report.file_line(f)
    return d


# ------------------------------------------------------------------ failures


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that failed: not read at all (``kind="unread"``: missing, binary, not text,
    too large, no operator…), read only in part (``"partial"``: lines the reader skipped; the
    rest was checked), or checked but not rewritten by ``--fix`` (``"unfixed"``)."""

    path: str
    reason: str
    line: int | None = None
    kind: str = "unread"

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{self.path}: {where}{self.reason}"

    def record(self) -> dict:
        """The failure in a JSON output: an ``error`` record (a finding record has ``code``
        instead): ``{"path", "error", "line", "read"}``, ``read`` being ``none``, ``partial``
        or ``whole`` (``--fix`` failed on a file that was checked)."""
        read = {"unread": "none", "partial": "partial"}.get(self.kind, "whole")
        return {"path": self.path, "error": self.reason, "line": self.line, "read": read}


@dataclass(slots=True)
class Status:
    """What failed in a run, filled as the reports are consumed: every format reads it once
    the reports are out, so that no output says or implies that everything passed."""

    failures: list[Failure] = field(default_factory=list)
    # what the run assumed about an input and said on stderr (the encoding of a file that was
    # not UTF-8): ``Failure(kind="note")``, never counted as a failure
    notes: list[Failure] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Files by kind of failure, each file counted once (its worst failure)."""
        worst: dict[str, str] = {}
        order = {"unread": 0, "partial": 1, "unfixed": 2}
        for f in self.failures:
            k = worst.get(f.path)
            if k is None or order[f.kind] < order[k]:
                worst[f.path] = f.kind
        counts = {"unread": 0, "partial": 0, "unfixed": 0}
        for k in worst.values():
            counts[k] += 1
        return counts


def _ru_plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def failed_phrase(status: Status | None, lang: str = "en") -> str | None:
    """«2 файла не удалось прочитать, 1 файл прочитан не полностью» / "2 files could not be
    read, 1 file was read only in part", or None when nothing failed."""
    if status is None or not status.failures:
        return None
    c = status.counts()
    parts = []
    if lang == "ru":
        if n := c["unread"]:
            parts.append(f"{n} {_ru_plural(n, 'файл', 'файла', 'файлов')} не удалось прочитать")
        if n := c["partial"]:
            verb = _ru_plural(n, "прочитан", "прочитаны", "прочитаны")
            parts.append(f"{n} {_ru_plural(n, 'файл', 'файла', 'файлов')} {verb} не полностью")
        if n := c["unfixed"]:
            parts.append(f"{n} {_ru_plural(n, 'файл', 'файла', 'файлов')} не удалось исправить")
    else:
        if n := c["unread"]:
            parts.append(f"{n} file{'s' * (n != 1)} could not be read")
        if n := c["partial"]:
            parts.append(f"{n} file{'s were' if n != 1 else ' was'} read only in part")
        if n := c["unfixed"]:
            parts.append(f"{n} file{'s' * (n != 1)} could not be fixed")
    return ", ".join(parts)


def closing_line(total: int, fixable: int, status: Status | None, lang: str = "en", marked: bool = True) -> str:
    """The last line of a text output: how many findings, how many fixable, and what failed;
    never "no findings" or "all checked" when an input failed."""
    failed = failed_phrase(status, lang)
    if lang == "ru":
        if total:
            tail = f" ({fixable} можно исправить с `--fix`{', отмечены [*]' if marked else ''})" if fixable else ""
            head = f"Найдено {total} {_ru_plural(total, 'замечание', 'замечания', 'замечаний')}{tail}."
        else:
            head = "Проверено всё: замечаний нет." if failed is None else "В прочитанном замечаний: 0."
        return head if failed is None else f"{head} Проверено не всё: {failed} (ошибки выше)."
    if total:
        tail = f" ({fixable} fixable with `--fix`{', marked [*]' if marked else ''})" if fixable else ""
        head = f"Found {total} finding{'s' * (total != 1)}{tail}."
    else:
        head = "All checked: no findings." if failed is None else "0 findings in what was read."
    return head if failed is None else f"{head} Not everything was checked: {failed} (see the errors above)."


# ------------------------------------------------------------------ locations

_NEWLINE = regex(r"\r\n|\r|\n")


def artifact_path(path: str) -> str:
    """The report's path as a relative, forward-slash path; ``-`` (stdin) becomes ``stdin``."""
    if path in ("-", ""):
        return "stdin"
    p = path.replace("\\", "/")
    if os.path.isabs(p):
        try:
            p = Path(p).resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return p  # outside the working directory: keep it absolute
    p = posixpath.normpath(p)
    return p[2:] if p.startswith("./") else p


class LineIndex:
    """Maps ``str`` offsets of one text to 1-based (line, column), columns in code points."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def region(self, start: int, end: int) -> dict:
        """A SARIF text region: start line/column, end line/column, char offset/length.

        ``endLine`` is the line of the region's last character and ``endColumn`` the column
        just after it (SARIF §3.30), so a span that ends with a line break ends on that line.
        """
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        sl, sc = self.position(start)
        if end > start:
            el, last_col = self.position(end - 1)
            ec = last_col + 1
        else:
            el, ec = sl, sc
        return {
            "startLine": sl,
            "startColumn": sc,
            "endLine": el,
            "endColumn": ec,
            "charOffset": start,
            "charLength": end - start,
        }


# ------------------------------------------------------------------ the table


@dataclass(frozen=True, slots=True)
class Options:
    """What a format may be asked for besides the reports."""

    show_source: bool = True  # text: show the offending line under each finding
    # what failed (filled while the reports are consumed; read by every format at the end)
    status: Status | None = None
    lang: str = "en"  # the language of the text outputs' closing line (``--lang``, ``lang``)


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """One ``--format``: its module (``chatlint/formats/<module>.py``) defines
    ``stream(reports, options) -> Iterator[str]``, which consumes the reports lazily (one
    input, or one conversation of a large transcript, at a time) and yields the output in
    pieces."""

    name: str
    module: str
    help: str
    summary: bool = False  # whether ``--summary`` and ``--statistics`` can print in it


#: Every output format of ``chatlint check --format``: a new one is a module and a line here.
FORMATS: dict[str, OutputFormat] = {
    f.name: f
    for f in (
        OutputFormat("text", "text", "human-readable, with the offending span shown (default)", summary=True),
        OutputFormat("json", "json", "one JSON array of findings, one finding a line", summary=True),
        OutputFormat("jsonl", "jsonl", "JSON Lines: one finding record a line, nothing around them (streaming)"),
        OutputFormat("sarif", "sarif", "SARIF 2.1.0, for code-scanning dashboards"),
        OutputFormat("github", "github", "GitHub Actions workflow annotations"),
        OutputFormat("csv", "csv", "one row per finding, for a spreadsheet (with --summary: one row per "
                     "conversation with its score and criteria)", summary=True),
    )
}


def stream(name: str, reports: Iterable[Report], options: Options | None = None) -> Iterator[str]:
    """The output of ``reports`` in format ``name``, in pieces (reports are consumed lazily)."""
    fmt = FORMATS[name]
    module = importlib.import_module(f"{__name__}.{fmt.module}")
    return module.stream(reports, options or Options())


def render(name: str, reports: Iterable[Report], options: Options | None = None) -> str:
    """The whole output of ``reports`` in format ``name``."""
    return "".join(stream(name, reports, options))


# ------------------------------------------------------------------ control characters

# C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks, line and paragraph
# separators: in a file name, a speaker's name or a conversation id they would move the
# cursor, retitle the terminal, ring its bell, overwrite or reorder the line (a faked report).
_CONTROL = regex(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\x1b": "\\e"}


def _escape_one(m: re.Match) -> str:
    ch = m.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_CONTROL_BUT_NEWLINES = regex(_CONTROL.pattern.replace(r"\x00-\x1f", r"\x00-\x09\x0b\x0c\x0e-\x1f"))


def printable(text: str, newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\e``, ``\\x07``,
    ``\\r``, ``\\u202e``): for names, ids and paths in text outputs. ``newlines=True``
    keeps CR and LF (for a format that escapes them its own way)."""
    pattern = _CONTROL_BUT_NEWLINES if newlines else _CONTROL
    return pattern.sub(_escape_one, text) if pattern.search(text) else text
