"""The chatlint JSONL reader (SPEC §6, §7): grouping, roles, times, broken lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatlint.readers import ReaderError, Reading, detect
from chatlint.readers.jsonl import read

DATA = Path(__file__).parent / "data" / "transcripts"
EXAMPLES = Path(__file__).parent.parent / "examples" / "transcripts"
OPERATORS = ["Анна", "Дмитрий", "Ольга", "Марина"]


def load(name: str, operators=OPERATORS) -> Reading:
    path = DATA / name
    return read(path.read_text(encoding="utf-8"), str(path), operators)


def line(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_broken_lines_are_reported_by_number_and_the_rest_is_read():
    reading = load("jsonl-broken-line.jsonl")
    problems = {p.line: p.reason for p in reading.problems}
    assert sorted(problems) == [2, 6, 7, 8]
    assert "not valid JSON" in problems[2]
    assert "not an object" in problems[6]
    assert "ISO 8601" in problems[7] and "kept" in problems[7]
    assert "`text` is a number" in problems[8]

    by_id = {t.conversation_id: t for t in reading.transcripts}
    assert [t.conversation_id for t in reading.transcripts] == ["c1", "c2", "jsonl-broken-line"]
    assert [m.source_line for m in by_id["c1"].messages] == [1, 5]
    assert [m.source_line for m in by_id["c2"].messages] == [4, 7]
    assert [m.source_line for m in by_id["jsonl-broken-line"].messages] == [9]


def test_times_roles_and_text_are_kept():
    reading = load("jsonl-broken-line.jsonl")
    c1, c2, default = reading.transcripts
    client, operator = c1.messages
    assert (client.role, client.author, client.text) == ("client", "Мария", "Здравствуйте, где мой заказ?")
    assert client.time == datetime(2026, 11, 22, 14, 5, tzinfo=UTC)
    assert operator.time == datetime(2026, 11, 22, 17, 6, 10, tzinfo=timezone(timedelta(hours=3)))
    assert operator.role == "operator"

    petr, dmitry = c2.messages
    assert petr.role == "client"  # «Клиент»: a Russian role word
    assert petr.text == "Добрый день.\nХочу вернуть товар."
    assert petr.time == datetime(2026, 11, 22, 15, 0)  # naive stays naive
    assert dmitry.time is None  # "вчера": reported, message kept
    assert default.messages[0].time == datetime(2026, 11, 22, 13, 0, tzinfo=UTC)  # unix seconds


def test_missing_and_unknown_roles_come_from_operator_names():
    reading = load("jsonl-no-roles.jsonl", operators=["Анна"])
    (t,) = reading.transcripts
    assert t.conversation_id == "7"  # a number is an id too
    assert [(m.role, m.author) for m in t.messages] == [
        ("client", "Пётр Иванов"),
        ("operator", "анна смирнова"),  # role "supervisor" is unknown: the name decides
        ("system", "Бот"),
    ]
    assert reading.problems == []


def test_no_operator_anywhere_is_the_configure_operators_problem():
    reading = load("jsonl-no-roles.jsonl", operators=[])
    assert [p for p in reading.problems if "operators" in p.reason]
    assert reading.transcripts


def test_roles_from_the_data_need_no_operator_names():
    text = line(role="operator", author="Кто-то", text="Здравствуйте") + "\n"
    (t,) = read(text, "x.jsonl", []).transcripts
    assert t.messages[0].role == "operator"


def test_only_clients_by_the_data_is_read_as_it_is():
    text = line(role="client", author="Пётр", text="Алло?") + "\n"
    (t,) = read(text, "x.jsonl", []).transcripts
    assert [m.role for m in t.messages] == ["client"]


def test_blank_lines_crlf_and_bom_are_fine():
    text = (
        "\ufeff" + line(role="operator", text="a") + "\r\n\r\n   \n" + line(role="client", text="b") + "\r\n"
    )
    reading = read(text, "chat.jsonl", [])
    assert [m.source_line for m in reading.transcripts[0].messages] == [1, 4]
    assert reading.problems == []


def test_line_numbers_count_newlines_only():
    # U+2028 inside a JSON string is not a line break for an editor, nor for the reader
    text = line(role="operator", text="a\u2028b") + "\n" + line(role="client", text="c") + "\n"
    messages = read(text, "x.jsonl", []).transcripts[0].messages
    assert [m.source_line for m in messages] == [1, 2]
    assert messages[0].text == "a\u2028b"


def test_empty_text_and_missing_text_are_problems():
    text = "\n".join([line(role="operator", text="ok"), line(role="client", text="  "), line(role="client")])
    reading = read(text, "x.jsonl", [])
    assert [(p.line, "text" in p.reason) for p in reading.problems] == [(2, True), (3, True)]


def test_media_without_a_caption_is_a_message_and_starts_the_clock():
    from chatlint import lint_transcript

    text = "\n".join([
        line(role="client", time="2026-11-23T10:00:00", text="Здравствуйте, заказ пришёл повреждённый."),
        line(role="operator", time="2026-11-23T10:00:40", text="Здравствуйте, меня зовут Анна! Пришлите фото упаковки."),
        line(role="client", time="2026-11-23T10:02:00", text="", media=True),
        line(role="client", time="2026-11-23T10:02:30", text="Вот, смотрите", media=True),
        line(role="client", time="2026-11-23T10:03:00", text="", media=False),
    ])
    reading = read(text, "x.jsonl", [])
    assert [p.line for p in reading.problems] == [5]  # empty text without media: nothing to keep
    [t] = reading.transcripts
    assert [(m.text, m.media) for m in t.messages[2:]] == [("", True), ("Вот, смотрите", True)]
    assert ("T004", 2) in [(f.code, f.message_index) for f in lint_transcript(t)]


def test_media_survives_a_conversation_spilled_to_disk(monkeypatch):
    import chatlint.readers.common as common

    text = "\n".join(line(conversation_id=f"c{k % 3}", role="client", text="" if k % 2 else f"Фото {k}", media=True)
                     for k in range(12))
    whole = read(text, "x.jsonl", [])
    monkeypatch.setattr(common, "MAX_BUFFERED_CHARS", 10)  # spill after every message
    spilled = read(text, "x.jsonl", [])
    assert spilled == whole
    assert all(m.media for t in spilled.transcripts for m in t.messages)


def test_deeply_nested_json_is_a_problem_not_a_crash():
    text = "[" * 100_000 + "\n" + line(role="operator", text="ok")
    reading = read(text, "x.jsonl", [])
    assert reading.problems[0].line == 1
    assert reading.transcripts[0].messages[0].source_line == 2


def test_lone_surrogate_escapes_are_replaced():
    text = '{"role": "operator", "author": "\\ud800", "text": "a\\udc00b"}'
    message = read(text, "x.jsonl", []).transcripts[0].messages[0]
    assert message.text == "a\ufffdb"


@pytest.mark.parametrize("text", ["", "\n\n  \n", "not json at all\n{broken", "[1]\n2\n"])
def test_nothing_readable_is_a_reader_error(text):
    with pytest.raises(ReaderError):
        read(text, "x.jsonl", OPERATORS)


def test_example_file():
    path = EXAMPLES / "chat-widget.jsonl"
    reading = read(path.read_text(encoding="utf-8"), str(path), OPERATORS)
    assert reading.problems == []
    assert [(t.conversation_id, t.operators) for t in reading.transcripts] == [
        ("widget-5812", ["Анна"]),
        ("widget-5813", ["Дмитрий"]),
    ]


@pytest.mark.parametrize(
    "path",
    [DATA / "jsonl-broken-line.jsonl", DATA / "jsonl-no-roles.jsonl", EXAMPLES / "chat-widget.jsonl"],
)
def test_detect_picks_jsonl(path):
    assert detect(str(path), path.read_text(encoding="utf-8")) == "jsonl"


def test_detect_jsonl_saved_as_json_or_without_extension():
    text = (EXAMPLES / "chat-widget.jsonl").read_text(encoding="utf-8")
    assert detect("export.json", text) == "jsonl"
    assert detect("export", text) == "jsonl"
    assert detect("result.json", '{\n "name": "Чат",\n "messages": []\n}\n') == "telegram"


# ------------------------------------------------------------------ properties

FRAGMENTS = st.sampled_from(
    [
        "{",
        "}",
        "[",
        '"text": ',
        '"role": ',
        '"time": ',
        '"author": ',
        '"conversation_id": ',
        '"operator"',
        '"client"',
        '"Анна"',
        '"2026-11-22T14:05:33Z"',
        '"2026-13-45T99:00"',
        "1e400",
        "-1e20",
        "null",
        "true",
        "42",
        ", ",
        "\n",
        "\r\n",
        '"\\ud800"',
        '"привет"',
    ]
)
JSONISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=5)), max_size=40).map("".join)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=2),
)
OBJECTS = st.lists(
    st.dictionaries(
        st.sampled_from(["text", "role", "time", "author", "conversation_id"]), VALUES, max_size=5
    ).map(lambda d: json.dumps(d, ensure_ascii=False)),
    max_size=6,
).map("\n".join)


@given(text=st.one_of(st.text(), JSONISH, OBJECTS), operators=st.lists(st.sampled_from(["Анна", "", "1"])))
def test_any_text_gives_a_reading_or_a_reader_error(text, operators):
    try:
        reading = read(text, "any.jsonl", operators)
    except ReaderError:
        return
    assert reading.transcripts
    for t in reading.transcripts:
        assert isinstance(t.conversation_id, str)
        assert all(m.source_line is not None and m.source_line >= 1 for m in t.messages)


# ------------------------------------------------------------------ located: what --jobs workers read


def _both(data: bytes, operators=OPERATORS, path="x.jsonl") -> tuple[list, list]:
    """What ``stream`` gives for a file, and what ``locate`` and then ``located`` give for it."""
    import io

    from chatlint.readers import FileSource, Located
    from chatlint.readers.jsonl import locate, located, stream

    def items(reader) -> list:
        try:
            return list(reader)
        except ReaderError as exc:
            return [("error", str(exc))]

    streamed = items(stream(FileSource(io.BytesIO(data)), path, operators))
    found = items(locate(FileSource(io.BytesIO(data)), path, operators))
    fh = io.BytesIO(data)
    rebuilt = [x for item in found for x in (located(fh, path, operators, item) if type(item) is Located else [item])]
    return streamed, rebuilt


_field_values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(["", " ", "Анна", "Мария", "operator", "client",
                                                                   "Клиент", "2026-11-22T10:00:00+03:00", "soon",
                                                                   "a\ud800b"]),
)
_rows = st.one_of(
    st.fixed_dictionaries(
        {"text": st.one_of(st.sampled_from(["Здравствуйте!", "", "  ", "Заказ 4821 передан курьеру."]),
                           st.text(max_size=12))},
        optional={"conversation_id": st.one_of(st.sampled_from(["a", "b", " c ", 7]), _field_values),
                  "role": _field_values, "author": _field_values, "time": _field_values,
                  "media": st.booleans()},
    ).map(lambda d: json.dumps(d, ensure_ascii=bool(len(d) % 2) or "a\ud800b" in d.values())),
    st.sampled_from(["", "   ", "{broken", "[1, 2]", "42", '"text"', "\ufeff{}"]),
)


@given(st.lists(_rows, max_size=14), st.sampled_from(["\n", "\r\n"]), st.booleans(), st.booleans())
def test_located_conversations_read_back_exactly_as_streamed(rows, newline, bom, final_newline):
    text = ("\ufeff" if bom else "") + newline.join(rows) + (newline if final_newline else "")
    streamed, rebuilt = _both(text.encode("utf-8", "surrogatepass"))
    assert rebuilt == streamed


def test_located_conversations_read_back_exactly_when_spilled_and_in_parts(monkeypatch):
    import chatlint.readers.common as common

    text = "\n".join(line(conversation_id=f"c{k % 3}", role="operator" if k % 2 else "client", author="Анна",
                          time=f"2026-11-22T{10 + k // 10}:{k % 10:02d}:00" if k % 7 else None,
                          text=f"Сообщение {k}") for k in range(40)).encode()
    monkeypatch.setattr(common, "MAX_BUFFERED_CHARS", 300)  # the offsets spill to disk
    monkeypatch.setattr(common, "MAX_CONVERSATION_MESSAGES", 4)  # the conversations come in parts
    streamed, rebuilt = _both(text)
    assert rebuilt == streamed
    assert sum(type(x).__name__ == "Problem" and x.note for x in streamed) == 3


def test_a_located_line_that_changed_since_is_reported_not_misread():
    import io

    from chatlint.readers import FileSource, Problem
    from chatlint.readers.jsonl import locate, located

    data = "\n".join(line(conversation_id="a", role="operator", text=f"Ответ {k}") for k in range(3)).encode()
    [where] = list(locate(FileSource(io.BytesIO(data)), "x.jsonl", []))
    changed = data.replace(b'"a"', b'"b"', 1)  # the first line now belongs to another conversation
    items = list(located(io.BytesIO(changed), "x.jsonl", [], where))
    assert [m.text for m in items[0].messages] == ["Ответ 1", "Ответ 2"]
    assert items[1] == Problem(1, "changed while the file was checked; line skipped")


def test_early_conversations_are_what_the_file_has_so_far_and_stop_once_lines_interleave():
    import io

    from chatlint.readers import FileSource, Located
    from chatlint.readers.jsonl import locate

    ids = ["a", "a", "b", "c", "c", "c", "b", "d", "e"]  # «b» comes back after «c»
    data = "\n".join(line(conversation_id=c, role="operator", text=f"Ответ {k}") for k, c in enumerate(ids)).encode()
    items = list(locate(FileSource(io.BytesIO(data)), "x.jsonl", [], early=True))
    early = [(x.cid, len(x)) for x in items if type(x) is Located and not x.final]
    final = [(x.cid, len(x)) for x in items if type(x) is Located and x.final]
    assert early == [("a", 2), ("b", 1)]  # «c» was not given: «b» came back after it
    assert final == [("a", 2), ("b", 2), ("c", 3), ("d", 1), ("e", 1)]
    assert items.index(next(x for x in items if type(x) is Located and x.final)) == len(early)
    assert list(locate(FileSource(io.BytesIO(data)), "x.jsonl", [])) == items[len(early):]


def test_a_located_line_no_longer_utf8_is_reported_not_raised():
    import io

    from chatlint.readers import FileSource, Problem
    from chatlint.readers.jsonl import locate, located

    data = "\n".join(line(conversation_id="a", role="operator", text=f"Ответ {k}") for k in range(3)).encode()
    [where] = list(locate(FileSource(io.BytesIO(data)), "x.jsonl", []))
    # rewritten in place in another encoding since (the other lines where they were)
    changed = data.replace("Ответ 1".encode(), "Ответ 1".encode("cp1251").ljust(len("Ответ 1".encode())))
    items = list(located(io.BytesIO(changed), "x.jsonl", [], where))
    assert [m.text for m in items[0].messages] == ["Ответ 0", "Ответ 2"]
    assert items[1] == Problem(2, "changed while the file was checked; line skipped")


@given(st.lists(st.one_of(st.sampled_from(["a", "b", "c", "d", 7, "7"]), st.just(None)), max_size=30),
       st.booleans())
def test_early_conversations_are_prefixes_of_the_final_ones(ids, spill):
    # what --jobs relies on to keep an early check: an early conversation's lines begin its
    # final lines (so the same number of lines means the same lines), and early=True gives the
    # same problems and final conversations as early=False
    import io

    import chatlint.readers.common as common
    from chatlint.readers import FileSource, Located
    from chatlint.readers.jsonl import locate

    data = "\n".join("{broken" if c is None else line(conversation_id=c, role="operator", text=f"Ответ {k}")
                     for k, c in enumerate(ids)).encode()
    limit = common.MAX_BUFFERED_CHARS
    common.MAX_BUFFERED_CHARS = 128 * 5 if spill else limit  # the offsets spill after a few lines
    try:
        def items(early: bool) -> list:
            try:
                return list(locate(FileSource(io.BytesIO(data)), "x.jsonl", [], early=early))
            except ReaderError as exc:
                return [str(exc)]

        found, plain = items(True), items(False)
    finally:
        common.MAX_BUFFERED_CHARS = limit
    assert [x for x in found if type(x) is not Located or x.final] == plain
    final = {x.cid: list(x.lines) for x in plain if type(x) is Located}
    early = [x for x in found if type(x) is Located and not x.final]
    assert len({x.cid for x in early}) == len(early)
    for x in early:
        assert list(x.lines) == final[x.cid][:len(x.lines)] and len(x)


def test_a_located_line_rewritten_in_place_to_the_same_length_is_reported_not_misread():
    import io

    from chatlint.readers import FileSource, Problem
    from chatlint.readers.jsonl import locate, located

    data = "\n".join(line(conversation_id="a", role="operator", text=f"Ваш номер +7 912 345-67-8{k}")
                     for k in range(3)).encode()
    [where] = list(locate(FileSource(io.BytesIO(data)), "x.jsonl", []))
    # the file rewritten in place since (its phone numbers masked): every line where it was
    masked = data.replace(b"345-67-81", b"***-**-**")
    items = list(located(io.BytesIO(masked), "x.jsonl", [], where))
    assert [m.text for m in items[0].messages] == ["Ваш номер +7 912 345-67-80", "Ваш номер +7 912 345-67-82"]
    assert items[1:] == [Problem(2, "changed while the file was checked; line skipped")]
    # a last line read without its end, ended since (the file appended to): the same line
    appended = data + b"\n" + line(conversation_id="b", role="operator", text="Новая строка").encode() + b"\n"
    items = list(located(io.BytesIO(appended), "x.jsonl", [], where))
    assert [m.text for m in items[0].messages][-1] == "Ваш номер +7 912 345-67-82" and len(items) == 1


def _outcome(fn, *args):
    try:
        return "ok", fn(*args)
    except (ValueError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


_json_lines = st.one_of(
    st.text(alphabet='{}[]":,. 0123456789abtrueflsn\\u\n\t\ufeff', max_size=30),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                 lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3),
                 max_leaves=8).map(json.dumps).flatmap(
        lambda s: st.sampled_from([s, " " + s, s + " ", s + "x", s + "}", "{" + s, s[:-1]])),
    # what the scanner itself may refuse or read its own way: NaN, huge numbers, deep nesting,
    # duplicate keys, escapes of lone surrogates, a BOM or U+2028 around the object
    st.tuples(st.sampled_from(['{"a":NaN}', '{"a":-Infinity,"a":1}', '{"a":' + "9" * 5000 + "}", '{"a":1e999}',
                               '{"a":' + "[" * 5000 + "]" * 5000 + "}", '{"a":"\\ud800x\\udfff"}', '{"a":"\x00"}',
                               '{"a":"\U0001f600"}', '{"a":[1,]}', '{"a" : 1 , "b" : {}}']),
              st.sampled_from(["", " ", "\ufeff", "\u2028", "\r", "\n", "x"]),
              st.booleans()).map(lambda t: t[1] + t[0] if t[2] else t[0] + t[1]),
)


@given(_json_lines)
def test_a_line_is_read_as_json_loads_reads_it(text):
    from chatlint.readers.jsonl import _loads

    assert _outcome(_loads, text) == _outcome(json.loads, text)


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.lists(st.integers()),
                 st.text(alphabet=" \t\nАнна\ud800\x00a1", max_size=8),
                 st.text(st.one_of(st.characters(exclude_categories=()),  # every code point, lone surrogates too
                                   st.sampled_from("\x85\xa0\u2028\u2029\udfff\U0001F600\u200b\x7f")), max_size=8)))
def test_names_and_ids_are_read_as_the_plain_path_reads_them(value):
    from chatlint.readers.jsonl import _LONE_SURROGATE, _author, _conversation_id

    plain = None
    if not isinstance(value, bool) and isinstance(value, str | int | float):
        plain = _LONE_SURROGATE.sub("\ufffd", str(value)).strip() or None
    assert _author(value) == plain
    assert _conversation_id(value) == plain
