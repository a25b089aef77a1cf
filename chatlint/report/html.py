"""``chatlint report -o report.html``: one self-contained HTML file (inline CSS, charts as inline
SVG, no script, no font, no network), Russian by default.

Overview (score distribution, trend, per-channel table, criteria, what fails most and how to
fix it), a section per operator (score, trend, failed criteria with remedies, response-time
distribution, their conversations) and a drill-down per conversation, lowest scores first:
the checklist and the transcript with the findings highlighted. Every figure comes from
:class:`chatlint.scoring.ScoreReport` through :mod:`.tables`, as the CSV, XLSX and JSON do.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from ..findings import Finding
from ..scoring import ConversationScore, ScoreReport
from ..transcript import Transcript
from . import tables

Detail = tuple[Transcript, list[Finding], ConversationScore]

L = {
    "ru": {
        "title": "Оценка качества диалогов", "overview": "Обзор", "operators": "Операторы",
        "conversations_h": "Диалоги, от худших к лучшим", "conversations": "диалогов", "score": "балл",
        "mean": "Средний балл", "ok": "В норме", "critical": "Критических ошибок", "checked": "Проверено диалогов",
        "dist": "Распределение баллов", "trend": "Средний балл по дням", "by_channel": "По каналам",
        "criteria": "Критерии", "criterion": "критерий", "pass_rate": "выполнен", "applies": "применим в",
        "top": "Чаще всего нарушается", "remedy": "Как исправить", "resp": "Время ответа клиенту",
        "minutes": "минут до ответа", "answers": "ответов", "checklist": "Чек-лист", "transcript": "Переписка",
        "evidence": "замечания", "none": "нет", "operator": "Оператор", "client": "Клиент", "system": "Система",
        "file": "файл", "channel": "канал", "day": "день", "why": "почему", "shown": "Показаны {n} худших из {m} "
        "диалогов (`--details N` меняет число).", "no_failed": "Нарушений нет.", "pass_score": "в норме от {p} баллов",
        "scorecard": "Карта оценки", "interval": "95% ДИ", "own": "Диалоги оператора", "back": "к обзору",
        "small": "мало диалогов: по ним о человеке не судят, смотрите интервал", "rules": "правила", "empty": "нет данных",
        "failures": "Не прочитано входных файлов: {n} — цифры ниже без них",
    },
    "en": {
        "title": "Conversation quality report", "overview": "Overview", "operators": "Operators",
        "conversations_h": "Conversations, lowest first", "conversations": "conversations", "score": "score",
        "mean": "Mean score", "ok": "Meet the standard", "critical": "Critical failures",
        "checked": "Conversations checked", "dist": "Score distribution", "trend": "Mean score by day",
        "by_channel": "By channel", "criteria": "Criteria", "criterion": "criterion", "pass_rate": "passed",
        "applies": "applies in", "top": "Failed most often", "remedy": "How to fix it",
        "resp": "Response time to the client", "minutes": "minutes to the answer", "answers": "answers",
        "checklist": "Checklist", "transcript": "Transcript", "evidence": "findings", "none": "none",
        "operator": "Operator", "client": "Client", "system": "System", "file": "file", "channel": "channel",
        "day": "day", "why": "why", "shown": "The {n} lowest of {m} conversations are shown (`--details N` "
        "changes the number).", "no_failed": "Nothing failed.", "pass_score": "meets the standard at {p}",
        "scorecard": "Scorecard", "interval": "95% CI", "own": "Their conversations", "back": "to the overview",
        "small": "few conversations: too few to judge anyone by; see the interval", "rules": "rules", "empty": "no data",
        "failures": "Inputs not read: {n} — the figures below leave them out",
    },
}

CSS = """
:root{--ink:#1d2330;--muted:#5d6472;--line:#dde1e8;--bg:#f6f7f9;--accent:#2f6db5;--bad:#c0392b;--ok:#2e8b57;
--warn:#b9770e}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
color:var(--ink);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line);padding:16px 28px}
header h1{margin:0 0 4px;font-size:22px}header p{margin:0;color:var(--muted)}
nav{padding:8px 28px;background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
nav a{margin-right:18px;color:var(--accent);text-decoration:none;font-weight:600}
main{padding:18px 28px;max-width:1280px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:0 0 18px;
scroll-margin-top:48px}
h2{font-size:19px;margin:0 0 12px}h3{font-size:16px;margin:16px 0 8px}
.kpis{display:flex;gap:14px;flex-wrap:wrap;margin-bottom:12px}
.kpi{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:170px}
.kpi b{display:block;font-size:24px}.kpi span{color:var(--muted);font-size:12px}
.charts{display:flex;gap:18px;flex-wrap:wrap}.charts figure{margin:0;flex:1 1 420px}
figcaption{font-weight:600;margin-bottom:4px}svg.chart{width:100%;height:auto}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}th{background:var(--bg);font-weight:600}
td.l,th.l{text-align:left}
.score{font-weight:700;border-radius:4px;padding:1px 6px;color:#fff;display:inline-block;min-width:44px;text-align:center}
.s-ok{background:var(--ok)}.s-mid{background:var(--warn)}.s-bad{background:var(--bad)}.s-na{background:#999}
.pass{color:var(--ok);font-weight:600}.fail{color:var(--bad);font-weight:600}.na{color:var(--muted)}
.small{color:var(--warn)}.failures{border-color:var(--bad)}.failures h2{color:var(--bad)}.muted{color:var(--muted)}
ul.remedies{padding-left:18px}ul.remedies li{margin-bottom:6px}
.msg{border-left:3px solid var(--line);padding:4px 10px;margin:6px 0;white-space:pre-wrap;word-wrap:break-word}
.msg.operator{border-color:var(--accent);background:#f3f7fc}.msg.client{background:#fafafa}
.msg .who{font-size:12px;color:var(--muted);display:block;white-space:normal}
mark{background:#ffe08a;border-bottom:2px solid var(--bad);padding:0 1px}
mark.error{background:#ffc9c2}mark.info{background:#e5eefc;border-bottom-color:var(--accent)}
.finding-list{font-size:12px;color:var(--bad);margin:2px 0 0;padding-left:16px;white-space:normal}
.conv{border-top:2px solid var(--line);padding-top:10px;margin-top:14px}
.conv:target{outline:3px solid var(--accent);outline-offset:6px}
.grid{display:grid;grid-template-columns:minmax(260px,1fr) 2fr;gap:18px}
@media (max-width:900px){.grid{grid-template-columns:1fr}}
"""


def _e(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _score_badge(x: float | None, pass_score: float) -> str:
    if x is None:
        return '<span class="score s-na">—</span>'
    cls = "s-ok" if x >= pass_score else ("s-mid" if x >= pass_score / 2 else "s-bad")
    return f'<span class="score {cls}" data-score="{x:.1f}">{x:.1f}</span>'


def _anchor(prefix: str, n: int) -> str:
    return f"{prefix}-{n}"


def highlighted(text: str, findings: list[Finding]) -> str:
    """A message's text, escaped, with each finding's span in a ``<mark>`` (overlapping spans
    merged, titled with every code and message they carry)."""
    spans = sorted(((f.start, f.end, f) for f in findings if 0 <= f.start <= f.end <= len(text)), key=lambda x: x[:2])
    merged: list[list] = []
    for s, e, f in spans:
        e = max(e, s + 1) if s < len(text) else e  # an empty span marks the character after it
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
            merged[-1][2].append(f)
        else:
            merged.append([s, e, [f]])
    out = []
    pos = 0
    for s, e, fs in merged:
        if s >= len(text):
            continue
        out.append(_e(text[pos:s]))
        worst = "error" if any(f.severity == "error" for f in fs) else (
            "warning" if any(f.severity == "warning" for f in fs) else "info")
        title = "; ".join(f"{f.code}: {f.message}" for f in fs)
        out.append(f'<mark class="{worst}" title="{_e(title)}">{_e(text[s:e])}</mark>')
        pos = e
    out.append(_e(text[pos:]))
    return "".join(out)


def render(report: ScoreReport, card, details: list[Detail], progress: Callable[[], None] | None = None,
           failures: list[str] | None = None) -> str:
    """The whole HTML document."""
    from . import charts

    lang = report.lang
    t = L[lang]
    p = report.pass_score
    convs = report.conversations
    scored = [c.score for c in convs if c.score is not None]
    out: list[str] = []
    w = out.append
    w(f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">')
    w('<meta name="viewport" content="width=device-width, initial-scale=1">')
    w(f"<title>{_e(t['title'])}</title><style>{CSS}</style></head><body>")
    days = [c.day for c in convs if c.day is not None]
    period = f"{min(days).isoformat()} — {max(days).isoformat()}" if days else ""
    w(f"<header><h1>{_e(t['title'])}</h1><p>{_e(t['scorecard'])}: {_e(card.scorecard.title(lang))} "
      f"({_e(t['pass_score'].format(p=f'{p:g}'))}) · {_e(t['checked'])}: {len(convs)}"
      f"{' · ' + _e(period) if period else ''}</p></header>")
    w(f'<nav><a href="#overview">{_e(t["overview"])}</a><a href="#operators">{_e(t["operators"])}</a>'
      f'<a href="#conversations">{_e(t["conversations_h"])}</a></nav><main>')

    if failures:
        w(f'<section id="failures" class="failures"><h2>{_e(t["failures"].format(n=len(failures)))}</h2><ul>'
          + "".join(f"<li>{_e(f)}</li>" for f in failures[:50]) + "</ul>"
          + (f"<p>… +{len(failures) - 50}</p>" if len(failures) > 50 else "") + "</section>")
    # ---- overview
    total = report.total
    w(f'<section id="overview"><h2>{_e(t["overview"])}</h2><div class="kpis">')
    lo_hi = tables.interval_text(*(total.interval or (None, None)))
    w(f'<div class="kpi" id="kpi-conversations"><b>{total.conversations}</b><span>{_e(t["checked"])}</span></div>')
    w(f'<div class="kpi" id="kpi-mean"><b data-mean="{tables.fmt_score(total.mean)}">{tables.fmt_score(total.mean)}'
      f'</b><span>{_e(t["mean"])} · {_e(t["interval"])} {_e(lo_hi)}</span></div>')
    w(f'<div class="kpi" id="kpi-ok"><b>{tables.fmt_rate(total.ok.rate)}</b><span>{_e(t["ok"])} · '
      f'{_e(t["interval"])} {_e(tables.interval_text(total.ok.low, total.ok.high, True))}</span></div>')
    w(f'<div class="kpi" id="kpi-critical"><b>{total.critical}</b><span>{_e(t["critical"])}</span></div></div>')
    w('<div class="charts">')
    w(f'<figure><figcaption>{_e(t["dist"])}</figcaption>'
      + charts.score_histogram(scored, p, {"score": t["score"], "conversations": t["conversations"], "empty": t["empty"],
                                            "title": t["dist"]}) + "</figure>")
    w(f'<figure><figcaption>{_e(t["trend"])}</figcaption>'
      + charts.trend([(a.key, a.mean, a.conversations) for a in report.by_day], p,
                     {"score": t["score"], "title": t["trend"]}) + "</figure>")
    w("</div>")
    w(f"<h3>{_e(t['by_channel'])}</h3>")
    w(_group_table(report.by_channel, "channel", lang, total))
    w(f"<h3>{_e(t['criteria'])}</h3>")
    w(_criteria_table(report, total))
    w(f"<h3>{_e(t['top'])}</h3>")
    w(_remedies(total, t))
    w(f'<p class="muted">{_e(tables.method_note(lang))} * {_e(t["small"])}.</p></section>')
    if progress:
        progress()

    # ---- operators
    by_conv = {id(c): k for k, c in enumerate(convs)}
    shown = {id(d[2]): k for k, d in enumerate(details)}
    w(f'<section id="operators"><h2>{_e(t["operators"])}</h2>')
    w(_group_table(report.by_operator, "operator", lang, total, link=True))
    w("</section>")
    for k, a in enumerate(report.by_operator):
        name = tables.label(a.key, "operator", lang)
        w(f'<section id="{_anchor("op", k)}" class="operator" data-operator="{_e(a.key)}">'
          f"<h2>{_e(t['operator'])}: {_e(name)} {_score_badge(a.mean, p)}</h2>")
        small = f' <span class="small">* {_e(t["small"])}</span>' if a.small else ""
        w(f'<p>{a.conversations} {_e(t["conversations"])}{small} · {_e(t["interval"])} '
          f'{_e(tables.interval_text(*(a.interval or (None, None))))} · {_e(t["ok"])}: {tables.fmt_rate(a.ok.rate)} · '
          f'{_e(t["critical"])}: {a.critical}</p>')
        mine = [c for c in convs if a.key in c.owners]
        days: dict[str, list[float]] = {}
        for c in mine:
            if c.day is not None and c.score is not None:
                days.setdefault(c.day.isoformat(), []).append(c.score)
        waits = [wt.seconds for c in mine for wt in c.waits if wt.operator == a.key]
        w('<div class="charts">')
        w(f'<figure><figcaption>{_e(t["trend"])}</figcaption>'
          + charts.trend([(d, round(sum(v) / len(v), 1), len(v)) for d, v in sorted(days.items())], p,
                         {"score": t["score"], "title": f"{t['trend']}: {name}"}) + "</figure>")
        w(f'<figure><figcaption>{_e(t["resp"])} (p50 {_e(tables.fmt_duration(a.response_p50, lang))}, '
          f'p90 {_e(tables.fmt_duration(a.response_p90, lang))})</figcaption>'
          + charts.response_histogram(waits, {"minutes": t["minutes"], "answers": t["answers"], "empty": t["empty"],
                                              "title": f"{t['resp']}: {name}"}) + "</figure>")
        w("</div>")
        w(f"<h3>{_e(t['top'])}</h3>")
        w(_remedies(a, t))
        w(f"<h3>{_e(t['own'])}</h3><p>")
        links = []
        for c in tables.lowest_first(mine)[:30]:
            ref = shown.get(id(c))
            cid = _e(c.conversation_id or f"#{by_conv[id(c)] + 1}")
            badge = _score_badge(c.score, p)
            links.append(f'<a href="#{_anchor("conv", ref)}">{cid}</a> {badge}' if ref is not None else f"{cid} {badge}")
        w(" · ".join(links))
        w(f'</p><p><a href="#overview">↑ {_e(t["back"])}</a></p></section>')
        if progress:
            progress()

    # ---- conversations
    w(f'<section id="conversations"><h2>{_e(t["conversations_h"])}</h2>')
    if len(details) < len(convs):
        w(f'<p class="muted">{_e(t["shown"].format(n=len(details), m=len(convs)))}</p>')
    for k, (tr, found, c) in enumerate(details):
        w(_conversation(k, tr, found, c, report, card, t))
        if progress:
            progress()
    w("</section></main></body></html>\n")
    return "".join(out)


def _group_table(aggs, by: str, lang: str, total, link: bool = False) -> str:
    head = tables.group_header(by, lang)
    rows = ["<table class='groups'><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>"]
    for k, a in enumerate(aggs):
        cells = tables.group_cells(a, by, lang)
        first = f'<a href="#{_anchor("op", k)}">{_e(cells[0])}</a>' if link else _e(cells[0])
        rows.append(f'<tr data-key="{_e(a.key)}"><td>{first}</td>' + "".join(f"<td>{_e(x)}</td>" for x in cells[1:])
                    + "</tr>")
    cells = tables.group_cells(total, by, lang)
    cells[0] = tables.label("total", by, lang)
    rows.append('<tr class="total" data-key="total"><th>' + _e(cells[0]) + "</th>"
                + "".join(f"<th>{_e(x)}</th>" for x in cells[1:]) + "</tr>")
    rows.append("</tbody></table>")
    return "".join(rows)


def _criteria_table(report: ScoreReport, total) -> str:
    t = L[report.lang]
    rows = [f"<table><thead><tr><th>{_e(t['criterion'])}</th><th class='l'>{_e(t['rules'])}</th><th>{_e(t['applies'])}</th>"
            f"<th>{_e(t['pass_rate'])}</th><th>{_e(t['interval'])}</th></tr></thead><tbody>"]
    for cr in report.criteria:
        r = total.criteria.get(cr.id)
        crit = " ⚠" if cr.critical else ""
        rows.append(f'<tr data-criterion="{_e(cr.id)}"><td>{_e(cr.title(report.lang))}{crit}</td>'
                    f'<td class="l muted">{_e(", ".join(cr.rules))}</td><td>{r.n if r else 0}</td>'
                    f"<td>{tables.fmt_rate(r.rate if r else None)}</td>"
                    f"<td>{_e(tables.interval_text(r.low, r.high, True) if r else '—')}</td></tr>")
    rows.append("</tbody></table>")
    return "".join(rows)


def _remedies(a, t) -> str:
    if not a.top_failed:
        return f"<p>{_e(t['no_failed'])}</p>"
    items = []
    for f in a.top_failed:
        items.append(f"<li><b>{_e(f.title)}</b> — {f.failed} / {f.applicable} ({tables.fmt_rate(1 - (f.rate.rate or 0))})"
                     f" <span class='muted'>{_e(', '.join(f.rules))}</span><br>{_e(t['remedy'])}: {_e(f.remedy)}</li>")
    return '<ul class="remedies">' + "".join(items) + "</ul>"


def _conversation(k: int, tr: Transcript, found: list[Finding], c: ConversationScore, report: ScoreReport, card,
                  t: dict) -> str:
    lang = report.lang
    out = [f'<article class="conv" id="{_anchor("conv", k)}" data-conversation="{_e(c.conversation_id or "")}" '
           f'data-source="{_e(c.source or "")}" data-score="{"" if c.score is None else f"{c.score:.1f}"}">']
    title = c.conversation_id or f"#{k + 1}"
    out.append(f"<h3>{_e(title)} {_score_badge(c.score, report.pass_score)} "
               f"<span class='muted'>{_e(tables.verdict(c, report.pass_score, lang))}</span></h3>")
    ops = ", ".join(tables.label(o, "operator", lang) for o in c.owners)
    out.append(f"<p class='muted'>{_e(t['file'])}: {_e(c.source or '')} · {_e(t['channel'])}: "
               f"{_e(tables.CHANNEL[lang].get(c.channel, c.channel))} · {_e(t['operators'])}: {_e(ops)}"
               f"{' · ' + _e(t['day']) + ': ' + c.day.isoformat() if c.day else ''}<br>"
               f"{_e(t['why'])}: {_e(c.why(card, lang))}</p>")
    out.append('<div class="grid"><div>')
    out.append(f"<b>{_e(t['checklist'])}</b><table class='checklist'><tbody>")
    for r in c.criteria:
        label = tables.STATUS[lang][r.status]
        title = report.criterion_title(r.id) + (" ⚠" if r.critical else "")
        ev = ""
        if r.evidence:
            ev = "<ul class='finding-list'>" + "".join(
                f"<li>{_e(e.code)}: {_e(e.message)}</li>" for e in r.evidence[:5]) + "</ul>"
        out.append(f'<tr data-criterion="{_e(r.id)}"><td>{_e(title)}{ev}</td><td class="{r.status}">{_e(label)}</td></tr>')
    out.append("</tbody></table></div><div>")
    out.append(f"<b>{_e(t['transcript'])}</b>")
    by_msg: dict[int, list[Finding]] = {}
    for f in found:
        if f.message_index is not None:
            by_msg.setdefault(f.message_index, []).append(f)
    for i, m in enumerate(tr.messages):
        fs = by_msg.get(i, [])
        who = t.get(m.role, m.role)
        when = m.time.strftime("%Y-%m-%d %H:%M:%S") if m.time else ""
        out.append(f'<div class="msg {m.role}"><span class="who">{_e(who)} {_e(m.author or "")} '
                   f"{_e(when)}</span>{highlighted(m.text, fs)}")
        if fs:
            out.append("<ul class='finding-list'>" + "".join(
                f"<li>{_e(f.code)} {_e(f.name)}: {_e(f.message)}</li>" for f in fs) + "</ul>")
        out.append("</div>")
    out.append("</div></div></article>")
    return "".join(out)
