"""``chatlint report -o report.xlsx``: the scorecard figures as an Excel workbook, since QA
leads work in Excel. Written by openpyxl (well kept, pure Python, the writer pandas uses for
.xlsx) in its write-only mode, which streams rows to disk: 10,000 conversations take seconds
and little memory.

Sheets: «Итоги» (totals, per channel, per week), «Операторы» (a row per operator with the
pass rate of every criterion), «Диалоги» (a row per conversation with a column per criterion,
as the CSV), then one sheet per operator with their conversations, lowest first. Scores stay
numbers; a text cell that Excel would run as a formula is written with a leading ``'``.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..formats.csv import cell as safe_text
from ..scoring import ScoreReport
from . import tables

SHEETS = {
    "ru": {"totals": "Итоги", "operators": "Операторы", "conversations": "Диалоги", "op": "Оп"},
    "en": {"totals": "Totals", "operators": "Operators", "conversations": "Conversations", "op": "Op"},
}


def _value(v):
    if isinstance(v, str):
        return safe_text(v)
    return v


def _rows(ws, rows, bold_first: bool = True) -> None:
    for k, row in enumerate(rows):
        if k == 0 and bold_first:
            cells = []
            for v in row:
                c = WriteOnlyCell(ws, value=_value(v))
                c.font = Font(bold=True)
                cells.append(c)
            ws.append(cells)
        else:
            ws.append([_value(v) for v in row])


def group_values(a, by: str, lang: str) -> list:
    """A group's row with numbers as numbers (the terminal's and the HTML's strings, parsed)."""
    lo, hi = a.interval if a.interval else (None, None)
    return [tables.label(a.key, by, lang), a.conversations, a.mean, lo, hi, a.ok.rate, a.ok.low, a.ok.high,
            a.critical, a.response_p50, a.response_p90, "*" if a.small else ""]


def group_head(by: str, lang: str) -> list[str]:
    if lang == "ru":
        return [tables.BY_TITLE["ru"][by], "диалогов", "балл", "ДИ от", "ДИ до", "в норме (доля)", "ДИ от", "ДИ до",
                "крит. ошибок", "ответ p50, с", "ответ p90, с", "мало диалогов"]
    return [tables.BY_TITLE["en"][by], "conversations", "score", "CI low", "CI high", "meet standard (share)",
            "CI low", "CI high", "critical", "response p50, s", "response p90, s", "small sample"]


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "_", name)[:28] or "_"
    out, k = base, 2
    while out.lower() in taken:
        out = f"{base[:26]}~{k}"
        k += 1
    taken.add(out.lower())
    return out


def write(report: ScoreReport, card, path: Path, failures: list[str] | None = None) -> None:
    lang = report.lang
    names = SHEETS[lang]
    wb = Workbook(write_only=True)
    taken: set[str] = set()

    ws = wb.create_sheet(_sheet_name(names["totals"], taken))
    rows: list[list] = [[card.scorecard.title(lang)], [tables.method_note(lang)], []]
    rows.append(group_head("channel", lang))
    rows.extend(group_values(a, "channel", lang) for a in report.by_channel)
    tot = group_values(report.total, "channel", lang)
    tot[0] = tables.label("total", "channel", lang)
    rows.append(tot)
    rows.append([])
    rows.append(group_head("week", lang))
    rows.extend(group_values(a, "week", lang) for a in report.by_week)
    if failures:
        rows.append([])
        rows.append(["Не прочитано (цифры выше без них)" if lang == "ru" else "Not read (left out of the figures)"])
        rows.extend([f] for f in failures)
    _rows(ws, rows)

    ws = wb.create_sheet(_sheet_name(names["operators"], taken))
    head = group_head("operator", lang) + [c.title(lang) for c in report.criteria]
    rows = [head]
    for a in report.by_operator:
        rows.append(group_values(a, "operator", lang) + [a.criteria[c.id].rate if c.id in a.criteria else None
                                                          for c in report.criteria])
    _rows(ws, rows)

    ws = wb.create_sheet(_sheet_name(names["conversations"], taken))
    conv_head = tables.conversation_header(report)
    _rows(ws, [conv_head, *(tables.conversation_row(c, report, card) for c in report.conversations)])

    for a in report.by_operator:
        ws = wb.create_sheet(_sheet_name(f"{names['op']} {tables.label(a.key, 'operator', lang)}", taken))
        mine = [c for c in report.conversations if a.key in c.owners]
        _rows(ws, [conv_head, *(tables.conversation_row(c, report, card) for c in tables.lowest_first(mine))])
    wb.save(path)
