"""``read_transcripts(path, as_="auto", encoding=None)``: a reader used alone (issue 14).
Reading never fails for want of operator names: every author is kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chatlint.errors import InputError
from chatlint.readers import ReaderError, read_transcripts

DATA = Path(__file__).parent / "data" / "transcripts"


def test_a_whatsapp_export_without_operator_names_keeps_every_author():
    [t] = read_transcripts(DATA / "whatsapp-ios-ru-us-region.txt")
    assert {m.author for m in t.messages} == {"Егор Белов", "Ольга Литвинова"}
    assert {m.role for m in t.messages} == {"client"}  # no names given: roles come when linting


def test_operator_names_give_roles():
    [t] = read_transcripts(DATA / "whatsapp-ios-ru-us-region.txt", operators=["Ольга"])
    assert {m.author for m in t.messages if m.role == "operator"} == {"Ольга Литвинова"}


@pytest.mark.parametrize(
    ("name", "fmt", "count"),
    [
        ("text-telegram-pasted.txt", "auto", 1),
        ("csv-english.csv", "auto", 2),
        ("telegram-single.json", "auto", 1),
        ("jsonl-no-roles.jsonl", "auto", None),
        ("eml-outlook.eml", "auto", 1),
        ("whatsapp-year-first-en.txt", "whatsapp", 1),
    ],
)
def test_every_format_reads_alone(name, fmt, count):
    transcripts = read_transcripts(DATA / name, as_=fmt)
    assert transcripts and all(t.messages for t in transcripts)
    if count is not None:
        assert len(transcripts) == count


def test_a_cp1251_csv_is_read_without_options_and_encoding_overrides(tmp_path):
    text = "Время;Сотрудник;Сообщение\n27.11.2026 10:15;Зарина;Добрый день\n27.11.2026 10:16;Марина;Здравствуйте!\n"
    path = tmp_path / "выгрузка.csv"
    path.write_bytes(text.encode("cp1251"))
    [t] = read_transcripts(path, operators=["Марина"])
    assert [m.text for m in t.messages] == ["Добрый день", "Здравствуйте!"]
    [t] = read_transcripts(path, encoding="cp1251", operators=["Марина"])
    assert t.messages[1].role == "operator"


def test_a_utf16_whatsapp_export_is_read(tmp_path):
    path = tmp_path / "WhatsApp Chat.txt"
    path.write_bytes((DATA / "whatsapp-android-ru.txt").read_text(encoding="utf-8").encode("utf-16"))
    [t] = read_transcripts(path)
    assert t.messages[0].author == "Светлана Иванова"


def test_a_message_file_is_one_operator_message(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text("Здравствуйте, меня зовут Анна, чем я могу Вам помочь?\n", encoding="utf-8")
    [t] = read_transcripts(path)
    [m] = t.messages
    assert m.role == "operator" and m.text.startswith("Здравствуйте")


def test_unreadable_inputs_raise_clear_errors(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_transcripts(tmp_path / "missing.txt")
    log = tmp_path / "log.txt"
    log.write_text("Клиент: где заказ?\nОператор: уточняю\n", encoding="utf-8")
    with pytest.raises(ReaderError, match="looks like a conversation"):
        read_transcripts(log)
    with pytest.raises(ValueError, match="unknown format"):
        read_transcripts(log, as_="xml")
    shutil.copy(DATA / "telegram-truncated.json", tmp_path / "result.json")
    with pytest.raises(ReaderError):
        read_transcripts(tmp_path / "result.json")
