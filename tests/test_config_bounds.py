"""Configuration hardening: wrong types at any level are config errors naming the file, and every
rule parameter is bounded in its model, so no rule can crash on a value that loaded."""

from __future__ import annotations

import os
import typing

import pytest
from annotated_types import Ge, Gt, Le, Lt

from chatlint import ConfigError, lint_message, load_config
from chatlint.catalog import all_rules
from chatlint.cli import main
from chatlint.registry import NoParams

RULES = all_rules()
NUMERIC = (int, float)


def numeric_fields():
    for code, r in sorted(RULES.items()):
        if r.params is NoParams:
            continue
        for name, f in r.params.model_fields.items():
            if f.annotation in NUMERIC or typing.get_origin(f.annotation) is not None:
                yield code, r, name, f


@pytest.mark.parametrize("content", [
    "tool = 5\n",
    'tool = "chatlint"\n',
    "tool = [1, 2]\n",
])
def test_tool_that_is_not_a_table_is_a_config_error_naming_the_file(tmp_path, monkeypatch, capsys, content):
    (tmp_path / "pyproject.toml").write_text(content, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "m.txt").write_text("Добрый день! Заказ уже в пути.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=r"pyproject\.toml: tool: expected a table"):
        load_config()
    with pytest.raises(ConfigError, match=r"pyproject\.toml: tool: expected a table"):
        load_config(tmp_path / "pyproject.toml")
    assert main(["check", str(sub / "m.txt")]) == 2
    err = capsys.readouterr().err
    assert "configuration error" in err and str(tmp_path / "pyproject.toml") in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("content", "expected"), [
    ("[tool]\nchatlint = 5\n", "tool.chatlint: expected a table"),
    ("[tool.chatlint]\nrules = 5\n", "tool.chatlint.rules"),
    ("[tool.chatlint.rules]\nS001 = 5\n", "tool.chatlint.rules.S001"),
    ("[tool.chatlint]\noperators = [1]\n", "tool.chatlint.operators.0"),
    ("[tool.chatlint]\ncsv_columns = 5\n", "tool.chatlint.csv_columns"),
])
def test_wrong_types_at_every_level(tmp_path, content, expected):
    p = tmp_path / "pyproject.toml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(p)
    assert str(p) in str(err.value) and expected in str(err.value)


def test_every_numeric_rule_parameter_has_bounds():
    fields = list(numeric_fields())
    assert len(fields) >= 15
    for code, _r, name, f in fields:
        assert f.annotation in NUMERIC, f"{code}.{name}: a parameter of type {f.annotation} (numbers only here)"
        lows = [m for m in f.metadata if isinstance(m, Ge | Gt)]
        highs = [m for m in f.metadata if isinstance(m, Le | Lt)]
        assert lows and highs, f"{code}.{name}: give it Field(ge=..., le=...)"


@pytest.mark.parametrize(("code", "key", "value", "expected"), [
    ("S001", "max_sentences", 0, "greater than or equal to 1"),
    ("S001", "max_sentences", -3, "greater than or equal to 1"),
    ("S001", "max_sentences", True, "valid integer"),
    ("S001", "max_sentences", 2.5, "valid integer"),
    ("S001", "max_sentences", 10**30, "less than or equal to"),
    ("S003", "min_items", 1, "greater than or equal to 2"),
    ("M003", "lines", 0, "greater than or equal to 1"),
    ("A005", "max_caps_share", 7.5, "less than or equal to 1"),
    ("A005", "max_caps_share", False, "valid number"),
    ("E005", "max_per_message", -1, "greater than or equal to 0"),
])
def test_out_of_bounds_parameters_fail_at_load_time(tmp_path, code, key, value, expected):
    if code not in RULES or key not in RULES[code].params.model_fields:
        pytest.skip(f"{code}.{key} is gone")
    shown = {True: "true", False: "false"}.get(value, repr(value)) if isinstance(value, bool) else repr(value)
    p = tmp_path / "chatlint.toml"
    p.write_text(f"[rules.{code}]\n{key} = {shown}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(p)
    msg = str(err.value)
    assert str(p) in msg and f"rules.{code}.{key}" in msg and expected in msg


def test_no_rule_crashes_on_its_parameters_extremes():
    """Every parameter at its lowest and highest allowed value: every rule runs on its own
    examples without an exception (the engine turns a crash into a warning: make it an error)."""
    import warnings

    for code, r, name, f in numeric_fields():
        low = next(m for m in f.metadata if isinstance(m, Ge | Gt))
        high = next(m for m in f.metadata if isinstance(m, Le | Lt))
        for value in (getattr(low, "ge", None), getattr(high, "le", None)):
            if value is None:
                continue
            cfg = load_config_from({code: {name: value}})
            for example in (*r.bad, *r.good):
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    lint_message(example.text, channel=example.channel, first=example.first, last=example.last,
                                 config=cfg)


def load_config_from(rules: dict):
    from chatlint import Config

    return Config(rules=rules)


@pytest.mark.parametrize("kind", ["fifo", "device", "loop"])
def test_config_that_is_not_a_regular_file_is_an_error_not_a_hang(tmp_path, kind):
    import subprocess
    import sys

    path = tmp_path / "chatlint.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "loop":
        path.symlink_to(path)
    else:
        path = "/dev/zero"
    expected = {"fifo": "FIFO", "device": "character device", "loop": "symbolic link loop"}[kind]
    with pytest.raises(ConfigError, match=expected):
        load_config(path)
    msg = tmp_path / "m.txt"
    msg.write_text("Добрый день!", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "chatlint", "check", "--config", str(path), str(msg)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    (line,) = r.stderr.strip().splitlines()
    assert expected in line and str(path) in line
