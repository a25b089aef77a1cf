"""Control characters in file names, speakers' names and conversation ids never reach the
terminal raw: every text output (text, github, --summary, --statistics) shows them escaped."""

from __future__ import annotations

import json

import pytest

from chatlint.cli import main
from chatlint.findings import Finding
from chatlint.formats import Report, printable, statistics

RAW = ("\x1b", "\x07", "\r", "\x9b", "\u202e", "\u2066", "\x00")
# ESC ] 0 ; … BEL retitles the terminal; CR + text overwrites the line; U+202E reverses it
EVIL_NAME = "Анна\x1b]0;pwned\x07\rАдминистратор\u202e"
EVIL_ID = "42\x1b[2J\x9b31m"


def _clean(out: str) -> None:
    for ch in RAW:
        assert ch not in out, repr(ch)


def test_printable_escapes_every_control_and_keeps_the_rest():
    assert printable("Анна Смирнова 😀\u200d") == "Анна Смирнова 😀\u200d"
    assert printable("a\x1bb\x07c\rd\ne\te\u202ef\x85g") == "a\\eb\\x07c\\rd\\ne\\te\\u202ef\\x85g"
    assert printable("a\rb\nc\x1b", newlines=True) == "a\rb\nc\\e"


@pytest.fixture
def evil(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = [
        {"conversation_id": EVIL_ID, "role": "client", "author": "Клиент\x1b[31m", "time": "2026-11-22T10:00:00",
         "text": "Здравствуйте, где мой заказ?"},
        {"conversation_id": EVIL_ID, "role": "operator", "author": EVIL_NAME, "time": "2026-11-22T10:00:30",
         "text": "привет!!! вы можете оплатить картой)))"},
    ]
    name = "chat\x1b]0;x\x07\r.jsonl"
    (tmp_path / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return name


@pytest.mark.parametrize("extra", [(), ("--no-source",), ("--format", "github"), ("--summary",), ("--statistics",)])
def test_transcript_outputs_escape_names_ids_and_paths(evil, capsys, extra):
    code = main(["check", evil, *extra])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    _clean(out)
    _clean(err)
    assert out.strip()


def test_text_output_shows_the_escapes(evil, capsys):
    main(["check", evil])
    out = capsys.readouterr().out
    assert "chat\\e]0;x\\x07\\r.jsonl:" in out
    assert "conversation 42\\e[2J\\x9b31m" in out
    assert "Анна\\e]0;pwned\\x07\\rАдминистратор\\u202e" in out


def test_summary_shows_the_operator_escaped(evil, capsys):
    main(["check", evil, "--summary"])
    assert "Анна\\e]0;pwned" in capsys.readouterr().out


def test_github_annotations_escape_the_file_and_the_prefix(evil, capsys):
    main(["check", evil, "--format", "github"])
    out = capsys.readouterr().out
    assert out.startswith("::") and "file=chat\\e]0;x\\x07\\r.jsonl" in out
    assert "[42\\e[2J\\x9b31m #2 Анна\\e]0;pwned" in out


def test_message_file_name_is_escaped(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    name = "m\x1b[1A\x1b[2K\u202e.txt"
    (tmp_path / name).write_text("привет!!!", encoding="utf-8")
    main(["check", name])
    main(["check", name, "--format", "github"])
    out, err = capsys.readouterr()
    _clean(out)
    assert "m\\e[1A\\e[2K\\u202e.txt:1:1:" in out


def test_statistics_escapes_rule_names():
    f = Finding(code="X\x1b1", name="evil\x07name", severity="warning", message="m", start=0, end=1, line=1, column=1)
    out = statistics.render([Report("m.txt", "text", [f])])
    _clean(out)
    assert "evil\\x07name" in out
