"""Large transcripts stream (issue 11): readers read a file line by line and hand out one
conversation at a time, long conversations in parts, JSONL/CSV groups spill to disk past a
bound; the CLI checks and prints conversation by conversation, identically for any ``--jobs``."""

from __future__ import annotations

import io
import json
import sys

import pytest

import chatlint.readers.common as readers
from chatlint.cli import main
from chatlint.readers import READERS, FileSource, TextSource, collect

OPERATORS = ["Анна", "Ольга"]

WHATSAPP = (
    "22.11.2026, 10:00 - Мария: Здравствуйте, где мой заказ 4821?\r\n"
    "22.11.2026, 10:01 - Анна: Здравствуйте, меня зовут Анна, чем я могу Вам помочь?\r\n"
    "Проверю заказ.\r\n"
    "\r\n"
    "22.11.2026, 10:03 - Мария: Спасибо\r\n"
    "22.11.2026, 10:04 - Анна: Заказ передан курьеру, доставка завтра.\r\n"
)
TEXT = (
    "--- conversation 1 ---\n"
    "[2026-11-22 14:05:33] Клиент: Добрый день, не приходит код\n"
    "[2026-11-22 14:06:10] Оператор Анна: Здравствуйте! Проверю.\n"
    "второй строкой\n"
    "--- conversation 2 ---\n"
    "14:10 Клиент: Ещё вопрос\n"
    "14:11 Оператор Ольга: Слушаю Вас.\n"
)
JSONL = "".join(
    json.dumps({"conversation_id": cid, "role": role, "author": who, "time": f"2026-11-22T10:0{k}:00",
                "text": text}, ensure_ascii=False) + "\n"
    for k, (cid, role, who, text) in enumerate([
        ("a", "client", "Мария", "Здравствуйте, где заказ?"),
        ("b", "client", "Олег", "Добрый день, вопрос по тарифу"),
        ("a", "operator", "Анна", "Здравствуйте, меня зовут Анна. Заказ в пути."),
        ("b", "operator", "Ольга", "Здравствуйте, слушаю Вас"),
        ("a", "client", "Мария", "Спасибо!"),
    ])
)
CSV = (
    "time;author;role;text;conversation_id\n"
    "10:00;Мария;client;\"Здравствуйте,\nгде заказ?\";a\n"
    "10:01;Олег;client;Вопрос по тарифу;b\n"
    "10:02;Анна;operator;Здравствуйте, заказ в пути.;a\n"
    "10:03;Ольга;operator;Слушаю Вас;b\n"
)


@pytest.mark.parametrize("fmt,text", [("whatsapp", WHATSAPP), ("transcript", TEXT), ("jsonl", JSONL), ("csv", CSV)])
@pytest.mark.parametrize("variant", ["plain", "bom", "crlf", "no-final-newline"])
def test_streaming_from_a_file_reads_what_the_whole_text_gives(tmp_path, fmt, text, variant):
    if variant == "crlf":
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    elif variant == "no-final-newline":
        text = text.rstrip("\r\n")
    data = ("\ufeff" if variant == "bom" else "") + text
    path = tmp_path / "x"
    path.write_bytes(data.encode("utf-8"))
    module = READERS[fmt].reader()
    with open(path, "rb") as fh:
        source = FileSource(fh)
        source.check()
        streamed = collect(module.stream(source, "x.txt", OPERATORS))
    assert streamed == module.read(text, "x.txt", OPERATORS)
    assert streamed.transcripts


def test_file_source_lines_are_str_split_lines(tmp_path):
    for text in ("", "a", "a\n", "a\r\nb\n\n", "\ufeffa\nб\u2028в\n", "\n\n"):
        path = tmp_path / "t"
        path.write_bytes(text.encode("utf-8"))
        with open(path, "rb") as fh:
            assert list(FileSource(fh).lines()) == text.lstrip("\ufeff").split("\n")
        assert list(TextSource(text).lines()) == text.lstrip("\ufeff").split("\n")


def test_file_source_check_finds_the_first_invalid_byte(tmp_path):
    path = tmp_path / "t"
    data = "Здравствуйте".encode() * 100_000  # > one 1 MB chunk: the error is past the first
    path.write_bytes(data + b"\xff" + b"abc")
    with open(path, "rb") as fh, pytest.raises(ValueError) as exc:
        FileSource(fh).check()
    assert exc.value.args == (len(data), 0xFF)
    path.write_bytes("Здравствуйте".encode()[:-1])  # a character cut at the end of the file
    with open(path, "rb") as fh, pytest.raises(ValueError):
        FileSource(fh).check()


@pytest.mark.parametrize("fmt,text", [("jsonl", JSONL), ("csv", CSV)])
def test_grouped_conversations_spilled_to_disk_come_back_the_same(monkeypatch, fmt, text):
    module = READERS[fmt].reader()
    whole = module.read(text, "x.txt", OPERATORS)
    monkeypatch.setattr(readers, "MAX_BUFFERED_CHARS", 10)  # spill after every message
    assert module.read(text, "x.txt", OPERATORS) == whole
    assert [t.conversation_id for t in whole.transcripts] == ["a", "b"]


def test_a_long_conversation_is_checked_in_parts_with_a_note(monkeypatch):
    monkeypatch.setattr(readers, "MAX_CONVERSATION_MESSAGES", 4)
    rows = [{"conversation_id": "c", "role": "client" if k % 2 == 0 else "operator", "author": "Х",
             "text": f"сообщение {k}"} for k in range(10)]
    reading = READERS["jsonl"].reader().read("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                             "x.jsonl", [])
    assert [len(t.messages) for t in reading.transcripts] == [4, 4, 2]
    assert [t.conversation_id for t in reading.transcripts] == ["c", "c (part 2)", "c (part 3)"]
    [note] = reading.problems
    assert note.note and note.line == 1 and "checked in 3 parts" in note.reason


def test_cli_reports_a_long_conversation_note_without_failing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(readers, "MAX_CONVERSATION_MESSAGES", 2)
    (tmp_path / "chat.txt").write_text(WHATSAPP, encoding="utf-8")
    (tmp_path / "chatlint.toml").write_text('operators = ["Анна"]\n', encoding="utf-8")
    code = main(["check", "chat.txt", "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1)
    assert "note: conversation chat has more than 2 messages: checked in 2 parts" in err
    ids = {d["conversation_id"] for d in json.loads(out)}
    assert ids <= {"chat", "chat (part 2)"} and ids


def test_cli_checks_conversation_by_conversation(tmp_path, monkeypatch, capsys):
    """The check of a transcript is a stream of events: the first conversation's report comes
    out before the reader has read the rest of the file."""
    from chatlint.cli import _Checker, build_parser

    monkeypatch.chdir(tmp_path)
    conversations = 50
    rows = []
    for c in range(conversations):
        rows.append({"conversation_id": str(c), "role": "client", "text": "Где заказ?"})
        rows.append({"conversation_id": str(c), "role": "operator", "text": "привет!!! щас гляну"})
    (tmp_path / "big.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                        encoding="utf-8")
    seen = []
    real = readers.Grouper.conversations

    def counting(self):
        for cid, msgs in real(self):
            seen.append(cid)
            yield cid, msgs

    monkeypatch.setattr(readers.Grouper, "conversations", counting)
    args = build_parser().parse_args(["check", "big.jsonl"])
    events = _Checker(args).check("big.jsonl", tmp_path / "big.jsonl")
    kind, report = next(e for e in events if e[0] == "report")
    assert report.findings and {f.conversation_id for f in report.findings} == {"0"}
    assert len(seen) == 1  # the other 49 conversations are not even built yet


def test_cli_stdin_transcript_streams_from_a_spooled_copy(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chatlint.toml").write_text('operators = ["Анна"]\n', encoding="utf-8")
    (tmp_path / "chat.txt").write_text(WHATSAPP, encoding="utf-8")
    main(["check", "chat.txt", "--format", "json"])
    from_file = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(WHATSAPP.encode())))
    main(["check", "-", "--as", "whatsapp", "--format", "json"])
    from_stdin = json.loads(capsys.readouterr().out)
    for d in from_file + from_stdin:
        d.pop("path"), d.pop("conversation_id")
    assert from_stdin == from_file and from_file


def test_cli_jobs_output_is_byte_identical_with_problems_notes_and_summary(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chatlint.toml").write_text('operators = ["Анна", "Ольга"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(WHATSAPP, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(JSONL + "{broken\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "d.log").write_text(TEXT, encoding="utf-8")
    runs = {}
    for jobs in ("1", "2", "3"):
        for extra in ((), ("--format", "json"), ("--format", "github"), ("--summary",)):
            code = main(["check", "--jobs", jobs, "a.txt", "b.jsonl", "c.csv", "d.log", *extra])
            runs.setdefault(extra, []).append((code, *capsys.readouterr()))
    for extra, outs in runs.items():
        assert outs[0] == outs[1] == outs[2], extra
        assert outs[0][1]
    assert "b.jsonl: line 6: not valid JSON" in runs[()][0][2]


def test_transcripts_up_to_4_gib_are_accepted(tmp_path, monkeypatch, capsys):
    from chatlint import cli

    monkeypatch.chdir(tmp_path)
    assert cli.MAX_INPUT_BYTES == 4 * 2**30  # a million messages in one export
    monkeypatch.setattr(cli, "MAX_INPUT_BYTES", len(WHATSAPP.encode()) - 1)
    (tmp_path / "chat.txt").write_text(WHATSAPP, encoding="utf-8")
    assert main(["check", "chat.txt"]) == 2
    assert "too large (0.0 MiB > 0 MiB): split the export" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["text", "json", "github", "sarif"])
def test_every_format_writes_as_the_reports_come(name):
    """A format consumes the reports lazily: its first finding is out before the later
    reports are made. The SARIF log streamed is the same JSON as the one built whole."""
    from chatlint import lint_message
    from chatlint.formats import Report, render, sarif, stream

    made = []

    def reports():
        for k in range(5):
            made.append(k)
            text = f"привет!!! вы {k}"
            yield Report(f"m{k}.txt", text, lint_message(text))

    chunks = stream(name, reports())
    first = next(chunks)
    while "m0.txt" not in first:
        first += next(chunks)
    assert len(made) == 1
    rest = "".join(chunks)
    assert "m4.txt" in rest and len(made) == 5
    if name == "sarif":
        assert json.loads(first + rest) == sarif.sarif_log(list(reports()))
        assert json.loads(render("sarif", [])) == sarif.sarif_log([])
