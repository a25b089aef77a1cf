"""``--format json``: one JSON array of findings, each with the SPEC §1 fields and ``path``.

One finding a line (``[`` and ``]`` on lines of their own): readable and grep-able, and
written by the C encoder (``indent`` would fall back to the pure-Python one, which costs
more than the linting of a large transcript).
"""

from __future__ import annotations

import json

from . import Report, finding_record


def render(reports: list[Report]) -> str:
    records = [json.dumps(finding_record(rep, f), ensure_ascii=False) for rep in reports for f in rep.findings]
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(records) + "\n]\n"
