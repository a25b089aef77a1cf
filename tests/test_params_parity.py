"""registry.Params, a plain value class since d812ae3, still takes and refuses what the pydantic
model it stands for does: a number its fast path cannot convert, and the pydantic features a
plugin's parameters were declared with when Params was a pydantic model (validators, its own
``model_config``, class variables)."""

from typing import ClassVar

import pytest
from pydantic import ConfigDict, ValidationError, field_validator, model_validator

from chatlint import ConfigError, load_config
from chatlint.registry import Field, Params


class Share(Params):
    ratio: float = Field(0.5, ge=0.0, le=1.0)
    loose: float = 0.5


@pytest.mark.parametrize("name", ["ratio", "loose"])
def test_an_int_too_large_for_a_float_is_pydantics_validation_error(name):
    with pytest.raises(ValidationError, match="valid number"):
        Share(**{name: 10**400})
    assert Share(**{name: 1}).model_dump()[name] == 1.0


def test_a_config_file_with_an_int_too_large_for_a_float_is_a_config_error(tmp_path):
    path = tmp_path / "chatlint.toml"
    path.write_text("[rules.A005]\nmax_caps_share = 1" + "0" * 400 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"chatlint\.toml: rules\.A005\.max_caps_share: Input should be a valid number"):
        load_config(path)


def test_the_cli_reports_such_a_file_in_one_line(tmp_path, monkeypatch, capsys):
    from chatlint.cli import main

    (tmp_path / "chatlint.toml").write_text("[rules.A005]\nmax_caps_share = 9" + "9" * 400 + "\n", encoding="utf-8")
    (tmp_path / "m.txt").write_text("Здравствуйте, чем могу помочь?\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "m.txt"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "rules.A005.max_caps_share" in err


class Even(Params):
    limit: int = Field(4, ge=1, le=50)

    @field_validator("limit")
    @classmethod
    def _even(cls, v: int) -> int:
        if v % 2:
            raise ValueError("must be even")
        return v


def test_a_plugins_field_validator_runs_on_a_plain_int():
    assert Even(limit=6).limit == 6
    with pytest.raises(ValidationError, match="must be even"):
        Even(limit=5)


class Ordered(Params):
    low: int = Field(1, ge=0, le=100)
    high: int = Field(5, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self):
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self


def test_a_plugins_model_validator_runs():
    assert Ordered(low=2, high=3).model_dump() == {"low": 2, "high": 3}
    with pytest.raises(ValidationError, match="low must not exceed high"):
        Ordered(low=9, high=3)


class Lenient(Params):
    model_config = ConfigDict(strict=False)

    count: int = Field(2, ge=0, le=9)


def test_a_plugins_own_model_config_is_honoured():
    assert Lenient(count="3").count == 3  # strict=False: pydantic's lax mode converts it
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Lenient(count=3, other=1)  # the rest of the base configuration stays


class WithClassVar(Params):
    # no ``from __future__ import annotations`` in this module: a real ClassVar object
    KIND: ClassVar[str] = "words"
    count: int = Field(2, ge=0, le=9)


def test_a_plugins_class_variable_is_no_field():
    assert WithClassVar.KIND == "words"
    assert set(WithClassVar.model_fields) == {"count"}
    assert WithClassVar(count=3).model_dump() == {"count": 3}


def test_a_subclass_inherits_its_bases_validators():
    class MoreEven(Even):
        extra: int = Field(1, ge=0, le=9)

    with pytest.raises(ValidationError, match="must be even"):
        MoreEven(limit=3)
    assert MoreEven(limit=8, extra=2).model_dump() == {"limit": 8, "extra": 2}


class Words(Params):
    limit: int = Field(3, ge=1, le=50)
    share: float = Field(0.5, ge=0.0, le=1.0)


def test_the_pydantic_methods_a_plugin_called_on_its_parameters_still_answer():
    p = Words(limit=4)
    assert p.model_dump(mode="json") == {"limit": 4, "share": 0.5}
    assert p.model_dump(exclude={"share"}) == {"limit": 4}
    assert p.model_dump_json() == '{"limit":4,"share":0.5}'
    q = p.model_copy(update={"share": 0.25})
    assert type(q) is Words and q.model_dump() == {"limit": 4, "share": 0.25} and p.share == 0.5
    assert Words.model_validate({"limit": 7}) == Words(limit=7)
    with pytest.raises(ValidationError):
        Words.model_validate({"limit": 0})
    assert Words.model_json_schema()["properties"]["limit"]["maximum"] == 50


def test_a_plugins_annotated_constraints_are_checked():
    from typing import Annotated

    import annotated_types
    from pydantic import Field as PydanticField

    class Bounded(Params):
        count: Annotated[int, annotated_types.Ge(1)] = 3
        most: Annotated[int, PydanticField(le=5)] = 2

    assert Bounded(count=2, most=5).model_dump() == {"count": 2, "most": 5}
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        Bounded(count=0)
    with pytest.raises(ValidationError, match="less than or equal to 5"):
        Bounded(most=9)
