"""The CLI through its real entry points: in-process ``main`` and the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chatlint.catalog import all_rules
from chatlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BAD = "привет!!! вы можете оплатить картой)))\n"
GOOD = "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    return tmp_path


def test_text_format_shows_location_code_severity_message_and_marked_line(files, capsys):
    code, out, err = run(capsys, "check", "bad.txt")
    assert code == 1
    assert "bad.txt:1:1: G002 [warning] Неформальное приветствие «привет»" in out
    assert "bad.txt:1:11: A001 [*] [warning]" in out
    assert " 1 | привет!!! вы можете оплатить картой)))" in out
    assert "   |           ^^" in out  # the «вы» span, under the text
    assert out.rstrip().endswith("Найдено 4 замечания (2 можно исправить с `--fix`, отмечены [*]).")


def test_lang_en_gives_english_messages_and_closing_line(files, capsys):
    code, out, err = run(capsys, "check", "bad.txt", "--lang", "en")
    assert code == 1
    assert "bad.txt:1:1: G002 [warning] Informal greeting" in out
    assert out.rstrip().endswith("Found 4 findings (2 fixable with `--fix`, marked [*]).")
    (files / "chatlint.toml").write_text('lang = "en"\n', encoding="utf-8")
    code, out, err = run(capsys, "check", "bad.txt")
    assert out.rstrip().endswith("Found 4 findings (2 fixable with `--fix`, marked [*]).")
    code, out, err = run(capsys, "check", "bad.txt", "--lang", "ru")
    assert "Неформальное приветствие" in out and "Найдено 4 замечания" in out


def test_clean_file_exit_zero(files, capsys):
    code, out, _ = run(capsys, "check", "good.txt", "--first")
    assert code == 0
    assert out == "Проверено всё: замечаний нет.\n"
    code, out, _ = run(capsys, "check", "good.txt", "--first", "--lang", "en")
    assert out == "All checked: no findings.\n"


def test_json_format_is_an_array_of_findings_with_path(files, capsys):
    code, out, _ = run(capsys, "check", "bad.txt", "good.txt", "--format", "json")
    data = json.loads(out)
    assert isinstance(data, list) and data
    fields = {"code", "name", "severity", "message", "start", "end", "line", "column", "fix",
              "message_index", "speaker", "conversation_id", "path", "start_utf16", "end_utf16"}
    for d in data:
        assert fields <= set(d)
        assert d["path"] == "bad.txt"
    assert code == 1


def test_utf16_offsets_count_emoji_as_two_units(files, capsys):
    (files / "emoji.txt").write_text("😀 вы", encoding="utf-8")
    _, out, _ = run(capsys, "check", "emoji.txt", "--format", "json", "--select", "A001")
    (d,) = json.loads(out)
    assert (d["start"], d["start_utf16"]) == (2, 3)


def test_first_last_select_ignore(files, capsys):
    _, out, _ = run(capsys, "check", "bad.txt", "--first", "--format", "json")
    codes = {d["code"] for d in json.loads(out)}
    assert {"G003", "G004"} <= codes
    _, out, _ = run(capsys, "check", "bad.txt", "--select", "A,E002", "--format", "json")
    assert {d["code"] for d in json.loads(out)} == {"A001", "A006", "E002"}
    _, out, _ = run(capsys, "check", "bad.txt", "--select", "A", "--ignore", "A006", "--format", "json")
    assert {d["code"] for d in json.loads(out)} == {"A001"}


def test_fail_on(files, capsys):
    assert run(capsys, "check", "bad.txt", "--select", "S006")[0] == 0
    (files / "paren.txt").write_text("Заказ в пути (курьер позвонит).", encoding="utf-8")
    assert run(capsys, "check", "paren.txt", "--select", "S006")[0] == 0  # info < warning
    assert run(capsys, "check", "paren.txt", "--select", "S006", "--fail-on", "info")[0] == 1


def test_channel_option(files, capsys):
    (files / "e.txt").write_text("Заказ в пути 🚚", encoding="utf-8")
    _, out, _ = run(capsys, "check", "e.txt", "--format", "json")
    assert "E003" in {d["code"] for d in json.loads(out)}
    _, out, _ = run(capsys, "check", "e.txt", "--format", "json", "--channel", "messenger")
    assert "E003" not in {d["code"] for d in json.loads(out)}


def test_directory_recursion_and_stdin(files, capsys, monkeypatch):
    sub = files / "sub"
    sub.mkdir()
    (sub / "x.txt").write_text(BAD, encoding="utf-8")
    (sub / "notes.md").write_text(BAD, encoding="utf-8")
    _, out, _ = run(capsys, "check", ".", "--format", "json")
    paths = {d["path"] for d in json.loads(out)}
    assert paths == {"bad.txt", os.path.join("sub", "x.txt")}

    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code, out, _ = run(capsys, "check", "-", "--format", "json")
    assert code == 1 and {d["path"] for d in json.loads(out)} == {"-"}


def test_fix_rewrites_files_with_safe_fixes_only(files, capsys):
    code, out, _ = run(capsys, "check", "bad.txt", "--fix")
    fixed = (files / "bad.txt").read_text(encoding="utf-8")
    assert fixed == "привет! Вы можете оплатить картой)))\n"  # informal greeting, bracket smiley: unsafe
    code, out, _ = run(capsys, "check", "bad.txt", "--fix", "--unsafe-fixes")
    assert (files / "bad.txt").read_text(encoding="utf-8") == "Здравствуйте! Вы можете оплатить картой :)\n"


def test_fix_on_stdin_prints_the_fixed_text(files, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Спасибо!!!".encode())))
    code, out, _ = run(capsys, "check", "-", "--fix")
    assert out == "Спасибо!"


def test_bad_inputs_give_one_line_errors_and_the_rest_is_checked(files, capsys):
    (files / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    # control bytes, and 0x98 (no character in cp1251): text in no encoding chatlint detects
    (files / "latin1.txt").write_bytes(b"\x98\x01\x02\x03\x04\x05\x06\x07")
    (files / "big.txt").write_bytes(b"a" * 1_000_001)
    code, out, err = run(capsys, "check", "binary.txt", "latin1.txt", "missing.txt", "big.txt", "bad.txt")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("binary.txt: binary file")
    assert lines[1].startswith("latin1.txt: not text: not UTF-8 (invalid byte 0x98 at offset 0)")
    assert lines[2] == "missing.txt: no such file"
    assert lines[3].startswith("big.txt: too large")
    assert "bad.txt:1:1: G002" in out
    assert "Traceback" not in err


def test_bom_is_not_part_of_the_message(files, capsys):
    (files / "bom.txt").write_bytes("\ufeffЗдравствуйте, меня зовут Анна, чем я могу Вам помочь?".encode())
    assert run(capsys, "check", "bom.txt", "--first")[0] == 0


def test_config_errors_are_one_line_exit_2(files, capsys):
    (files / "chatlint.toml").write_text('[rules.S001]\nmax_sentence = 4\n', encoding="utf-8")
    code, out, err = run(capsys, "check", "bad.txt")
    assert code == 2
    assert "chatlint.toml: rules.S001.max_sentence: unknown key" in err
    assert "Traceback" not in err


def test_config_is_discovered_from_the_checked_file(files, capsys):
    proj = files / "proj"
    proj.mkdir()
    (proj / "pyproject.toml").write_text('[tool.chatlint]\nignore = ["A001"]\n', encoding="utf-8")
    (proj / "m.txt").write_text(BAD, encoding="utf-8")
    _, out, _ = run(capsys, "check", "proj/m.txt", "--format", "json")
    codes = {d["code"] for d in json.loads(out)}
    assert "A001" not in codes and "A006" in codes
    _, out, _ = run(capsys, "check", "bad.txt", "--format", "json")
    assert "A001" in {d["code"] for d in json.loads(out)}


def test_usage_errors_exit_2(files, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml", "bad.txt"])
    assert exc.value.code == 2
    assert run(capsys, "check")[0] == 2
    assert run(capsys, "explain", "Z999")[0] == 2


def test_rules_lists_every_code(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0
    for c in all_rules():
        assert c in out


def test_explain_prints_why_and_examples(capsys):
    code, out, _ = run(capsys, "explain", "S001")
    assert code == 0
    for part in ("WHAT IT CHECKS", "WHY", "EXAMPLE", "BAD", "GOOD", "max_sentences = 3"):
        assert part in out
    assert run(capsys, "explain", "paragraph-too-long")[1] == out


def _console_script() -> str | None:
    exe = Path(sys.executable).parent / "chatlint"
    return str(exe) if exe.exists() else None


@pytest.mark.skipif(_console_script() is None, reason="the chatlint console script is not installed here")
def test_installed_console_script_checks_the_examples(tmp_path):
    """As a user would: the installed `chatlint`, run outside the checkout, with the shipped rules."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    res = subprocess.run(
        [_console_script(), "check", str(EXAMPLES)], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60
    )
    assert res.returncode == 1, res.stderr
    assert "bad-answer.txt" in res.stdout and "Traceback" not in res.stderr
    assert "good-answer.txt" not in res.stdout
    res = subprocess.run([_console_script(), "rules"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60)
    assert res.returncode == 0 and "S001" in res.stdout
    res = subprocess.run(
        [_console_script(), "explain", "S001"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60
    )
    assert res.returncode == 0 and "WHY" in res.stdout


def test_sarif_github_and_statistics_formats(files, capsys):
    code, out, _ = run(capsys, "check", "bad.txt", "--format", "sarif")
    log = json.loads(out)
    assert log["version"] == "2.1.0" and code == 1
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"A001", "A006", "G002"}
    code, out, _ = run(capsys, "check", "bad.txt", "--format", "github")
    lines = out.strip().splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any("file=bad.txt,line=1,col=11" in line and "A001" in line for line in lines)
    code, out, _ = run(capsys, "check", "bad.txt", "--statistics")
    assert "A001  [*] formal-you-lowercase" in out
    _, out, _ = run(capsys, "check", "bad.txt", "--statistics", "--format", "json")
    assert {d["code"] for d in json.loads(out)} >= {"A001", "A006"}


def test_test_rules_on_a_broken_pack_exits_2(tmp_path, capsys):
    p = tmp_path / "p.toml"
    p.write_text('[pack]\nname="t"\nprefix="X"\n[[rules]]\ncode="X001"\nname="Bad Name"\ntype="words"\nmessage="m"\nmatch=["x"]\n', encoding="utf-8")
    code, out, err = run(capsys, "test-rules", str(p))
    assert code == 2
    assert "rules[0] (X001).name: a name is kebab-case" in err
