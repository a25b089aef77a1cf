"""lint_transcript and the transcript side of the CLI: roles, first/last, timing notes,
bad times and speakers, --summary, --jobs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chatlint import Config, Finding, Message, Transcript, lint_message, lint_transcript
from chatlint.cli import main
from chatlint.engine import check_transcript

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
T0 = datetime(2026, 11, 22, 14, 5, tzinfo=UTC)

GREETING = "Здравствуйте, меня зовут Анна. Чем я могу Вам помочь?"
ANSWER = "Заказ 5531 передан в доставку, курьер привезёт его завтра."
FAREWELL = "Всего доброго, будут еще вопросы - обращайтесь!"


def conv(*turns, channel=None, cid="c1") -> Transcript:
    msgs = []
    for sec, who, text in turns:
        msgs.append(
            Message(
                text=text,
                role={"o": "operator", "c": "client", "s": "system"}[who],
                author={"o": "Анна", "c": "Иван", "s": None}[who],
                time=None if sec is None else T0 + timedelta(seconds=sec),
            )
        )
    return Transcript(messages=tuple(msgs), conversation_id=cid, channel=channel)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_message_rules_run_on_operator_messages_with_first_and_last_set_automatically():
    t = conv(
        (0, "c", "привет, где мой заказ?"),  # a client may write anything
        (20, "o", GREETING),
        (40, "c", "Заказ 5531"),
        (60, "o", ANSWER),
        (80, "o", FAREWELL),
    )
    findings = lint_transcript(t)
    assert findings == [], findings
    # the same greeting as a middle message is fine; as the last one it lacks a farewell
    t2 = conv((0, "c", "Добрый день"), (20, "o", GREETING))
    assert "G006" in codes(lint_transcript(t2))
    # and the first message of a transcript gets the greeting rules
    t3 = conv((0, "c", "Добрый день"), (20, "o", ANSWER), (40, "o", FAREWELL))
    assert "G001" in codes(lint_transcript(t3))


def test_findings_carry_message_index_speaker_conversation_and_message_relative_spans():
    text = "Здравствуйте, меня зовут Анна. Чем я могу вам помочь?"
    t = conv((0, "c", "Добрый день"), (20, "o", text), (40, "o", FAREWELL), cid="conv-7")
    (f,) = [f for f in lint_transcript(t) if f.code == "A001"]
    assert (f.message_index, f.speaker, f.conversation_id) == (1, "Анна", "conv-7")
    assert text[f.start : f.end] == "вам"
    alone = [g for g in lint_message(text, first=True) if g.code == "A001"]
    assert (alone[0].start, alone[0].end, alone[0].line, alone[0].column) == (f.start, f.end, f.line, f.column)


def test_findings_are_sorted_by_message_then_start_and_deterministic():
    t = conv(
        (0, "c", "Вы там совсем тупые?"),
        (200, "o", "привет :) ща всё будет!"),
        (260, "c", "ну?"),
        (600, "o", "привет :) ща всё будет!"),
    )
    a = lint_transcript(t)
    assert a == lint_transcript(t)
    keys = [(f.message_index, f.start, f.code) for f in a]
    assert keys == sorted(keys)
    assert {"T001", "T002", "T003", "T005"} <= set(codes(a))


def test_missing_times_skip_timing_rules_and_say_so_once():
    t = conv((None, "c", "Где заказ?"), (None, "o", GREETING), (None, "c", "Ну?"), (None, "o", FAREWELL))
    findings, notes = check_transcript(t)
    assert not {"T001", "T002"} & set(codes(findings))
    assert len(notes) == 1 and "T001" in notes[0] and "T002" in notes[0] and "no time" in notes[0]


def test_out_of_order_times_never_crash_and_skip_timing_rules():
    t = conv((600, "c", "Где заказ?"), (0, "o", GREETING), (900, "c", "Ну?"), (30, "o", FAREWELL))
    findings, notes = check_transcript(t)
    assert not {"T001", "T002"} & set(codes(findings))
    assert len(notes) == 1 and "backwards" in notes[0]


def test_timing_rules_read_naive_and_aware_times_together():
    naive = Message(text="Где заказ?", role="client", author="Иван", time=datetime(2026, 11, 22, 14, 5))
    aware = Message(text=GREETING, role="operator", author="Анна", time=T0 + timedelta(seconds=300))
    findings = lint_transcript(Transcript(messages=(naive, aware)))
    assert "T001" in codes(findings)


def test_system_messages_and_unknown_speakers_are_not_checked_and_do_not_crash():
    t = Transcript(
        messages=(
            Message(text="Иван присоединился к чату", role="system"),
            Message(text="Где заказ?", role="client", author=None, time=T0),
            Message(text=GREETING, role="operator", author=None, time=T0 + timedelta(seconds=10)),
            Message(text="", role="operator", author="Анна", time=T0 + timedelta(seconds=20)),
            Message(text=FAREWELL, role="operator", author="Анна", time=T0 + timedelta(seconds=30)),
        )
    )
    findings = lint_transcript(t)
    assert all(f.message_index in (2, 3, 4) for f in findings), findings


def test_a_transcript_without_operator_messages_is_one_finding_on_the_conversation():
    # issue 15: a chat nobody picked up is a finding (T009), not silence
    found = lint_transcript(conv((0, "c", "Есть кто?"), (60, "c", "Ау?")))
    assert [(f.code, f.message_index) for f in found] == [("T009", 0)]
    # … but only when the client asked for something: thanks alone need no reply
    assert lint_transcript(conv((0, "c", "Спасибо, всё получил!"))) == []
    assert lint_transcript(Transcript()) == []


def test_transcript_channel_wins_over_the_config_and_sets_the_timing_limits():
    turns = ((0, "c", "Где заказ?"), (200, "o", GREETING), (220, "o", FAREWELL))
    assert "T001" in codes(lint_transcript(conv(*turns)))
    assert "T001" not in codes(lint_transcript(conv(*turns, channel="messenger")))
    assert "T001" not in codes(lint_transcript(conv(*turns), config=Config(channel="messenger")))


def test_lint_transcript_rejects_a_non_transcript():
    with pytest.raises(TypeError):
        lint_transcript("текст")  # type: ignore[arg-type]


def test_english_messages_for_dialogue_rules():
    t = conv((0, "c", "Где заказ?"), (200, "o", GREETING), (220, "o", FAREWELL))
    (f,) = [f for f in lint_transcript(t, config=Config(lang="en")) if f.code == "T001"]
    assert f.message.startswith("First reply")


# ------------------------------------------------------------------ CLI


def _jsonl(path: Path, rows: list[dict | str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ROWS = [
    {"conversation_id": "a", "role": "client", "author": "Иван", "time": "2026-11-22T14:05:00", "text": "Где заказ?"},
    {"conversation_id": "a", "role": "operator", "author": "Анна", "time": "2026-11-22T14:09:00", "text": "привет ;)"},
    {"conversation_id": "a", "role": "client", "author": "Иван", "time": "2026-11-22T14:10:00", "text": "И когда?"},
]


def test_cli_jsonl_broken_line_is_reported_by_number_and_the_rest_is_checked(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", [ROWS[0], '{"conversation_id": "a", "role": "oper', ROWS[1], ROWS[2]])
    code = main(["check", "--no-source", str(p)])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"{p}: line 2:" in err
    assert "T001" in out and "G002" in out and "T004" in out
    assert f"{p}:3: G002" in out  # the operator's message is on line 3 of the file


def test_cli_json_output_has_message_fields_and_file_lines(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", ROWS)
    assert main(["check", "--format", "json", str(p)]) == 1
    data = json.loads(capsys.readouterr().out)
    t001 = next(r for r in data if r["code"] == "T001")
    assert t001["message_index"] == 1 and t001["speaker"] == "Анна" and t001["conversation_id"] == "a"
    assert t001["file_line"] == 2 and t001["path"] == str(p)


def test_cli_sarif_puts_transcript_findings_on_their_file_line(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", ROWS)
    main(["check", "--format", "sarif", str(p)])
    log = json.loads(capsys.readouterr().out)
    results = log["runs"][0]["results"]
    t001 = next(r for r in results if r["ruleId"] == "T001")
    assert t001["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}


def test_cli_missing_times_note_goes_to_stderr_once(tmp_path, capsys):
    rows = [{k: v for k, v in r.items() if k != "time"} for r in ROWS]
    p = _jsonl(tmp_path / "chat.jsonl", rows)
    code = main(["check", "--no-source", str(p)])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.count("timing rules") == 1 and "skipped" in err
    assert "T001" not in out


def test_cli_no_identifiable_operator_is_a_clear_error(tmp_path, capsys):
    p = tmp_path / "chat.txt"
    p.write_text("[2026-11-22 14:05:00] Иван: Добрый день\n[2026-11-22 14:06:00] Пётр: Здравствуйте\n", encoding="utf-8")
    code = main(["check", str(p)])
    err = capsys.readouterr().err
    assert code == 2
    assert "operator" in err and "operators" in err and "Traceback" not in err


def test_cli_summary_text_and_json(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", ROWS + [
        {"conversation_id": "b", "role": "client", "author": "Олег", "time": "2026-11-22T15:00:00", "text": "Добрый день"},
        {"conversation_id": "b", "role": "operator", "author": "Анна", "time": "2026-11-22T15:00:30", "text": GREETING},
        {"conversation_id": "b", "role": "operator", "author": "Анна", "time": "2026-11-22T15:01:00", "text": FAREWELL},
    ])
    main(["check", "--summary", str(p)])
    out = capsys.readouterr().out
    # the scorecard's title, then the table: Russian headers, the score after the count
    assert out.splitlines()[2].split()[:3] == ["оператор", "диалогов", "балл"]
    assert any(line.startswith("Анна") for line in out.splitlines())
    main(["check", "--summary", "--format", "json", str(p)])
    (rec,) = json.loads(capsys.readouterr().out)
    assert rec["operator"] == "Анна" and rec["conversations"] == 2 and rec["messages"] == 3
    assert rec["findings"]["T"] >= 1 and rec["findings_per_100_messages"]["G"] > 0
    assert rec["response_time_s"] == {"clock": "calendar time", "count": 2, "median": 135.0, "p90": 240.0}
    assert rec["greeting_and_farewell_ok"] == 0.5


def test_cli_jobs_2_output_is_byte_identical_to_jobs_1(capsys):
    outputs = []
    for jobs in ("1", "2"):
        for fmt in ("text", "json"):
            code = main(["check", "--jobs", jobs, "--format", fmt, str(EXAMPLES / "transcripts")])
            out, err = capsys.readouterr()
            outputs.append((jobs, fmt, code, out, err))
    by_fmt = {}
    for _jobs, fmt, code, out, err in outputs:
        by_fmt.setdefault(fmt, []).append((code, out, err))
    for fmt, runs in by_fmt.items():
        assert runs[0] == runs[1], fmt
        assert runs[0][1].count("\n") > 20


def test_cli_jobs_must_be_positive(capsys):
    assert main(["check", "--jobs", "0", str(EXAMPLES / "messages")]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_cli_examples_have_a_good_and_a_bad_operator_per_format(capsys):
    main(["check", "--format", "json", str(EXAMPLES / "transcripts")])
    data = json.loads(capsys.readouterr().out)
    files = {p.name for p in (EXAMPLES / "transcripts").iterdir() if not p.name.startswith(".")}
    with_findings = {Path(r["path"]).name for r in data}
    assert with_findings, "the bad operators of the examples give findings"
    assert {".jsonl", ".csv", ".txt", ".json", ".eml"} <= {Path(f).suffix for f in files}


def test_cli_reads_an_8bit_koi8r_email(tmp_path, capsys):
    body = "Здравствуйте, Иван!\n\nВаш заказ отправлен.\n\nС уважением,\nОльга Кузнецова\n+7 495 123-45-67\n"
    head = (
        "From: Olga Kuznetsova <olga@romashka.ru>\nTo: ivan@mail.ru\nSubject: =?utf-8?b?UkU6INCX0LDQutCw0Lc=?=\n"
        "Date: Mon, 23 Nov 2026 10:00:00 +0300\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n\n"
    )
    p = tmp_path / "reply.eml"
    p.write_bytes(head.encode("ascii") + body.encode("koi8-r"))
    assert main(["check", "--format", "json", str(p)]) == 0, capsys.readouterr()
    assert json.loads(capsys.readouterr().out) == []


# ------------------------------------------------------------------ properties

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from strategies import MESSAGES  # noqa: E402


@given(st.lists(MESSAGES, max_size=14), st.sampled_from(["chat", "messenger", "social", "email"]))
def test_lint_transcript_never_raises_keeps_spans_in_their_message_and_is_deterministic(msgs, channel):
    t = Transcript(messages=tuple(msgs), conversation_id="p", channel=channel)
    findings = lint_transcript(t)
    assert findings == lint_transcript(t)
    keys = [(f.message_index, f.start, f.code, f.end) for f in findings]
    assert keys == sorted(keys)
    for f in findings:
        assert 0 <= f.message_index < len(msgs)
        text = msgs[f.message_index].text
        assert 0 <= f.start <= f.end <= len(text)
        assert f.conversation_id == "p" and f.speaker == msgs[f.message_index].author


def test_detect_by_content_without_a_name_and_a_timed_message_stays_a_message():
    from chatlint.readers import detect

    for p in (EXAMPLES / "transcripts").iterdir():
        text = p.read_bytes().decode("utf-8", "surrogateescape")
        assert detect("-", text) == detect(str(p), text), p.name
    assert detect("m.txt", "10:00 курьер приедет по адресу: ул. Ленина, 5") == "message"


def test_cli_stdin_transcript_is_read_as_its_format(monkeypatch, capsys):
    import io
    import sys

    data = (EXAMPLES / "transcripts" / "telegram-result.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    main(["check", "--no-source", "--config", str(EXAMPLES / "chatlint.toml"), "-"])
    out = capsys.readouterr().out
    assert "S002" not in out  # not linted as one message of raw JSON


def test_jsonl_findings_in_a_multiline_message_point_at_its_own_line(tmp_path, capsys):
    rows = [
        ROWS[0],
        {**ROWS[1], "text": "Здравствуйте, меня зовут Анна.\n\nЧем я могу вам помочь?"},
        ROWS[2],
    ]
    p = _jsonl(tmp_path / "chat.jsonl", rows)
    main(["check", "--format", "json", str(p)])
    a001 = next(r for r in json.loads(capsys.readouterr().out) if r["code"] == "A001")
    assert a001["line"] == 3 and a001["file_line"] == 2  # line 3 of the message, line 2 of the file


def test_cli_summary_refuses_sarif(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", ROWS)
    assert main(["check", "--summary", "--format", "sarif", str(p)]) == 2
    assert "--summary" in capsys.readouterr().err


def test_a_greeting_split_over_the_first_messages_is_one_greeting():
    t = conv(
        (0, "c", "Где мой заказ?"),
        (10, "o", "Здравствуйте!"),
        (15, "o", "Меня зовут Анна, чем я могу Вам помочь?"),
        (40, "c", "Заказ 5531"),
        (60, "o", ANSWER),
        (70, "o", "Будут еще вопросы - обращайтесь!"),
        (75, "o", "Всего доброго!"),
    )
    assert lint_transcript(t) == []
    # without the second message, the introduction is missing: reported on the first message
    t2 = conv((0, "c", "Где мой заказ?"), (10, "o", "Здравствуйте!"), (20, "o", "Заказ в пути."),
              (40, "c", "Спасибо"), (60, "o", FAREWELL))
    g003 = [f for f in lint_transcript(t2) if f.code == "G003"]
    assert [f.message_index for f in g003] == [1]
    # a safe fix inside one message of a run keeps its offsets into that message
    t3 = conv((0, "c", "Привет"), (10, "o", "Здравствуйте, меня зовут Анна."), (15, "o", "чем я могу вам помочь?"),
              (30, "o", FAREWELL))
    for f in lint_transcript(t3):
        text = t3.messages[f.message_index].text
        assert 0 <= f.start <= f.end <= len(text)
        if f.fix:
            assert all(0 <= e.start <= e.end <= len(text) for e in f.fix.edits)


def test_summary_counts_an_informal_greeting_and_goodbye_as_wrong(tmp_path, capsys):
    rows = [
        {"conversation_id": "x", "role": "client", "author": "Иван", "time": "2026-11-22T14:05:00", "text": "Добрый день"},
        {"conversation_id": "x", "role": "operator", "author": "Анна", "time": "2026-11-22T14:05:20",
         "text": "Привет, меня зовут Анна, чем я могу Вам помочь?"},
        {"conversation_id": "x", "role": "operator", "author": "Анна", "time": "2026-11-22T14:05:40", "text": "Пока!"},
    ]
    p = _jsonl(tmp_path / "chat.jsonl", rows)
    main(["check", "--summary", "--format", "json", str(p)])
    (rec,) = json.loads(capsys.readouterr().out)
    assert rec["greeting_ok"] == 0.0 and rec["farewell_ok"] == 0.0 and rec["greeting_and_farewell_ok"] == 0.0


def test_cli_notes_an_operator_name_that_matches_several_people(tmp_path, capsys):
    p = tmp_path / "chat.txt"
    p.write_text(
        "[2026-11-22 14:05:00] Анна Петрова: Добрый день, где заказ?\n"
        "[2026-11-22 14:05:30] Анна Смирнова: Здравствуйте, меня зовут Анна. Чем я могу Вам помочь?\n",
        encoding="utf-8",
    )
    (tmp_path / "chatlint.toml").write_text('operators = ["Анна"]\n', encoding="utf-8")
    main(["check", str(p)])
    err = capsys.readouterr().err
    assert "«Анна» matches 2 people" in err and "«Анна Петрова»" in err


def test_an_operators_photo_without_a_caption_is_no_message_to_check():
    """A photo or a file the operator sends without a caption counts in the dialogue, but no
    message rule reads its empty text (no «no greeting» on a picture)."""
    t = Transcript(
        conversation_id="photo",
        messages=(
            Message(role="client", text="Здравствуйте! Где найти номер заказа?"),
            Message(role="operator", text="", media=True),
            Message(role="client", text="Не понимаю, что на картинке"),
            Message(role="operator", text="Здравствуйте, меня зовут Анна! Номер заказа — в правом верхнем углу снимка. Чем ещё могу помочь?"),
        ),
    )
    findings = lint_transcript(t)
    assert not [f for f in findings if f.message_index == 1], findings
    assert "G001" not in {f.code for f in findings}
