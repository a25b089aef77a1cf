"""``--format jsonl``: JSON Lines, one finding record a line and nothing around them, for
streaming an archive's findings into another tool (``jq``, a log shipper, a database loader).

Each line is what ``--format json`` puts in its array (:func:`chatlint.formats.located_record`:
the SPEC §1 fields, UTF-16 offsets, the rule's summary, ``path`` and, for a transcript
finding, ``file_line``), written as each input (or conversation) is checked. An input that
failed is a line with ``error`` instead of ``code`` (:meth:`chatlint.formats.Failure.record`)
at the end; the exit code is then 2. No findings: no output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from . import Options, Rendered, Report, line_stream, located_record

#: What the stream writes between the text of two reports (:func:`chatlint.formats.joined`): nothing.
JOIN = ""


def chunk(rep: Report, options: Options | None = None) -> tuple[str, int]:
    """The lines of one report."""
    return "".join(json.dumps(located_record(rep, f), ensure_ascii=False) + "\n" for f in rep.findings), 0


def stream(reports: Iterable[Report | Rendered], options: Options | None = None) -> Iterator[str]:
    return line_stream(reports, options, chunk, lambda f: json.dumps(f.record(), ensure_ascii=False))
