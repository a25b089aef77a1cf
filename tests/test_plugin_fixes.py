"""The rule API's fix helper (registry.fix) gives a plain record since d812ae3; a plugin's rule
that made its fix with it and then used it as the pydantic ``Fix`` it used to be (composed
several into one ``Fix``, put it in a ``Finding``, changed its title with ``model_copy``) still
works, and the finding comes out of ``lint_message`` as it did."""

from __future__ import annotations

from chatlint import Config, Edit, Finding, Fix, apply_fixes, lint_message
from chatlint.findings import PlainEdit, PlainFix
from chatlint.registry import Hit, NoParams, Rule, fix


def test_plain_fixes_compose_into_a_public_fix():
    a, b = fix(0, 1, "З"), fix(5, 6, "!", safe=False)
    composed = Fix(edits=(*a.edits, *b.edits), applicability="unsafe", title="both")
    assert composed.edits == (Edit(start=0, end=1, replacement="З"), Edit(start=5, end=6, replacement="!"))
    assert all(type(e) is Edit for e in composed.edits)
    assert Fix.model_validate(a) == Fix(edits=(Edit(start=0, end=1, replacement="З"),))


def test_a_plain_fix_goes_into_a_public_finding():
    f = Finding(code="X901", name="x", severity="info", message="m", start=0, end=1, line=1, column=1,
                fix=fix(0, 1, "З", title="заглавная"))
    assert type(f.fix) is Fix and type(f.fix.edits[0]) is Edit
    assert f.fix == Fix(edits=(Edit(start=0, end=1, replacement="З"),), title="заглавная")


def test_a_plain_fix_is_copied_with_changes_as_a_model_was():
    a = fix(0, 1, "З")
    b = a.model_copy(update={"title": "с заглавной", "applicability": "unsafe"})
    assert type(b) is PlainFix and b.title == "с заглавной" and b.applicability == "unsafe"
    assert b.edits == a.edits and a.title is None
    e = a.edits[0].model_copy(update={"replacement": "Z"})
    assert type(e) is PlainEdit and e == (0, 1, "Z")


def _plugin_check(doc, ctx):
    """**What it checks** test. **Why** test. **Example** test."""
    a, b = fix(0, 1, doc.text[0].upper()), fix(len(doc.text) - 1, len(doc.text), ".")
    yield Hit(0, len(doc.text), "ru", "en", Fix(edits=(*a.edits, *b.edits)).model_copy(update={"title": "t"}))


def test_a_plugin_rule_with_a_composed_fix_is_linted_and_fixed():
    r = Rule("X901", "plugin-composed", "warning", frozenset({"chat"}), NoParams, _plugin_check, _plugin_check.__doc__,
             (), (), "safe", None, "X")
    cfg = Config().only((r,))
    text = "спасибо за ожидание!"
    [f] = lint_message(text, config=cfg)
    assert f.code == "X901" and type(f.fix) is Fix and f.fix.title == "t"
    assert apply_fixes(text, [f]) == "Спасибо за ожидание."


def test_a_plain_finding_validates_as_its_public_finding():
    from chatlint.engine import check_message

    text = "привет!!! вы можете оплатить картой)))"
    assert [Finding.model_validate(f) for f in check_message(text)] == lint_message(text)
