"""``--as auto`` that ``--fix`` can trust (issue 14): detection says how sure it is, and an
input that looks like a conversation is never taken as one operator message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chatlint.readers import Detection, detection

DATA = Path(__file__).parent / "data" / "transcripts"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in DATA.iterdir() if p.suffix in (".txt", ".csv", ".eml", ".json", ".jsonl")),
    ids=lambda p: p.name,
)
def test_every_fixture_is_read_as_a_conversation_even_without_its_name(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    for name in (path.name, "", "export.txt"):
        d = detection(name, text)
        if name == path.name or d.format != "message":
            assert d.format != "message", (name, d)
        else:  # a JSON export piped in without its name: not a message either
            pytest.fail(f"{path.name} as {name!r}: {d}")


def test_a_signature_on_the_first_line_is_certain():
    d = detection("chat.txt", "22.11.2026, 14:05 - Анна: Здравствуйте\n")
    assert d == Detection("whatsapp", "content", 1.0) and d.trusted


def test_a_whatsapp_export_after_a_title_or_stray_lines_is_still_whatsapp():
    text = "Переписка с клиентом\nпо заказу 5530\n\n22.11.2026, 14:05 - Анна: Здравствуйте\n"
    d = detection("chat.txt", text)
    assert (d.format, d.by) == ("whatsapp", "content") and d.confidence < 1


def test_a_name_alone_is_less_sure_than_content():
    d = detection("export.jsonl", "")
    assert (d.format, d.by) == ("jsonl", "name") and d.confidence < 0.8


@pytest.mark.parametrize(
    ("text", "why"),
    [
        # speakers with a role word, no times: a chat log from a helpdesk
        ("Клиент: Где мой заказ?\nОператор: Здравствуйте, уточните номер.\n", "Клиент"),
        ("Client: Where is my order?\nAgent: Hello, could you give me the number?\n", "Client"),
        # named speakers who take turns
        ("Иван: Добрый день\nАнна Смирнова: Здравствуйте, чем могу помочь?\nИван: Заказ не пришёл\n", "Иван"),
        ("Kate: Hi\nAnna: Hello, how can I help?\nKate: My parcel is late\n", "Kate"),
        # stamped lines in a shape no reader knows
        ("27.11.2026 10:15:33 Анна: Здравствуйте\nЧем могу помочь?\n", "27.11.2026"),
        ("Всё ниже — из чата.\n[2026-11-27 10:15] Клиент: Где заказ?\n", "2026-11-27"),
    ],
)
def test_a_conversation_no_reader_claims_is_not_a_trusted_message(text, why):
    d = detection("notes.txt", text)
    assert d.format == "message" and not d.trusted and d.confidence < 0.5
    assert why in d.conversation


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?",
        "Заказ приедет завтра.\n15:00 перезвоню: хорошо?\n",
        # a key–value list names each key once
        "Ваши данные:\nАдрес: ул. Ленина, 5\nТелефон: +7 912 345-67-89\nEmail: ivan@example.com\n",
        "Итого: заказ 5530 доставят завтра с 10:00 до 12:00.\n\nВсего доброго!",
        "Режим работы:\nПн-Пт: 9:00-18:00\nСб: 10:00-16:00\n",
        "Внимание: акция до 30.11.2026 10:00.\nВажно: промокод действует один раз.\n",
    ],
)
def test_an_operator_message_is_a_trusted_message(text):
    d = detection("reply.txt", text)
    assert d.format == "message" and d.trusted and d.conversation is None


def test_a_telegram_chat_pasted_into_stdin_is_a_conversation():
    text = "Зарина, [27.11.2026 10:15]\nДобрый день\n\nМарина, [27.11.2026 10:16]\nЗдравствуйте!\n"
    assert detection("", text).format == "transcript"
    # pasted with bare times only: two headers are needed
    assert detection("", "Зарина, 10:15\nДобрый день\n\nМарина, 10:16\nЗдравствуйте!\n").format == "transcript"
    assert detection("", "Хорошо, 10:15\nподойдёт\n").format == "message"


# ------------------------------------------------------------------ through the CLI


def _run(capsys, *argv):
    from chatlint.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_fix_never_rewrites_a_conversation_it_cannot_read(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    text = "Клиент: привет, где заказ?\nОператор: щас посмотрю!!\nКлиент: жду\n"
    path = tmp_path / "log.txt"
    path.write_text(text, encoding="utf-8")
    code, out, err = _run(capsys, "check", "--fix", "log.txt")
    assert code == 2
    assert "looks like a conversation" in err and "--as message" in err and "Клиент" in err
    assert path.read_text(encoding="utf-8") == text  # untouched
    # asked for, it is one message
    code, out, err = _run(capsys, "check", "--as", "message", "log.txt")
    assert "looks like a conversation" not in err and code in (0, 1)


def test_a_year_first_whatsapp_export_is_read_as_a_chat_and_never_fixed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chatlint.toml").write_text('operators = ["Anna"]\n', encoding="utf-8")
    text = (DATA / "whatsapp-year-first-en.txt").read_text(encoding="utf-8")
    path = tmp_path / "WhatsApp Chat with Kate.txt"
    path.write_text(text, encoding="utf-8")
    code, out, err = _run(capsys, "check", "--fix", str(path.name))
    assert "transcript (whatsapp) is checked" in err
    assert path.read_text(encoding="utf-8") == text


def test_a_pasted_telegram_chat_on_stdin_is_a_conversation(monkeypatch, capsys, tmp_path):
    import io

    monkeypatch.chdir(tmp_path)
    (tmp_path / "chatlint.toml").write_text('operators = ["Марина"]\n', encoding="utf-8")
    text = (DATA / "text-telegram-pasted.txt").read_text(encoding="utf-8") + (
        "\nМарина Соколова, [27.11.2026 10:40]\nпока!!\n"
    )
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    code, out, err = _run(capsys, "check", "--format", "json", "-")
    assert code in (0, 1), err
    findings = [f for f in json.loads(out) if "code" in f]
    assert ("G007", 4, "Марина Соколова") in {(f["code"], f["message_index"], f["speaker"]) for f in findings}
