"""One table per extension point (issue 9): readers and output formats. The CLI's ``--as`` and
``--format`` choices, the suffixes directories are searched for, detection and rendering all
come from ``readers.READERS`` and ``formats.FORMATS``: a new format is a module and a line."""

from __future__ import annotations

import json
import sys
import types

import pytest

import chatlint.readers as readers
from chatlint import formats
from chatlint.cli import build_parser, main
from chatlint.formats import FORMATS, OutputFormat
from chatlint.readers import READERS, ReaderSpec, Reading, detect, suffixes_for
from chatlint.transcript import Message, Transcript


def _choices(parser, command: str, option: str) -> tuple:
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    return tuple(next(a for a in sub._actions if option in a.option_strings).choices)


def test_cli_choices_come_from_the_tables():
    p = build_parser()
    assert _choices(p, "check", "--as") == ("auto", *READERS)
    assert _choices(p, "check", "--format") == tuple(FORMATS)


def test_no_dead_formats_list_and_help_names_the_real_suffixes(capsys):
    assert not hasattr(readers, "FORMATS")
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "searched for *.txt)" not in out
    for sfx in (".txt", ".json", ".jsonl", ".csv", ".eml"):
        assert f"*{sfx}" in out


def test_directory_suffixes_come_from_the_table():
    assert set(suffixes_for("auto")) == {s for r in READERS.values() for s in r.suffixes}
    assert suffixes_for("jsonl") == (".jsonl", ".ndjson")
    assert suffixes_for("email") == (".eml",)


def test_detection_by_content_then_by_name():
    assert detect("a.jsonl", "") == "jsonl"
    assert detect("a.json", '{"text": "x", "role": "client"}\n') == "jsonl"
    assert detect("a.json", '{\n "name": "x",\n "messages": []\n}') == "telegram"
    assert detect("a.csv", "x") == "csv"
    assert detect("a.eml", "") == "email"
    assert detect("a.txt", "22.11.2026, 14:05 - Анна: текст\n") == "whatsapp"
    assert detect("a.log", "14:05 Клиент: где заказ?\n14:06 Оператор: сейчас\n") == "transcript"
    assert detect("-", "time,author,role,text\n") == "csv"
    assert detect("a.txt", "Здравствуйте, меня зовут Анна") == "message"


@pytest.fixture
def tab_reader(monkeypatch):
    """A new transcript format the way CONTRIBUTING.md says: a module and one table line."""
    module = types.ModuleType("chatlint.readers.tabbed")

    def read(text, path, operators):
        msgs = []
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                who, body = line.split("\t", 1)
                msgs.append(Message(text=body, role="operator" if who in operators else "client", author=who,
                                    source_line=n))
        return Reading(transcripts=[Transcript(messages=tuple(msgs), conversation_id="t")])

    module.read = read
    monkeypatch.setitem(sys.modules, "chatlint.readers.tabbed", module)
    spec = ReaderSpec("tabbed", "tabbed", (".tab",), None, "messenger", True, "name<TAB>text lines")
    monkeypatch.setitem(READERS, "tabbed", spec)
    return spec


def test_a_new_reader_is_a_module_and_a_table_line(tab_reader, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chatlint.toml").write_text('operators = ["Анна"]\n', encoding="utf-8")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "chat.tab").write_text("Мария\tГде заказ?\nАнна\tпривет!!! щас гляну\n", encoding="utf-8")
    assert "tabbed" in _choices(build_parser(), "check", "--as")
    code = main(["check", "d", "--format", "json"])  # found in the directory, detected by its suffix
    out, err = capsys.readouterr()
    records = json.loads(out)
    assert code == 1 and records, err
    assert {r["path"] for r in records} == {str(tmp_path.joinpath("d", "chat.tab").relative_to(tmp_path))}
    assert all(r["conversation_id"] == "t" and r["speaker"] == "Анна" for r in records)


@pytest.fixture
def count_format(monkeypatch):
    module = types.ModuleType("chatlint.formats.count")

    def stream(reports, options):
        n = sum(len(r.findings) for r in reports)
        yield f"{n} findings\n"

    module.stream = stream
    monkeypatch.setitem(sys.modules, "chatlint.formats.count", module)
    monkeypatch.setitem(FORMATS, "count", OutputFormat("count", "count", "the number of findings"))


def test_a_new_output_format_is_a_module_and_a_table_line(count_format, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.txt").write_text("привет!!! вы", encoding="utf-8")
    assert "count" in _choices(build_parser(), "check", "--format")
    code = main(["check", "m.txt", "--format", "count"])
    assert code == 1
    assert capsys.readouterr().out == "3 findings\n"
    assert formats.render("count", []) == "0 findings\n"


def test_summary_formats_come_from_the_table(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.txt").write_text("Здравствуйте", encoding="utf-8")
    assert main(["check", "m.txt", "--summary", "--format", "sarif"]) == 2
    assert "--summary prints text|json" in capsys.readouterr().err
