"""Operators (issue 14): ``--operator NAME`` on the CLI, and aliases in the config so that one
person is one row of ``--summary`` whatever name an export shows."""

from __future__ import annotations

import json

import pytest

from chatlint import Config
from chatlint.cli import main
from chatlint.errors import ConfigError

# one person under three names: full name on the desktop, first name on the phone, and
# WhatsApp's «~» mark of a sender who is not in the phone's contacts
WHATSAPP = (
    "21.11.2026, 09:00 - Марина Кузнецова: Добрый день, пришёл не тот размер куртки\n"
    "21.11.2026, 09:01 - Дмитрий Орлов: Здравствуйте, меня зовут Дмитрий, чем я могу Вам помочь?\n"
    "21.11.2026, 09:02 - Марина Кузнецова: Хочу обменять на размер больше\n"
    "21.11.2026, 09:03 - Дмитрий: Оформил обмен, курьер заберёт куртку завтра. Всего доброго!\n"
    "21.11.2026, 18:00 - Марина Кузнецова: А можно перенести на пятницу?\n"
    "21.11.2026, 18:01 - ~\u202fDima: Да, перенёс на пятницу. Всего доброго, будут ещё вопросы - обращайтесь!\n"
)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def chat(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chat.txt").write_text(WHATSAPP, encoding="utf-8")
    return tmp_path


def test_operator_on_the_command_line(chat, capsys):
    code, out, err = run(capsys, "check", "chat.txt")
    assert code == 2 and "no operator can be identified" in err
    code, out, err = run(capsys, "check", "chat.txt", "--operator", "Дмитрий", "--summary", "--format", "json")
    assert code != 2, err
    rows = json.loads(out)
    # a plain name, no aliases: «Дмитрий» is the first name of «Дмитрий Орлов» (two rows, and a note)
    assert {r["operator"] for r in rows} == {"Дмитрий Орлов", "Дмитрий"}
    assert "operator name «Дмитрий» matches 2 people" in err


def test_operator_is_repeatable_and_added_to_the_config(chat, capsys):
    (chat / "chatlint.toml").write_text('operators = ["Дмитрий Орлов"]\n', encoding="utf-8")
    (chat / "chat.txt").write_text(WHATSAPP.replace("~\u202fDima", "Dima"), encoding="utf-8")
    code, out, err = run(capsys, "check", "chat.txt", "--operator", "Дмитрий", "--operator", "Dima",
                         "--summary", "--format", "json")
    assert code != 2, err
    rows = json.loads(out)
    assert sum(r["messages"] for r in rows) == 3  # every operator message counted, under the names it has


def test_aliases_make_one_person_one_row(chat, capsys):
    (chat / "chatlint.toml").write_text(
        '[operators]\n"Дмитрий Орлов" = ["Дмитрий", "~ Dima"]\n', encoding="utf-8"
    )
    code, out, err = run(capsys, "check", "chat.txt", "--summary", "--format", "json")
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["operator"] == "Дмитрий Орлов"
    assert row["messages"] == 3


def test_aliases_in_pyproject(chat, capsys):
    (chat / "pyproject.toml").write_text(
        '[tool.chatlint.operators]\n"Дмитрий Орлов" = ["Дмитрий", "~ Dima"]\n', encoding="utf-8"
    )
    code, out, err = run(capsys, "check", "chat.txt", "--summary")
    assert code == 0, err
    assert sum(line.startswith("Дмитрий Орлов ") for line in out.splitlines()) == 1
    assert "Dima" not in out


def test_findings_name_the_person(chat, capsys):
    (chat / "chatlint.toml").write_text('[operators]\n"Дмитрий Орлов" = "Дмитрий"\n', encoding="utf-8")
    (chat / "chat.txt").write_text(
        WHATSAPP.replace("Оформил обмен", "щас оформлю обмен"), encoding="utf-8"
    )
    code, out, err = run(capsys, "check", "chat.txt", "--format", "json", "--select", "A003")
    found = json.loads(out)
    assert found and {f["speaker"] for f in found} == {"Дмитрий Орлов"}


def test_config_operator_forms():
    assert Config(operators=["Анна"]).operator_names == ["Анна"]
    assert Config(operators=["Анна"]).operator_of("Анна") is None  # a list has no aliases
    cfg = Config(operators={"Дмитрий Орлов": ["Дмитрий", "~ Dima"], "Анна Смирнова": "Анна"})
    assert cfg.operator_names == ["Дмитрий Орлов", "Дмитрий", "~ Dima", "Dima", "Анна Смирнова", "Анна"]
    assert cfg.operator_of("Дмитрий") == "Дмитрий Орлов"
    assert cfg.operator_of("Дмитрий Орлов") == "Дмитрий Орлов"
    assert cfg.operator_of("~\u202fDima") == "Дмитрий Орлов"
    assert cfg.operator_of("\u200eDima") == "Дмитрий Орлов"
    assert cfg.operator_of("анна") == "Анна Смирнова"
    assert cfg.operator_of("Марина") is None


def test_a_wrong_alias_type_names_the_key(tmp_path):
    from chatlint import load_config

    (tmp_path / "chatlint.toml").write_text('[operators]\n"Дмитрий Орлов" = 5\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="operators"):
        load_config(tmp_path / "chatlint.toml")
