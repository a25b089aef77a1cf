"""Documentation generated from the registry: ``chatlint rules``, ``chatlint explain`` and the
README's rule reference, so that none of them can drift from the code."""

from __future__ import annotations

import ast
import inspect
import textwrap
import unicodedata
from functools import lru_cache

from .catalog import all_rules
from .findings import CHANNELS
from .lexicon import mask_profanity
from .planning import profile, profile_params
from .registry import GROUPS, Rule


def default_channels(r: Rule) -> list[str]:
    """The channels where a rule is on by default (its channels minus profile opt-outs)."""
    out = []
    for ch in CHANNELS:
        if ch in r.channels and r.code not in profile(ch).get("profile", {}).get("disable", []):
            out.append(ch)
    return out


def params_of(r: Rule) -> list[tuple[str, str, str]]:
    """(name, value, description) of a rule's parameters (descriptions: attribute docstrings).
    The value is the Python default, or — for a threshold the channel profiles set — each
    channel's value: ``3 (chat, messenger, social); 4 (email)``."""
    out = []
    for name, f in r.params.model_fields.items():
        if f.is_required():
            by_value: dict[str, list[str]] = {}
            for ch in CHANNELS:
                if ch in r.channels:
                    value = profile_params(r.code, ch).get(name)
                    by_value.setdefault(repr(value), []).append(ch)
            shown = "; ".join(f"{v} ({', '.join(chs)})" for v, chs in by_value.items())
            if len(by_value) == 1:
                shown = next(iter(by_value))
        else:
            shown = repr(f.default)
        out.append((name, shown, f.description or attribute_docs(r.params).get(name, "")))
    return out


@lru_cache(maxsize=256)
def attribute_docs(cls: type) -> dict[str, str]:
    """The docstring under each annotated field of ``cls`` and its bases, read from their
    source when a description is asked for (pydantic's ``use_attribute_docstrings`` does the
    same for every model at import, which costs the start-up of every run)."""
    out: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass is object or not klass.__dict__.get("__annotations__"):
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError, SyntaxError):  # no source (a zip, a REPL class): no docs
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for prev, node in zip(body, body[1:], strict=False):
            if (
                isinstance(prev, ast.AnnAssign)
                and isinstance(prev.target, ast.Name)
                and isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                out[prev.target.id] = inspect.cleandoc(node.value.value)
    return out


def rule_record(r: Rule) -> dict:
    """A rule as JSON-able data: what ``chatlint rules --format json`` and ``GET /v1/rules`` list."""
    return {
        "code": r.code, "name": r.name, "severity": r.severity, "fix": r.fix,
        "channels": default_channels(r), "summary": mask_profanity(r.summary),
    }


# The Russian parts of a rule's docstring, after the three English ones.
RU_SUMMARY, RU_WHY = "Что проверяет", "Почему это важно"


def _paragraph(text: str) -> str:
    return " ".join(text.split())


def russian_text(r: Rule) -> tuple[str, str] | None:
    """(summary, why) in Russian: the docstring's **Что проверяет** and **Почему это важно**
    parts, each read as one paragraph; None for a rule without them (a plugin's, a pack's)."""
    summary, why = _paragraph(r.section(RU_SUMMARY)), _paragraph(r.section(RU_WHY))
    return (summary, why) if summary and why else None


def rule_text(r: Rule, lang: str = "ru") -> tuple[str, str]:
    """(summary, why) of a rule: in Russian from the docstring's Russian parts for
    ``lang="ru"``, in English from its English parts for ``lang="en"``. A rule without Russian
    parts (a plugin's, a rule pack's) falls back to the English ones, whatever language its
    author wrote them in."""
    summary, why = r.summary, r.section("Why")
    if lang == "ru":
        ru = russian_text(r)
        if ru:
            summary, why = ru[0] or summary, ru[1] or why
    return mask_profanity(summary), mask_profanity(why)


def rules_table() -> str:
    rules = all_rules()
    rows = [("code", "name", "severity", "fix", "channels")]
    for r in rules.values():
        rows.append((r.code, r.name, r.severity, r.fix or "-", ",".join(default_channels(r)) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def explain(r: Rule) -> str:
    parts = [f"{r.code} {r.name}", "=" * len(f"{r.code} {r.name}"), ""]
    parts.append(f"Severity: {r.severity}    Fix: {r.fix or 'none'}    Channels: {', '.join(default_channels(r)) or '-'}")
    if r.when:
        parts.append(f"Runs on: the operator's {r.when} message only (--{r.when})")
    parts.append("")
    for title in ("What it checks", "Why", "Example"):
        parts.append(title.upper())
        parts.append(_indent(r.section(title)))
        parts.append("")
    ru = russian_text(r)
    if ru:
        parts.append("ПО-РУССКИ")
        for label, text in zip((RU_SUMMARY, RU_WHY), ru, strict=True):
            parts.append(textwrap.fill(f"{label}: {text}", width=96, initial_indent="    ",
                                       subsequent_indent="    ", break_on_hyphens=False))
        parts.append("")
    ps = params_of(r)
    if ps:
        parts.append(f"PARAMETERS  ([tool.chatlint.rules.{r.code}])")
        for name, default, desc in ps:
            parts.append(f"    {name} = {default}    {desc}")
        parts.append("")
    parts.append("BAD (the rule fires)")
    parts.extend(_example_lines(r.bad))
    parts.append("")
    parts.append("GOOD (the rule stays silent)")
    parts.extend(_example_lines(r.good))
    return mask_profanity("\n".join(parts) + "\n")  # the bad examples of A004 above all


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in text.splitlines())


def _example_lines(examples) -> list[str]:
    """Examples as ``chatlint explain`` prints them: the text on one line (line breaks as ⏎),
    the span a bad example pins underlined with ``^``, and its fixed text after ``→``."""
    out = []
    for e in examples:
        flags = []
        if e.first:
            flags.append("first")
        if e.last:
            flags.append("last")
        if e.channel != "chat":
            flags.append(f"channel={e.channel}")
        if e.config:
            flags.append("config: " + ", ".join(f"{k}={v!r}" for k, v in e.config.items()))
        suffix = f"    ({'; '.join(flags)})" if flags else ""
        if e.turns:
            out.extend(_dialogue_lines(e, suffix))
            continue
        shown = _one_line(e.text) if e.text else "(empty message)"
        out.append(f"    {shown}{suffix}")
        underline = _underline(e.text, [(s, end) for _, s, end in e.spans], 4)
        if underline:
            out.append(underline)
        if e.fixed is not None:
            out.append(f"    → {_one_line(e.fixed) if e.fixed else '(empty message)'}")
    return out


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "⏎")


def _width(ch: str) -> int:
    """Terminal columns of one character as :func:`_one_line` shows it."""
    if ch == "\r":
        return 2
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _underline(text: str, spans: list[tuple[int, int]], indent: int) -> str:
    """A line of ``^`` under the spans of ``text`` (shown by :func:`_one_line` after
    ``indent`` columns); empty when there are no spans."""
    if not spans:
        return ""
    cols = [0]
    for ch in text:
        cols.append(cols[-1] + _width(ch))
    line = [" "] * (cols[-1] + 1)
    for s, e in spans:
        a, b = cols[s], max(cols[e], cols[s] + 1)
        line.extend(" " * (b - len(line)))
        line[a:b] = "^" * (b - a)
    return " " * indent + "".join(line).rstrip()


def _dialogue_lines(e, suffix: str) -> list[str]:
    """A dialogue example as a short transcript: ``+m:ss Клиент: text``, one turn a line,
    with the span a bad example pins underlined under its message."""
    out = [f"  - a conversation{suffix}:"]
    for k, (sec, who, text) in enumerate(e.turns):
        when = "  --:--" if sec is None else f"{'+' if sec >= 0 else '-'}{int(abs(sec)) // 3600:d}:{int(abs(sec)) % 3600 // 60:02d}:{int(abs(sec)) % 60:02d}"
        speaker = "Оператор" if who == "o" else "Клиент"
        head = e.headers.get(k, {})
        subject = f" [Тема: {head['subject']!r}]" if "subject" in head else ""
        prefix = f"      {when} {speaker}{subject}: "
        out.append(prefix + _one_line(text))
        underline = _underline(text, [(s, end) for i, s, end in e.spans if i == k], sum(map(_width, prefix)))
        if underline:
            out.append(underline)
    return out


def rules_markdown() -> str:
    """The rule reference of the README (between its ``rules-reference`` markers)."""
    rules = all_rules()
    out = []
    current = None
    for r in rules.values():
        if r.group != current:
            current = r.group
            out.append(f"\n### {current} — {GROUPS.get(current, '')}\n")
            out.append("| code | name | severity | fix | channels | what it checks |")
            out.append("|---|---|---|---|---|---|")
        summary = r.summary.replace("|", "\\|")
        out.append(
            f"| {r.code} | `{r.name}` | {r.severity} | {r.fix or '—'} | "
            f"{', '.join(default_channels(r)) or '—'} | {summary} |"
        )
    return mask_profanity("\n".join(out).strip() + "\n")


START_MARK = "<!-- rules-reference:start (generated by `python -m chatlint.docs README.md`) -->"
END_MARK = "<!-- rules-reference:end -->"


def with_reference(readme: str) -> str:
    """``readme`` with the text between the reference markers regenerated."""
    i = readme.index(START_MARK) + len(START_MARK)
    j = readme.index(END_MARK)
    return readme[:i] + "\n\n" + rules_markdown() + "\n" + readme[j:]


if __name__ == "__main__":
    import sys
    from pathlib import Path

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    old = target.read_text(encoding="utf-8")
    new = with_reference(old)
    if new != old:
        target.write_text(new, encoding="utf-8")
        print(f"{target}: rule reference updated")
    else:
        print(f"{target}: rule reference is up to date")
