"""Every rule's own bad/good examples, run as tests (LanguageTool's <example>, sqlfluff's cases)."""

from __future__ import annotations

import pytest

from chatlint import lint_message, lint_transcript
from chatlint.catalog import all_rules
from chatlint.config import Config, default_config

RULES = all_rules()
CASES = [
    pytest.param(code, kind, k, example, id=f"{code}-{kind}-{k}")
    for code, r in RULES.items()
    for kind, examples in (("bad", r.bad), ("good", r.good))
    for k, example in enumerate(examples)
]


def _config(example):
    return Config(**example.config) if example.config else default_config()


def _lint_example(example):
    if example.turns:
        return lint_transcript(example.transcript(), config=_config(example))
    return lint_message(
        example.text, channel=example.channel, first=example.first, last=example.last, config=_config(example)
    )


@pytest.mark.parametrize(("code", "kind", "k", "example"), CASES)
def test_rule_example(code, kind, k, example):
    findings = _lint_example(example)
    shown = example.turns or example.text
    codes = [f.code for f in findings]
    if kind == "bad":
        assert code in codes, f"{code} should fire on {shown!r}; got {findings}"
    else:
        mine = [f for f in findings if f.code == code]
        assert not mine, f"{code} should stay silent on {shown!r}; got {mine}"


@pytest.mark.parametrize("code", sorted(c for c, r in RULES.items() if r.scope == "dialogue"))
def test_dialogue_rule_examples_are_conversations(code):
    r = RULES[code]
    assert all(e.turns for e in (*r.bad, *r.good)), f"{code}: a dialogue rule's examples are conversations (dlg)"


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_examples_and_three_part_docstring(code):
    r = RULES[code]
    assert r.bad, f"{code} has no bad examples"
    assert r.good, f"{code} has no good examples"
    for part in ("What it checks", "Why", "Example"):
        assert r.section(part), f"{code}'s docstring lacks the **{part}** part"


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_metadata(code):
    r = RULES[code]
    assert r.name == r.name.lower() and " " not in r.name and "_" not in r.name
    assert r.severity in ("error", "warning", "info")
    assert r.channels


@pytest.mark.parametrize("code", sorted(c for c, r in RULES.items() if r.fix))
def test_rule_with_fix_fixes_its_bad_examples(code):
    """A rule that advertises a fix offers one on at least one of its bad examples, and
    applying it makes that finding go away."""
    from chatlint import apply_fixes

    r = RULES[code]
    offered = 0
    for example in r.bad:
        cfg = _config(example)
        kw = dict(channel=example.channel, first=example.first, last=example.last, config=cfg)
        findings = [f for f in lint_message(example.text, **kw) if f.code == code and f.fix]
        if not findings:
            continue
        offered += 1
        assert all(f.fix.applicability == r.fix for f in findings)
        fixed = apply_fixes(example.text, findings, unsafe=True)
        assert fixed != example.text
        again = [f for f in lint_message(fixed, **kw) if f.code == code]
        assert len(again) < len(findings), f"{code}: fixing {example.text!r} gave {fixed!r}, still {again}"
    assert offered, f"{code} advertises a {r.fix} fix but offers none on its bad examples"


REQUIRED = (
    "G001 G002 G003 G004 G005 G006 G007 A001 A002 A005 A006 E001 E002 E003 E005 "
    "S001 S002 S003 S004 S005 S006 S007 S008 S009 S010 L001 P002 "
    "A003 A004 A007 E004 P001 T001 T002 T003 T004 T005 T006 T007 M001 M002 M003 M004 M005"
).split()


def test_every_required_rule_is_registered():
    assert set(REQUIRED) <= set(RULES)


def test_canonical_opening_and_closing_give_no_finding():
    assert lint_message("Здравствуйте, меня зовут {ИМЯ}, чем я могу Вам помочь?", first=True) == []
    assert lint_message("Всего доброго, будут еще вопросы - обращайтесь!", last=True) == []
    assert lint_message("Здравствуйте, меня зовут Анна, чем я могу Вам помочь?", first=True) == []


def test_default_config_is_shared():
    assert default_config() is default_config()
