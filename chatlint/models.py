"""The public pydantic models of chatlint's results: :class:`Edit`, :class:`Fix`, :class:`Finding`.

chatlint's own layers (the engine, the rules, the command line's renderers) work on the plain
records of :mod:`chatlint.findings` (``PlainFinding``…: the same fields, as named tuples):
importing pydantic and building these models is ~60 ms, a third of a cold ``chatlint check``
before the first file is read. The public API (``lint_message``, ``lint_transcript``…) gives
these models, made from the records with :func:`public_findings`; ``chatlint.Finding`` and
``chatlint.findings.Finding`` are these classes, imported on first use.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .vocabulary import Applicability, Severity


def _from_plain():
    """A validator that takes a plain record of :mod:`chatlint.findings` (a named tuple of the
    model's fields, in order) as its fields: a rule's :func:`chatlint.registry.fix` gives a
    PlainFix, and ``Fix(edits=(*a.edits, *b.edits))`` and ``Finding(fix=...)`` take it as they
    took the Fix it gave before. (Told by its fields: chatlint.findings imports this module.)"""

    def validate(cls, value):
        if isinstance(value, tuple) and getattr(value, "_fields", None) == tuple(cls.__pydantic_fields__):
            return value._asdict()
        return value

    return model_validator(mode="before")(classmethod(validate))


class Edit(BaseModel):
    """Replace ``text[start:end]`` with ``replacement`` (``str`` offsets, ``end`` exclusive)."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    replacement: str

    _plain = _from_plain()


class Fix(BaseModel):
    """One or more edits that resolve a finding, applied together or not at all."""

    model_config = ConfigDict(frozen=True)

    edits: tuple[Edit, ...]  # a list in JSON; a tuple here so that findings are hashable
    applicability: Applicability = "safe"
    title: str | None = None

    _plain = _from_plain()


class Finding(BaseModel):
    """One problem found in a message, with its exact span and an optional fix."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    fix: Fix | None = None
    message_index: int | None = None
    speaker: str | None = None
    conversation_id: str | None = None

    _plain = _from_plain()


def trusted(cls: type[BaseModel], values: dict) -> BaseModel:
    """An instance of ``cls`` holding ``values`` (every field, already checked by the caller),
    without pydantic's validation pass: what ``cls.model_construct`` does minus its generic
    work (~10 µs an instance, visible when a message has a finding or fix per emoji).
    ``tests/test_findings.py`` checks such instances equal validated ones."""
    obj = _new(cls)
    _set_dict(obj, values)
    _set_fields_set(obj, set(values))
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


# BaseModel's slots, set through their descriptors (what object.__setattr__ looks up each time)
_new = object.__new__
_set_dict, _set_fields_set, _set_extra, _set_private = (
    BaseModel.__dict__[name].__set__
    for name in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
)


def public(f) -> Finding:
    """A plain finding (or a Finding) as a :class:`Finding`, with its fix as a :class:`Fix`."""
    if type(f) is Finding:
        return f
    fix = f.fix
    return trusted(Finding, {
        "code": f.code, "name": f.name, "severity": f.severity, "message": f.message,
        "start": f.start, "end": f.end, "line": f.line, "column": f.column,
        "fix": None if fix is None else public_fix(fix),
        "message_index": f.message_index, "speaker": f.speaker, "conversation_id": f.conversation_id,
    })


def public_fix(fix) -> Fix:
    """A plain fix (or a Fix) as a :class:`Fix` of :class:`Edit` s."""
    if type(fix) is Fix:
        return fix
    edits = tuple(
        e if type(e) is Edit else trusted(Edit, {"start": e.start, "end": e.end, "replacement": e.replacement})
        for e in fix.edits
    )
    return trusted(Fix, {"edits": edits, "applicability": fix.applicability, "title": fix.title})


def public_findings(findings) -> list[Finding]:
    """:func:`public` of each finding, in order."""
    return [public(f) for f in findings]
