"""``--format csv``: one row per finding (``path, file_line, conversation_id, message_index,
line, column, code, severity, name, message``), for a spreadsheet; with ``--summary``, one
row per conversation with its score and a column per scorecard criterion
(:mod:`chatlint.report.tables`).

A cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return: a client's or an author's text can) is written with a leading
``'``, as OWASP advises against CSV injection. An input that failed is a row with
``error`` in the code column and the reason as its message.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from . import Options, Rendered, Report

HEADER = ("path", "file_line", "conversation_id", "message_index", "line", "column", "code", "severity", "name",
          "message")


def cell(value) -> str:
    """A value as a CSV cell a spreadsheet shows as text (never runs as a formula)."""
    if value is None:
        return ""
    text = str(value)
    if text and text[0] in "=+-@\t\r" and not _number(text):
        return "'" + text
    return text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def rows_to_csv(rows: Iterable[Iterable]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow([cell(v) for v in row])
    return buf.getvalue()


#: What the stream writes between the text of two reports (:func:`chatlint.formats.joined`): nothing.
JOIN = ""


def chunk(rep: Report, options: Options | None = None) -> tuple[str, int]:
    """The rows of one report."""
    rows = []
    for f in rep.findings:
        file_line = rep.file_line(f) if f.message_index is not None else None
        rows.append((rep.path, file_line, f.conversation_id, f.message_index, f.line, f.column, f.code,
                     f.severity, f.name, f.message))
    return rows_to_csv(rows), 0


def stream(reports: Iterable[Report | Rendered], options: Options | None = None) -> Iterator[str]:
    yield rows_to_csv([HEADER])
    for rep in reports:
        if rep.findings:
            yield rep.text if isinstance(rep, Rendered) else chunk(rep)[0]
    status = options.status if options is not None else None
    if status is not None and status.failures:
        yield rows_to_csv((f.path, f.line, None, None, None, None, "error", "error", f.kind, f.reason)
                          for f in status.failures)
