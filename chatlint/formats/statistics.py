"""``--statistics``: how many findings of each rule, like ``ruff --statistics``::

    3  A001  [*] formal-you-lowercase
    2  A006  [*] excessive-punctuation
    1  G002      greeting-informal
    Found 6 findings (5 fixable with `--fix`).

Sorted by count (most first), then by code. ``[*]`` marks a code at least one of whose
findings has a safe fix (what ``--fix`` would change). ``fmt="json"`` gives a JSON array of
``{"code", "name", "count", "fixable"}`` in the same order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from . import Report, Status, closing_line, printable


def _safe(f) -> bool:
    return f.fix is not None and f.fix.applicability == "safe" and bool(f.fix.edits)


def statistics(reports: Iterable[Report]) -> list[dict]:
    """Per-code rows ``{"code", "name", "count", "fixable"}``, most frequent first."""
    rows: dict[str, dict] = {}
    for rep in reports:
        for f in rep.findings:
            row = rows.get(f.code)
            if row is None:
                row = rows[f.code] = {
                    "code": f.code,
                    "name": f.name,
                    "count": 0,
                    "fixable": False,
                    "_fixes": 0,
                }
            row["count"] += 1
            if _safe(f):
                row["fixable"] = True
                row["_fixes"] += 1
    return sorted(rows.values(), key=lambda r: (-r["count"], r["code"]))


def render(reports: Iterable[Report], fmt: str = "text", status: Status | None = None, lang: str = "en") -> str:
    """The table (or JSON rows); inputs that failed are counted in the closing line (text) or
    are ``error`` records after the rows (JSON, as in ``--format json``)."""
    rows = statistics(reports)
    if fmt == "json":
        public = [{k: r[k] for k in ("code", "name", "count", "fixable")} for r in rows]
        if status is not None:
            public.extend(f.record() for f in status.failures)
        return json.dumps(public, ensure_ascii=False, indent=2) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown statistics format {fmt!r}: use 'text' or 'json'")
    if not rows:
        return closing_line(0, 0, status, lang) + "\n"
    count_w = max(len(str(r["count"])) for r in rows)
    code_w = max(len(printable(r["code"])) for r in rows)
    out = []
    for r in rows:
        mark = "[*]" if r["fixable"] else "   "
        out.append(f"{r['count']:>{count_w}}  {printable(r['code']):<{code_w}}  {mark} {printable(r['name'])}")
    total = sum(r["count"] for r in rows)
    fixable = sum(r["_fixes"] for r in rows)
    out.append(closing_line(total, fixable, status, lang, marked=False))
    return "\n".join(out) + "\n"
