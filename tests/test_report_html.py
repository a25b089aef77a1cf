"""``chatlint report``: the HTML is one self-contained file, escapes what it shows, speaks
English with --lang en; the workbook has its sheets; ``chatlint check`` never loads the
report's libraries; bad options are one line and exit 2."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chatlint import Message, Transcript
from chatlint.cli import main
from chatlint.report.html import highlighted
from chatlint.scoring import build_report, load_scorecard, score_each

pytest.importorskip("matplotlib", reason="the report extra is not installed: pip install 'chatlint-ru[report]'")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = str(ROOT / "examples" / "transcripts")


def test_html_is_self_contained_and_in_english_with_lang_en(tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", EXAMPLES, "-o", str(out), "--lang", "en"]) == 0
    assert capsys.readouterr().err.strip().endswith("12 conversations, mean score 64.4")
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<!DOCTYPE html><html lang="en">')
    assert "<title>Conversation quality report</title>" in text
    for external in ("<script", "<link", "src=", "@import", "@font-face"):
        assert external not in text, external
    refs = set(re.findall(r"url\((.*?)\)", text))
    assert refs and all(r.startswith("#") for r in refs)  # the charts' clip paths, inside the file
    for r in refs:  # each defined once, though several charts are inlined
        assert text.count(f'id="{r[1:]}"') == 1, r
    assert text.count("<svg") >= 2 and "Critical failures" in text and "How to fix it" in text


def test_the_transcript_is_escaped_and_the_findings_marked():
    from chatlint.findings import Finding

    f = Finding(code="A002", name="informal-you", severity="error", message="«ты»", start=0, end=2, line=1, column=1)
    html = highlighted("Ты <script>alert(1)</script>", [f])
    assert html == '<mark class="error" title="A002: «ты»">Ты</mark> &lt;script&gt;alert(1)&lt;/script&gt;'


def test_the_report_writes_a_workbook_with_a_sheet_per_operator(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "r.xlsx"
    assert main(["report", EXAMPLES, "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames[:3] == ["Итоги", "Операторы", "Диалоги"]
    assert "Оп Анна" in wb.sheetnames and len(wb.sheetnames) == 3 + 10
    rows = list(wb["Оп Дмитрий"].iter_rows(values_only=True))
    assert rows[0][8] == "балл" and [r[8] for r in rows[1:]] == [0.0, 0.0]


def test_bad_report_options_are_one_line(tmp_path, capsys):
    assert main(["report", EXAMPLES, "-o", str(tmp_path / "r.pdf")]) == 2
    assert capsys.readouterr().err.strip() == f"chatlint: error: -o {tmp_path / 'r.pdf'}: write a .html or an .xlsx file"
    assert main(["report", EXAMPLES, "-o", str(tmp_path / "no-such-dir" / "r.html")]) == 2
    assert "cannot write" in capsys.readouterr().err
    card = tmp_path / "c.toml"
    card.write_text("[scorecard]\n", encoding="utf-8")
    assert main(["report", EXAMPLES, "-o", str(tmp_path / "r.html"), "--scorecard", str(card)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"chatlint: scorecard error: {card}: ") and "\n" not in err


def test_check_never_loads_the_report_libraries(tmp_path):
    code = (
        "import sys; from chatlint.cli import main; main(['check', {!r}]);"
        "print(json.dumps(sorted(m for m in ('matplotlib', 'openpyxl', 'tqdm', 'chatlint.scoring') if m in sys.modules)))"
    ).format(str(ROOT / "examples" / "transcripts" / "chat-log.txt"))
    proc = subprocess.run([sys.executable, "-c", "import json;" + code], capture_output=True, text=True, cwd=ROOT)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def test_details_are_the_lowest_and_a_report_in_memory_matches():
    """The library path (score_each + build_report) gives the figures the CLI prints."""
    t = Transcript(conversation_id="x", messages=(
        Message(role="client", author="К", text="Добрый день, где заказ?"),
        Message(role="operator", author="Анна", text="Здравствуйте, меня зовут Анна, чем я могу Вам помочь?"),
    ))
    card = load_scorecard()
    pairs = list(score_each([t], card))
    report = build_report([c for _, c in pairs], card)
    assert report.total.conversations == 1 and report.by_operator[0].key == "Анна"
    assert pairs[0][1].status("farewell") == "fail"


def test_inputs_that_failed_are_in_the_report_and_the_exit_code(tmp_path, capsys):
    out = tmp_path / "r.html"
    missing = str(tmp_path / "missing.jsonl")
    assert main(["report", missing, EXAMPLES, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{missing}: no such file" in err and err.strip().endswith("средний балл 64.4; не прочитано: 1 (ошибки выше)")
    text = out.read_text(encoding="utf-8")
    assert "Не прочитано входных файлов: 1 — цифры ниже без них" in text and f"{missing}: no such file" in text
    assert main(["report", str(ROOT / "examples" / "messages"), "-o", str(out)]) == 0
    assert capsys.readouterr().err.strip().endswith("0 диалогов, средний балл —")
