"""The same figures in every output of issue 16: the HTML report, the CSV and the XLSX of the
conversations, ``--summary --format json`` and the terminal table (scores per conversation,
per operator and in total)."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from archive_gen import write_archive

from chatlint.cli import main

openpyxl = pytest.importorskip("openpyxl", reason="the report extra is not installed: pip install 'chatlint-ru[report]'")
pytest.importorskip("matplotlib", reason="the report extra is not installed: pip install 'chatlint-ru[report]'")

ROOT = Path(__file__).resolve().parent.parent


class _Html(HTMLParser):
    """The report's figures: the drill-down's scores, the operators' table, the total."""

    def __init__(self) -> None:
        super().__init__()
        self.conversations: dict[tuple[str, str], float | None] = {}
        self.rows: dict[str, list[str]] = {}
        self._row: str | None = None
        self._cell: list[str] | None = None
        self._in_ops = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            score = a.get("data-score")
            self.conversations[(a["data-source"], a["data-conversation"])] = float(score) if score else None
        if tag == "section":
            self._in_ops = a.get("id") == "operators"
        if tag == "tr" and self._in_ops and "data-key" in a:
            self._row = a["data-key"]
            self.rows[self._row] = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self.rows[self._row].append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr":
            self._row = None
        if tag == "section":
            self._in_ops = False


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("formats")
    write_archive(tmp / "archive", 150, seed=7, files=2)
    paths = [str(ROOT / "examples" / "transcripts"), str(tmp / "archive")]
    got = {}
    cap = io.StringIO()
    import contextlib

    for name, argv in (
        ("csv", ["check", "--summary", "--format", "csv", *paths]),
        ("json", ["check", "--summary", "--format", "json", *paths]),
        ("text", ["check", "--summary", *paths]),
    ):
        cap = io.StringIO()
        with contextlib.redirect_stdout(cap), contextlib.redirect_stderr(io.StringIO()):
            main(argv)
        got[name] = cap.getvalue()
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["report", *paths, "-o", str(tmp / "r.html"), "--details", "1000"]) == 0
        assert main(["report", *paths, "-o", str(tmp / "r.xlsx")]) == 0
    got["html"] = (tmp / "r.html").read_text(encoding="utf-8")
    got["xlsx"] = openpyxl.load_workbook(tmp / "r.xlsx", read_only=True)
    return got


def _num(text: str) -> float | None:
    return None if text in ("", "—") else float(text.rstrip("*"))


def test_conversation_scores_agree_in_csv_xlsx_and_html(outputs):
    rows = list(csv.reader(io.StringIO(outputs["csv"])))
    head = rows[0]
    csv_scores = {(r[0], r[1]): _num(r[head.index("балл")]) for r in rows[1:]}
    assert len(csv_scores) == 12 + 150

    ws = outputs["xlsx"]["Диалоги"]
    xrows = list(ws.iter_rows(values_only=True))
    assert list(xrows[0]) == head
    xlsx_scores = {(r[0], r[1]): r[head.index("балл")] for r in xrows[1:]}
    # the verdicts and the criteria columns too
    for r_csv, r_x in zip(rows[1:], xrows[1:], strict=True):
        assert r_csv[head.index("почему")] == r_x[head.index("почему")]
        assert r_csv[-16:] == list(r_x[-16:])

    page = _Html()
    page.feed(outputs["html"])
    assert csv_scores == xlsx_scores == page.conversations


def test_operator_and_total_figures_agree_in_json_xlsx_html_and_the_terminal(outputs):
    recs = json.loads(outputs["json"])
    by_json = {r["operator"]: (r["score"]["conversations"], r["score"]["mean"], r["score"]["critical"]) for r in recs}
    assert len(by_json) >= 10

    ws = outputs["xlsx"]["Операторы"]
    xrows = list(ws.iter_rows(values_only=True))
    labels = {"(нет ответа оператора)": "(no operator reply)", "(оператор без имени)": "(unnamed operator)"}
    by_xlsx = {labels.get(r[0], r[0]): (r[1], r[2], r[8]) for r in xrows[1:]}
    assert by_xlsx == by_json

    page = _Html()
    page.feed(outputs["html"])
    by_html = {k: (int(v[1].rstrip("*")), _num(v[2]), int(v[6])) for k, v in page.rows.items() if k != "total"}
    assert by_html == by_json

    by_text = {}
    for line in outputs["text"].splitlines():
        m = re.match(r"^(.+?)\s{2,}(\d+)\*?\s+([\d.]+|—)\s", line)
        if m and not line.startswith(("оператор", "-")):
            by_text[labels.get(m.group(1), m.group(1))] = (int(m.group(2)), _num(m.group(3)))
    total_text = by_text.pop("Итого")
    assert by_text == {k: v[:2] for k, v in by_json.items()}

    totals = list(outputs["xlsx"]["Итоги"].iter_rows(values_only=True))
    total_xlsx = next(r for r in totals if r and r[0] == "Итого")
    total_html = page.rows["total"]
    assert total_text == (total_xlsx[1], total_xlsx[2]) == (int(total_html[1].rstrip("*")), _num(total_html[2]))
    assert total_xlsx[1] == 162
