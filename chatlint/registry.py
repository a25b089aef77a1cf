"""The rule API, a leaf module: :func:`rule`, :class:`Rule`, :class:`Hit`, :class:`Context`,
:class:`Params`, the examples (:func:`ex`, :func:`dlg`) and the fix helpers.

A rule is a function decorated with :func:`rule`::

    @rule("S001", "paragraph-too-long", "warning", params=ParagraphParams,
          bad=[ex("Раз. Два. Три. Четыре.")], good=[ex("Раз. Два. Три.")])
    def paragraph_too_long(doc: Document, ctx: Context) -> Iterator[Hit]:
        '''**What it checks** … **Why** … **Example** …'''

The check reads the shared :class:`~chatlint.document.Document` and yields :class:`Hit`
values; the engine turns them into findings (severity, line and column, language). This
module imports only leaves (findings, document, transcript); every rule module, the packs
and the catalog (:mod:`chatlint.catalog`, which collects all rules) sit above it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Literal, get_origin

from .document import Document
from .findings import CHANNELS, PlainEdit, PlainFix, Severity

_REQUIRED: Any = ...  # a parameter without a default (the channel profiles give its values)


@dataclass(frozen=True, slots=True)
class _Spec:
    """What ``Field(...)`` declares of a parameter: its default and its bounds."""

    default: Any = _REQUIRED
    ge: float | None = None
    le: float | None = None
    description: str | None = None


def Field(default: Any = _REQUIRED, *, ge: float | None = None, le: float | None = None,  # noqa: N802
          description: str | None = None) -> Any:
    """A rule parameter's default and bounds, as pydantic's ``Field`` takes them (what a
    :class:`Params` declares: ``max_words: int = Field(35, ge=1, le=10_000)``)."""
    return _Spec(default, ge, le, description)


class _ParamsType(type):
    @property
    def model_fields(cls) -> dict[str, Any]:
        """The fields of the pydantic model the class stands for (``chatlint explain``, tests)."""
        return cls.model().model_fields


class Params(metaclass=_ParamsType):
    """Base of every rule's parameters: a value object whose fields are declared as a pydantic
    model's are (``name: int = Field(3, ge=1, le=50)``; the docstring under a field is its
    description, shown by ``chatlint explain`` and read from the source only then:
    ``docs.attribute_docs``). Unknown keys are errors. Strict: no booleans or strings for
    numbers. Every number field has bounds, checked when the configuration loads, so a rule
    never sees a value it cannot work with.

    Validation is pydantic's, by a model made from these declarations on first need
    (:meth:`model`): the values that need no conversion (an ``int`` within its bounds, a
    ``float`` or an ``int`` for a ``float``: every channel profile's and nearly every
    configuration's) are taken as they are, without importing pydantic (a third of a cold
    ``chatlint check``); anything else goes through the model, which raises pydantic's
    ``ValidationError`` or gives the converted values. Fields of another type (a plugin's
    ``str``, a pydantic ``Field`` with more than bounds) always go through the model."""

    __fields: dict[str, tuple[Any, _Spec | None]] = {}
    __model: Any = None
    # what a plugin's parameters may declare as a pydantic model's would: validators
    # (``@field_validator``, ``@model_validator``: by name, a subclass's replacing its base's)
    # and its own ``model_config`` (over the base's); with either, every value goes through
    # the model (a validator must see it)
    __validators: dict[str, Any] = {}
    __config: dict[str, Any] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__
        cls._Params__validators = {
            **cls._Params__validators,
            **{n: v for n, v in own.items() if type(v).__name__ == "PydanticDescriptorProxy"},
        }
        cls._Params__config = {**cls._Params__config, **own.get("model_config", {})}
        fields = dict(cls._Params__fields)
        # (inspect.get_annotations: the class's own, also where Python 3.14 makes them lazily)
        for name, annotation in inspect.get_annotations(cls).items():
            if name.startswith("_") or name == "model_config" or _is_class_var(annotation):
                continue
            value = cls.__dict__.get(name, _REQUIRED)
            spec = value if isinstance(value, _Spec) else None
            if spec is None and type(value).__name__ != "FieldInfo":  # a plain default
                spec = _Spec(value)
            fields[name] = (value, spec)
            if name in cls.__dict__:
                delattr(cls, name)  # the instance's value, not the declaration, is read
        cls._Params__fields = fields
        cls._Params__model = None

    def __init__(self, **values: Any) -> None:
        cls = type(self)
        fields = cls._Params__fields
        quick = not (values.keys() - fields.keys()) and not cls._Params__validators and not cls._Params__config
        if quick:
            checked = {}
            for name, (_, spec) in fields.items():
                value = values.get(name, _REQUIRED if spec is None else spec.default)
                if spec is None or value is _REQUIRED:
                    quick = False
                    break
                if name in values:
                    value = _plain_number(cls._annotation(name), value, spec)
                    if value is _REQUIRED:
                        quick = False
                        break
                checked[name] = value
        if not quick:
            checked = dict(cls.model()(**values).__dict__)  # raises pydantic's ValidationError
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError(f"{type(self).__name__} is frozen")

    def _values(self) -> tuple:
        return tuple(getattr(self, n) for n in type(self)._Params__fields)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in type(self)._Params__fields)
        return f"{type(self).__name__}({inner})"

    def model_dump(self, **options: Any) -> dict[str, Any]:
        """The values by field name; with pydantic's options (``mode="json"``, ``exclude``…),
        as the model dumps them."""
        values = {n: getattr(self, n) for n in type(self)._Params__fields}
        return type(self).model().model_construct(**values).model_dump(**options) if options else values

    # what else a plugin's rule could call on its parameters when they were a pydantic model
    def model_dump_json(self, **options: Any) -> str:
        return type(self).model().model_construct(**self.model_dump()).model_dump_json(**options)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Params:
        """A copy with the values of ``update`` (validated: a rule never sees a value out of bounds)."""
        values = {**self.model_dump(), **(update or {})}
        if deep:
            import copy

            values = copy.deepcopy(values)
        return type(self)(**values)

    @classmethod
    def model_validate(cls, obj: Any) -> Params:
        if isinstance(obj, cls):
            return obj
        return cls(**(obj if isinstance(obj, dict) else dict(cls.model().model_validate(obj).__dict__)))

    @classmethod
    def model_json_schema(cls, **options: Any) -> dict[str, Any]:
        return cls.model().model_json_schema(**options)

    @classmethod
    def _annotation(cls, name: str) -> str:
        for klass in cls.__mro__:
            ann = inspect.get_annotations(klass)
            if name in ann:
                return ann[name] if isinstance(ann[name], str) else getattr(ann[name], "__name__", "")
        return ""

    @classmethod
    def model(cls) -> Any:
        """The pydantic model that validates these parameters (made once, importing pydantic)."""
        if cls._Params__model is None:
            import typing

            from pydantic import ConfigDict, create_model
            from pydantic import Field as PydanticField

            hints = typing.get_type_hints(cls, include_extras=True)  # (Annotated[...]: its constraints)
            fields: dict[str, Any] = {}
            for name, (value, spec) in cls._Params__fields.items():
                if spec is None:  # a pydantic Field a plugin declared
                    fields[name] = (hints[name], value)
                    continue
                kw = {k: v for k, v in (("ge", spec.ge), ("le", spec.le), ("description", spec.description))
                      if v is not None}
                fields[name] = (hints[name], PydanticField(spec.default, **kw))
            strict = cls is not NoParams
            config = ConfigDict(extra="forbid", frozen=True, strict=strict)
            config.update(cls._Params__config)  # type: ignore[typeddict-item]
            cls._Params__model = create_model(
                cls.__name__, __config__=config, __module__=cls.__module__,
                __validators__=dict(cls._Params__validators), **fields,
            )
        return cls._Params__model


_CLASS_VAR = re.compile(r"\s*(?:\w+\.)*ClassVar\b")


def _is_class_var(annotation: Any) -> bool:
    """``annotation`` declares a class variable (``ClassVar[...]``, as text or the typing
    object), not a field: pydantic's rule."""
    if isinstance(annotation, str):
        return _CLASS_VAR.match(annotation) is not None
    return annotation is ClassVar or get_origin(annotation) is ClassVar


def _plain_number(annotation: str, value: Any, spec: _Spec) -> Any:
    """``value`` as pydantic's strict model would give it, for an ``int`` or ``float`` field
    whose value needs no conversion but int -> float; ``_REQUIRED`` for anything else (the
    model decides: its error, or its conversion)."""
    if annotation == "int":
        ok = type(value) is int
    elif annotation == "float":
        ok = type(value) is float or type(value) is int
        if ok:
            try:
                value = float(value)
            except OverflowError:  # an int beyond a float's range: the model's error
                return _REQUIRED
    else:
        return _REQUIRED
    if not ok or (spec.ge is not None and not value >= spec.ge) or (spec.le is not None and not value <= spec.le):
        return _REQUIRED
    return value


class NoParams(Params):
    """A rule without parameters."""


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check reports: a span, the message in Russian and English, and a fix."""

    start: int
    end: int
    ru: str
    en: str
    fix: PlainFix | None = None  # (a plugin's rule may give a pydantic Fix: the engine takes both)
    index: int | None = None  # dialogue rules: the index of the message the span is in


@dataclass(frozen=True, slots=True)
class Settings:
    """Project-wide settings the rules read (resolved from the profile and the config)."""

    allowed_smileys: frozenset[str] = frozenset()
    allowed_emoji: frozenset[str] = frozenset()
    abbreviations: frozenset[str] = frozenset()
    company_names: tuple[str, ...] = ()
    dictionary: frozenset[str] = frozenset()  # the project's own words (folded), every form known
    spelling_ignore_latin: bool = True
    spelling_min_length: int = 3


@dataclass(frozen=True, slots=True)
class Context:
    """What a check knows besides the text: the channel, its parameters, the settings.

    Built once per (config, channel) and shared by every message; rules marked
    ``when="first"``/``"last"`` only run on such messages, so checks need not look.
    """

    channel: str
    params: Any
    settings: Settings


# Marks around the span(s) a bad example must report, as LanguageTool's <marker>: two
# mathematical brackets that no operator message, smiley or Markdown link contains.
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"


def unmark(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` without its ``⟦…⟧`` marks, and the (start, end) spans they enclosed (offsets
    into the unmarked text; ``⟦⟧`` is an empty span). Raises ValueError on unbalanced marks."""
    if MARK_OPEN not in text and MARK_CLOSE not in text:
        return text, ()
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for ch in text:
        if ch == MARK_OPEN:
            if start is not None:
                raise ValueError(f"nested {MARK_OPEN} in example {text!r}")
            start = len(out)
        elif ch == MARK_CLOSE:
            if start is None:
                raise ValueError(f"{MARK_CLOSE} without {MARK_OPEN} in example {text!r}")
            spans.append((start, len(out)))
            start = None
        else:
            out.append(ch)
    if start is not None:
        raise ValueError(f"{MARK_OPEN} without {MARK_CLOSE} in example {text!r}")
    return "".join(out), tuple(spans)


@dataclass(frozen=True, slots=True)
class Example:
    """A message (or, for a dialogue rule, a conversation) a rule must fire on (bad) or stay
    silent on (good).

    A bad example pins what the rule reports: ``spans`` as (message index, start, end) —
    the index is None for a single message — and, for a rule with a fix, ``fixed``: the exact
    text once the rule's fixes are applied (the text itself when it offers none there)."""

    text: str
    first: bool = False
    last: bool = False
    channel: str = "chat"
    config: dict[str, Any] = field(default_factory=dict)
    # A dialogue rule's example: (seconds since the start or None, "o"|"c", text) turns
    turns: tuple[tuple[float | None, str, str], ...] = ()
    headers: dict[str, Any] = field(default_factory=dict)  # e-mail: subject, in_reply_to per message
    spans: tuple[tuple[int | None, int, int], ...] = ()
    fixed: str | None = None

    def transcript(self):
        """The conversation of a dialogue example, as a :class:`~chatlint.transcript.Transcript`."""
        from .transcript import Message, Transcript

        t0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
        msgs = []
        for k, (sec, who, text) in enumerate(self.turns):
            op = who == "o"
            extra = self.headers.get(k, {})
            fields = {
                "text": text,
                "role": "operator" if op else "client",
                "author": "Анна" if op else "Клиент",
                "time": None if sec is None else t0 + timedelta(seconds=sec),
            }
            fields.update(extra)  # e-mail headers, another author, a media flag, an exact time
            msgs.append(Message(**fields))
        return Transcript(messages=tuple(msgs), conversation_id="example", channel=self.channel)


def ex(
    text: str,
    *,
    first: bool = False,
    last: bool = False,
    channel: str = "chat",
    fixed: str | None = None,
    **config: Any,
) -> Example:
    """Shorthand for an :class:`Example`; keyword arguments beyond these are config keys.

    Mark the span(s) a bad example must report with ``⟦…⟧`` and give a fixable rule's
    result in ``fixed``: ``ex("Доставим завтра⟦!!!⟧", fixed="Доставим завтра!")``.
    """
    plain, spans = unmark(text)
    if fixed is not None and unmark(fixed)[1]:
        raise ValueError(f"the fixed text of an example has no marks: {fixed!r}")
    return Example(plain, first, last, channel, dict(config), spans=tuple((None, s, e) for s, e in spans), fixed=fixed)


def dlg(
    *turns: tuple[float | None, str, str],
    channel: str = "chat",
    headers: dict[int, dict[str, Any]] | None = None,
    **config: Any,
) -> Example:
    """A dialogue example: turns of ``(seconds, "o" operator | "c" client, text)`` from
    Monday 2026-11-23 10:00 UTC; ``headers`` gives other message fields by message index
    (e-mail ``subject``/``in_reply_to``, ``author``, ``media``, an exact ``time``). Mark the
    span a bad example must report with ``⟦…⟧`` inside the turn it points at: that pins the
    message index too."""
    plain_turns = []
    spans: list[tuple[int | None, int, int]] = []
    for k, (sec, who, text) in enumerate(turns):
        plain, marked = unmark(text)
        plain_turns.append((sec, who, plain))
        spans.extend((k, s, e) for s, e in marked)
    return Example(
        "", channel=channel, config=dict(config), turns=tuple(plain_turns), headers=dict(headers or {}),
        spans=tuple(spans),
    )


Check = Callable[[Any, Context], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    channels: frozenset[str]
    params: type  # a Params subclass (or a plugin's pydantic model)
    check: Check
    doc: str
    bad: tuple[Example, ...]
    good: tuple[Example, ...]
    fix: str | None  # "safe" | "unsafe" | None: what kind of fix the rule offers
    when: str | None  # "first" | "last" | None: the rule only runs on such messages
    group: str = ""
    scope: str = "message"  # "message": checks a Document; "dialogue": checks a whole Dialogue
    needs_time: bool = False  # a dialogue timing rule: runs only when every message has a time
    # rules whose finding on the very same span this rule's advice replaces (E004's «remove the
    # smiley» over E001's «use :)»): what merge_same_span keeps when both fire on one span
    supersedes: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The first sentence of the "What it checks" part."""
        part = self.section("What it checks")
        return part.split("\n\n")[0].replace("\n", " ").strip()

    def section(self, title: str) -> str:
        """One of the docstring's three parts, by title."""
        marker = f"**{title}**"
        doc = self.doc
        i = doc.find(marker)
        if i < 0:
            return ""
        rest = doc[i + len(marker) :]
        j = rest.find("**", 1)
        while j >= 0 and not _is_heading(rest, j):
            j = rest.find("**", j + 2)
        return (rest[:j] if j >= 0 else rest).strip()


def _is_heading(text: str, j: int) -> bool:
    return (j == 0 or text[j - 1] == "\n") and text.find("**", j + 2) > j


REGISTRY: dict[str, Rule] = {}

GROUPS = {
    "G": "greeting and farewell",
    "A": "address and tone",
    "E": "smileys and emoji",
    "S": "structure",
    "L": "links and content",
    "P": "spelling and script",
    "T": "dialogue and timing",
    "M": "e-mail",
}


def rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    channels: Iterable[str] = CHANNELS,
    params: type = NoParams,
    bad: Iterable[Example] = (),
    good: Iterable[Example] = (),
    fix: Literal["safe", "unsafe"] | None = None,
    when: Literal["first", "last"] | None = None,
    scope: Literal["message", "dialogue"] = "message",
    needs_time: bool = False,
    supersedes: Iterable[str] = (),
) -> Callable[[Check], Check]:
    """Register a check under ``code``; codes are stable and never reused.

    A ``scope="dialogue"`` check receives a :class:`~chatlint.dialogue.Dialogue` (a whole
    conversation) instead of a Document and sets ``Hit.index`` to the message it points at.
    ``needs_time=True`` marks a dialogue timing rule: it runs only on conversations whose
    times are all present and in order (the engine says once why it skipped the others).
    """

    def deco(func: Check) -> Check:
        if code in REGISTRY:
            raise ValueError(f"rule code {code} is registered twice")
        chans = frozenset(channels)
        unknown = chans - set(CHANNELS)
        if unknown:
            raise ValueError(f"{code}: unknown channels {sorted(unknown)}")
        if needs_time and scope != "dialogue":
            raise ValueError(f"{code}: needs_time is for dialogue rules")
        REGISTRY[code] = Rule(
            code=code,
            name=name,
            severity=severity,
            channels=chans,
            params=params,
            check=func,
            doc=inspect.cleandoc(func.__doc__ or ""),
            bad=tuple(bad),
            good=tuple(good),
            fix=fix,
            when=when,
            group=code[0],
            scope=scope,
            needs_time=needs_time,
            supersedes=tuple(supersedes),
        )
        return func

    return deco


def sorted_rules(rules: dict[str, Rule]) -> dict[str, Rule]:
    """Rules by code, in the order of :data:`GROUPS`, then by code."""
    order = list(GROUPS)
    return dict(sorted(rules.items(), key=lambda kv: (_group_rank(kv[0], order), kv[0])))


def _group_rank(code: str, order: list[str]) -> int:
    return order.index(code[0]) if code[0] in order else len(order)


# ------------------------------------------------------------------ fix and span helpers


def fix(start: int, end: int, replacement: str, safe: bool = True, title: str | None = None) -> PlainFix:
    """A one-edit fix: replace ``text[start:end]`` with ``replacement``.

    A plain record (:class:`~chatlint.findings.PlainFix`), as the engine keeps fixes: no
    pydantic's validation pass (a message full of emoji has a fix per emoji, and validation
    was half the time of such a message); the values are checked here instead, and
    ``tests/test_findings.py`` checks that the public ``Fix`` made of it equals a validated one."""
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end and isinstance(replacement, str)):
        raise ValueError(f"a fix replaces text[start:end] with a str (0 <= start <= end), not {start!r}:{end!r}")
    return PlainFix((PlainEdit(start, end, replacement),), "safe" if safe else "unsafe", title)


def sentence_span(doc: Document, index: int = 0) -> tuple[int, int]:
    """The span of sentence ``index`` (or of the whole text when there are no sentences)."""
    sents = doc.sentences
    if not sents:
        return 0, len(doc.text)
    s = sents[index]
    return s.start, s.end


def quote(text: str) -> str:
    """«text», as findings quote words of the message; quotes inside become „…“, as Russian
    nests them («Нажмите „Ок“»), and a line break inside becomes a space (a finding's message
    is one line)."""
    if "«" in text or "»" in text:
        text = text.replace("«", "„").replace("»", "“")
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
    return f"«{text}»"


def match_case(replacement: str, original: str) -> str:
    """``replacement`` with the first letter's case of ``original``."""
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement[:1].lower() + replacement[1:]
