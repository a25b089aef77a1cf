"""Every rule's own bad/good examples, run as tests (LanguageTool's <example>, sqlfluff's cases)."""

from __future__ import annotations

import pytest

from chatlint import lint_message
from chatlint.catalog import all_rules
from chatlint.config import default_config
from chatlint.examples import example_config, example_problems
from chatlint.registry import dlg, ex, unmark

RULES = all_rules()
CASES = [
    pytest.param(code, kind, k, example, id=f"{code}-{kind}-{k}")
    for code, r in RULES.items()
    for kind, examples in (("bad", r.bad), ("good", r.good))
    for k, example in enumerate(examples)
]


def _config(example):
    return example_config(example)


@pytest.mark.parametrize(("code", "kind", "k", "example"), CASES)
def test_rule_example(code, kind, k, example):
    """A bad example fires on exactly the span(s) it marks and fixes to exactly its ``fixed``
    text; a good one stays silent."""
    problems = example_problems(RULES[code], kind, example)
    assert not problems, f"{code} {kind}[{k}]: " + "; ".join(problems)


@pytest.mark.parametrize("code", sorted(RULES))
def test_bad_examples_pin_their_spans_and_fixes(code):
    """Every bad example marks the span(s) it must report (``⟦…⟧``); every bad example of a
    rule with a fix pins the fixed text (``fixed=``, the text itself where no fix is offered);
    good examples mark nothing."""
    r = RULES[code]
    for k, e in enumerate(r.bad):
        assert e.spans, f"{code} bad[{k}] marks no span: write ⟦…⟧ around what it must report"
        if r.fix and not e.turns:
            assert e.fixed is not None, f"{code} bad[{k}]: a rule with a fix pins the fixed text (fixed=…)"
    for k, e in enumerate(r.good):
        assert not e.spans and e.fixed is None, f"{code} good[{k}] marks a span or a fix: only bad examples do"


def test_marks_give_spans_in_the_unmarked_text():
    assert unmark("Доставим завтра⟦!!!⟧") == ("Доставим завтра!!!", ((15, 18),))
    assert unmark("⟦Ок⟧, ⟦щас⟧ посмотрю") == ("Ок, щас посмотрю", ((0, 2), (4, 7)))
    assert unmark("⟦⟧") == ("", ((0, 0),))
    assert unmark("Скобки (и смайлики :) [ссылка](https://x.ru) ") == (
        "Скобки (и смайлики :) [ссылка](https://x.ru) ",
        (),
    )
    e = ex("Доставим завтра⟦!!!⟧", fixed="Доставим завтра!")
    assert (e.text, e.spans, e.fixed) == ("Доставим завтра!!!", ((None, 15, 18),), "Доставим завтра!")
    d = dlg((0, "c", "Где заказ?"), (30, "o", "⟦Щас⟧ гляну"))
    assert d.turns[1][2] == "Щас гляну" and d.spans == ((1, 0, 3),)
    for broken in ("⟦Щас", "Щас⟧", "⟦⟦Щас⟧⟧"):
        with pytest.raises(ValueError):
            unmark(broken)


def test_a_wrong_span_index_or_fix_is_reported():
    """The check can fail: a span off by one, a fixed text that differs, the wrong message."""
    a003 = RULES["A003"]
    assert example_problems(a003, "bad", ex("⟦Щас⟧ посмотрю.", fixed="Сейчас посмотрю.")) == []
    assert example_problems(a003, "bad", ex("Щ⟦ас⟧ посмотрю.", fixed="Сейчас посмотрю."))
    assert example_problems(a003, "bad", ex("⟦Щас⟧ ⟦посмотрю⟧.", fixed="Сейчас посмотрю."))
    assert any("fixing" in p for p in example_problems(a003, "bad", ex("⟦Щас⟧ посмотрю.", fixed="Сейчас посмотрю!")))
    t001 = RULES["T001"]
    right = dlg((0, "c", "Есть доставка в Казань?"), (150, "o", "⟦Здравствуйте, меня зовут Анна.⟧"))
    wrong = dlg((0, "c", "⟦Есть доставка в Казань?⟧"), (150, "o", "Здравствуйте, меня зовут Анна."))
    assert example_problems(t001, "bad", right) == []
    assert example_problems(t001, "bad", wrong)


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
    "A003 A004 A007 E004 P001 P003 P004 T001 T002 T003 T004 T005 T006 T007 M001 M002 M003 M004 M005"
).split()


def test_every_required_rule_is_registered():
    assert set(REQUIRED) <= set(RULES)


def test_canonical_opening_and_closing_give_no_finding():
    assert lint_message("Здравствуйте, меня зовут {ИМЯ}, чем я могу Вам помочь?", first=True) == []
    assert lint_message("Всего доброго, будут еще вопросы - обращайтесь!", last=True) == []
    assert lint_message("Здравствуйте, меня зовут Анна, чем я могу Вам помочь?", first=True) == []


def test_default_config_is_shared():
    assert default_config() is default_config()
