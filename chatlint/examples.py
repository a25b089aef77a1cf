"""A rule's own examples, run: what the test suite and ``chatlint test-rules`` both check.

A bad example must make its rule fire, on exactly the span(s) it marks (``⟦…⟧``), and — for
a rule with a fix — leave exactly its ``fixed`` text once the rule's fixes are applied (as
``chatlint check --fix --unsafe-fixes`` would, until nothing changes). A good example must
keep the rule silent.
"""

from __future__ import annotations

from .config import Config, default_config
from .engine import lint_message, lint_transcript
from .findings import Finding, apply_fixes
from .registry import MARK_CLOSE, MARK_OPEN, Example, Rule

MAX_FIX_ROUNDS = 8


def example_config(example: Example, base: Config | None = None) -> Config:
    """The configuration an example runs with: ``base`` (the default one) plus its own keys."""
    if not example.config:
        return base if base is not None else default_config()
    return base.with_changes(**example.config) if base is not None else Config(**example.config)


def findings_of(example: Example, config: Config) -> list[Finding]:
    if example.turns:
        return lint_transcript(example.transcript(), config=config)
    return lint_message(example.text, channel=example.channel, first=example.first, last=example.last, config=config)


def fixed_text(code: str, example: Example, config: Config) -> str:
    """The example's text after rule ``code``'s fixes (safe and unsafe), round after round."""
    text = example.text
    for _ in range(MAX_FIX_ROUNDS):
        mine = [
            f
            for f in lint_message(text, channel=example.channel, first=example.first, last=example.last, config=config)
            if f.code == code and f.fix is not None
        ]
        new = apply_fixes(text, mine, unsafe=True)
        if new == text:
            break
        text = new
    return text


def marked(text: str, spans) -> str:
    """``text`` with ``⟦…⟧`` around each (start, end) span: how examples are written."""
    out = text
    for s, e in sorted(set(spans), reverse=True):
        out = out[:s] + MARK_OPEN + out[s:e] + MARK_CLOSE + out[e:]
    return out


def shown(example: Example, spans=None) -> str:
    """An example as its author would write it, marks included (``spans``: other spans)."""
    spans = example.spans if spans is None else spans
    if not example.turns:
        return f"«{marked(example.text, [(s, e) for _, s, e in spans])}»"
    turns = []
    for k, (_, who, text) in enumerate(example.turns):
        turns.append(f"{who}: «{marked(text, [(s, e) for i, s, e in spans if i == k])}»")
    return "[" + ", ".join(turns) + "]"


def _order(span: tuple[int | None, int, int]) -> tuple[int, int, int]:
    i, s, e = span
    return (-1 if i is None else i, s, e)


def example_problems(rule: Rule, kind: str, example: Example, config: Config | None = None) -> list[str]:
    """What is wrong with one of ``rule``'s examples (``kind`` "bad" or "good"): nothing when
    it passes."""
    cfg = example_config(example, config)
    mine = [f for f in findings_of(example, cfg) if f.code == rule.code]
    if kind == "good":
        return [f"fired: {shown(example)}: {mine[0].message}"] if mine else []
    if not mine:
        return [f"did not fire: {shown(example)}"]
    problems = []
    if example.spans:
        got = sorted({(f.message_index, f.start, f.end) for f in mine}, key=_order)
        if got != sorted(set(example.spans), key=_order):
            problems.append(f"marks {shown(example)} but reported {shown(example, got)}")
    if example.fixed is not None and not example.turns:
        result = fixed_text(rule.code, example, cfg)
        if result != example.fixed:
            problems.append(f"fixing {shown(example)} gave «{result}», not «{example.fixed}»")
    return problems
