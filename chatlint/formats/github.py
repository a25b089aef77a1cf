"""``--format github``: GitHub Actions workflow commands, one annotation per finding::

    ::warning file=msg.txt,line=1,col=11,endLine=1,endColumn=13,title=A001 formal-you-lowercase::«вы» со строчной…

``error`` → ``::error``, ``warning`` → ``::warning``, ``info`` → ``::notice``. Columns are
1-based code points; ``endColumn`` is the column just after the span's last character.
Values are escaped as the Actions runner expects: in the message ``%``, CR and LF; in
properties also ``:`` and ``,``. Control characters in file names, conversation ids and
speakers' names are shown as escapes (``\\e``, ``\\x07``), never passed to the terminal.

Input read from stdin has no file to annotate, so its findings carry no location; findings
of a transcript (``message_index`` set) name the file and the line where the reader found the
message (no columns: their offsets are into the message), and their message starts with
``[conversation #N speaker]`` (N counts messages from 1, like the text format).

An input that failed is an ``::error`` annotation on its file (and line, when known), titled
``chatlint: input not checked`` (not read) or ``chatlint: input error`` (read in part, or not
rewritten by ``--fix``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import Failure, LineIndex, Options, Rendered, Report, artifact_path, line_stream, printable

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=…``, ``title=…``) of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _transcript_prefix(f) -> str:
    parts = []
    if f.conversation_id is not None:
        parts.append(printable(str(f.conversation_id)))
    parts.append(f"#{f.message_index + 1}")  # 1-based, like the text format's "message N"
    if f.speaker:
        parts.append(printable(str(f.speaker)))
    return "[" + " ".join(parts) + "] "


def annotation(rep: Report, f, index: LineIndex | None = None, file: str | None = None) -> str:
    """One workflow command line (without the line break) for finding ``f`` of ``rep``;
    ``file``: the report's :func:`_file`, when the caller has it."""
    props: list[tuple[str, str]] = []
    message = printable(f.message, newlines=True)  # CR and LF are escaped as the runner expects
    if rep.path not in ("-", ""):
        props.append(("file", _file(rep) if file is None else file))
        if f.message_index is None:
            region = (index or LineIndex(rep.text)).region(f.start, f.end)
            props += [
                ("line", str(region["startLine"])),
                ("col", str(region["startColumn"])),
                ("endLine", str(region["endLine"])),
                ("endColumn", str(region["endColumn"])),
            ]
        elif (line := rep.file_line(f)) is not None:
            props.append(("line", str(line)))
    if f.message_index is not None:
        message = _transcript_prefix(f) + message
    props.append(("title", printable(f"{f.code} {f.name}")))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS.get(f.severity, 'warning')} {head}::{escape_data(message)}"


def failure_annotation(f: Failure) -> str:
    """An ``::error`` for an input that failed (not read, read in part, not rewritten)."""
    props = []
    if f.path not in ("-", ""):
        props.append(("file", printable(artifact_path(f.path))))
        if f.line is not None:
            props.append(("line", str(f.line)))
    props.append(("title", "chatlint: input not checked" if f.kind == "unread" else "chatlint: input error"))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::error {head}::{escape_data(printable(f.reason, newlines=True))}"


def _file(rep: Report) -> str:
    """The ``file=`` of a report's annotations (an absolute path is resolved: once a report)."""
    return printable(artifact_path(rep.path))


#: What the stream writes between the text of two reports (:func:`chatlint.formats.joined`): nothing.
JOIN = ""


def chunk(rep: Report, options: Options | None = None) -> tuple[str, int]:
    """The annotations of one report, a line each."""
    index = LineIndex(rep.text) if any(f.message_index is None for f in rep.findings) else None
    file = _file(rep) if rep.path not in ("-", "") else None
    return "".join(annotation(rep, f, index, file) + "\n" for f in rep.findings), 0


def stream(reports: Iterable[Report | Rendered], options: Options | None = None) -> Iterator[str]:
    return line_stream(reports, options, chunk, failure_annotation)


def render(reports: Iterable[Report]) -> str:
    return "".join(stream(reports))
