"""registry.Params, a plain value class since d812ae3, still takes and refuses what the pydantic
model it stands for does: a number its fast path cannot convert, and the pydantic features a
plugin's parameters were declared with when Params was a pydantic model (validators, its own
``model_config``, class variables)."""

import pytest
from pydantic import ValidationError

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
