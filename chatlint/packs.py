"""Declarative rule packs: a support team's own rules as TOML data, without Python.

A pack is a TOML file::

    [pack]
    name = "acme"          # a short name, shown in messages
    prefix = "X"           # every code of the pack starts with it: X001, X002…
    description = "…"

    [[rules]]
    code = "X001"
    name = "competitor-name"           # kebab-case
    type = "words"                     # words | required | pattern | count
    severity = "warning"               # error | warning | info
    message = "Не упоминайте конкурентов: {match}"
    message_en = "Do not name competitors: {match}"   # optional
    why = "…"                          # the etiquette behind it (chatlint explain)
    match = ["~конкурент", "озон|вайлдберриз"]        # words / required: phrase patterns
    gap = 0                            # words allowed between the elements of a phrase
    replacement = "…"                  # words: an unsafe fix, inflected to the matched word
    pattern = "…"                      # pattern: an RE2 regular expression over the text
    when = "first"                     # required: first | last | any (default any)
    max = 2                            # count: at most this many matches of `pattern`/`match` …
    min = 1                            # … and/or at least this many …
    scope = "message"                  # … per message | paragraph | sentence
    channels = ["chat", "messenger"]   # default: every channel
    bad = ["на ⟦Озоне⟧", { text = "…", first = true, fixed = "…" }]   # examples: it must fire
    good = ["…"]                                 # on these (on the ⟦marked⟧ span), not on these

Phrase patterns are those of :mod:`chatlint.phrases` (word forms, ``~lemmas``, ``*``,
``<name>``, ``:GRAMMEMES``, ``?``), matched by a linear automaton. ``pattern`` rules use RE2
(the ``google-re2`` package), whose matching time is linear in the text whatever the
pattern: a team's regex cannot hang the linter. RE2's ``\\w``, ``\\s`` and POSIX classes are
ASCII-only, so chatlint rewrites them (Cyrillic letters are word characters, a no-break space
is a space), and ``\\b`` at the start or end of the pattern (or of a top-level alternative)
stands for the start or end of a word in any script. Messages are templates with fields in
braces and nothing else: ``{match}`` (``{count}``, ``{max}``, ``{min}`` for count rules), no
format spec, conversion or attribute. A malformed pack raises
:class:`~chatlint.errors.PackError` naming the file, the rule and the field.
"""

from __future__ import annotations

import re
import string
import tomllib
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import morph, resources
from .compiled import regex
from .document import Document
from .errors import PackError
from .files import describe_oserror, read_regular
from .findings import CHANNELS, Channel, Severity
from .inflect import agree
from .lexicon import phrase_hits
from .phrases import PatternError, Phrase, compile_phrase, first_match
from .registry import Context, Example, Hit, NoParams, Rule, ex, sentence_span
from .registry import fix as make_fix

MAX_PATTERN_LENGTH = 2000
MAX_MATCHES = 200  # findings one pattern rule may report on one message
MAX_COUNTED = 100_000  # matches a count rule counts on one message (more is "more than max")
MAX_PACK_BYTES = 50_000_000
MAX_REPORTED = 5  # problems of a malformed pack named in its error; the rest are counted
TEMPLATE_FIELDS = {"count": ("count", "max", "min")}  # by rule type; the other types: {match}


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
    type: Literal["words", "required", "pattern", "count"]
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
    max: int | None = Field(default=None, ge=0, le=MAX_COUNTED, strict=True)
    min: int | None = Field(default=None, ge=1, le=MAX_COUNTED, strict=True)
    scope: Literal["message", "paragraph", "sentence"] | None = None
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
        if self.type == "count":
            self._count_fields()
        else:
            for key in ("max", "min", "scope"):
                if getattr(self, key) is not None:
                    raise ValueError(f"`{key}` belongs to type = \"count\" rules")
        if self.type in ("words", "required") and not self.match:
            raise ValueError(f"a {self.type} rule needs `match`: a list of phrase patterns")
        if self.type == "pattern" and not self.pattern:
            raise ValueError("a pattern rule needs `pattern`: an RE2 regular expression")
        if self.type not in ("pattern", "count") and self.pattern is not None:
            raise ValueError("`pattern` belongs to type = \"pattern\" and \"count\" rules")
        if self.type == "pattern" and self.match:
            raise ValueError("`match` belongs to words, required and count rules")
        if self.replacement is not None and self.type in ("required", "count"):
            raise ValueError(f"a {self.type} rule has nothing to replace")
        if self.pattern is not None and len(self.pattern) > MAX_PATTERN_LENGTH:
            raise ValueError(f"the pattern is longer than {MAX_PATTERN_LENGTH} characters")
        return self

    def _count_fields(self) -> None:
        if (self.pattern is None) == (not self.match):
            raise ValueError("a count rule counts either `pattern` (RE2) or `match` (phrase patterns): give one")
        if self.max is None and self.min is None:
            raise ValueError("a count rule needs `max`, `min` or both")
        if self.max is not None and self.min is not None and self.min > self.max:
            raise ValueError(f"`min` ({self.min}) is above `max` ({self.max})")
        if self.when != "any":
            raise ValueError("`when` belongs to required rules")


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
        raw = read_regular(p, MAX_PACK_BYTES)
        if len(raw) > MAX_PACK_BYTES:
            raise PackError(f"{p}: too large for a rule pack (> {MAX_PACK_BYTES // 1_000_000} MB)")
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise PackError(f"{p}: no such rule pack") from None
    except OSError as exc:
        raise PackError(f"{p}: cannot read: {describe_oserror(exc)}") from None
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
        if len(msgs) > MAX_REPORTED:  # one line, not a screenful for a pack of 10,000 broken rules
            msgs[MAX_REPORTED:] = [f"… and {len(msgs) - MAX_REPORTED} more problems"]
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
    if r.match:
        compiled = []
        for i, src in enumerate(r.match):
            try:
                compiled.append(compile_phrase(src, r.gap))
            except PatternError as exc:
                raise PackError(f"{label}.match[{i}]: {exc}") from None
        phrases = tuple(compiled)
    if r.pattern is not None:
        regex = _compile_re2(r.pattern, r.ignore_case, label)
    fields = TEMPLATE_FIELDS.get(r.type, ("match",))
    templates = (_template(r.message, fields, f"{label}.message"),
                 _template(r.message_en, fields, f"{label}.message_en") if r.message_en is not None else None)

    if r.type == "words":
        check = _words_check(r, phrases, templates)
    elif r.type == "required":
        check = _required_check(r, phrases, templates)
    elif r.type == "count":
        check = _count_check(r, regex, phrases, templates)
    else:
        check = _pattern_check(r, regex, templates)
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
    if r.type == "count":
        what = f"the pattern «{r.pattern}»" if r.pattern is not None else " or ".join(f"«{m}»" for m in r.match)
        limits = " and ".join(x for x in (f"more than {r.max}" if r.max is not None else "",
                                          f"fewer than {r.min}" if r.min is not None else "") if x)
        return f"A {r.scope or 'message'} has {limits} matches of {what}"
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
        translated, bounded = unicode_pattern(pattern)
    except ValueError as exc:
        raise PackError(f"{label}.pattern: {exc}") from None
    try:
        return Regex(re2.compile(translated, opts), bounded)
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise PackError(
            f"{label}.pattern: not a valid RE2 expression ({detail}); RE2 has no backreferences or look-around"
        ) from None


# ------------------------------------------------------------------ RE2, Unicode-aware

# A word character: a Latin or Cyrillic letter, a digit, "_" or a combining accent (U+0301 in
# «звони́т»). Not all of \p{L}: RE2 takes ~3 ms to compile each use of it, and a 10,000-rule pack
# must load in seconds; chat text is Cyrillic and Latin.
_WORD = r"0-9_\p{Latin}\p{Cyrillic}\x{300}-\x{36f}"
_SPACE = r"\s\x{a0}\x{2000}-\x{200b}\x{202f}\x{205f}\x{3000}"  # the no-break and thin spaces too
_LETTER = r"\p{Latin}\p{Cyrillic}"
_IN_CLASS = {"w": _WORD, "s": _SPACE}
_OUTSIDE = {"w": f"[{_WORD}]", "W": f"[^{_WORD}]", "s": f"[{_SPACE}]", "S": f"[^{_SPACE}]"}
_POSIX = {"alpha": _LETTER, "alnum": _LETTER + "0-9", "word": _WORD, "upper": r"\p{Lu}", "lower": r"\p{Ll}",
          "space": _SPACE}
_B = "\x00B"  # a \b while the pattern is being split into alternatives
_PREFIX = regex(r"(?:\(\?[a-zA-Z]+\)|\^)*")


def unicode_pattern(pattern: str) -> tuple[str, bool]:
    """``pattern`` with RE2's ASCII-only classes made Unicode-aware, and whether it had a ``\\b``.

    ``\\w \\W \\s \\S`` and ``[[:alpha:]]``-style classes take in Cyrillic (and the no-break
    space); ``\\d`` stays 0-9. A
    ``\\b`` may open or close the pattern or a top-level alternative (``\\bкосяк\\w*\\b|\\bбаг\\b``):
    each alternative is then wrapped in a group, ``\\b`` becomes «the start or end of the text
    or a non-word character», and :class:`Regex` reports the group's span. Raises ValueError
    for a ``\\b`` elsewhere, ``\\B``, and a negated class shorthand inside brackets.
    """
    out: list[str] = []
    alternatives: list[str] = []
    depth = 0
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "Q":  # \Q…\E: literal text
                end = pattern.find("\\E", i + 2)
                end = n if end < 0 else end + 2
                out.append(pattern[i:end])
                i = end
                continue
            if in_class:
                if nxt in _IN_CLASS:
                    out.append(_IN_CLASS[nxt])
                elif nxt in "WS":
                    raise ValueError(f"\\{nxt} inside [...] is not supported: use [^...] or \\P{{L}}-style classes")
                else:
                    out.append(pattern[i:i + 2])
            elif nxt in _OUTSIDE:
                out.append(_OUTSIDE[nxt])
            elif nxt == "b":
                out.append(_B)
            elif nxt == "B":
                raise ValueError("\\B is not supported (RE2's word boundaries are ASCII-only)")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "[" and pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                name = pattern[i + 2:end] if end > 0 else ""
                if name in _POSIX:
                    out.append(_POSIX[name])
                    i = end + 2
                    continue
            if c == "]":
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            # a ] right after [ or [^ is a literal
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            if pattern.startswith("]", i):
                out.append("]")
                i += 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            alternatives.append("".join(out))
            out = []
            i += 1
            continue
        out.append(c)
        i += 1
    alternatives.append("".join(out))
    if not any(_B in a for a in alternatives):
        return "|".join(alternatives), False
    wrapped = []
    for a in alternatives:
        prefix = _PREFIX.match(a).group()  # flags such as (?i) and ^ may come before a leading \b
        a = a[len(prefix):]
        lead = a.startswith(_B)
        body = a[len(_B):] if lead else a
        trail = body.endswith(_B)
        body = body[:-len(_B)] if trail else body
        if _B in body:
            raise ValueError("\\b may only open or close the pattern or a top-level alternative "
                             "(RE2 has no look-around)")
        wrapped.append(prefix + (f"(?:^|[^{_WORD}])" if lead else "") + f"({body})"
                       + (f"(?:$|[^{_WORD}])" if trail else ""))
    return "|".join(wrapped), True


class Regex:
    """A compiled RE2 pattern: its matches' spans on any ``str`` (lone surrogates included)."""

    __slots__ = ("re", "bounded")

    def __init__(self, compiled, bounded: bool) -> None:
        self.re = compiled
        self.bounded = bounded

    def spans(self, text: str, limit: int) -> Iterator[tuple[int, int]]:
        """Up to ``limit`` (start, end) spans of non-overlapping matches, left to right."""
        text = utf8_safe(text)
        if not self.bounded:
            for n, m in enumerate(self.re.finditer(text)):
                if n >= limit:
                    return
                yield m.span()
            return
        pos, n, size, groups = 0, 0, len(text), self.re.groups
        while n < limit and pos <= size:
            m = self.re.search(text, pos)
            if m is None:
                return
            # the wrapper groups are the alternatives' own (their inner groups come after them)
            s, e = next((sp for k in range(1, groups + 1) if (sp := m.span(k))[0] >= 0), m.span())
            yield s, e
            n += 1
            pos = e if e > pos else pos + 1


_SURROGATES = regex("[\ud800-\udfff]")


def utf8_safe(text: str) -> str:
    """``text`` with every lone surrogate (which UTF-8, and so RE2, cannot hold) replaced by
    U+FFFD: one code point for one, so offsets stay those of the original."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text)
    return text


# ------------------------------------------------------------------ messages


def _template(template: str, fields: tuple[str, ...], where: str) -> tuple[tuple[str, str | None], ...]:
    """A message template parsed into (literal, field) pairs. Only the given fields, bare
    (``{match}``): no format spec, conversion, index or attribute. Raises PackError."""
    allowed = ", ".join(f"{{{f}}}" for f in fields)
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise PackError(f"{where}: {exc} (only {allowed} may stand in braces; write {{{{ and }}}} "
                        "for a literal brace)") from None
    out = []
    for literal, name, spec, conversion in parts:
        if name is not None and (name not in fields or spec or conversion):
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise PackError(f"{where}: only {allowed} may stand in braces, without a format spec, "
                            f"conversion or attribute: {shown} is not allowed")
        out.append((literal, name))
    return tuple(out)


def _render(template, values: dict[str, str]) -> str:
    return "".join(literal + (values[name] if name is not None else "") for literal, name in template)


def _message(templates, **values) -> tuple[str, str]:
    ru_t, en_t = templates
    ru = _render(ru_t, values)
    return ru, (_render(en_t, values) if en_t is not None else ru)


def _words_check(r: RuleSpec, phrases: tuple[Phrase, ...], templates):
    def check(doc: Document, ctx: Context) -> Iterator[Hit]:
        for s, e in phrase_hits(doc, phrases):
            found = doc.text[s:e]
            ru, en = _message(templates, match=f"«{found}»")
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


def _required_check(r: RuleSpec, phrases: tuple[Phrase, ...], templates):
    def check(doc: Document, ctx: Context) -> Iterator[Hit]:
        if first_match(phrases, doc.words) is not None:
            return
        s, e = sentence_span(doc, -1 if r.when == "last" else 0) if doc.sentences else (0, len(doc.text))
        ru, en = _message(templates, match=f"«{doc.text[s:e][:60]}»")
        yield Hit(s, e, ru, en)

    return check


def _pattern_check(r: RuleSpec, regex: Regex, templates):
    def check(doc: Document, ctx: Context) -> Iterator[Hit]:
        for s, e in regex.spans(doc.text, MAX_MATCHES):
            ru, en = _message(templates, match=f"«{doc.text[s:e]}»")
            f = make_fix(s, e, r.replacement, safe=False, title=f"Заменить на «{r.replacement}»") if r.replacement is not None else None
            yield Hit(s, e, ru, en, f)

    return check


def _scopes(doc: Document, scope: str) -> list[tuple[int, int]]:
    if scope == "sentence" and doc.sentences:
        return [(x.start, x.end) for x in doc.sentences]
    if scope == "paragraph" and doc.blocks:
        return [(b.start, b.end) for b in doc.blocks]
    return [(0, len(doc.text))]


def _count_check(r: RuleSpec, regex: Regex | None, phrases: tuple[Phrase, ...], templates):
    """More than ``max`` (or fewer than ``min``) matches in a scope: over the limit, the span runs
    from the first match too many to the last; under it, the span is the scope's text."""

    def check(doc: Document, ctx: Context) -> Iterator[Hit]:
        if regex is not None:
            found = list(regex.spans(doc.text, MAX_COUNTED))
        else:
            found = list(phrase_hits(doc, phrases))[:MAX_COUNTED]
        scopes = _scopes(doc, r.scope or "message")
        starts = [s for s, _ in scopes]
        per: list[list[tuple[int, int]]] = [[] for _ in scopes]
        for span in found:
            k = bisect_right(starts, span[0]) - 1
            if k >= 0 and span[0] < max(scopes[k][1], scopes[k][0] + 1):
                per[k].append(span)
        for (s0, e0), spans in zip(scopes, per, strict=True):
            n = len(spans)
            values = {"count": str(n), "max": str(r.max), "min": str(r.min)}
            if r.max is not None and n > r.max:
                ru, en = _message(templates, **values)
                yield Hit(spans[r.max][0], max(e for _, e in spans[r.max:]), ru, en)
            elif r.min is not None and n < r.min:
                text = doc.text[s0:e0]
                s = s0 + (len(text) - len(text.lstrip()))
                e = max(s, s0 + len(text.rstrip()))
                ru, en = _message(templates, **values)
                yield Hit(s, e, ru, en)

    return check


@lru_cache(maxsize=256)
def _cached(path: str, mtime_ns: int, size: int) -> tuple[PackSpec, tuple[Rule, ...]]:
    return load_pack(path)


def pack_rules(path: str | Path) -> tuple[Rule, ...]:
    """The compiled rules of a pack file, cached until the file changes."""
    try:
        p = Path(path).resolve()
        st = p.stat()
    except (OSError, RuntimeError):  # missing, unreadable, a symlink loop (RuntimeError on 3.11)
        return load_pack(path)[1]  # raises the clear error
    return _cached(str(p), st.st_mtime_ns, st.st_size)[1]


def shipped_packs() -> list[Path]:
    """Packs shipped with chatlint: the ``*.toml`` of a ``rules/packs/`` folder, loaded for
    every configuration (none is shipped today: the folder does not exist)."""
    d = resources.rules_dir() / "packs"
    return sorted(d.glob("*.toml")) if d.is_dir() else []
