"""One piece of advice per span: findings of two rules on the same span merge into one
message and at most one fix (``lint_message(..., merge_overlapping=True)``,
``chatlint.findings.merge_groups``, the server's ``merge`` option)."""

from __future__ import annotations

from chatlint import lint_message
from chatlint.engine import merge_findings, supersedes_of
from chatlint.findings import Edit, Finding, Fix, merge_groups, merge_same_span

WINK = "К сожалению, заказ задерживается ;)"


def _f(code, start, end, message, severity="warning", fix=None, index=None):
    return Finding(code=code, name=code.lower(), severity=severity, message=message, start=start, end=end,
                   line=1, column=start + 1, fix=fix, message_index=index)


def _fix(start, end, replacement):
    return Fix(edits=(Edit(start=start, end=end, replacement=replacement),), applicability="unsafe")


def test_wink_beside_bad_news_gets_one_consistent_advice():
    raw = [f for f in lint_message(WINK) if f.start == 33]
    assert sorted(f.code for f in raw) == ["E001", "E004"]  # two opposite pieces of advice
    merged = [f for f in lint_message(WINK, merge_overlapping=True) if f.start == 33]
    assert len(merged) == 1
    (f,) = merged
    assert f.code == "E004" and "«:(»" in f.message and "«:)»" not in f.message
    assert f.fix is not None and [e.replacement for e in f.fix.edits] == [":("]


def test_bracket_smiley_beside_bad_news():
    (f,) = [f for f in lint_message("Простите, доставка задерживается)))", merge_overlapping=True) if f.start > 30]
    assert f.code == "E004" and f.fix.edits[0].replacement == " :("


def test_default_output_is_unchanged():
    assert [f.code for f in lint_message(WINK) if f.start == 33] == ["E001", "E004"]


def test_superseding_rule_wins_whatever_the_order():
    sup = {"E004": ("E001",)}
    e001 = _f("E001", 3, 5, "use :)", fix=_fix(3, 5, ":)"))
    e004 = _f("E004", 3, 5, "drop it", fix=_fix(3, 5, ":("))
    for pair in ([e001, e004], [e004, e001]):
        (merged,) = merge_same_span(pair, sup)
        assert merged.code == "E004" and merged.message == "drop it" and merged.fix.edits[0].replacement == ":("


def test_without_a_relation_messages_join_and_the_worse_severity_leads():
    a = _f("A005", 0, 4, "капслок", severity="warning")
    b = _f("A003", 0, 4, "разговорное слово", severity="error", fix=_fix(0, 4, "сейчас"))
    ((merged, group),) = merge_groups([a, b])
    assert merged.code == "A003" and merged.severity == "error"
    assert merged.message == "разговорное слово; капслок"
    assert merged.fix.edits[0].replacement == "сейчас"
    assert [f.code for f in group] == ["A005", "A003"]


def test_different_spans_messages_and_empty_spans_stay_apart():
    fs = [_f("A001", 0, 3, "x"), _f("A005", 0, 4, "y"), _f("G001", 0, 0, "z"), _f("G003", 0, 0, "w"),
          _f("A001", 0, 3, "x", index=1)]
    assert merge_same_span(fs) == fs


def test_supersedes_comes_from_the_rules():
    assert set(supersedes_of()["E004"]) >= {"E001", "E002"}
    fs = lint_message(WINK)
    assert len(merge_findings(fs)) == len(fs) - 1


def test_remarks_without_fixes_on_one_span_stay_apart():
    """«No greeting» and «no introduction» on the whole message cannot contradict: two lines."""
    fs = [_f("G001", 0, 20, "нет приветствия"), _f("G003", 0, 20, "не представился")]
    assert merge_same_span(fs) == fs
    first = lint_message("Заказ уже в пути, привезём завтра.", first=True, merge_overlapping=True)
    assert {"G001", "G003", "G004"} <= {f.code for f in first}
