"""Findings, fixes and edits: the values chatlint returns, and how fixes are applied."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from .compiled import regex

# the vocabularies every layer shares, re-exported here where every layer has always read them
from .vocabulary import CHANNELS, SEVERITIES, SEVERITY_RANK, Applicability, Channel, Severity  # noqa: F401

if TYPE_CHECKING:
    from .models import Edit, Finding, Fix


def _model_copy(self, *, update: Mapping | None = None, deep: bool = False):
    """This record with the fields of ``update`` replaced: what a rule written for the pydantic
    models (which :func:`chatlint.registry.fix` gave before) calls on a fix or an edit."""
    return self._replace(**update) if update else self


class PlainEdit(NamedTuple):
    """An :class:`~chatlint.models.Edit` as the engine keeps it (no pydantic: see the module)."""

    start: int
    end: int
    replacement: str

    model_copy = _model_copy


class PlainFix(NamedTuple):
    """A :class:`~chatlint.models.Fix` as the engine keeps it."""

    edits: tuple[PlainEdit, ...]
    applicability: str = "safe"
    title: str | None = None

    model_copy = _model_copy


class PlainFinding(NamedTuple):
    """A :class:`~chatlint.models.Finding` as the engine keeps it: the same fields, in the same
    order."""

    code: str
    name: str
    severity: str
    message: str
    start: int
    end: int
    line: int
    column: int
    fix: PlainFix | None = None
    message_index: int | None = None
    speaker: str | None = None
    conversation_id: str | None = None

    model_copy = _model_copy


def plain_fix(fix) -> PlainFix:
    """``fix`` (a :class:`PlainFix`, or a pydantic ``Fix`` a plugin's rule made) as a PlainFix."""
    if type(fix) is PlainFix and all(type(e) is PlainEdit for e in fix.edits):
        return fix
    edits = tuple(PlainEdit(e.start, e.end, e.replacement) for e in fix.edits)
    return PlainFix(edits, fix.applicability, fix.title)


def with_changes(f, **changes):
    """A finding (plain or pydantic) with some fields replaced, of the same kind."""
    return f._replace(**changes) if isinstance(f, PlainFinding) else f.model_copy(update=changes)


def __getattr__(name: str):
    # the pydantic models, imported on first use: ``from chatlint.findings import Finding``
    # works as it always did, and the command line, which never asks, never imports pydantic
    if name in ("Edit", "Fix", "Finding", "trusted", "public", "public_findings"):
        from . import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _selected_fixes(findings: list[Finding], unsafe: bool) -> list[Fix]:
    """The non-overlapping fixes to apply, earliest first; a fix that overlaps an earlier one
    waits for the next round. Linear after one sort."""
    candidates = []
    for f in findings:
        fix = f.fix
        if fix is None or not fix.edits:
            continue
        if fix.applicability == "unsafe" and not unsafe:
            continue
        lo = min(e.start for e in fix.edits)
        hi = max(e.end for e in fix.edits)
        candidates.append((lo, hi, f.code, fix))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    chosen: list[Fix] = []
    last_lo = last_hi = -1
    for lo, hi, _code, fix in candidates:
        if lo < last_hi:
            continue  # overlaps the previous choice
        if lo == hi == last_lo == last_hi:
            continue  # two insertions at the same point
        chosen.append(fix)
        last_lo, last_hi = lo, hi
    return chosen


def applied_findings(findings: list[Finding], unsafe: bool = False) -> list[Finding]:
    """The findings whose fixes :func:`apply_fixes` applies in one round (the others overlap
    an earlier fix, or are unsafe)."""
    chosen = {id(fix) for fix in _selected_fixes(findings, unsafe)}
    return [f for f in findings if f.fix is not None and id(f.fix) in chosen]


def apply_fixes(text: str, findings: list[Finding], unsafe: bool = False) -> str:
    """Apply the non-overlapping fixes of ``findings`` to ``text``.

    Only ``safe`` fixes are applied unless ``unsafe=True``. When two fixes overlap, the one
    that starts first wins; the other is left for the next round (see ``fix_message``).
    """
    edits: list[Edit] = []
    for fix in _selected_fixes(findings, unsafe):
        edits.extend(fix.edits)
    if not edits:
        return text
    edits.sort(key=lambda e: (e.start, e.end))
    out: list[str] = []
    pos = 0
    n = len(text)
    for e in edits:
        start, end = min(e.start, n), min(max(e.end, e.start), n)
        if start < pos:  # defensive: edits of one fix that overlap each other
            continue
        out.append(text[pos:start])
        out.append(e.replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


# ------------------------------------------------------------------ the one serialiser

_ASTRAL = regex("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=64)
def utf16_mapper(text: str) -> Callable[[int], int]:
    """``str`` offset -> UTF-16 code-unit offset for many offsets of one text, O(log n) each:
    browsers (JavaScript string indices) count an astral character such as an emoji as two
    units. Offsets are clamped into the text."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    n = len(text)
    if not astral:
        return lambda i: min(max(i, 0), n)
    return lambda i: (j := min(max(i, 0), n)) + bisect_left(astral, j)


def utf16_offset(text: str, offset: int) -> int:
    """The UTF-16 code-unit offset of a ``str`` offset (see :func:`utf16_mapper`)."""
    return utf16_mapper(text)(offset)


def finding_record(f: Finding | PlainFinding, text: str, summary: str = "") -> dict:
    """A finding (plain or pydantic) as JSON-able data, the one shape the CLI (``--format json``, SARIF
    properties) and the server share: the ``Finding`` fields, ``start_utf16``/``end_utf16``
    on the finding and on each fix edit (JavaScript string indices), and the rule's one-line
    ``summary``. ``text`` is the text the offsets point into (the message's, for a transcript
    finding)."""
    to16 = utf16_mapper(text)
    fix = f.fix
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "start": f.start,
        "end": f.end,
        "line": f.line,
        "column": f.column,
        "fix": None if fix is None else {
            "edits": [
                {"start": e.start, "end": e.end, "replacement": e.replacement,
                 "start_utf16": to16(e.start), "end_utf16": to16(e.end)}
                for e in fix.edits
            ],
            "applicability": fix.applicability,
            "title": fix.title,
        },
        "message_index": f.message_index,
        "speaker": f.speaker,
        "conversation_id": f.conversation_id,
        "start_utf16": to16(f.start),
        "end_utf16": to16(f.end),
        "summary": summary,
    }


# ------------------------------------------------------------------ one piece of advice per span


def merge_groups(
    findings: list[Finding], supersedes: Mapping[str, Collection[str]] | None = None
) -> list[tuple[Finding, tuple[Finding, ...]]]:
    """Findings of several rules on the very same span (same message, same non-empty
    ``start``/``end``) as one: ``(merged, the findings it stands for)``, in the order of
    ``findings``; a finding alone on its span comes back as ``(finding, (finding,))``, and so
    do findings on one span none of which has a fix and none of which supersedes another (two
    remarks on a whole message, such as «no greeting» and «no introduction», cannot
    contradict each other).

    The merged finding is the group's *primary* one with the group's highest severity: the
    primary is a finding whose rule supersedes another of the group (``supersedes``: code ->
    codes whose advice it replaces, e.g. E004's «remove the smiley» over E001's «use :)»),
    else the most severe, else the first. Its message is the primary's, followed by the
    messages of the findings it does not supersede («…; …»); its fix is the primary's, else
    the first fix of a finding it does not supersede: one message and at most one fix, never
    two opposite ones. Linear."""
    sup = supersedes or {}
    groups: dict[tuple, list[Finding]] = {}
    order: list[tuple] = []
    for k, f in enumerate(findings):
        key = (f.message_index, f.start, f.end) if f.end > f.start else ("alone", k)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(f)
    out: list[tuple[Finding, tuple[Finding, ...]]] = []
    for key in order:
        group = groups[key]
        if len(group) == 1:
            out.append((group[0], (group[0],)))
            continue
        codes = {f.code for f in group}
        related = any(codes & set(sup.get(f.code, ())) for f in group)
        if not related and all(f.fix is None for f in group):
            # advice that cannot contradict («no greeting», «no introduction» on a whole
            # message): each stays a finding of its own
            out.extend((f, (f,)) for f in group)
            continue
        primary = max(
            group,
            key=lambda f: (bool(codes & set(sup.get(f.code, ()))), SEVERITY_RANK[f.severity], -group.index(f)),
        )
        replaced = set(sup.get(primary.code, ()))
        kept = [f for f in group if f is not primary and f.code not in replaced and f.code != primary.code]
        messages = [primary.message] + [f.message for f in kept if f.message != primary.message]
        fix = primary.fix
        if fix is None:
            fix = next((f.fix for f in kept if f.fix is not None), None)
        severity = max((f.severity for f in group), key=SEVERITY_RANK.__getitem__)
        merged = with_changes(primary, message="; ".join(messages), fix=fix, severity=severity)
        out.append((merged, tuple(group)))
    return out


def merge_same_span(findings: list[Finding], supersedes: Mapping[str, Collection[str]] | None = None) -> list[Finding]:
    """``findings`` with one finding per span: see :func:`merge_groups`."""
    return [merged for merged, _ in merge_groups(findings, supersedes)]
