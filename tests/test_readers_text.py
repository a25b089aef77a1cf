"""The plain-text transcript reader (SPEC §6, §7): headers, continuation lines, clock times."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatlint.readers import ReaderError, Reading, detect
from chatlint.readers.text import read

DATA = Path(__file__).parent / "data" / "transcripts"
EXAMPLES = Path(__file__).parent.parent / "examples" / "transcripts"
OPERATORS = ["Анна", "Дмитрий", "Ольга", "Марина"]


def load(name: str, operators=OPERATORS) -> Reading:
    path = DATA / name
    return read(path.read_text(encoding="utf-8"), str(path), operators)


def test_continuation_lines_both_shapes_and_midnight():
    reading = load("text-continuation.txt")
    (t,) = reading.transcripts
    assert t.conversation_id == "text-continuation"
    rows = [(m.source_line, m.role, m.author, m.time) for m in t.messages]
    assert rows == [
        (2, "client", "Мария", datetime(2026, 11, 22, 23, 50, 5)),
        (9, "operator", "Анна", datetime(2026, 11, 22, 23, 50, 40)),
        (10, "client", "Мария", datetime(2026, 11, 22, 23, 58)),
        (11, "operator", "Анна", datetime(2026, 11, 23, 0, 2)),  # past midnight: the next day
        (12, "client", "Гость 12", datetime(2026, 11, 23, 0, 3, 30)),  # unknown speaker: a client
        (13, "system", None, datetime(2026, 11, 23, 0, 4)),
    ]
    # inner blank line kept, trailing blank lines dropped
    assert (
        t.messages[0].text == "Добрый вечер.\nУ меня два вопроса:\n\n1) где заказ;\n2) можно ли его отменить."
    )
    assert t.messages[3].text == "Да, заказ приедет в 15:00."
    # the title line before the first message
    assert [p.line for p in reading.problems] == [1]


def test_clock_times_without_any_date_start_on_1970_01_01():
    text = "23:59 Анна: Здравствуйте\n00:01 Пётр: Добрый вечер\n00:00:30 Анна: Слушаю Вас\n"
    times = [m.time for m in read(text, "x.txt", ["Анна"]).transcripts[0].messages]
    assert times == [
        datetime(1970, 1, 1, 23, 59),
        datetime(1970, 1, 2, 0, 1),
        datetime(1970, 1, 2, 0, 0, 30),  # a small step back is out of order, not another day
    ]


def test_a_colon_followed_by_a_digit_does_not_start_a_message():
    text = "[10:00] Анна: Здравствуйте\n11:30 перезвоню в 12:00, хорошо?\n"
    (m,) = read(text, "x.txt", ["Анна"]).transcripts[0].messages
    assert m.text == "Здравствуйте\n11:30 перезвоню в 12:00, хорошо?"


def test_role_words_in_labels():
    text = (
        "10:00 Клиент: Добрый день\n"
        "10:01 Operator Jane Doe: Hello\n"
        "10:02 Сотрудник: Одну минуту\n"
        "10:03 Система: Чат передан\n"
        "10:04 Анна Смирнова: Готово\n"
    )
    messages = read(text, "x.txt", ["Анна"]).transcripts[0].messages
    assert [(m.role, m.author) for m in messages] == [
        ("client", None),
        ("operator", "Jane Doe"),
        ("operator", None),
        ("system", None),
        ("operator", "Анна Смирнова"),
    ]


def test_roles_in_the_data_need_no_operator_names():
    reading = read("14:05 Оператор Иван: Здравствуйте\n14:06 Клиент Пётр: Добрый день\n", "x.txt", [])
    assert [m.role for m in reading.transcripts[0].messages] == ["operator", "client"]


def test_no_operator_is_the_configure_operators_problem_and_every_author_is_kept():
    reading = load("text-no-operator.txt")
    [problem] = [p for p in reading.problems if "operators" in p.reason]
    assert "Мария" in problem.reason and "--operator" in problem.reason and not problem.note
    assert "Мария" in {m.author for t in reading.transcripts for m in t.messages}
    assert {m.role for t in reading.transcripts for m in t.messages} <= {"client", "system"}


def test_separators_split_conversations():
    path = EXAMPLES / "chat-log.txt"
    reading = read(path.read_text(encoding="utf-8"), str(path), OPERATORS)
    assert reading.problems == []
    assert [(t.conversation_id, t.operators) for t in reading.transcripts] == [
        ("7731", ["Анна"]),
        ("7740", ["Дмитрий"]),
    ]
    bad = reading.transcripts[1]
    assert bad.messages[-1].text.endswith("когда привезут заказ?")  # a continuation line
    assert bad.messages[3].time == datetime(2026, 11, 24, 0, 7)  # past midnight


def test_messages_before_the_first_separator_keep_the_file_name():
    text = "10:00 Анна: a\n--- диалог 2 ---\n10:05 Анна: b\n"
    ids = [t.conversation_id for t in read(text, "dir/log.txt", ["Анна"]).transcripts]
    assert ids == ["log", "2"]


def test_impossible_times_and_empty_messages_are_problems():
    text = "25:61 Анна: Здравствуйте\n10:00 Пётр:\n\n10:01 Анна: Да\n"
    reading = read(text, "x.txt", ["Анна"])
    assert [(m.source_line, m.time) for m in reading.transcripts[0].messages] == [
        (1, None),
        (4, datetime(1970, 1, 1, 10, 1)),
    ]
    assert [p.line for p in reading.problems] == [1, 2]


def test_text_starting_on_the_next_line():
    text = "10:00 Анна:\n\nЗдравствуйте.\nЧем могу помочь?\n"
    (m,) = read(text, "x.txt", ["Анна"]).transcripts[0].messages
    assert m.text == "Здравствуйте.\nЧем могу помочь?"


@pytest.mark.parametrize("text", ["", "\n\n", "Просто сообщение без времени.\nИ вторая строка."])
def test_no_message_line_is_a_reader_error(text):
    with pytest.raises(ReaderError):
        read(text, "x.txt", OPERATORS)


@pytest.mark.parametrize(
    "path",
    [DATA / "text-continuation.txt", DATA / "text-no-operator.txt", EXAMPLES / "chat-log.txt"],
)
def test_detect_picks_the_text_transcript(path):
    assert detect(str(path), path.read_text(encoding="utf-8")) == "transcript"


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-22 14:05:33 Оператор Анна: текст\n",
        "[14:05] Клиент: текст\n",
        "Чат №1\n14:05 Клиент: текст\n14:06 Анна: ответ\n",
    ],
)
def test_detect_other_shapes(text):
    assert detect("chat.txt", text) == "transcript"


def test_detect_leaves_plain_messages_alone():
    assert detect("m.txt", "Здравствуйте, меня зовут Анна.\nЗаказ приедет в 15:00.\n") == "message"
    assert detect("m.txt", "Заказ приедет завтра.\n15:00 перезвоню: хорошо?\n") == "message"


# ------------------------------------------------------------------ properties

PIECES = st.sampled_from(
    [
        "[2026-11-22 14:05:33] ",
        "[9999-12-31 23:59] ",
        "[0001-01-01 00:00] ",
        "00:00 ",
        "23:59:59 ",
        "[14:05] ",
        "99:99 ",
        "Оператор Анна: ",
        "Клиент: ",
        "Анна: ",
        "Пётр: ",
        "Система:",
        "--- conversation 1 ---",
        "--- чат ---",
        "\n",
        "\r\n",
        "\r",
        "\u2028",
        "текст",
        ":",
        " ",
        "\ufeff",
    ]
)
TRANSCRIPTISH = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=40).map("".join)


@given(text=st.one_of(st.text(), TRANSCRIPTISH), operators=st.lists(st.sampled_from(["Анна", "", "1"])))
def test_any_text_gives_a_reading_or_a_reader_error(text, operators):
    try:
        reading = read(text, "any.txt", operators)
    except ReaderError:
        return
    assert reading.transcripts
    for t in reading.transcripts:
        assert isinstance(t.conversation_id, str)
        assert all(m.source_line is not None and m.text for m in t.messages)


# ------------------------------------------------------------------ a Telegram chat pasted as text (issue 14)


def test_a_telegram_chat_copied_from_the_desktop_app():
    reading = load("text-telegram-pasted.txt", operators=["Марина"])
    assert reading.problems == []
    [t] = reading.transcripts
    assert [(m.source_line, m.role, m.author, m.time, m.text) for m in t.messages] == [
        (1, "client", "Зарина Ахметова", datetime(2026, 11, 27, 10, 15),
         "Добрый день! Подскажите, почему списали деньги дважды?"),
        (4, "operator", "Марина Соколова", datetime(2026, 11, 27, 10, 16),
         "Здравствуйте, меня зовут Марина, чем я могу Вам помочь?\nУточните, пожалуйста, последние 4 цифры карты."),
        (8, "client", "Зарина Ахметова", datetime(2026, 11, 27, 10, 18), "4417"),
        (11, "operator", "Марина Соколова", datetime(2026, 11, 27, 10, 21),
         "Второе списание — это блокировка, она снимется в течение 3 дней.\n\nВсего доброго!"),
    ]


def test_a_telegram_chat_pasted_with_an_english_locale():
    [t] = load("text-telegram-pasted-en.txt", operators=["Anna"]).transcripts
    assert [(m.author, m.time) for m in t.messages] == [
        ("Kate Miller", datetime(2026, 11, 27, 9, 41)),
        ("Anna Petrova", datetime(2026, 11, 27, 9, 43)),
        ("Anna Petrova", datetime(2026, 11, 27, 13, 5)),
    ]


def test_pasted_headers_with_only_a_time_follow_a_blank_line():
    text = (
        "Зарина, 10:15\nДобрый день, жду ответа с 9:00\n\n"
        "Марина, 10:16\nЗдравствуйте!\nХорошо, 10:20\n\n"  # «Хорошо, 10:20» right after text is text
        "Марина, [28.11.2026 09:00]\nДоброе утро, всё готово.\n"
    )
    [t] = read(text, "x.txt", ["Марина"]).transcripts
    assert [(m.author, m.time, m.text) for m in t.messages] == [
        ("Зарина", datetime(1970, 1, 1, 10, 15), "Добрый день, жду ответа с 9:00"),
        ("Марина", datetime(1970, 1, 1, 10, 16), "Здравствуйте!\nХорошо, 10:20"),
        ("Марина", datetime(2026, 11, 28, 9, 0), "Доброе утро, всё готово."),
    ]


@pytest.mark.parametrize("name", ["text-telegram-pasted.txt", "text-telegram-pasted-en.txt"])
def test_detect_picks_the_pasted_telegram_chat(name):
    assert detect(name, (DATA / name).read_text(encoding="utf-8")) == "transcript"
    assert detect("", (DATA / name).read_text(encoding="utf-8")) == "transcript"  # stdin
