"""``--format json``: one JSON array of findings, each with the SPEC §1 fields and ``path``."""

from __future__ import annotations

import json

from . import Report, finding_record


def render(reports: list[Report]) -> str:
    records = [finding_record(rep, f) for rep in reports for f in rep.findings]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
