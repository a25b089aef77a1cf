"""Declarative rule packs: a support team's own rules as TOML data, without Python.

A pack is a TOML file::

    [pack]
    name = "acme"          # a short name, shown in messages
    prefix = "X"           # every code of the pack starts with it: X001, X002…
    description = "…"

    [[rules]]
    code = "X001"
    name = "competitor-name"           # kebab-case
    type = "words"                     # words | required | pattern
    severity = "warning"               # error | warning | info
    message = "Не упоминайте конкурентов: {match}"
    message_en = "Do not name competitors: {match}"   # optional
    why = "…"                          # the etiquette behind it (chatlint explain)
    match = ["~конкурент", "озон|вайлдберриз"]        # words / required: phrase patterns
    gap = 0                            # words allowed between the elements of a phrase
    replacement = "…"                  # words: an unsafe fix, inflected to the matched word
    pattern = "…"                      # pattern: an RE2 regular expression over the text
    when = "first"                     # required: first | last | any (default any)
    channels = ["chat", "messenger"]   # default: every channel
    bad = ["на ⟦Озоне⟧", { text = "…", first = true, fixed = "…" }]   # examples: it must fire
    good = ["…"]                                 # on these (on the ⟦marked⟧ span), not on these

Phrase patterns are those of :mod:`chatlint.phrases` (word forms, ``~lemmas``, ``*``,
``<name>``, ``:GRAMMEMES``, ``?``), matched by a linear automaton. ``pattern`` rules use RE2
(the ``google-re2`` package), whose matching time is linear in the text whatever the
pattern: a team's regex cannot hang the linter. A malformed pack raises
:class:`~chatlint.errors.PackError` naming the file, the rule and the field.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import morph, resources
from .document import Document
from .errors import PackError
from .findings import CHANNELS, Channel, Severity
from .inflect import agree
from .lexicon import phrase_hits
from .phrases import PatternError, Phrase, compile_phrase, first_match
from .registry import Context, Example, Hit, NoParams, Rule, ex, sentence_span
from .registry import fix as make_fix

MAX_PATTERN_LENGTH = 2000
MAX_MATCHES = 200  # findings one pattern rule may report on one message


class ExampleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str  # a bad example marks what it must report: "Закажите на ⟦Озоне⟧"
    first: bool = False
    last: bool = False
    channel: Channel = "chat"
    fixed: str | None = None  # a rule with a replacement: the text once it is applied


def _example(v: Any) -> Any:
    return {"text": v} if isinstance(v, str) else v


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str
    type: Literal["words", "required", "pattern"]
    severity: Severity = "warning"
    message: str
    message_en: str | None = None
    why: str = ""
    match: list[str] = Field(default_factory=list)
    gap: int = Field(default=0, ge=0, le=5)
    replacement: str | None = None
    pattern: str | None = None
    ignore_case: bool = True
    when: Literal["first", "last", "any"] = "any"
    channels: list[Channel] = Field(default_factory=lambda: list(CHANNELS))
    bad: list[ExampleSpec] = Field(default_factory=list)
    good: list[ExampleSpec] = Field(default_factory=list)

    @field_validator("bad", "good", mode="before")
    @classmethod
    def _examples(cls, v: Any) -> Any:
        return [_example(x) for x in v] if isinstance(v, list) else v

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Z]{1,3}\d{3}", v):
            raise ValueError("a code is 1-3 capital letters and 3 digits, such as X001")
        return v

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", v):
            raise ValueError("a name is kebab-case, such as competitor-name")
        return v

    @model_validator(mode="after")
    def _by_type(self) -> RuleSpec:
        if self.type in ("words", "required") and not self.match:
            raise ValueError(f"a {self.type} rule needs `match`: a list of phrase patterns")
        if self.type == "pattern" and not self.pattern:
            raise ValueError("a pattern rule needs `pattern`: an RE2 regular expression")
        if self.type != "pattern" and self.pattern is not None:
            raise ValueError("`pattern` belongs to type = \"pattern\" rules")
        if self.type == "pattern" and self.match:
            raise ValueError("`match` belongs to words and required rules")
        if self.replacement is not None and self.type == "required":
            raise ValueError("a required rule has nothing to replace")
        if self.pattern is not None and len(self.pattern) > MAX_PATTERN_LENGTH:
            raise ValueError(f"the pattern is longer than {MAX_PATTERN_LENGTH} characters")
        return self


class PackMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    prefix: str = Field(pattern=r"^[A-Z]{1,3}$")
    description: str = ""


class PackSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pack: PackMeta
    rules: list[RuleSpec]


# ------------------------------------------------------------------ loading


def _where(data: dict, loc: tuple) -> str:
    """«rules[2] (X003).match[1]» from a pydantic error location."""
    parts: list[str] = []
    rules = data.get("rules") if isinstance(data, dict) else None
    i = 0
    while i < len(loc):
        item = loc[i]
        if item == "rules" and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            k = loc[i + 1]
            code = rules[k].get("code") if isinstance(rules, list) and k < len(rules) and isinstance(rules[k], dict) else None
            parts.append(f"rules[{k}]" + (f" ({code})" if code else ""))
            i += 2
            continue
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
        else:
            parts.append(str(item))
        i += 1
    return ".".join(parts)


def load_pack(path: str | Path) -> tuple[PackSpec, tuple[Rule, ...]]:
    """Read, validate and compile a pack. Raises :class:`PackError`."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise PackError(f"{p}: no such rule pack") from None
    except OSError as exc:
        raise PackError(f"{p}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PackError(f"{p}: not valid TOML: {exc}") from None
    try:
        spec = PackSpec(**data)
    except ValidationError as exc:
        msgs = []
        for err in exc.errors():
            where = _where(data, err["loc"])
            what = "unknown field" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ")
            msgs.append(f"{p}: {where}: {what}")
        raise PackError("; ".join(msgs)) from None
    seen: set[str] = set()
    rules = []
    for k, r in enumerate(spec.rules):
        label = f"{p}: rules[{k}] ({r.code})"
        if not r.code.startswith(spec.pack.prefix):
            raise PackError(f"{label}.code: does not start with the pack's prefix {spec.pack.prefix!r}")
        if r.code in seen:
            raise PackError(f"{label}.code: defined twice in the pack")
        seen.add(r.code)
        rules.append(_compile(r, label, spec.pack.name))
    return spec, tuple(rules)


def _compile(r: RuleSpec, label: str, pack: str) -> Rule:
    phrases: tuple[Phrase, ...] = ()
    regex = None
    if r.type in ("words", "required"):
        compiled = []
        for i, src in enumerate(r.match):
            try:
                compiled.append(compile_phrase(src, r.gap))
            except PatternError as exc:
                raise PackError(f"{label}.match[{i}]: {exc}") from None
        phrases = tuple(compiled)
    else:
        regex = _compile_re2(r.pattern or "", r.ignore_case, label)
    try:
        r.message.format(match="x")
        (r.message_en or "").format(match="x")
    except (KeyError, IndexError, ValueError) as exc:
        raise PackError(f"{label}.message: only {{match}} may stand in braces ({exc})") from None

    if r.type == "words":
        check = _words_check(r, phrases)
    elif r.type == "required":
        check = _required_check(r, phrases)
    else:
        check = _pattern_check(r, regex)
    bad = tuple(_example_of(e, label, f"bad[{k}]") for k, e in enumerate(r.bad))
    good = tuple(_example_of(e, label, f"good[{k}]") for k, e in enumerate(r.good))
    doc = (
        f"**What it checks**\n\n{_describe(r)} (rule pack «{pack}»).\n\n"
        f"**Why**\n\n{r.why or 'The team that wrote the pack did not say.'}\n\n"
        f"**Example**\n\n" + (f"«{bad[0].text}»" if bad else "(no example)")
    )
    return Rule(
        code=r.code,
        name=r.name,
        severity=r.severity,
        channels=frozenset(r.channels),
        params=NoParams,
        check=check,
        doc=doc,
        bad=bad,
        good=good,
        fix="unsafe" if r.replacement else None,
        when=r.when if r.when != "any" else None,
        group=r.code[0],
    )


def _example_of(e: ExampleSpec, label: str, where: str) -> Example:
    try:
        return ex(e.text, first=e.first, last=e.last, channel=e.channel, fixed=e.fixed)
    except ValueError as exc:
        raise PackError(f"{label}.{where}: {exc} (mark a span as ⟦…⟧)") from None


def _describe(r: RuleSpec) -> str:
    if r.type == "words":
        return "A message uses " + ", ".join(f"«{m}»" for m in r.match)
    if r.type == "required":
        where = {"first": "The operator's first message", "last": "The operator's closing message"}.get(r.when, "A message")
        return f"{where} lacks " + " or ".join(f"«{m}»" for m in r.match)
    return f"A message matches the pattern «{r.pattern}»"


def _compile_re2(pattern: str, ignore_case: bool, label: str):
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        raise PackError(f"{label}.pattern: pattern rules need the google-re2 package") from None
    opts = re2.Options()
    opts.log_errors = False
    opts.max_mem = 8 << 20
    opts.case_sensitive = not ignore_case
    try:
        return re2.compile(pattern, opts)
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise PackError(
            f"{label}.pattern: not a valid RE2 expression ({detail}); RE2 has no backreferences or look-around"
        ) from None


def _message(r: RuleSpec, match: str) -> tuple[str, str]:
    ru = r.message.format(match=f"«{match}»")
    en = (r.message_en or r.message).format(match=f"«{match}»")
    return ru, en


def _words_check(r: RuleSpec, phrases: tuple[Phrase, ...]):
    def check(doc: Document, ctx: Context) -> Iterator[Hit]:
        for s, e in phrase_hits(doc, phrases):
            found = doc.text[s:e]
            ru, en = _message(r, found)
            f = None
            if r.replacement:
                repl = _agreeing(doc, s, e, r.replacement)
                f = make_fix(s, e, repl, safe=False, title=f"Заменить на «{repl}»")
            yield Hit(s, e, ru, en, f)

    return check


def _agreeing(doc: Document, s: int, e: int, replacement: str) -> str:
    """The replacement in the matched word's case and number (a one-word match only)."""
    words = doc.words_in(s, e)
    if len(words) != 1:
        return replacement
    w = words[0]
    ps = morph.parses(w.norm)
    return agree(replacement, frozenset(ps[0].tag.grammemes) if ps else frozenset(), w.text)


def _required_check(r: RuleSpec, phrases: tuple[Phrase, ...]):
    def check(doc: Document, ctx: Context) -> Iterator[Hit]:
        if first_match(phrases, doc.words) is not None:
            return
        s, e = sentence_span(doc, -1 if r.when == "last" else 0) if doc.sentences else (0, len(doc.text))
        ru, en = _message(r, doc.text[s:e][:60])
        yield Hit(s, e, ru, en)

    return check


def _pattern_check(r: RuleSpec, regex):
    def check(doc: Document, ctx: Context) -> Iterator[Hit]:
        for n, m in enumerate(regex.finditer(doc.text)):
            if n >= MAX_MATCHES:
                return
            s, e = m.start(), m.end()
            ru, en = _message(r, m.group())
            f = make_fix(s, e, r.replacement, safe=False, title=f"Заменить на «{r.replacement}»") if r.replacement is not None else None
            yield Hit(s, e, ru, en, f)

    return check


@lru_cache(maxsize=256)
def _cached(path: str, mtime_ns: int, size: int) -> tuple[PackSpec, tuple[Rule, ...]]:
    return load_pack(path)


def pack_rules(path: str | Path) -> tuple[Rule, ...]:
    """The compiled rules of a pack file, cached until the file changes."""
    p = Path(path).resolve()
    try:
        st = p.stat()
    except OSError:
        return load_pack(p)[1]  # raises the clear error
    return _cached(str(p), st.st_mtime_ns, st.st_size)[1]


def shipped_packs() -> list[Path]:
    """Packs shipped with chatlint: the ``*.toml`` of a ``rules/packs/`` folder, loaded for
    every configuration (none is shipped today: the folder does not exist)."""
    d = resources.rules_dir() / "packs"
    return sorted(d.glob("*.toml")) if d.is_dir() else []
