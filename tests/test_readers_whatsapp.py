"""The WhatsApp "Export chat" reader: Android and iOS shapes, locales, clocks, system lines."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatlint.readers import MAX_CONVERSATION_MESSAGES, ReaderError, Reading, detect
from chatlint.readers.whatsapp import read

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "transcripts"
EXAMPLES = ROOT / "examples" / "transcripts"
OPERATORS = ["Анна", "Дмитрий", "Ольга", "Марина"]
LRM, NNBSP = "\u200e", "\u202f"


def load(name: str, operators=OPERATORS) -> Reading:
    path = DATA / name
    return read(path.read_text(encoding="utf-8"), str(path), operators)


def one(text: str, operators=OPERATORS, path: str = "chat.txt"):
    reading = read(text, path, operators)
    [t] = reading.transcripts
    return t


# ------------------------------------------------------------------ Android, Russian


def test_android_russian_export():
    reading = load("whatsapp-android-ru.txt")
    assert reading.problems == []
    [t] = reading.transcripts
    assert t.conversation_id == "whatsapp-android-ru"
    assert [(m.source_line, m.role, m.author) for m in t.messages] == [
        (3, "client", "Светлана Иванова"),
        (4, "client", "Светлана Иванова"),  # «<Без медиафайлов>»: a photo, kept as a message without text
        (5, "operator", "Анна Кузнецова"),
        (10, "client", "Светлана Иванова"),  # the caption of an attached photo, below its line
        (11, "operator", "Анна Кузнецова"),
        (12, "client", "+7 912 345-67-89"),  # a phone number, without its direction marks
        (14, "operator", "Анна Кузнецова"),
    ]


def test_android_system_lines_media_placeholders_and_deleted_messages_are_skipped():
    [t] = load("whatsapp-android-ru.txt").transcripts
    text = "\n".join(m.text for m in t.messages)
    for skipped in ("шифрованием", "добавил(а)", "<Без медиафайлов>", "файл добавлен", "удалено"):
        assert skipped not in text


def test_multi_line_messages_keep_their_lines_and_blank_lines():
    [t] = load("whatsapp-android-ru.txt").transcripts
    assert t.messages[2].text == (
        "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?\n\n"
        "Уточните, пожалуйста, номер заказа.\nНомер указан в письме с подтверждением."
    )


def test_attachment_caption_is_the_message_and_edited_marker_is_dropped():
    [t] = load("whatsapp-android-ru.txt").transcripts
    assert t.messages[3].text == "Вот письмо с номером"
    assert t.messages[4].text == "Спасибо, вижу заказ 5530-117. Ссылка на оплату отправлена повторно."


def test_dotted_dates_are_day_first_and_times_naive():
    [t] = load("whatsapp-android-ru.txt").transcripts
    assert t.messages[0].time == datetime(2026, 11, 22, 14, 5)
    assert all(m.time is not None and m.time.tzinfo is None for m in t.messages)


# ------------------------------------------------------------------ iOS, Russian


def test_ios_russian_export_with_left_to_right_marks():
    reading = load("whatsapp-ios-ru.txt")
    [t] = reading.transcripts
    assert [(m.source_line, m.role, m.text) for m in t.messages] == [
        (2, "client", "Здравствуйте! Не могу оплатить заказ картой."),
        (3, "client", ""),  # a photo without a caption: a message with no text (Message.media)
        (
            4,
            "operator",
            "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?\n\nУточните, пожалуйста, номер заказа.",
        ),
        (7, "client", ""),  # an attached photo, no caption
        (8, "client", "Заказ 5530-117"),
        (9, "operator", "Спасибо, ссылка на оплату отправлена повторно."),
        (11, "operator", "Всего доброго! Обращайтесь, если появятся вопросы."),
    ]
    assert t.messages[0].time == datetime(2026, 11, 22, 14, 5, 10)


def test_ios_encryption_notice_under_a_name_is_not_a_message():
    [t] = load("whatsapp-ios-ru.txt").transcripts
    assert not any("шифрованием" in m.text for m in t.messages)


# ------------------------------------------------------------------ English locales, 12-hour clocks


def test_android_english_us_export_with_narrow_no_break_space_before_pm():
    reading = load("whatsapp-android-en.txt", operators=["Анна"])
    [t] = reading.transcripts
    assert [(m.source_line, m.author, m.time) for m in t.messages] == [
        (2, "Svetlana", datetime(2026, 11, 22, 14, 5)),
        (3, "Svetlana", datetime(2026, 11, 22, 14, 5)),  # <Media omitted>
        (4, "Анна", datetime(2026, 11, 22, 14, 6)),
        (5, "Svetlana", datetime(2026, 11, 22, 14, 7)),  # a photo, file attached, no caption
        (7, "Svetlana", datetime(2026, 11, 22, 0, 30)),  # 12:30 AM; out of order in the file
        (8, "Анна", datetime(2026, 11, 23, 12, 1)),  # 12:01 PM
    ]
    assert t.messages[-1].text == "Всего доброго!\nОбращайтесь, если появятся вопросы."


def test_ios_english_us_export():
    [t] = load("whatsapp-ios-en.txt", operators=["Anna"]).transcripts
    assert [(m.role, m.text, m.time) for m in t.messages] == [
        ("client", "Hello, I cannot pay for my order.", datetime(2026, 11, 22, 14, 5, 10)),
        ("client", "", datetime(2026, 11, 22, 14, 5, 31)),  # image omitted: a photo without a caption
        ("operator", "Hello, my name is Anna. How can I help you?", datetime(2026, 11, 22, 14, 5, 44)),
        ("client", "", datetime(2026, 11, 22, 14, 6, 20)),  # an attached photo
        ("operator", "Goodbye!", datetime(2026, 11, 22, 23, 59, 59)),
    ]


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("22.11.2026, 14:05 -", datetime(2026, 11, 22, 14, 5)),
        ("22.11.26, 14:05 -", datetime(2026, 11, 22, 14, 5)),
        ("22.11.2026 14:05 -", datetime(2026, 11, 22, 14, 5)),  # no comma
        ("22/11/2026, 14:05 -", datetime(2026, 11, 22, 14, 5)),  # en-GB: the day above 12 decides
        ("11/22/26, 2:05 PM -", datetime(2026, 11, 22, 14, 5)),
        ("11/22/26, 2:05 pm -", datetime(2026, 11, 22, 14, 5)),
        ("22/11/26, 2:05\u202fpm -", datetime(2026, 11, 22, 14, 5)),  # en-IN
        ("22.11.2026, 2:05 пп -", datetime(2026, 11, 22, 14, 5)),
        ("22.11.2026, 9:05 дп -", datetime(2026, 11, 22, 9, 5)),
        ("22.11.2026, 12:05 дп -", datetime(2026, 11, 22, 0, 5)),
        ("11/22/26, 2:05 p.m. -", datetime(2026, 11, 22, 14, 5)),
        ("[22.11.2026, 14:05:33]", datetime(2026, 11, 22, 14, 5, 33)),
        ("[11/22/26, 2:05:33\u202fPM]", datetime(2026, 11, 22, 14, 5, 33)),
        (LRM + "[22.11.2026, 14:05:33]", datetime(2026, 11, 22, 14, 5, 33)),
        ("22.11.2026, 14.05 -", datetime(2026, 11, 22, 14, 5)),  # a period between hours and minutes
    ],
)
def test_date_and_time_shapes(stamp, expected):
    t = one(f"{stamp} Анна: Здравствуйте\n")
    assert t.messages[0].time == expected
    assert t.messages[0].text == "Здравствуйте"


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["03/04/26", "05/04/26"], [(2026, 3, 4), (2026, 5, 4)]),  # slashes, ambiguous: month first
        (["03.04.26", "05.04.26"], [(2026, 4, 3), (2026, 4, 5)]),  # dots, ambiguous: day first
        (["03/04/26", "13/04/26"], [(2026, 4, 3), (2026, 4, 13)]),  # a first field above 12: day first
        (["03.04.26", "04.13.26"], [(2026, 3, 4), (2026, 4, 13)]),  # a second field above 12: month first
    ],
)
def test_day_and_month_order_is_decided_for_the_whole_file(dates, expected):
    text = "".join(f"{d}, 10:00 - Анна: Сообщение {i}\n" for i, d in enumerate(dates))
    t = one(text)
    assert [m.time.date() for m in t.messages] == [datetime(*e).date() for e in expected]


def test_an_impossible_date_keeps_the_message_without_a_time():
    t = one("31.02.2026, 10:00 - Анна: Здравствуйте\n30.02.2026, 25:00 - Анна: Ещё\n")
    assert [m.time for m in t.messages] == [None, None]
    assert [m.text for m in t.messages] == ["Здравствуйте", "Ещё"]


def test_windows_line_endings():
    t = one("22.11.2026, 14:05 - Клиент: Вопрос\r\nвторая строка\r\n22.11.2026, 14:06 - Анна: Ответ\r\n")
    assert [m.text for m in t.messages] == ["Вопрос\nвторая строка", "Ответ"]


def test_name_alone_on_the_line_with_text_below():
    t = one("22.11.2026, 14:05 - Анна:\nТекст на следующей строке\n")
    assert t.messages[0].text == "Текст на следующей строке"
    assert t.messages[0].source_line == 2


def test_system_lines_with_a_colon_are_not_taken_for_names():
    text = (
        "22.11.2026, 14:00 - Анна изменил(а) тему с «Заказ: 1» на «Заказ: 2»\n"
        "22.11.2026, 14:05 - Анна: Здравствуйте\n"
    )
    t = one(text)
    assert [m.text for m in t.messages] == ["Здравствуйте"]


# ------------------------------------------------------------------ problems and errors


def test_text_before_the_first_message_is_a_problem_and_the_rest_is_read():
    reading = read("мусор\nещё мусор\n22.11.2026, 14:05 - Анна: Здравствуйте\n", "chat.txt", OPERATORS)
    assert [(p.line, "first dated" in p.reason) for p in reading.problems] == [(1, True)]
    assert reading.transcripts[0].messages[0].source_line == 3


@pytest.mark.parametrize("text", ["", "\n\n", "Просто текст без дат.\nИ ещё строка."])
def test_a_file_without_dated_lines_is_not_a_whatsapp_export(text):
    with pytest.raises(ReaderError) as exc:
        read(text, "chat.txt", OPERATORS)
    assert "WhatsApp" in exc.value.reason


def test_no_identifiable_operator_is_a_clear_problem_and_every_author_is_kept():
    reading = load("whatsapp-android-ru.txt", operators=["Ольга"])
    [problem] = reading.problems
    assert "operators" in problem.reason
    assert "«Светлана Иванова»" in problem.reason and "«Анна Кузнецова»" in problem.reason
    [t] = reading.transcripts
    assert len(t.messages) == 7 and {m.role for m in t.messages} == {"client"}


def test_only_system_lines_read_as_nothing():
    reading = read("22.11.2026, 14:00 - Анна Кузнецова добавил(а) Вас\n", "chat.txt", OPERATORS)
    assert reading.transcripts == []


# ------------------------------------------------------------------ examples and detection


def test_examples_have_a_bad_and_a_good_operator():
    android = EXAMPLES / "whatsapp-android.txt"
    ios = EXAMPLES / "whatsapp-ios.txt"
    bad = one(android.read_text(encoding="utf-8"), path=str(android))
    good = one(ios.read_text(encoding="utf-8"), path=str(ios))
    assert bad.operators == ["Дмитрий Орлов"] and good.operators == ["Марина Соколова"]
    assert bad.messages[-1].role == "client" and bad.messages[-1].text.endswith("?")
    assert good.messages[-1].role == "operator"
    assert good.conversation_id == "whatsapp-ios"


@pytest.mark.parametrize(
    "path",
    [*sorted(DATA.glob("whatsapp-*.txt")), *sorted(EXAMPLES.glob("whatsapp-*.txt"))],
    ids=lambda p: p.name,
)
def test_detect_picks_whatsapp_for_exports(path):
    assert detect(str(path), path.read_text(encoding="utf-8")) == "whatsapp"


@pytest.mark.parametrize(
    "first",
    [
        "22.11.2026, 2:05 пп - Анна: Здравствуйте",
        "11/22/26, 2:05\u202fPM - Anna: Hello",
        "[22.11.2026, 14:05:33] Анна: Здравствуйте",
        LRM + "[11/22/26, 2:05:33 PM] Anna: Hello",
    ],
)
def test_detect_recognises_locales(first):
    assert detect("chat.txt", first + "\n") == "whatsapp"


def test_detect_leaves_plain_transcripts_alone():
    assert detect("chat.txt", "[2026-11-22 14:05:33] Оператор Анна: текст\n") != "whatsapp"


# ------------------------------------------------------------------ never a crash, linear


@given(st.text())
def test_any_text_is_a_reading_or_a_reader_error(text):
    try:
        assert isinstance(read(text, "chat.txt", OPERATORS), Reading)
    except ReaderError:
        pass


line = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda stamp, name, body: f"{stamp} {name}: {body}",
        st.sampled_from(
            ["22.11.2026, 14:05 -", "[22.11.2026, 14:05:33]", "31.13.26, 99:99 -", "11/22/26, 13:05 PM -"]
        ),
        st.sampled_from(["Анна", "Клиент", "\u202a+7 900\u202c", "", "«x»"]),
        st.text(max_size=30),
    ),
)


@given(st.lists(line, max_size=12))
def test_any_mix_of_dated_lines_is_a_reading_or_a_reader_error(lines):
    try:
        text = "\n".join(lines)
        reading = read(text, "chat.txt", OPERATORS)
    except ReaderError:
        return
    for t in reading.transcripts:
        for m in t.messages:
            assert m.source_line is not None and 1 <= m.source_line <= text.count("\n") + 1


def test_a_large_export_reads_every_message():
    text = "".join(
        f"22.11.2026, {i // 60 % 24:02d}:{i % 60:02d} - {'Анна' if i % 2 else 'Клиент'}: Сообщение {i}\nстрока\n"
        for i in range(20_000)
    )
    reading = read(text, "chat.txt", OPERATORS)
    parts = reading.transcripts
    assert sum(len(t.messages) for t in parts) == 20_000
    assert parts[-1].messages[-1].source_line == 39_999
    # checked in parts of at most MAX_CONVERSATION_MESSAGES, said in a note (not an error)
    assert len(parts) > 1 and all(len(t.messages) <= MAX_CONVERSATION_MESSAGES for t in parts)
    assert [t.conversation_id for t in parts[:2]] == ["chat", "chat (part 2)"]
    [note] = reading.problems
    assert note.note and f"checked in {len(parts)} parts" in note.reason


def test_a_long_chat_is_cut_at_a_pause():
    # an hour's pause after message 2,500 (past half of the limit): the first part ends there
    lines = []
    for i in range(5_000):
        minute = i + (90 if i >= 2_500 else 0)
        lines.append(f"22.11.2026, {minute // 60 % 24:02d}:{minute % 60:02d} - {'Анна' if i % 2 else 'Клиент'}: "
                     f"Сообщение {i}\n")
    parts = read("".join(lines), "chat.txt", OPERATORS).transcripts
    assert [len(t.messages) for t in parts] == [2_500, 2_500]


def test_streaming_and_whole_text_read_the_same(tmp_path):
    from chatlint.readers import FileSource, collect
    from chatlint.readers.whatsapp import stream

    text = "\ufeff" + (DATA / "whatsapp-android-ru.txt").read_text(encoding="utf-8").replace("\n", "\r\n") + "\n\n"
    path = tmp_path / "chat.txt"
    path.write_bytes(text.encode("utf-8"))
    with open(path, "rb") as fh:
        streamed = collect(stream(FileSource(fh), "chat.txt", OPERATORS))
    assert streamed == read(text[1:], "chat.txt", OPERATORS)


# ------------------------------------------------------------------ real-looking shapes (issue 14)


def test_year_first_dates_with_dashes_and_a_dot_m_dot_clock():
    reading = load("whatsapp-year-first-en.txt", operators=["Anna"])
    assert reading.problems == []
    [t] = reading.transcripts
    assert [(m.author, m.time, m.text) for m in t.messages] == [
        ("Kate Miller", datetime(2026, 11, 27, 9, 41), "Hi, my parcel has been stuck in Leipzig for a week"),
        ("Anna Petrova", datetime(2026, 11, 27, 9, 43), "Hello, my name is Anna. How can I help you?"),
        ("Kate Miller", datetime(2026, 11, 27, 12, 5), ""),  # <Media omitted>
        ("Kate Miller", datetime(2026, 11, 27, 12, 6), "This is the tracking page"),
        ("Anna Petrova", datetime(2026, 11, 27, 12, 10), "Thank you, I have asked the depot to release it."),
    ]


def test_year_first_dates_with_slashes_and_a_24_hour_clock():
    [t] = load("whatsapp-year-first-ru.txt", operators=["Марина"]).transcripts
    assert [m.time for m in t.messages] == [
        datetime(2026, 1, 2, 23, 58), datetime(2026, 1, 3, 0, 2), datetime(2026, 1, 3, 0, 4)
    ]


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2026-11-22, 2:05 p.m. -", datetime(2026, 11, 22, 14, 5)),
        ("2026/11/02, 11:25 -", datetime(2026, 11, 2, 11, 25)),
        ("2026.11.02, 11:25 -", datetime(2026, 11, 2, 11, 25)),
        ("[2026-11-02, 11:25:09]", datetime(2026, 11, 2, 11, 25, 9)),
        (LRM + "[2026-11-02, 1:25:09\u202fPM]", datetime(2026, 11, 2, 13, 25, 9)),
    ],
)
def test_year_first_stamps(stamp, expected):
    t = one(f"{stamp} Анна: Здравствуйте\n")
    assert t.messages[0].time == expected


def test_year_first_lines_do_not_decide_the_order_of_the_other_lines():
    # «2026/11/13» is year-month-day whatever the rest says; «03/04/26» stays month-first
    t = one("2026/11/13, 10:00 - Анна: Первое\n03/04/26, 10:00 - Анна: Второе\n")
    assert [m.time.date() for m in t.messages] == [datetime(2026, 11, 13).date(), datetime(2026, 3, 4).date()]


def test_an_ambiguous_date_is_read_day_first_when_a_later_line_proves_it():
    [t] = load("whatsapp-en-gb-ambiguous.txt", operators=["Anna"]).transcripts
    assert [m.time.date() for m in t.messages] == [
        datetime(2026, 11, 2).date(), datetime(2026, 11, 2).date(),
        datetime(2026, 11, 5).date(), datetime(2026, 11, 21).date(),
    ]


def test_ios_tilde_and_invisible_marks_are_not_part_of_author_names():
    [t] = load("whatsapp-ios-ru-us-region.txt", operators=["Ольга Литвинова"]).transcripts
    assert {m.author for m in t.messages} == {"Егор Белов", "Ольга Литвинова"}
    assert {m.author for m in t.messages if m.role == "operator"} == {"Ольга Литвинова"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("~\u202fЕгор Белов", "Егор Белов"),
        ("~ Егор Белов", "Егор Белов"),
        ("~\u00a0Egor", "Egor"),
        (LRM + "Ольга\u00a0Литвинова" + "\u200f", "Ольга Литвинова"),
        ("Ольга\u202f Литвинова", "Ольга Литвинова"),
        ("\u202a+7\u00a0912\u00a0345-67-89\u202c", "+7 912 345-67-89"),
    ],
)
def test_author_names_are_normalised(name, expected):
    t = one(f"22.11.2026, 14:05 - {name}: Здравствуйте\n22.11.2026, 14:06 - Анна: Добрый день\n")
    assert t.messages[0].author == expected


def test_ios_captions_are_split_from_media_markers_and_media_alone_has_no_text():
    [t] = load("whatsapp-ios-ru-us-region.txt", operators=["Ольга"]).transcripts
    assert [(m.source_line, m.text) for m in t.messages] == [
        (1, "Добрый день! Пришёл не тот цвет чехла."),
        (2, "Вот фото коробки"),  # caption before «‎изображение отсутствует»
        (3, "А это сам чехол"),  # caption after «‎<прикреплено: …jpg>»
        (4, "Здравствуйте, меня зовут Ольга, чем я могу Вам помочь?"),
        (5, ""),  # a document sent without a caption (its name and pages are not one); 6, a location: dropped
        (7, "Оформим обмен: курьер привезёт чехол нужного цвета завтра."),  # edited marker and its mark
        # line 8, a sticker: dropped
        (9, "Спасибо, жду."),
        (10, "Всего доброго, будут ещё вопросы — обращайтесь!"),
    ]
    assert all(LRM not in m.text for m in t.messages)
    assert [m.source_line for m in t.messages if m.media] == [2, 3, 5]  # captions carry their media


def test_ios_twelve_hour_times_with_a_russian_locale():
    [t] = load("whatsapp-ios-ru-us-region.txt", operators=["Ольга"]).transcripts
    assert t.messages[0].time == datetime(2026, 11, 27, 9, 58, 2)
    assert t.messages[-1].time == datetime(2026, 11, 27, 10, 2, 31)


def test_android_captions_documents_locations_and_edits():
    reading = load("whatsapp-android-ru-media.txt", operators=["Дмитрий"])
    assert reading.problems == []
    [t] = reading.transcripts
    assert [(m.source_line, m.text) for m in t.messages] == [
        (1, "Здравствуйте, не приходит код подтверждения"),
        (3, "Вот что пишет приложение"),  # the caption below the attachment line
        # the document's name repeated below its attachment line is not a caption
        (4, "Здравствуйте, меня зовут Дмитрий, чем я могу Вам помочь?"),
        (5, ""),  # a document sent without a caption: a message with no text (Message.media)
        # lines 7-9, a static location (place, city, «местоположение: …»): dropped
        (10, "Проверьте, пожалуйста, номер в профиле."),
        (11, ""),  # «<Без медиафайлов>»
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Вот чек " + LRM + "изображение отсутствует", "Вот чек"),
        (LRM + "изображение отсутствует", ""),  # a photo alone: a message without text
        (LRM + "стикер отсутствует", None),  # a sticker alone is a reaction, like an emoji
        (LRM + "sticker omitted", None),
        (LRM + "<attached: 00000012-STICKER-2026-11-22-14-06-20.webp>", None),
        ("Receipt " + LRM + "image omitted", "Receipt"),
        (LRM + "<attached: 00000003-PHOTO-2026-11-22-14-06-20.jpg> The receipt", "The receipt"),
        ("The receipt " + LRM + "<attached: 00000003-PHOTO-2026-11-22-14-06-20.jpg>", "The receipt"),
        ("Счёт.pdf • " + LRM + "1 страница " + LRM + "документ отсутствует", ""),
        ("invoice • " + LRM + "3 pages " + LRM + "<attached: 00000009-invoice.pdf>", ""),
        ("invoice.pdf " + LRM + "document omitted", ""),
        (LRM + "Location: https://maps.google.com/?q=55.751244,37.618423", None),
        ("местоположение: https://maps.google.com/?q=55.75,37.61", None),
        ("Готово " + LRM + "<This message was edited>", "Готово"),
        ("Готово <Это сообщение было изменено>" + LRM, "Готово"),
        ("Готово " + LRM + "<Сообщение изменено>", "Готово"),
        # what a person writes is kept: a marker word without WhatsApp's mark, a map link with words
        ("На сайте изображение отсутствует, проверьте", "На сайте изображение отсутствует, проверьте"),
        ("Наш адрес: https://maps.google.com/?q=55.75,37.61", "Наш адрес: https://maps.google.com/?q=55.75,37.61"),
    ],
)
def test_media_markers_placeholders_and_edits_in_a_message_body(body, expected):
    reading = read(
        f"22.11.2026, 14:05 - Анна: Добрый день\n22.11.2026, 14:06 - Клиент: {body}\n", "chat.txt", OPERATORS
    )
    texts = [m.text for m in reading.transcripts[0].messages[1:]]
    assert texts == ([] if expected is None else [expected])


@pytest.mark.parametrize(
    "path", ["whatsapp-year-first-en.txt", "whatsapp-year-first-ru.txt", "whatsapp-ios-ru-us-region.txt",
             "whatsapp-android-ru-media.txt", "whatsapp-en-gb-ambiguous.txt"],
)
def test_detect_picks_whatsapp_for_new_shapes(path):
    assert detect(path, (DATA / path).read_text(encoding="utf-8")) == "whatsapp"


def test_a_clients_photo_without_a_caption_starts_the_clock_in_a_real_export():
    """A client sends only a photo of the problem; the operator answers 25 minutes later: the
    wait is the photo's (T002), as the issue's WhatsApp export showed it was missed."""
    from chatlint import lint_transcript

    t = one(
        "22.11.2026, 14:05 - Анна: Здравствуйте, меня зовут Анна, чем я могу Вам помочь?\n"
        "22.11.2026, 14:06 - Клиент: <Без медиафайлов>\n"
        "22.11.2026, 14:31 - Анна: Вижу на фото повреждённую упаковку, оформлю замену сегодня.\n"
    )
    assert [(m.role, m.text, m.media) for m in t.messages][1] == ("client", "", True)
    waits = [(f.code, f.message_index) for f in lint_transcript(t) if f.code == "T002"]
    assert waits == [("T002", 2)]  # on the late answer, counted from the photo
    # a sticker alone is a reaction: no message, no clock
    t = one(
        "22.11.2026, 14:05 - Анна: Здравствуйте, меня зовут Анна, чем я могу Вам помочь?\n"
        "22.11.2026, 14:06 - Клиент: \u200eстикер отсутствует\n"
        "22.11.2026, 14:31 - Анна: Всего доброго!\n"
    )
    assert [m.role for m in t.messages] == ["operator", "operator"]
