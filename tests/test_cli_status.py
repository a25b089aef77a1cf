"""Honest status (issue 14): when any input fails, no output format says or implies that
everything passed; every format carries the failures; the exit code is 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chatlint.cli import main

GOOD = "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?\n"
BAD = "привет!!! вы можете оплатить картой)))\n"
SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-2.1.0.schema.json"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    return tmp_path


def test_text_never_says_all_checked_when_an_input_failed(work, capsys):
    code, out, err = run(capsys, "check", "good.txt", "missing.txt", "binary.txt", "--first")
    assert code == 2
    assert "missing.txt: no such file" in err and "binary.txt: binary file" in err
    assert "замечаний нет" not in out and "Проверено всё" not in out
    assert out == "В прочитанном замечаний: 0. Проверено не всё: 2 файла не удалось прочитать (ошибки выше).\n"
    code, out, err = run(capsys, "check", "good.txt", "missing.txt", "--first", "--lang", "en")
    assert code == 2
    assert "no findings" not in out.lower() and "all checked" not in out.lower()
    assert out == "0 findings in what was read. Not everything was checked: 1 file could not be read (see the errors above).\n"


def test_text_with_findings_counts_the_failures_too(work, capsys):
    code, out, err = run(capsys, "check", "bad.txt", "missing.txt", "--lang", "en")
    assert code == 2
    assert out.rstrip().endswith(
        "Found 4 findings (2 fixable with `--fix`, marked [*]). "
        "Not everything was checked: 1 file could not be read (see the errors above)."
    )


def test_russian_plurals(work, capsys):
    names = [f"missing{k}.txt" for k in range(5)]
    code, out, err = run(capsys, "check", *names)
    assert "5 файлов не удалось прочитать" in out
    code, out, err = run(capsys, "check", names[0])
    assert "1 файл не удалось прочитать" in out


def test_a_file_read_in_part_is_counted(work, capsys):
    (work / "chat.jsonl").write_text(
        '{"role": "client", "text": "Добрый день"}\n'
        "{broken\n"
        '{"role": "operator", "text": "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?"}\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "check", "chat.jsonl", "--lang", "en", "--select", "A")
    assert code == 2
    assert "chat.jsonl: line 2:" in err
    assert out == ("0 findings in what was read. Not everything was checked: 1 file was read only in part "
                   "(see the errors above).\n")


def test_json_carries_the_failures(work, capsys):
    code, out, err = run(capsys, "check", "bad.txt", "missing.txt", "--format", "json")
    assert code == 2
    data = json.loads(out)
    assert all("code" in r for r in data[:-1])
    assert data[-1] == {"path": "missing.txt", "error": "no such file", "line": None, "read": "none"}
    code, out, err = run(capsys, "check", "good.txt", "binary.txt", "--format", "json", "--first")
    assert code == 2
    data = json.loads(out)
    assert [r["path"] for r in data] == ["binary.txt"] and data[0]["error"].startswith("binary file")


def test_json_without_failures_is_unchanged(work, capsys):
    code, out, err = run(capsys, "check", "good.txt", "--format", "json", "--first")
    assert (code, out) == (0, "[]\n")


def test_sarif_carries_the_failures_as_tool_execution_notifications(work, capsys):
    import jsonschema

    code, out, err = run(capsys, "check", "bad.txt", "missing.txt", "--format", "sarif")
    assert code == 2
    log = json.loads(out)
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)
    (inv,) = log["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"] == "no such file"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "missing.txt"
    assert log["runs"][0]["results"]  # the findings of bad.txt are still there
    code, out, err = run(capsys, "check", "good.txt", "--format", "sarif", "--first")
    assert code == 0
    assert json.loads(out)["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_github_annotates_the_failures(work, capsys):
    code, out, err = run(capsys, "check", "good.txt", "missing.txt", "--format", "github", "--first")
    assert code == 2
    assert out == "::error file=missing.txt,title=chatlint%3A input not checked::no such file\n"


def test_statistics_and_summary_count_the_failures(work, capsys):
    code, out, err = run(capsys, "check", "good.txt", "missing.txt", "--statistics", "--first", "--lang", "en")
    assert code == 2
    assert "no findings" not in out.lower()
    assert out.endswith("Not everything was checked: 1 file could not be read (see the errors above).\n")
    code, out, err = run(capsys, "check", "bad.txt", "missing.txt", "--statistics", "--format", "json")
    assert json.loads(out)[-1]["error"] == "no such file"
    code, out, err = run(capsys, "check", "good.txt", "missing.txt", "--summary", "--lang", "en")
    assert code == 2
    assert out.endswith("Not everything was checked: 1 file could not be read (see the errors above).\n")
    code, out, err = run(capsys, "check", "missing.txt", "--summary", "--format", "json")
    assert json.loads(out) == [{"path": "missing.txt", "error": "no such file", "line": None, "read": "none"}]


def test_a_fix_that_could_not_be_written_is_a_failure(work, capsys):
    # the mode bits decide (files.check_rewritable), whoever runs the suite: root is refused too
    (work / "bad.txt").chmod(0o444)
    code, out, err = run(capsys, "check", "bad.txt", "--fix", "--lang", "en")
    assert code == 2
    assert "could not be fixed" in out


def test_jobs_gives_the_same_status(work, capsys):
    code1, out1, _ = run(capsys, "check", "bad.txt", "missing.txt", "good.txt", "--format", "json")
    code2, out2, _ = run(capsys, "check", "bad.txt", "missing.txt", "good.txt", "--format", "json", "--jobs", "2")
    assert (code1, out1) == (code2, out2)


def test_a_json_under_a_directory_that_is_no_chat_export_is_skipped_with_a_note(work, capsys):
    (work / "d").mkdir()
    (work / "d" / "manifest.json").write_text('{"name": "add-on", "version": "1.0"}\n', encoding="utf-8")
    (work / "d" / "msg.txt").write_text(GOOD, encoding="utf-8")
    code, out, err = run(capsys, "check", "d", "--first")
    assert code == 0, err
    assert "manifest.json: note: skipped: JSON without Telegram's" in err
    # named, it is checked as what its name says, and fails as it should
    code, out, err = run(capsys, "check", "d/manifest.json")
    assert code == 2 and "not a Telegram Desktop export" in err
    # a broken Telegram export under a directory is still an error
    (work / "d" / "result.json").write_text('{"name": "Чат", "messages": [{"id": 1, ', encoding="utf-8")
    code, out, err = run(capsys, "check", "d", "--first")
    assert code == 2 and "result.json" in err
