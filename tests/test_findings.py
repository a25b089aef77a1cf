"""apply_fixes and the Finding / Fix / Edit values (chatlint/findings.py)."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from chatlint import Edit, Finding, Fix, apply_fixes, lint_message


def edit(start: int, end: int, replacement: str) -> Edit:
    return Edit(start=start, end=end, replacement=replacement)


def finding(
    *edits: Edit, code: str = "S005", applicability: str = "safe", start: int | None = None
) -> Finding:
    fix = Fix(edits=list(edits), applicability=applicability) if edits else None
    lo = start if start is not None else (min(e.start for e in edits) if edits else 0)
    return Finding(
        code=code,
        name="test-rule",
        severity="warning",
        message="m",
        start=lo,
        end=lo,
        line=1,
        column=lo + 1,
        fix=fix,
    )


TEXT = "0123456789"

# ---------------------------------------------------------------- apply_fixes


def test_no_findings_or_no_fixes_leave_text_unchanged():
    assert apply_fixes(TEXT, []) == TEXT
    assert apply_fixes(TEXT, [finding()]) == TEXT
    assert apply_fixes(TEXT, [finding(code="A001"), finding(code="E002")], unsafe=True) == TEXT
    assert apply_fixes("", []) == ""


def test_fix_with_empty_edit_list_is_ignored():
    f = Finding(
        code="S005",
        name="x",
        severity="info",
        message="m",
        start=0,
        end=0,
        line=1,
        column=1,
        fix=Fix(edits=[]),
    )
    assert apply_fixes(TEXT, [f]) == TEXT


def test_non_overlapping_fixes_are_all_applied():
    fs = [finding(edit(0, 1, "A")), finding(edit(4, 6, "")), finding(edit(9, 10, "XYZ"))]
    assert apply_fixes(TEXT, fs) == "A123678XYZ"


def test_touching_fixes_are_both_applied():
    fs = [finding(edit(0, 2, "ab")), finding(edit(2, 4, "cd"))]
    assert apply_fixes(TEXT, fs) == "abcd456789"


def test_overlapping_fixes_first_wins():
    fs = [finding(edit(3, 6, "X"), code="B001"), finding(edit(2, 4, "Y"), code="C001")]
    # the one starting first (2..4) wins, whatever the order or the codes
    assert apply_fixes(TEXT, fs) == "01Y456789"
    assert apply_fixes(TEXT, list(reversed(fs))) == "01Y456789"


def test_overlapping_fixes_same_start_shorter_first():
    fs = [finding(edit(2, 6, "L")), finding(edit(2, 3, "S"))]
    assert apply_fixes(TEXT, fs) == "01S3456789"


def test_contained_fix_loses_to_enclosing_one_that_starts_first():
    fs = [finding(edit(1, 8, "-")), finding(edit(3, 4, "x"))]
    assert apply_fixes(TEXT, fs) == "0-89"


def test_unsafe_fixes_skipped_unless_asked():
    fs = [finding(edit(0, 1, "S")), finding(edit(5, 6, "U"), applicability="unsafe")]
    assert apply_fixes(TEXT, fs) == "S123456789"
    assert apply_fixes(TEXT, fs, unsafe=False) == "S123456789"
    assert apply_fixes(TEXT, fs, unsafe=True) == "S1234U6789"


def test_skipped_unsafe_fix_does_not_block_an_overlapping_safe_one():
    fs = [finding(edit(0, 5, "U"), applicability="unsafe"), finding(edit(2, 3, "S"))]
    assert apply_fixes(TEXT, fs) == "01S3456789"
    assert apply_fixes(TEXT, fs, unsafe=True) == "U56789"


def test_two_insertions_at_the_same_point_conflict():
    fs = [finding(edit(3, 3, "a"), code="A001"), finding(edit(3, 3, "b"), code="B001")]
    # one of them (the lower code) goes in; the other waits for the next round
    assert apply_fixes(TEXT, fs) == "012a3456789"
    assert apply_fixes(TEXT, list(reversed(fs))) == "012a3456789"


def test_identical_fixes_of_two_findings_are_applied_once():
    fs = [finding(edit(3, 3, ";"), code="S005"), finding(edit(3, 3, ";"), code="S005")]
    assert apply_fixes(TEXT, fs) == "012;3456789"
    fs = [finding(edit(3, 5, "X"), code="A001"), finding(edit(3, 5, "X"), code="A006")]
    assert apply_fixes(TEXT, fs) == "012X56789"


def test_insertion_at_the_edges_of_a_replacement():
    fs = [finding(edit(2, 4, "X")), finding(edit(2, 2, "<")), finding(edit(4, 4, ">"))]
    assert apply_fixes(TEXT, fs) == "01<X>456789"


def test_insertion_inside_a_replacement_conflicts():
    fs = [finding(edit(2, 5, "X")), finding(edit(3, 3, "!"))]
    assert apply_fixes(TEXT, fs) == "01X56789"


def test_insertions_at_start_and_end_of_text():
    fs = [finding(edit(0, 0, "[")), finding(edit(10, 10, "]"))]
    assert apply_fixes(TEXT, fs) == "[0123456789]"


def test_edits_out_of_order_within_one_fix():
    f = finding(edit(8, 9, "b"), edit(1, 2, "a"), edit(5, 5, "+"))
    assert apply_fixes(TEXT, [f]) == "0a234+567b9"


def test_findings_out_of_order():
    fs = [finding(edit(8, 9, "b")), finding(edit(1, 2, "a"))]
    assert apply_fixes(TEXT, fs) == "0a234567b9"


def test_multi_edit_fix_is_all_or_nothing():
    # the two-edit fix spans 1..9, so an overlapping later fix waits, and the fix stays whole
    two = finding(edit(1, 2, "a"), edit(8, 9, "b"), code="A001")
    inner = finding(edit(4, 5, "X"), code="B001")
    assert apply_fixes(TEXT, [inner, two]) == "0a234567b9"
    # when the multi-edit fix starts later than a conflicting one, none of its edits is applied
    early = finding(edit(0, 3, "E"), code="C001")
    assert apply_fixes(TEXT, [two, early]) == "E3456789"


def test_apply_fixes_does_not_mutate_findings():
    fs = [finding(edit(0, 1, "A")), finding(edit(0, 2, "B"))]
    before = [f.model_dump() for f in fs]
    apply_fixes(TEXT, fs)
    assert [f.model_dump() for f in fs] == before


def test_apply_fixes_on_real_findings():
    text = "Хорошо, вы получите ответ!!!"
    fs = lint_message(text)
    assert {"A001", "A006"} <= {f.code for f in fs}
    assert apply_fixes(text, fs) == "Хорошо, Вы получите ответ!"


def test_apply_fixes_work_is_linear_in_the_number_of_fixes(monkeypatch):
    """No pairwise comparison of fixes: a quadratic selection would make 20,000 fixes (a
    message of emoji) take minutes; this one sorts once and walks the list."""
    n = 20_000
    text = "x" * n
    fs = [finding(edit(i, i + 1, "y")) for i in range(n)]
    calls = 0
    real_eq = Fix.__eq__

    def counting_eq(self, other):
        nonlocal calls
        calls += 1
        return real_eq(self, other)

    monkeypatch.setattr(Fix, "__eq__", counting_eq)
    assert apply_fixes(text, fs) == "y" * n
    assert calls == 0


# ---------------------------------------------------------------- the values


def test_finding_is_frozen():
    f = finding(edit(0, 1, "A"))
    with pytest.raises(ValidationError):
        f.start = 5
    with pytest.raises(ValidationError):
        f.code = "X999"
    with pytest.raises(ValidationError):
        f.fix.applicability = "unsafe"
    with pytest.raises(ValidationError):
        f.fix.edits[0].replacement = "B"


def test_finding_without_fix_is_hashable():
    f = finding()
    assert hash(f) == hash(finding())
    assert len({f, finding()}) == 1


def test_finding_with_fix_is_hashable():
    assert hash(finding(edit(0, 1, "A"))) == hash(finding(edit(0, 1, "A")))


def test_finding_validates_its_fields():
    with pytest.raises(ValidationError):
        Finding(code="S001", name="x", severity="fatal", message="m", start=0, end=0, line=1, column=1)
    with pytest.raises(ValidationError):
        Fix(edits=[], applicability="maybe")
    with pytest.raises(ValidationError):
        Edit(start=-1, end=0, replacement="")


def test_finding_json_round_trip():
    f = Finding(
        code="E002",
        name="bracket-smiley",
        severity="warning",
        message="Скобка «)))»",
        start=7,
        end=10,
        line=1,
        column=8,
        fix=Fix(edits=[Edit(start=7, end=10, replacement=" :)")], applicability="unsafe", title="Заменить"),
        message_index=3,
        speaker="Анна",
        conversation_id="c1",
    )
    data = f.model_dump(mode="json")
    assert data == {
        "code": "E002",
        "name": "bracket-smiley",
        "severity": "warning",
        "message": "Скобка «)))»",
        "start": 7,
        "end": 10,
        "line": 1,
        "column": 8,
        "fix": {
            "edits": [{"start": 7, "end": 10, "replacement": " :)"}],
            "applicability": "unsafe",
            "title": "Заменить",
        },
        "message_index": 3,
        "speaker": "Анна",
        "conversation_id": "c1",
    }
    assert Finding.model_validate(json.loads(json.dumps(data, ensure_ascii=False))) == f
    assert Finding.model_validate_json(f.model_dump_json()) == f


def test_engine_findings_are_json_serialisable_and_round_trip():
    text = "привет вы щас!!! Спасибо))) 😀\n* пункт\n* пункт"
    fs = lint_message(text, first=True, last=True)
    assert len(fs) >= 5
    for f in fs:
        data = f.model_dump(mode="json")
        assert set(data) >= {
            "code",
            "name",
            "severity",
            "message",
            "start",
            "end",
            "line",
            "column",
            "fix",
            "message_index",
            "speaker",
            "conversation_id",
        }
        again = Finding.model_validate(json.loads(json.dumps(data)))
        assert again == f
        if f.fix is not None:
            assert isinstance(again.fix, Fix) and all(isinstance(e, Edit) for e in again.fix.edits)


def test_engine_fast_findings_equal_validated_ones():
    """The engine builds findings without pydantic's validation pass; they must be the same
    values a validated Finding would hold, and behave the same (frozen, dump, equality)."""
    from chatlint import lint_message

    found = lint_message("привет!!! вы можете оплатить картой))) 😀")
    assert found
    for f in found:
        again = Finding.model_validate(f.model_dump())
        assert again == f and f == again
        assert again.model_dump(mode="json") == f.model_dump(mode="json")
        assert f.model_fields_set == again.model_fields_set | f.model_fields_set
        with pytest.raises(ValidationError):
            f.start = 0


def test_the_fix_helper_builds_the_fix_a_validated_one_would_be():
    """``registry.fix`` gives the engine's plain record (no pydantic: a fix per emoji adds
    up); it checks its values itself, and the public ``Fix`` made of it is equal to, and
    behaves as, a validated one (frozen, hashable, the same dump)."""
    from chatlint.findings import PlainEdit, PlainFix
    from chatlint.models import public_fix
    from chatlint.registry import fix

    plain = fix(3, 6, "!", safe=True, title="Оставить один «!»")
    assert plain == PlainFix((PlainEdit(3, 6, "!"),), "safe", "Оставить один «!»")
    with pytest.raises(AttributeError):
        plain.title = None
    f = public_fix(plain)
    v = Fix(edits=[Edit(start=3, end=6, replacement="!")], applicability="safe", title="Оставить один «!»")
    assert f == v and v == f and hash(f) == hash(v)
    assert f.model_dump() == v.model_dump() and f.model_fields_set == v.model_fields_set
    assert isinstance(f.edits, tuple) and all(type(e) is Edit for e in f.edits)
    assert fix(0, 0, "x", safe=False).applicability == "unsafe"
    with pytest.raises(ValidationError):
        f.title = None
    for bad in ((-1, 2, "x"), (5, 2, "x"), (0, 2, None)):
        with pytest.raises(ValueError):
            fix(*bad)
