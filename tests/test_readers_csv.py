"""The CSV reader (SPEC §6, §7): header aliases, dialects, multi-line cells, times, mapping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatlint.readers import ReaderError, Reading, detect
from chatlint.readers.csv import parse_time, read

DATA = Path(__file__).parent / "data" / "transcripts"
EXAMPLES = Path(__file__).parent.parent / "examples" / "transcripts"
OPERATORS = ["Анна", "Дмитрий", "Ольга", "Марина"]


def load(name: str, operators=OPERATORS, columns=None) -> Reading:
    path = DATA / name
    return read(path.read_text(encoding="utf-8-sig"), str(path), operators, columns)


def test_bom_semicolons_and_a_quoted_multiline_cell():
    # read with plain utf-8: the reader strips the BOM itself as well
    path = DATA / "csv-bom-semicolon.csv"
    reading = read(path.read_text(encoding="utf-8"), str(path), OPERATORS)
    a1, b2 = reading.transcripts
    assert (a1.conversation_id, b2.conversation_id) == ("A-1", "B-2")
    assert [(m.source_line, m.role, m.author) for m in a1.messages] == [
        (2, "client", "Мария"),
        (3, "operator", "Анна"),
        (9, "client", "Мария"),
    ]
    assert a1.messages[1].text == 'Здравствуйте, меня зовут Анна.\n\nВаш заказ "Кресло; серое" уже в пути.'
    assert a1.messages[0].time == datetime(2026, 11, 22, 14, 5)
    assert a1.messages[1].time == datetime(2026, 11, 22, 14, 5, 40)
    assert a1.messages[2].time is None  # "вчера"
    assert [(m.source_line, m.role, m.time) for m in b2.messages] == [
        (7, "client", datetime(2026, 11, 22, 14, 8)),  # no role: «Пётр» is not an operator
        (8, "operator", datetime(2026, 11, 22, 14, 9)),
    ]
    problems = {p.line: p.reason for p in reading.problems}
    assert sorted(problems) == [6, 9]
    assert "without text" in problems[6]
    assert "unreadable time" in problems[9]


def test_english_headers_commas_and_unix_times():
    reading = load("csv-english.csv")
    c101, c102 = reading.transcripts
    assert c101.conversation_id == "101"
    assert [(m.role, m.author) for m in c101.messages] == [("client", "Пётр"), ("operator", "Анна Смирнова")]
    assert c101.messages[0].time == datetime(2026, 11, 22, 13, 0, tzinfo=UTC)
    assert c101.messages[1].time == datetime(2026, 11, 22, 14, 0, 45, tzinfo=timezone(timedelta(hours=3)))
    assert c101.messages[0].text == "Добрый день, подскажите, пожалуйста, сроки доставки"
    assert [m.role for m in c102.messages] == ["client"]


def test_no_operator_is_the_configure_operators_problem():
    reading = load("csv-english.csv", operators=["Ольга"])
    assert any("operators" in p.reason and "«Пётр»" in p.reason for p in reading.problems)
    assert sum(len(t.messages) for t in reading.transcripts) == 3


def test_tabs_and_no_conversation_column():
    text = "время\tавтор\tтекст\n14:05\tПётр\tДобрый вечер\n23:59\tАнна\tЗдравствуйте\n00:10\tПётр\tСпасибо\n"
    (t,) = read(text, "dir/export.tsv", ["Анна"]).transcripts
    assert t.conversation_id == "export"
    assert [m.time for m in t.messages] == [
        datetime(1970, 1, 1, 14, 5),
        datetime(1970, 1, 1, 23, 59),
        datetime(1970, 1, 2, 0, 10),  # clock times roll over at midnight as in plain text
    ]


def test_separate_date_and_time_columns():
    text = "Дата;Время;Кто;Текст сообщения\n22.11.2026;14:05;Анна;Здравствуйте\n2026-11-23;09:00:10;Пётр;Добрый день\n"
    messages = read(text, "x.csv", ["Анна"]).transcripts[0].messages
    assert [m.time for m in messages] == [datetime(2026, 11, 22, 14, 5), datetime(2026, 11, 23, 9, 0, 10)]


def test_explicit_column_mapping_wins_over_aliases():
    text = "text,Комментарий,Оператор или клиент\nне текст,Здравствуйте,оператор\n"
    columns = {"text": "комментарий", "role": "Оператор или клиент"}
    (m,) = read(text, "x.csv", [], columns).transcripts[0].messages
    assert (m.text, m.role) == ("Здравствуйте", "operator")


def test_no_text_column_lists_the_headers_and_how_to_map():
    with pytest.raises(ReaderError) as exc:
        read("Когда;Кто;Что\n14:05;Анна;Привет\n", "x.csv", OPERATORS)
    message = str(exc.value)
    assert "«Когда», «Кто», «Что»" in message
    assert "text" in message and "csv_columns" in message


def test_bad_mappings_are_reader_errors():
    with pytest.raises(ReaderError, match="unknown field 'body'"):
        read("text\nПривет\n", "x.csv", OPERATORS, {"body": "text"})
    with pytest.raises(ReaderError, match="no such column"):
        read("text\nПривет\n", "x.csv", OPERATORS, {"author": "Автор"})


def test_repeated_header_rows_and_blank_rows_are_skipped():
    text = "author,role,text\nАнна,operator,Здравствуйте\n\n,,\nauthor,role,text\nПётр,client,Спасибо\n"
    reading = read(text, "x.csv", [])
    assert [m.source_line for m in reading.transcripts[0].messages] == [2, 6]
    assert reading.problems == []


def test_crlf_inside_a_quoted_cell_becomes_a_newline():
    text = 'role,text\r\noperator,"Здравствуйте.\r\nСлушаю Вас."\r\nclient,Спасибо\r\n'
    messages = read(text, "x.csv", []).transcripts[0].messages
    assert messages[0].text == "Здравствуйте.\nСлушаю Вас."
    assert [m.source_line for m in messages] == [2, 4]


def test_an_unclosed_quote_over_the_field_limit_stops_with_a_problem():
    text = 'role,text\noperator,Здравствуйте\nclient,"' + "а" * 200_000 + "\n"
    reading = read(text, "x.csv", [])
    assert len(reading.transcripts[0].messages) == 1
    assert reading.problems[0].line == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-22T14:05:33Z", datetime(2026, 11, 22, 14, 5, 33, tzinfo=UTC)),
        ("2026-11-22 14:05", datetime(2026, 11, 22, 14, 5)),
        ("22.11.2026 14:05", datetime(2026, 11, 22, 14, 5)),
        ("22.11.2026 14:05:33", datetime(2026, 11, 22, 14, 5, 33)),
        ("22.11.2026, 14:05", datetime(2026, 11, 22, 14, 5)),
        ("22.11.26 14:05", datetime(2026, 11, 22, 14, 5)),
        ("22.11.2026", datetime(2026, 11, 22)),
        ("1795352400", datetime(2026, 11, 22, 13, 0, tzinfo=UTC)),
        ("1795352400000", datetime(2026, 11, 22, 13, 0, tzinfo=UTC)),
        ("31.02.2026 10:00", None),
        ("вчера", None),
        ("42", None),
    ],
)
def test_time_formats(value, expected):
    assert parse_time(value) == expected


def test_example_file():
    path = EXAMPLES / "helpdesk.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    reading = read(raw.decode("utf-8"), str(path), OPERATORS)
    assert reading.problems == []
    assert [(t.conversation_id, t.operators) for t in reading.transcripts] == [
        ("HD-30417", ["Ольга"]),
        ("HD-30418", ["Марина"]),
    ]
    assert any("\n" in m.text for m in reading.transcripts[0].messages)


@pytest.mark.parametrize(
    "path", [DATA / "csv-bom-semicolon.csv", DATA / "csv-english.csv", EXAMPLES / "helpdesk.csv"]
)
def test_detect_picks_csv(path):
    assert detect(str(path), path.read_text(encoding="utf-8")) == "csv"


# ------------------------------------------------------------------ properties

PIECES = st.sampled_from(
    [
        "time;author;role;text\n",
        "Время,Автор,Сообщение,Диалог\n",
        "text\tchat_id\n",
        ";",
        ",",
        "\t",
        '"',
        '""',
        "\n",
        "\r\n",
        "\r",
        "\ufeff",
        "\x00",
        "Анна",
        "оператор",
        "client",
        "22.11.2026 14:05",
        "99.99.9999 99:99",
        "23:59",
        "00:00",
        "1795352400",
        "9999999999999",
        "текст",
    ]
)
CSVISH = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=40).map("".join)
MAPPINGS = st.one_of(
    st.none(),
    st.dictionaries(st.sampled_from(["text", "author", "role", "time", "date", "x"]), st.text(max_size=6)),
)


@given(
    text=st.one_of(st.text(), CSVISH),
    operators=st.lists(st.sampled_from(["Анна", "", "1"])),
    columns=MAPPINGS,
)
def test_any_text_gives_a_reading_or_a_reader_error(text, operators, columns):
    try:
        reading = read(text, "any.csv", operators, columns)
    except ReaderError:
        return
    assert reading.transcripts
    for t in reading.transcripts:
        assert isinstance(t.conversation_id, str)
        assert all(m.source_line is not None and m.text for m in t.messages)


# ------------------------------------------------------------------ issue 14: operator columns, unclosed quotes


@pytest.mark.parametrize("column", ["Сотрудник", "Оператор", "Agent", "Operator", "Агент"])
def test_an_operator_column_names_who_wrote(column):
    text = f"Время;{column};Сообщение\n27.11.2026 10:15;Зарина;Добрый день\n27.11.2026 10:16;Марина;Здравствуйте!\n"
    messages = read(text, "x.csv", ["Марина"]).transcripts[0].messages
    assert [(m.author, m.role) for m in messages] == [("Зарина", "client"), ("Марина", "operator")]


def test_role_words_in_the_author_column_are_roles():
    text = "Время;Сотрудник;Сообщение\n10:15;Клиент;Добрый день\n10:16;Оператор;Здравствуйте!\n"
    messages = read(text, "x.csv", []).transcripts[0].messages
    assert [(m.author, m.role) for m in messages] == [(None, "client"), (None, "operator")]


def test_an_author_column_wins_over_an_operator_column():
    # «Оператор» here is who handled the ticket (the same on every row); «Автор» wrote the row
    text = "Оператор,Автор,Текст\nМарина,Зарина,Добрый день\nМарина,Марина,Здравствуйте!\n"
    messages = read(text, "x.csv", ["Марина"]).transcripts[0].messages
    assert [(m.author, m.role) for m in messages] == [("Зарина", "client"), ("Марина", "operator")]


def test_no_column_says_who_wrote_is_a_clear_error_naming_the_columns():
    with pytest.raises(ReaderError) as exc:
        read("Дата;Комментарий;Текст\n27.11.2026;к заказу 5530;Добрый день\n", "x.csv", OPERATORS)
    message = str(exc.value)
    assert "«Дата», «Комментарий», «Текст»" in message
    assert "who wrote" in message and "Оператор" in message and "csv_columns" in message


def test_an_unclosed_quote_reports_the_line_where_it_opened_and_the_rest_is_read():
    text = (
        "Время;Автор;Сообщение\n"
        "10:15;Зарина;Добрый день\n"
        '10:16;Марина;"Здравствуйте, меня зовут Марина, чем могу помочь?\n'  # the quote never closes
        "10:17;Зарина;Где мой заказ 5530?\n"
        "10:18;Марина;Заказ передан в доставку.\n"
        "10:19;Зарина;Спасибо\n"
    )
    reading = read(text, "x.csv", ["Марина"])
    [problem] = reading.problems
    assert problem.line == 3 and "quote" in problem.reason and "line 3" in problem.reason
    [t] = reading.transcripts
    assert [(m.source_line, m.text) for m in t.messages] == [
        (2, "Добрый день"),
        (4, "Где мой заказ 5530?"),
        (5, "Заказ передан в доставку."),
        (6, "Спасибо"),
    ]


@pytest.mark.parametrize("header", ["author,text", "time,author,text"])
def test_a_quoted_multiline_cell_with_separators_is_not_an_unclosed_quote(header):
    first = "10:00," if header.startswith("time") else ""
    text = (f'{header}\n{first}Анна,"Здравствуйте.\nЦвета: красный, синий, зелёный.\nВсего доброго!"\n'
            f"{first}Пётр,Спасибо\n")
    reading = read(text, "x.csv", ["Анна"])
    assert reading.problems == []
    assert reading.transcripts[0].messages[0].text.endswith("Всего доброго!")


def test_detect_knows_any_header_the_reader_knows():
    assert detect("", "Chat ID,Timestamp,From,Message\n101,1795352400,Пётр,Добрый день\n") == "csv"
    assert detect("", "Дата;Сотрудник;Сообщение\n27.11.2026;Марина;Здравствуйте\n") == "csv"
    assert detect("", "Итого: заказ, доставка, оплата\n") == "message"


# ------------------------------------------------------------------ issue 14: US dates and 12-hour clocks


def test_an_excel_us_export_with_month_first_dates_and_am_pm():
    text = (
        "Date,Agent,Message\n"
        "11/27/2026 9:41 AM,Kate Miller,Hi, the courier did not come\n"
        '11/27/2026 9:43 AM,Anna Petrova,"Hello, my name is Anna."\n'
        "11/27/2026 1:05 PM,Anna Petrova,The courier will come tomorrow.\n"
    )
    messages = read(text, "x.csv", ["Anna"]).transcripts[0].messages
    assert [m.time for m in messages] == [
        datetime(2026, 11, 27, 9, 41), datetime(2026, 11, 27, 9, 43), datetime(2026, 11, 27, 13, 5)
    ]


def test_slash_dates_are_day_first_when_any_row_proves_it():
    text = (
        "time;author;text\n"
        "02/11/2026 18:20;Tom;Hello\n"  # ambiguous on its own
        "02/11/2026 18:24;Anna;Hello, this is Anna.\n"
        "21/11/2026 10:15;Anna;The replacement has been sent.\n"  # proves day-first
    )
    messages = read(text, "x.csv", ["Anna"]).transcripts[0].messages
    assert [m.time.date() for m in messages] == [
        datetime(2026, 11, 2).date(), datetime(2026, 11, 2).date(), datetime(2026, 11, 21).date()
    ]


def test_dotted_dates_stay_day_first():
    text = "Время;Автор;Текст\n02.11.2026 10:00;Анна;Здравствуйте\n"
    [m] = read(text, "x.csv", ["Анна"]).transcripts[0].messages
    assert m.time == datetime(2026, 11, 2, 10, 0)
