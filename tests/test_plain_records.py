"""The engine's plain records and the public pydantic models stay one thing seen two ways:
the command line renders ``PlainFinding``s (no pydantic: chatlint.planning, chatlint.models),
the API gives ``Finding``s made of them; the rules' ``Params`` validate as their pydantic
models do; a run without a configuration file uses ``DefaultConfig``, whose values are
``Config()``'s."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chatlint import Config, lint_message, lint_transcript
from chatlint.catalog import all_rules
from chatlint.engine import check_message, check_transcript
from chatlint.findings import PlainFinding, PlainFix, finding_record
from chatlint.models import Finding, Fix, public
from chatlint.planning import DefaultConfig, profile_params
from chatlint.registry import Field, Params
from chatlint.transcript import Message, Transcript
from chatlint.vocabulary import CHANNELS

TEXT = "привет!!! вы можете оплатить картой))) 😀 Щас проверю заказ https://shop.example.ru/o/1"



def test_default_config_holds_the_defaults_of_config():
    plain, model = DefaultConfig(), Config()
    for name in Config.model_fields:
        value = getattr(model, name)
        mine = getattr(plain, name)
        if hasattr(value, "model_dump"):
            assert vars(mine) == value.model_dump(), name
        else:
            assert mine == value and type(mine) is type(value), name
    assert plain.source is None and plain.operator_names == model.operator_names == []
    assert plain.spelling_words == model.spelling_words
    with pytest.raises(TypeError):
        plain.channel = "email"
    with pytest.raises(TypeError):
        plain.spelling.min_length = 1


@pytest.mark.parametrize("channel", CHANNELS)
def test_default_config_plans_as_config(channel):
    a, b = DefaultConfig().plan(channel), Config().plan(channel)
    assert [(p.rule.code, p.severity, p.ctx) for p in a.rules] == [(p.rule.code, p.severity, p.ctx) for p in b.rules]
    assert a.situations.keys() == b.situations.keys() and a.lang == b.lang and a.clock == b.clock


def test_check_message_gives_lint_messages_findings_as_plain_records():
    plain = check_message(TEXT, first=True, last=True)
    public_ = lint_message(TEXT, first=True, last=True)
    assert plain and all(type(f) is PlainFinding for f in plain)
    assert all(type(f) is Finding for f in public_)
    assert [public(f) for f in plain] == public_
    for p, f in zip(plain, public_, strict=True):
        # the same fields in the same order, the fix's edits too
        assert tuple(p._fields) == tuple(Finding.model_fields)
        assert Finding.model_validate(f.model_dump()) == f
        assert finding_record(p, TEXT, "s") == finding_record(f, TEXT, "s")
        record = f.model_dump(mode="json")
        assert {k: v for k, v in finding_record(f, TEXT).items() if k in record and k != "fix"} == \
            {k: v for k, v in record.items() if k != "fix"}
        if f.fix is not None:
            assert type(f.fix) is Fix and type(p.fix) is PlainFix
            assert [{k: e[k] for k in ("start", "end", "replacement")} for e in finding_record(f, TEXT)["fix"]["edits"]] \
                == record["fix"]["edits"]
    merged = lint_message(TEXT, first=True, last=True, merge_overlapping=True)
    assert merged == [public(f) for f in check_message(TEXT, first=True, last=True, merge_overlapping=True)]


def test_transcript_findings_are_the_public_ones_of_the_plain_records():
    t = Transcript(conversation_id="c1", messages=(
        Message(role="client", author="Клиент", text="Здравствуйте, где мой заказ?"),
        Message(role="operator", author="Анна", text="привет!!! щас посмотрю)))"),
    ))
    plain, _notes = check_transcript(t)
    assert plain and all(type(f) is PlainFinding for f in plain)
    assert lint_transcript(t) == [public(f) for f in plain]


def test_a_plugins_pydantic_fix_becomes_a_plain_one_and_back():
    from chatlint.findings import plain_fix
    from chatlint.models import Edit, public_fix

    fix = Fix(edits=(Edit(start=1, end=2, replacement="x"),), applicability="unsafe", title="t")
    plain = plain_fix(fix)
    assert type(plain) is PlainFix and plain.edits == ((1, 2, "x"),)
    assert public_fix(plain) == fix


# ------------------------------------------------------------------ Params


def _rules_with_params():
    return [r for r in all_rules().values() if r.params.model_fields]


def test_every_profile_value_is_taken_as_the_pydantic_model_takes_it():
    checked = 0
    for r in _rules_with_params():
        for channel in sorted(r.channels):
            values = profile_params(r.code, channel)
            try:
                expected = r.params.model()(**values)
            except ValidationError:
                with pytest.raises(ValidationError):
                    r.params(**values)
                continue
            got = r.params(**values)
            assert got.model_dump() == expected.model_dump(), (r.code, channel)
            for name in r.params.model_fields:
                assert type(getattr(got, name)) is type(getattr(expected, name)), (r.code, name)
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("value", [0, -1, 10**9, True, False, 2.0, 2.5, "3", None, float("nan"), float("inf"), [3]])
def test_a_parameter_value_is_accepted_or_refused_as_pydantic_does(value):
    for r in _rules_with_params():
        for name in r.params.model_fields:
            values = {**profile_params(r.code, sorted(r.channels)[0]), name: value}
            try:
                expected = r.params.model()(**values).model_dump()
            except ValidationError as exc:
                with pytest.raises(ValidationError) as got:
                    r.params(**values)
                assert got.value.errors() == exc.errors()
                continue
            assert r.params(**values).model_dump() == expected


def test_unknown_keys_and_missing_values_raise_pydantics_errors():
    class P(Params):
        limit: int = Field(ge=1, le=10)
        share: float = Field(0.5, ge=0.0, le=1.0)

    assert P(limit=3).model_dump() == {"limit": 3, "share": 0.5}
    assert type(P(limit=3, share=1).share) is float
    with pytest.raises(ValidationError, match="Field required"):
        P()
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        P(limit=3, other=1)
    with pytest.raises(TypeError):
        P(limit=3).limit = 4
    assert P(limit=3) == P(limit=3) and hash(P(limit=3)) == hash(P(limit=3)) and P(limit=3) != P(limit=4)
    assert set(P.model_fields) == {"limit", "share"} and P.model_fields["limit"].is_required()


def test_a_plugins_params_may_use_pydantics_own_field():
    from pydantic import Field as PydanticField

    class P(Params):
        word: str = PydanticField("да", min_length=1)
        count: int = Field(2, ge=1)

    assert P().model_dump() == {"word": "да", "count": 2}
    assert P(word="нет", count=3).word == "нет"
    with pytest.raises(ValidationError):
        P(word="")
