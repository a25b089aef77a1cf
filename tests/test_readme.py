"""The README cannot drift: its rule reference and its example are regenerated and compared."""

from __future__ import annotations

import re
from pathlib import Path

from chatlint.cli import main
from chatlint.docs import with_reference

README = Path(__file__).resolve().parent.parent / "README.md"


def test_rule_reference_is_up_to_date():
    text = README.read_text(encoding="utf-8")
    assert with_reference(text) == text, "the README's rule reference is stale: run `python -m chatlint.docs README.md`"


def test_readme_starts_with_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S).group(1).strip().splitlines()
    assert len(block) == 2
    assert block[0].endswith("pip install . && chatlint check examples/")
    assert block[1].endswith("pip install '.[test]' && python -m pytest")


def test_readme_example_output_is_what_chatlint_prints(tmp_path, monkeypatch, capsys):
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```text\n(.*?)```", text, re.S)
    message, expected = blocks[0], blocks[1]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "message.txt").write_text(message, encoding="utf-8")
    main(["check", "--no-source", "message.txt"])
    assert capsys.readouterr().out == expected
