"""The Telegram Desktop reader (``result.json``): shapes of real exports, times, lines, errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatlint.readers import ReaderError, Reading, detect
from chatlint.readers.telegram import message_text, read

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "transcripts"
EXAMPLE = ROOT / "examples" / "transcripts" / "telegram-result.json"
OPERATORS = ["Анна", "Дмитрий", "Ольга", "Марина"]


def load(name: str, operators=OPERATORS) -> Reading:
    path = DATA / name
    return read(path.read_text(encoding="utf-8"), str(path), operators)


def export(messages, **chat) -> str:
    return json.dumps(
        {"name": "Клиент", "type": "personal_chat", "id": 1, **chat, "messages": messages},
        ensure_ascii=False,
        indent=1,
    )


def msg(i, text, frm="Анна", **extra):
    return {
        "id": i,
        "type": "message",
        "date": "2026-11-22T14:05:00",
        "date_unixtime": "1795345500",
        "from": frm,
        "from_id": f"user{i}",
        **extra,
        "text": text,
    }


# ------------------------------------------------------------------ single chat


def test_single_chat_export_is_one_transcript_named_after_the_chat():
    reading = load("telegram-single.json")
    assert reading.problems == []
    [t] = reading.transcripts
    assert t.conversation_id == "Светлана Иванова"
    assert t.channel is None


def test_service_messages_and_stickers_are_skipped_and_a_photo_alone_is_a_message_without_text():
    [t] = load("telegram-single.json").transcripts
    # 10 objects: 2 service (joined_telegram, pin_message), a photo and a sticker without text;
    # the photo is the client's (it starts the clock like a question), the sticker a reaction
    assert len(t.messages) == 7
    [photo] = [m for m in t.messages if not m.text.strip()]
    assert (photo.media, photo.role, photo.author) == (True, "client", "Светлана Иванова")
    assert t.messages.index(photo) == 2


def test_entity_lists_are_concatenated():
    [t] = load("telegram-single.json").transcripts
    texts = [m.text for m in t.messages if m.text]
    assert texts[1].endswith("Инструкция по входу: https://romashka.example/help/login")
    assert texts[2] == "Вот что вижу на экране, @romashka_help не помог"  # a forwarded message
    assert texts[3] == (
        "Спасибо за скриншот. Я отправила новый код, он действует 5 минут.\n\n"
        "Если код снова не подойдёт, напишите нам."
    )


def test_roles_come_from_the_configured_operator_names():
    [t] = load("telegram-single.json").transcripts
    assert [m.role for m in t.messages] == ["client", "operator", "client", "client", "operator", "client", "operator"]
    assert t.operators == ["Анна Кузнецова"]


def test_deleted_account_gets_a_readable_author():
    [t] = load("telegram-single.json").transcripts
    deleted = t.messages[5]
    assert deleted.author == "Удалённый аккаунт (user7000000001)"
    assert deleted.role == "client"


def test_times_come_from_date_unixtime_as_aware_utc():
    [t] = load("telegram-single.json").transcripts
    first = t.messages[0]
    assert first.time == datetime(2026, 11, 22, 11, 5, 10, tzinfo=UTC)  # 14:05:10 in Moscow
    assert all(m.time is not None and m.time.tzinfo is not None for m in t.messages)


def test_source_line_is_the_line_of_the_message_object():
    path = DATA / "telegram-single.json"
    lines = path.read_text(encoding="utf-8").split("\n")
    [t] = load("telegram-single.json").transcripts
    ids = [902, 903, 904, 905, 907, 908, 910]
    for m, message_id in zip(t.messages, ids, strict=True):
        assert lines[m.source_line - 1].strip() == "{"
        assert lines[m.source_line].strip() == f'"id": {message_id},'


def test_text_entities_are_used_when_text_is_absent():
    item = {"text_entities": [{"type": "plain", "text": "Добрый "}, {"type": "bold", "text": "день"}]}
    assert message_text(item) == "Добрый день"
    assert message_text({"text": ["a", {"type": "link", "text": "b"}, {"type": "x"}, 5]}) == "ab"
    assert message_text({}) is None


# ------------------------------------------------------------------ times


def test_date_is_used_for_the_whole_file_when_any_message_lacks_date_unixtime():
    old = msg(2, "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?")
    del old["date_unixtime"]
    old["date"] = "2026-11-22T14:06:00"
    reading = read(export([msg(1, "Вопрос", frm="Клиент"), old]), "result.json", OPERATORS)
    times = [m.time for m in reading.transcripts[0].messages]
    assert times == [datetime(2026, 11, 22, 14, 5), datetime(2026, 11, 22, 14, 6)]  # naive, local
    assert all(t.tzinfo is None for t in times)


def test_a_message_with_only_date_unixtime_gets_a_local_time_by_the_file_offset():
    # the others have both: their difference is the exporting computer's offset (UTC+3 here)
    bare = msg(2, "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?", date_unixtime="1795345560")
    del bare["date"]
    old = msg(3, "Уточните номер заказа, пожалуйста.", date="2026-11-22T14:07:00")
    del old["date_unixtime"]
    reading = read(export([msg(1, "Вопрос", frm="Клиент"), bare, old]), "result.json", OPERATORS)
    times = [m.time for m in reading.transcripts[0].messages]
    assert times == [datetime(2026, 11, 22, 14, 5), datetime(2026, 11, 22, 14, 6), datetime(2026, 11, 22, 14, 7)]


def test_only_date_unixtime_in_a_file_without_any_date_is_utc():
    first, second = msg(1, "Вопрос", frm="Client"), msg(2, "Hello, this is Anna.", frm="Anna")
    del first["date"], second["date"]
    old = msg(3, "Anything else?", frm="Anna", date="2026-11-22T11:07:00")
    del old["date_unixtime"]
    reading = read(export([first, second, old]), "result.json", ["Anna"])
    times = [m.time for m in reading.transcripts[0].messages]
    # no message has both: no offset to learn, the naive UTC time is the best guess
    assert times == [datetime(2026, 11, 22, 11, 5), datetime(2026, 11, 22, 11, 5), datetime(2026, 11, 22, 11, 7)]


def test_unparseable_times_become_none():
    bad = msg(1, "Здравствуйте", date="вчера", date_unixtime="скоро")
    reading = read(export([bad]), "result.json", OPERATORS)
    assert reading.transcripts[0].messages[0].time is None


# ------------------------------------------------------------------ whole account


def test_full_account_export_gives_one_transcript_per_chat_including_left_chats():
    reading = load("telegram-account.json")
    ids = [t.conversation_id for t in reading.transcripts]
    # a saved-messages chat has no name: its id; a repeated name gets the chat id
    assert ids == ["Игорь Петров", "5511023498", "Игорь Петров (77)", "Поддержка: бета-тест"]
    assert [len(t.messages) for t in reading.transcripts] == [2, 1, 1, 1]


def test_full_account_export_without_unixtime_has_naive_local_times():
    reading = load("telegram-account.json")
    assert reading.transcripts[0].messages[0].time == datetime(2021, 3, 2, 9, 15)


def test_full_account_source_lines_skip_other_objects_with_the_same_ids():
    # frequent_contacts has "id": 31 and "id": 12 before the chats; the chat's own id is 31 too
    path = DATA / "telegram-account.json"
    lines = path.read_text(encoding="utf-8").split("\n")
    reading = load("telegram-account.json")
    expected = [[12, 31], [5], [40], [2]]
    for t, ids in zip(reading.transcripts, expected, strict=True):
        for m, message_id in zip(t.messages, ids, strict=True):
            assert lines[m.source_line - 1].strip() == "{"
            assert lines[m.source_line].strip() == f'"id": {message_id},'
            assert m.text in lines[m.source_line + 5]


def test_an_account_export_with_no_chats_reads_as_nothing():
    reading = read(json.dumps({"about": "x", "chats": {"about": "y", "list": []}}), "result.json", OPERATORS)
    assert reading.transcripts == [] and reading.problems == []


def test_minified_json_reads_with_every_message_on_line_one():
    text = json.dumps({"name": "К", "id": 3, "messages": [msg(1, "Вопрос", frm="Клиент"), msg(2, "Ответ")]})
    [t] = read(text, "result.json", OPERATORS).transcripts
    assert [m.source_line for m in t.messages] == [1, 1]


def test_source_lines_stay_right_on_a_large_export():
    messages = [msg(i, f"Сообщение номер {i}", frm="Анна" if i % 2 else "Клиент") for i in range(1, 3001)]
    text = export(messages)
    lines = text.split("\n")
    [t] = read(text, "result.json", OPERATORS).transcripts
    assert len(t.messages) == 3000
    for i, m in enumerate(t.messages, start=1):
        assert lines[m.source_line].strip() == f'"id": {i},'


# ------------------------------------------------------------------ errors


def test_truncated_json_is_an_error_with_the_line():
    path = DATA / "telegram-truncated.json"
    text = path.read_text(encoding="utf-8")
    with pytest.raises(ReaderError) as exc:
        read(text, str(path), OPERATORS)
    assert exc.value.line == text.count("\n") + 1  # the last line, where the text stops
    assert "truncated" in exc.value.reason
    assert str(exc.value).startswith(f"line {exc.value.line}: ")


def test_invalid_json_in_the_middle_is_an_error_with_line_and_column():
    text = '{\n "name": "К",\n "messages": [\n  {"id": 1,, "type": "message"}\n ]\n}\n'
    with pytest.raises(ReaderError) as exc:
        read(text, "result.json", OPERATORS)
    assert exc.value.line == 4
    assert "column 12" in exc.value.reason and "truncated" not in exc.value.reason


@pytest.mark.parametrize("text", ["[]", '{"name": "К"}', '"result"', "42", '{"chats": []}', "null"])
def test_valid_json_that_is_not_an_export_says_what_is_expected(text):
    with pytest.raises(ReaderError) as exc:
        read(text, "result.json", OPERATORS)
    assert '"messages"' in exc.value.reason and '"chats"' in exc.value.reason
    assert exc.value.line is None


def test_no_identifiable_operator_is_a_clear_problem_and_the_chat_is_read():
    reading = load("telegram-single.json", operators=["Пётр"])
    [problem] = reading.problems
    assert "operators" in problem.reason and "«Светлана Иванова»" in problem.reason
    [t] = reading.transcripts
    assert {m.role for m in t.messages} == {"client"} and "Анна Кузнецова" in {m.author for m in t.messages}


def test_deeply_nested_json_is_an_error_not_a_crash():
    with pytest.raises(ReaderError):
        read("[" * 100_000 + "]" * 100_000, "result.json", OPERATORS)


def test_an_integer_beyond_the_digit_limit_is_an_error_not_a_crash():
    with pytest.raises(ReaderError):
        read('{"messages": [], "id": ' + "9" * 5000 + "}", "result.json", OPERATORS)


# ------------------------------------------------------------------ examples and detection


def test_example_export_reads_with_a_good_operator():
    text = EXAMPLE.read_text(encoding="utf-8")
    reading = read(text, str(EXAMPLE), OPERATORS)
    [t] = reading.transcripts
    assert t.operators == ["Ольга Смирнова"]
    first = next(m for m in t.messages if m.role == "operator")
    assert first.text.startswith("Здравствуйте, меня зовут Ольга")
    assert "https://" in "".join(m.text for m in t.messages)


@pytest.mark.parametrize("path", [*sorted(DATA.glob("telegram-*.json")), EXAMPLE], ids=lambda p: p.name)
def test_detect_picks_telegram_for_json_exports(path):
    assert detect(str(path), path.read_text(encoding="utf-8")) == "telegram"


# ------------------------------------------------------------------ never a crash

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "text",
                    "text_entities",
                    "from",
                    "from_id",
                    "date",
                    "date_unixtime",
                    "messages",
                    "chats",
                    "list",
                    "name",
                    "left_chats",
                ]
            )
            | st.text(max_size=5),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@given(st.text())
def test_any_text_is_a_reading_or_a_reader_error(text):
    try:
        assert isinstance(read(text, "result.json", OPERATORS), Reading)
    except ReaderError:
        pass


@given(json_values, st.booleans())
def test_any_json_is_a_reading_or_a_reader_error(value, wrap):
    data = {"name": "К", "messages": value if isinstance(value, list) else [value]} if wrap else value
    try:
        reading = read(json.dumps(data, ensure_ascii=False, indent=1), "result.json", OPERATORS)
    except ReaderError:
        return
    for t in reading.transcripts:
        for m in t.messages:
            assert m.source_line is not None and m.source_line >= 1
