"""``--format json``: one JSON array of findings, each the one serialiser's record
(:func:`chatlint.findings.finding_record`: the SPEC §1 fields, UTF-16 offsets, the rule's
summary; the server returns the same) plus ``path`` (and ``file_line`` for a transcript).

One finding a line (``[`` and ``]`` on lines of their own): readable and grep-able, written
as the reports come (a large transcript never has all its findings in memory), and by the C
encoder (``indent`` would fall back to the pure-Python one, which costs more than the linting
of a large transcript).

An input that failed (not read, read in part, not rewritten by ``--fix``) is a record at the
end of the array with ``error`` instead of ``code``: ``{"path", "error", "line", "read"}``
(:meth:`chatlint.formats.Failure.record`); the exit code is then 2.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from . import Options, Rendered, Report, located_record

#: What the stream writes between the records of two reports (:func:`chatlint.formats.joined`).
JOIN = ",\n"


def chunk(rep: Report, options: Options | None = None) -> tuple[str, int]:
    """The records of one report, one a line, without the separators around them."""
    return ",\n".join(json.dumps(located_record(rep, f), ensure_ascii=False) for f in rep.findings), 0


def stream(reports: Iterable[Report | Rendered], options: Options | None = None) -> Iterator[str]:
    opened = False
    for rep in reports:
        if not rep.findings:
            continue
        records = rep.text if isinstance(rep, Rendered) else chunk(rep)[0]
        yield (",\n" if opened else "[\n") + records
        opened = True
    status = options.status if options is not None else None
    if status is not None and status.failures:
        records = ",\n".join(json.dumps(f.record(), ensure_ascii=False) for f in status.failures)
        yield (",\n" if opened else "[\n") + records
        opened = True
    yield "\n]\n" if opened else "[]\n"


def render(reports: Iterable[Report]) -> str:
    return "".join(stream(reports))
