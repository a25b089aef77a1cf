"""``chatlint check --summary`` with the scorecard (issue 16): Russian headers, a score column,
a totals row, ``--by channel``, ``--format csv`` (a row per conversation) and json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from chatlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = str(ROOT / "examples" / "transcripts")


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


ROWS = [
    {"conversation_id": "a1", "role": "client", "author": "Ирина", "time": "2026-11-24T10:00:00",
     "text": "Добрый день! Подскажите, где мой заказ 5512?"},
    {"conversation_id": "a1", "role": "operator", "author": "Анна", "time": "2026-11-24T10:00:15",
     "text": "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?"},
    {"conversation_id": "a1", "role": "operator", "author": "Анна", "time": "2026-11-24T10:00:45",
     "text": "Ваш заказ передан в службу доставки, курьер привезёт его завтра."},
    {"conversation_id": "a1", "role": "operator", "author": "Анна", "time": "2026-11-24T10:01:00",
     "text": "Всего доброго, будут ещё вопросы - обращайтесь!"},
    {"conversation_id": "b2", "role": "client", "author": "=HYPERLINK(1)", "time": "2026-11-24T11:00:00",
     "text": "Здравствуйте, не проходит оплата"},
    {"conversation_id": "b2", "role": "operator", "author": "Олег", "time": "2026-11-24T11:00:20",
     "text": "Привет, ты карту проверял?"},
]


def test_summary_text_is_russian_with_a_score_column_and_a_totals_row(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", ROWS)
    assert main(["check", "--summary", str(p)]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Оценка диалога (стандарт чата): в норме от 80 баллов"
    assert lines[2].split()[:3] == ["оператор", "диалогов", "балл"]
    anna = next(line for line in lines if line.startswith("Анна"))
    oleg = next(line for line in lines if line.startswith("Олег"))
    assert anna.split()[1:3] == ["1*", "100.0"] and oleg.split()[1:3] == ["1*", "0.0"]
    total = next(line for line in lines if line.startswith("Итого"))
    assert total.split()[1:3] == ["2*", "50.0"]
    assert "* меньше 10 диалогов" in out and "Уилсону" in out


def test_summary_in_english_and_by_channel(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", ROWS)
    main(["check", "--summary", "--lang", "en", str(p)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split()[:3] == ["operator", "conversations", "score"]
    main(["check", "--summary", "--by", "channel", EXAMPLES])
    out = capsys.readouterr().out
    rows = {line.split()[0] for line in out.splitlines()[4:] if line and line[0].isalpha()}
    assert {"чат", "e-mail", "мессенджер", "Итого"} <= rows
    assert "G/100" not in out  # the findings figures are per operator


def test_summary_csv_is_one_row_per_conversation_with_criteria_columns(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", ROWS)
    main(["check", "--summary", "--format", "csv", str(p)])
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    head, body = rows[0], rows[1:]
    assert head[:11] == ["файл", "диалог", "канал", "операторы", "день", "неделя", "сообщений", "замечаний", "балл",
                         "итог", "почему"]
    assert "Приветствие" in head and "Обращение на «ты»" in head
    by_id = {r[1]: dict(zip(head, r, strict=True)) for r in body}
    assert set(by_id) == {"a1", "b2"}
    assert by_id["a1"]["балл"] == "100.0" and by_id["a1"]["Приветствие"] == "да"
    assert by_id["b2"]["балл"] == "0.0" and by_id["b2"]["итог"] == "критическая ошибка"
    assert by_id["b2"]["Обращение на «ты»"] == "нет" and by_id["b2"]["Оформление письма"] == "н/п"
    assert "«Обращение на «ты»»" in by_id["b2"]["почему"]


def test_findings_csv_never_runs_a_cell_as_a_formula(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", [
        {"conversation_id": "=cmd", "role": "client", "author": "К", "time": "2026-11-24T11:00:00", "text": "Добрый день"},
        {"conversation_id": "=cmd", "role": "operator", "author": "Олег", "time": "2026-11-24T11:00:20",
         "text": "Привет, ты карту проверял?"},
    ])
    main(["check", "--format", "csv", str(p)])
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:3] == ["path", "file_line", "conversation_id"]
    assert {r[2] for r in rows[1:]} == {"'=cmd"}
    assert {r[6] for r in rows[1:]} >= {"A002", "G002"}


def test_summary_json_records_carry_the_score(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", ROWS)
    main(["check", "--summary", "--format", "json", str(p)])
    recs = {r["operator"]: r for r in json.loads(capsys.readouterr().out)}
    assert recs["Анна"]["score"]["mean"] == 100.0 and recs["Анна"]["score"]["conversations"] == 1
    assert recs["Олег"]["score"]["critical"] == 1 and recs["Олег"]["score"]["small"] is True
    assert recs["Олег"]["score"]["ok"]["low"] == 0.0 and 0.79 < recs["Олег"]["score"]["ok"]["high"] < 0.8


def test_a_bad_scorecard_is_one_line_and_exit_2(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", ROWS)
    card = tmp_path / "team.toml"
    card.write_text('[scorecard]\nname = "team"\ntitle = { ru = "К", en = "C" }\n\n[[criteria]]\nid = "x"\n'
                    'title = { ru = "X", en = "X" }\nrules = ["Z001"]\nweight = 1\n', encoding="utf-8")
    assert main(["check", "--summary", "--scorecard", str(card), str(p)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"chatlint: scorecard error: {card}: criteria[0] (id 'x').rules[0]: unknown rule 'Z001': "
        "use a code from `chatlint rules`"
    ]
    assert main(["check", "--scorecard", str(card), str(p)]) == 2
    assert "--scorecard and --by go with --summary" in capsys.readouterr().err


def test_a_team_scorecard_changes_the_summary(tmp_path, capsys):
    p = _jsonl(tmp_path / "chat.jsonl", ROWS)
    card = tmp_path / "greeting-only.toml"
    card.write_text('[scorecard]\nname = "greeting"\ntitle = { ru = "Только приветствие", en = "Greeting only" }\n\n'
                    '[[criteria]]\nid = "greeting"\ntitle = { ru = "Приветствие", en = "Greeting" }\n'
                    'rules = ["G001", "G002"]\nweight = 1\n', encoding="utf-8")
    main(["check", "--summary", "--format", "json", "--scorecard", str(card), str(p)])
    recs = {r["operator"]: r for r in json.loads(capsys.readouterr().out)}
    assert recs["Олег"]["score"]["mean"] == 0.0 and recs["Олег"]["score"]["critical"] == 0  # no critical criterion


def test_summary_by_day_and_week(tmp_path, capsys):
    rows = [dict(r) for r in ROWS]
    for r in rows[4:]:  # the second conversation a week later
        r["time"] = r["time"].replace("2026-11-24", "2026-12-01")
    p = _jsonl(tmp_path / "chat.jsonl", rows)
    main(["check", "--summary", "--by", "day", str(p)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split()[0] == "день"
    assert [line.split()[:3] for line in lines[4:6]] == [["2026-11-24", "1*", "100.0"], ["2026-12-01", "1*", "0.0"]]
    main(["check", "--summary", "--by", "week", "--format", "json", str(p)])
    recs = json.loads(capsys.readouterr().out)
    assert [(r["week"], r["score"]["mean"]) for r in recs] == [("2026-W48", 100.0), ("2026-W49", 0.0)]
