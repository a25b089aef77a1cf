"""One error hierarchy (chatlint/errors.py): every error chatlint raises on bad input is a
ChatlintError, and the public names stay importable where users found them."""

from __future__ import annotations

import pytest

import chatlint
from chatlint import errors
from chatlint.phrases import PatternError, compile_phrase


def test_every_input_error_is_a_chatlint_error():
    for cls in (errors.ConfigError, errors.PackError, errors.ReaderError, errors.InputError, PatternError):
        assert issubclass(cls, errors.ChatlintError), cls


def test_public_names_are_the_same_classes():
    from chatlint import cli, config, packs, readers

    assert chatlint.ConfigError is errors.ConfigError is config.ConfigError
    assert chatlint.ChatlintError is errors.ChatlintError
    assert readers.ReaderError is errors.ReaderError
    assert packs.PackError is errors.PackError
    assert cli.InputError is errors.InputError


def test_errors_are_raised_as_chatlint_errors(tmp_path):
    with pytest.raises(errors.ChatlintError, match="unknown channel"):
        chatlint.lint_message("Добрый день", channel="fax")
    bad = tmp_path / "chatlint.toml"
    bad.write_text("select = [1]\n", encoding="utf-8")
    with pytest.raises(errors.ChatlintError, match="chatlint.toml"):
        chatlint.load_config(bad)
    with pytest.raises(errors.ChatlintError):
        compile_phrase("~")


def test_reader_error_keeps_its_line():
    e = errors.ReaderError("not JSON", line=3)
    assert (str(e), e.reason, e.line) == ("line 3: not JSON", "not JSON", 3)
