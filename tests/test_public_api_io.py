"""The reading API and the output file (issue 14): ``chatlint.read_transcripts`` and
``chatlint check --output FILE``."""

from __future__ import annotations

import json
import os

import pytest

import chatlint
from chatlint.cli import main
from chatlint.errors import InputError

CSV = (
    "time;author;role;text\n"
    "2026-11-20 10:00:00;Покупатель;client;Добрый день, где мой заказ?\n"
    "2026-11-20 10:00:40;Ольга;operator;Здравствуйте! Заказ передан курьеру, он позвонит Вам завтра.\n"
)
WHATSAPP = (
    "20.11.2026, 10:00 - Покупатель: Здравствуйте, подскажите, где мой заказ?\n"
    "20.11.2026, 10:01 - Ольга: Здравствуйте! Заказ передан курьеру.\n"
)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_read_transcripts_is_public_and_reads_an_export(tmp_path):
    from chatlint import read_transcripts

    assert "read_transcripts" in chatlint.__all__
    (tmp_path / "export.csv").write_bytes(CSV.encode("cp1251"))
    (t,) = read_transcripts(tmp_path / "export.csv")
    assert [m.role for m in t.messages] == ["client", "operator"]
    assert t.messages[1].text.startswith("Здравствуйте! Заказ передан")
    assert t.messages[1].time is not None


def test_read_transcripts_formats_encodings_and_operators(tmp_path):
    (tmp_path / "chat.txt").write_bytes(WHATSAPP.encode("utf-16"))
    (t,) = chatlint.read_transcripts(tmp_path / "chat.txt", operators=["Ольга"])
    assert [(m.author, m.role) for m in t.messages] == [("Покупатель", "client"), ("Ольга", "operator")]
    (t,) = chatlint.read_transcripts(str(tmp_path / "chat.txt"), as_="whatsapp", encoding="utf-16",
                                     operators=["Ольга"])
    assert t.messages[1].role == "operator"
    (tmp_path / "msg.txt").write_text("Здравствуйте, чем могу помочь?", encoding="utf-8")
    (t,) = chatlint.read_transcripts(tmp_path / "msg.txt")
    assert [(m.role, m.text) for m in t.messages] == [("operator", "Здравствуйте, чем могу помочь?")]


def test_read_transcripts_errors_are_one_line(tmp_path):
    with pytest.raises(InputError, match="(?i)no such file"):
        chatlint.read_transcripts(tmp_path / "missing.csv")
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01PNG")
    with pytest.raises(InputError, match="binary"):
        chatlint.read_transcripts(tmp_path / "bin.csv")
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        chatlint.read_transcripts(tmp_path / "bin.csv", as_="pdf")


# ------------------------------------------------------------------ --output


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.txt").write_text("привет!!! вы можете оплатить картой)))\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_output_writes_any_format_to_the_file(work, capsys, fmt):
    code, expected, _ = run(capsys, "check", "bad.txt", "--format", fmt)
    code2, out, err = run(capsys, "check", "bad.txt", "--format", fmt, "--output", "report.out")
    assert (code2, out) == (code, "")
    assert (work / "report.out").read_text(encoding="utf-8") == expected
    assert not [p for p in os.listdir(work) if p.endswith(".chatlint-tmp")]


def test_output_with_statistics_summary_and_failures(work, capsys):
    code, out, err = run(capsys, "check", "bad.txt", "missing.txt", "--format", "json", "-o", "r.json")
    assert code == 2 and out == ""
    assert json.loads((work / "r.json").read_text(encoding="utf-8"))[-1]["error"] == "no such file"
    code, out, err = run(capsys, "check", "bad.txt", "--statistics", "-o", "stats.txt")
    assert "A006" in (work / "stats.txt").read_text(encoding="utf-8")


def test_output_never_overwrites_an_input(work, capsys):
    before = (work / "bad.txt").read_bytes()
    code, out, err = run(capsys, "check", "bad.txt", "--output", "bad.txt")
    assert code == 2
    assert err.strip() == "chatlint: error: --output bad.txt: is an input: not overwritten"
    assert (work / "bad.txt").read_bytes() == before
    (work / "d").mkdir()
    (work / "d" / "chat.txt").write_text("Здравствуйте!", encoding="utf-8")
    code, out, err = run(capsys, "check", "d", "--output", "d/chat.txt")
    assert code == 2 and "is an input (a file under d)" in err
    code, out, err = run(capsys, "check", "d", "--output", "d")
    assert code == 2 and "is a directory" in err


def test_output_keeps_the_previous_report_when_the_run_stops(work, capsys):
    (work / "report.txt").write_text("previous\n", encoding="utf-8")
    (work / "chatlint.toml").write_text("no_such_key = 1\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "bad.txt", "--output", "report.txt")
    assert code == 2 and "configuration error" in err
    assert (work / "report.txt").read_text(encoding="utf-8") == "previous\n"  # the replace is atomic
    assert not [p for p in os.listdir(work) if p.endswith(".chatlint-tmp")]
