"""``--format sarif``: a SARIF 2.1.0 log (one run) for code-scanning dashboards and IDE viewers.

Columns and character offsets are counted in Unicode code points, like chatlint's own
``column`` and ``start``/``end`` (the run says so with ``"columnKind": "unicodeCodePoints"``).
Line breaks are ``\\r\\n``, ``\\r`` and ``\\n`` (declared in ``newlineSequences``).

The log is written as the reports come (results first, the tool's rule list after them),
so a large transcript's findings are never all in memory.

Findings of a transcript (``message_index`` set) carry offsets into their message, not into
the file, so their location names the file and the message (a logical location) with a
region of the file line only (where the reader knows it), and they get no ``fixes``; the
message-relative span is kept in ``properties``.

The run has one invocation: ``executionSuccessful`` is false when any input failed (not
read, read in part, not rewritten by ``--fix``), each failure a ``toolExecutionNotification``
naming the file (and line) with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePosixPath
from urllib.parse import quote

from .. import __version__
from ..catalog import all_rules
from ..registry import GROUPS
from . import Failure, LineIndex, Options, Rendered, Report, Status, artifact_path

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/chatlint-ru/"

LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    """A valid URI reference for the path: relative paths percent-encoded, others ``file:``."""
    p = artifact_path(path)
    if p.startswith("/"):
        return PurePosixPath(p).as_uri()
    return quote(p, safe="/")


def _why(rule) -> str:
    text = rule.section("Why")
    return _unwrap(text) if text else (rule.summary or rule.name)


def _unwrap(text: str) -> str:
    """Join hard-wrapped lines of a docstring part; keep paragraph breaks."""
    paras = [
        " ".join(line.strip() for line in p.splitlines() if line.strip()) for p in re.split(r"\n\s*\n", text)
    ]
    return "\n\n".join(p for p in paras if p)


def _rule_descriptor(rule) -> dict:
    why = _why(rule)
    d: dict = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.name},
        "fullDescription": {"text": why},
        "help": {"text": why, "markdown": rule.doc or why},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
    }
    props: dict = {}
    group = GROUPS.get(rule.group or rule.code[:1])
    if group:
        props["tags"] = [group]
    props["channels"] = sorted(rule.channels)
    if rule.fix:
        props["fix"] = rule.fix
    d["properties"] = props
    return d


def _fixes(uri: str, f) -> list[dict]:
    fix = f.fix
    if fix is None or not fix.edits:
        return []
    replacements = []
    for e in sorted(fix.edits, key=lambda e: (e.start, e.end)):
        start = max(0, e.start)
        end = max(start, e.end)
        rep: dict = {"deletedRegion": {"charOffset": start, "charLength": end - start}}
        if e.replacement:
            rep["insertedContent"] = {"text": e.replacement}
        replacements.append(rep)
    return [
        {
            "description": {"text": fix.title or f"Fix {f.code} ({f.name})"},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
            "properties": {"applicability": fix.applicability},
        }
    ]


def _result(f, uri: str, index: LineIndex | None, rule_index: dict[str, int], file_line: int | None = None) -> dict:
    res: dict = {"ruleId": f.code}
    if f.code in rule_index:
        res["ruleIndex"] = rule_index[f.code]
    res["level"] = LEVELS.get(f.severity, "warning")
    res["message"] = {"text": f.message}
    physical: dict = {"artifactLocation": {"uri": uri}}
    location: dict = {"physicalLocation": physical}
    props: dict = {}
    if f.message_index is None:
        assert index is not None
        physical["region"] = index.region(f.start, f.end)
    else:
        name = f"message {f.message_index + 1}"  # counted from 1, like the text format
        logical: dict = {"name": name, "kind": "element"}
        if f.conversation_id is not None:
            logical["fullyQualifiedName"] = f"{f.conversation_id}/{name}"
        location["logicalLocations"] = [logical]
        if file_line is not None:
            physical["region"] = {"startLine": file_line}
        props["message_index"] = f.message_index
        props["speaker"] = f.speaker
        props["conversation_id"] = f.conversation_id
        props["start"] = f.start
        props["end"] = f.end
        props["line"] = f.line
        props["column"] = f.column
    res["locations"] = [location]
    if f.message_index is None:
        fixes = _fixes(uri, f)
        if fixes:
            res["fixes"] = fixes
    if props:
        res["properties"] = props
    return res


_registered: dict[str, int] | None = None


#: What the stream writes between the records of two reports (:func:`chatlint.formats.joined`).
JOIN = ",\n"


def chunk(rep: Report, options: Options | None = None) -> tuple[str, int] | None:
    """The results of one report, indented as :func:`stream` writes them and joined by its
    separator; None when a finding's rule is not registered (its ``ruleIndex`` depends on the
    reports before it: the main process renders that report)."""
    global _registered
    if _registered is None:
        _registered = {code: i for i, code in enumerate(all_rules())}
    if any(f.code not in _registered for f in rep.findings):
        return None
    uri = artifact_uri(rep.path)
    index = LineIndex(rep.text) if any(f.message_index is None for f in rep.findings) else None
    return ",\n".join(
        "        " + _indented(_result(f, uri, index, _registered, rep.file_line(f) if f.message_index is not None
                                       else None), 4)
        for f in rep.findings
    ), 0


def _runner(reports: Iterable[Report | Rendered]) -> tuple[Iterator[dict | str], Callable[[], dict]]:
    """The results of these reports, produced as the reports come, and a function that gives
    the tool section once they are all out: every registered rule, plus a minimal descriptor
    for each unregistered code met (e.g. a rule pack loaded elsewhere), so that every
    ``ruleIndex`` is valid."""
    rules = list(all_rules().values())
    descriptors = [_rule_descriptor(r) for r in rules]
    rule_index = {r.code: i for i, r in enumerate(rules)}

    def results() -> Iterator[dict | str]:
        for rep in reports:
            if isinstance(rep, Rendered):  # results rendered by a worker process (:func:`chunk`)
                if rep.findings:
                    yield rep.text
                continue
            uri = artifact_uri(rep.path)
            index = LineIndex(rep.text) if any(f.message_index is None for f in rep.findings) else None
            for f in rep.findings:
                if f.code not in rule_index:
                    rule_index[f.code] = len(descriptors)
                    descriptors.append(
                        {
                            "id": f.code,
                            "name": f.name,
                            "shortDescription": {"text": f.name},
                            "defaultConfiguration": {"level": LEVELS.get(f.severity, "warning")},
                        }
                    )
                file_line = rep.file_line(f) if f.message_index is not None else None
                yield _result(f, uri, index, rule_index, file_line)

    def tool() -> dict:
        return {
            "driver": {
                "name": "chatlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        }

    return results(), tool


_RUN_TAIL = {"columnKind": "unicodeCodePoints", "newlineSequences": ["\r\n", "\r", "\n"]}

#: The notification descriptors of inputs that failed, by :attr:`Failure.kind`.
NOTIFICATION_IDS = {"unread": "input-not-read", "partial": "input-read-in-part", "unfixed": "fix-not-written",
                    "note": "encoding-assumed"}


def notification(f: Failure) -> dict:
    """A ``toolExecutionNotification`` for an input that failed (SARIF §3.58)."""
    physical: dict = {"artifactLocation": {"uri": artifact_uri(f.path)}}
    if f.line is not None:
        physical["region"] = {"startLine": f.line}
    return {
        "level": "note" if f.kind == "note" else "error",
        "message": {"text": f.reason},
        "descriptor": {"id": NOTIFICATION_IDS.get(f.kind, "input-error")},
        "locations": [{"physicalLocation": physical}],
    }


def invocations(status: Status | None) -> list[dict]:
    """The run's one invocation: ``executionSuccessful`` is false when an input failed, and
    every failure is one of its ``toolExecutionNotifications`` (level ``error``), as is, with
    level ``note``, each encoding assumed for a file that was not UTF-8."""
    failures = status.failures if status is not None else []
    notes = status.notes if status is not None else []
    inv: dict = {"executionSuccessful": not failures}
    if failures or notes:
        inv["toolExecutionNotifications"] = [notification(f) for f in (*failures, *notes)]
    return [inv]


def sarif_log(reports: Iterable[Report], status: Status | None = None) -> dict:
    """The SARIF log as a dict (see :func:`render`)."""
    results, tool = _runner(reports)
    listed = list(results)
    run = {"tool": tool(), "invocations": invocations(status), **_RUN_TAIL, "results": listed}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(reports: Iterable[Report], status: Status | None = None) -> str:
    """A SARIF 2.1.0 log of these reports: every registered rule, one result per finding, and
    the inputs that failed as notifications of the run's invocation."""
    return "".join(stream(reports, Options(status=status)))


def _indented(value: object, depth: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it ``depth`` levels deep."""
    return _dumps(value, "  " * depth)


def _dumps(value: object, indent: str) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` with every line after the first
    indented by ``indent``, written here: with ``indent`` the standard library falls back to
    its pure-Python encoder (about 50 µs a SARIF result, more than the linting of a message).
    Strings are encoded by the library's own (C) function; what is neither a str-keyed object,
    an array, a string, a number nor a constant goes to ``json.dumps``. Pinned against it by
    tests/test_sarif_dumps.py."""
    kind = type(value)
    if kind is str:
        return _encode_string(value)
    if kind is dict and all(type(k) is str for k in value):
        if not value:
            return "{}"
        inner = indent + "  "
        parts = []
        for k, v in value.items():
            kv = type(v)  # strings and integers (most values) without a call of their own
            text = _encode_string(v) if kv is str else int.__repr__(v) if kv is int else _dumps(v, inner)
            parts.append(inner + _encode_string(k) + ": " + text)
        return "{\n" + ",\n".join(parts) + "\n" + indent + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _dumps(v, inner) for v in value) + "\n" + indent + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)


_encode_string = json.encoder.encode_basestring  # ensure_ascii=False's: the C one where there is one


def stream(reports: Iterable[Report], options: Options | None = None) -> Iterator[str]:
    """The log written as the reports come: the run's ``results`` first, one at a time, then
    its ``tool`` (whose rule list needs every code met). The same JSON as :func:`sarif_log`
    (only the order of the run's keys differs), indented as ``json.dumps(indent=2)``."""
    results, tool = _runner(reports)
    yield f'{{\n  "$schema": {json.dumps(SCHEMA_URI)},\n  "version": "2.1.0",\n  "runs": [\n    {{\n      "results": ['
    first = True
    for result in results:
        if isinstance(result, str):  # already indented (:func:`chunk`)
            yield ("\n" if first else ",\n") + result
        else:
            yield ("\n" if first else ",\n") + "        " + _indented(result, 4)
        first = False
    yield "]" if first else "\n      ]"
    yield ',\n      "tool": ' + _indented(tool(), 3)
    yield ',\n      "invocations": ' + _indented(invocations(options.status if options else None), 3)
    for key, value in _RUN_TAIL.items():
        yield f',\n      "{key}": ' + _indented(value, 3)
    yield "\n    }\n  ]\n}\n"
