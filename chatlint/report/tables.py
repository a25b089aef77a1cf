"""The scorecard figures as tables: one row per conversation (CSV, the XLSX «Диалоги» sheet,
the HTML drill-down) and one row per group (the terminal, the XLSX sheets, the HTML tables).

Every output reads its figures from here, so the HTML, the CSV, the XLSX and ``--summary
--format json`` carry the same numbers (tests/test_report_formats.py compares them).
"""

from __future__ import annotations

from ..scoring import NOBODY, UNNAMED, Aggregate, ConversationScore, ScoreReport

STATUS = {
    "ru": {"pass": "да", "fail": "нет", "na": "н/п"},
    "en": {"pass": "pass", "fail": "fail", "na": "n/a"},
}
BY = ("operator", "channel", "day", "week")
BY_TITLE = {
    "ru": {"operator": "оператор", "channel": "канал", "day": "день", "week": "неделя"},
    "en": {"operator": "operator", "channel": "channel", "day": "day", "week": "week"},
}
CHANNEL = {
    "ru": {"chat": "чат", "messenger": "мессенджер", "social": "соцсеть", "email": "e-mail"},
    "en": {"chat": "chat", "messenger": "messenger", "social": "social", "email": "e-mail"},
}
SPECIAL = {
    "ru": {NOBODY: "(нет ответа оператора)", UNNAMED: "(оператор без имени)", "total": "Итого"},
    "en": {NOBODY: NOBODY, UNNAMED: UNNAMED, "total": "Total"},
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "ru"


def label(key: str, by: str, lang: str) -> str:
    """A group's key as shown: a channel's name, an operator's, the special rows'."""
    lang = _lang(lang)
    if key in SPECIAL[lang]:
        return SPECIAL[lang][key]
    if by == "channel":
        return CHANNEL[lang].get(key, key)
    return key


def groups(report: ScoreReport, by: str) -> tuple[Aggregate, ...]:
    return {"operator": report.by_operator, "channel": report.by_channel, "day": report.by_day,
            "week": report.by_week}[by]


def verdict(c: ConversationScore, pass_score: float, lang: str) -> str:
    ru = _lang(lang) == "ru"
    if c.critical:
        return "критическая ошибка" if ru else "critical failure"
    if c.score is None:
        return "не оценён" if ru else "not scored"
    if c.score >= pass_score:
        return "в норме" if ru else "meets the standard"
    return "ниже нормы" if ru else "below the standard"


def fmt_score(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


def fmt_rate(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def fmt_duration(seconds: float | None, lang: str = "ru") -> str:
    ru = _lang(lang) == "ru"
    if seconds is None:
        return "—"
    if seconds < 120:
        return f"{seconds:.0f} {'с' if ru else 's'}"
    if seconds < 7200:
        return f"{seconds / 60:.1f} {'мин' if ru else 'min'}"
    return f"{seconds / 3600:.1f} {'ч' if ru else 'h'}"


def conversation_header(report: ScoreReport) -> list[str]:
    ru = report.lang == "ru"
    head = (["файл", "диалог", "канал", "операторы", "день", "неделя", "сообщений", "замечаний", "балл", "итог",
             "почему"] if ru else
            ["file", "conversation", "channel", "operators", "day", "week", "messages", "findings", "score",
             "result", "why"])
    return head + [c.title(report.lang) for c in report.criteria]


def conversation_row(c: ConversationScore, report: ScoreReport, card) -> list:
    """One conversation as cells (numbers stay numbers: the XLSX keeps them numeric)."""
    lang = report.lang
    ops = "; ".join(label(o, "operator", lang) for o in c.owners)
    return [
        c.source or "", c.conversation_id or "", CHANNEL[lang].get(c.channel, c.channel), ops,
        c.day.isoformat() if c.day else "", c.week or "", c.messages, c.findings, c.score,
        verdict(c, report.pass_score, lang), c.why(card, lang),
        *[STATUS[lang][c.status(cr.id)] for cr in report.criteria],
    ]


def lowest_first(convs) -> list[ConversationScore]:
    """Conversations from the lowest score up (unscored last); ties in input order."""
    return sorted(convs, key=lambda c: (c.score is None, c.score if c.score is not None else 0.0))


def group_header(by: str, lang: str) -> list[str]:
    lang = _lang(lang)
    if lang == "ru":
        return [BY_TITLE[lang][by], "диалогов", "балл", "95% ДИ", "в норме", "95% ДИ (в норме)", "крит. ошибок",
                "ответ p50", "ответ p90"]
    return [BY_TITLE[lang][by], "conversations", "score", "95% CI", "meet standard", "95% CI (standard)",
            "critical", "response p50", "response p90"]


def interval_text(lo, hi, percent: bool = False) -> str:
    if lo is None or hi is None:
        return "—"
    if percent:
        return f"{lo * 100:.0f}–{hi * 100:.0f}%"
    return f"{lo:.1f}–{hi:.1f}"


def group_cells(a: Aggregate, by: str, lang: str) -> list[str]:
    """A group's row as text (the terminal and the HTML show the same strings)."""
    lo, hi = a.interval if a.interval else (None, None)
    count = f"{a.conversations}*" if a.small else str(a.conversations)
    return [
        label(a.key, by, lang), count, fmt_score(a.mean), interval_text(lo, hi), fmt_rate(a.ok.rate),
        interval_text(a.ok.low, a.ok.high, percent=True), str(a.critical),
        fmt_duration(a.response_p50, lang), fmt_duration(a.response_p90, lang),
    ]


def small_note(min_conversations: int, lang: str) -> str:
    if _lang(lang) == "ru":
        return (f"* меньше {min_conversations} диалогов: по стольким чатам о человеке не судят, смотрите "
                "интервал.")
    return f"* fewer than {min_conversations} conversations: too few to judge anyone by; see the interval."


def method_note(lang: str) -> str:
    if _lang(lang) == "ru":
        return ("95% ДИ: доверительный интервал — для среднего балла по Стьюденту, для доли «в норме» по "
                "Уилсону.")
    return "95% CI: confidence interval — Student's t for the mean score, Wilson for the share meeting the standard."
