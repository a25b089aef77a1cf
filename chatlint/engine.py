"""lint_message and fix_message: parse once, run the planned rules, collect sorted findings."""

from __future__ import annotations

import warnings

from .config import Config, default_config
from .document import Document
from .findings import Finding, apply_fixes


class RuleCrashWarning(RuntimeWarning):
    """A rule raised on some text. The other rules' findings are still returned."""


def lint_message(
    text: str,
    channel: str | None = None,
    first: bool = False,
    last: bool = False,
    config: Config | None = None,
) -> list[Finding]:
    """Check one operator message; findings come sorted by (start, code).

    ``channel`` defaults to the config's channel (``chat`` by default). Never raises on a
    ``str``; an unknown channel raises :class:`~chatlint.ConfigError`.
    """
    cfg = config if config is not None else default_config()
    plan = cfg.plan(channel)
    return run_plan(plan, text, first, last)


def run_plan(plan, text: str, first: bool, last: bool) -> list[Finding]:
    if not isinstance(text, str):
        raise TypeError(f"lint_message expects a str, not {type(text).__name__}")
    doc = Document(text)
    en = plan.lang == "en"
    out: list[Finding] = []
    position = doc.position
    for item in plan.for_message(first, last):
        r = item.rule
        try:
            for hit in r.check(doc, item.ctx):
                line, column = position(hit.start)
                out.append(
                    _finding(
                        {
                            "code": r.code,
                            "name": r.name,
                            "severity": item.severity,
                            "message": hit.en if en else hit.ru,
                            "start": hit.start,
                            "end": hit.end,
                            "line": line,
                            "column": column,
                            "fix": hit.fix,
                            "message_index": None,
                            "speaker": None,
                            "conversation_id": None,
                        }
                    )
                )
        except Exception as exc:  # a rule bug must not take the others down
            warnings.warn(f"chatlint: rule {r.code} failed on this text: {exc!r}", RuleCrashWarning, stacklevel=2)
    out.sort(key=lambda f: (f.start, f.code, f.end))
    return out


_ALL_FIELDS = frozenset(Finding.model_fields)


def _finding(values: dict) -> Finding:
    """A Finding from values the engine has already checked, without pydantic's validation
    pass: what ``Finding.model_construct`` does, minus its generic work (it costs ~10 µs a
    finding, which is visible per message). ``tests/test_findings.py`` checks the result is
    equal to a validated Finding."""
    f = object.__new__(Finding)
    object.__setattr__(f, "__dict__", values)
    object.__setattr__(f, "__pydantic_fields_set__", set(_ALL_FIELDS))
    object.__setattr__(f, "__pydantic_extra__", None)
    object.__setattr__(f, "__pydantic_private__", None)
    return f


def fix_message(
    text: str,
    channel: str | None = None,
    first: bool = False,
    last: bool = False,
    config: Config | None = None,
    unsafe: bool = False,
) -> str:
    """Lint and apply fixes until nothing fixable is left (at most 16 rounds); idempotent."""
    cfg = config if config is not None else default_config()
    plan = cfg.plan(channel)
    seen = {text}
    for _ in range(16):
        findings = run_plan(plan, text, first, last)
        fixed = apply_fixes(text, findings, unsafe=unsafe)
        if fixed == text or fixed in seen:  # done, or a cycle (a rule bug): stop here
            return text
        seen.add(fixed)
        text = fixed
    return text
