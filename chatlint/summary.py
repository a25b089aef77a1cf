"""``chatlint check --summary``: per-operator figures over every checked conversation.

Per operator: conversations, messages, findings per 100 messages by rule group (G A E S L P T
M), median and 90th-percentile response time, and the share of conversations whose greeting
and farewell are right — judged by the speech acts (:mod:`chatlint.acts`), the same ones the
G rules read, whatever rules the configuration selects. Figures are gathered per file (:func:`file_stats`, in the worker
process with ``--jobs``) and merged in input order, so the result does not depend on ``N``.
"""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

from .acts import has_act, opening_greeting
from .dialogue import Dialogue, run_of
from .document import Document
from .findings import Finding
from .formats import printable
from .registry import GROUPS, Rule
from .transcript import Transcript


@dataclass
class OperatorStats:
    conversations: int = 0
    messages: int = 0
    findings: dict[str, int] = field(default_factory=dict)  # by group letter
    response_times: array = field(default_factory=lambda: array("d"))  # seconds, 8 bytes each
    opened: int = 0  # conversations whose first operator message is theirs
    greeting_ok: int = 0
    closed: int = 0  # conversations whose last operator message is theirs
    farewell_ok: int = 0
    both_ok: int = 0  # conversations they took part in with greeting and farewell right
    clock: str = ""  # what the response times count: "calendar time" or the working hours

    def merge(self, other: OperatorStats) -> None:
        self.conversations += other.conversations
        self.messages += other.messages
        for g, n in other.findings.items():
            self.findings[g] = self.findings.get(g, 0) + n
        self.response_times.extend(other.response_times)
        self.opened += other.opened
        self.greeting_ok += other.greeting_ok
        self.closed += other.closed
        self.farewell_ok += other.farewell_ok
        self.both_ok += other.both_ok
        self.clock = _clocks(self.clock, other.clock)


Stats = dict[str, OperatorStats]


def file_stats(
    transcripts: Iterable[Transcript], findings: list[Finding], rules: dict[str, Rule], clock=None
) -> Stats:
    """The per-operator figures of one file's conversations and their findings (``clock``: the
    channel's working hours, :class:`chatlint.clock.Calendar`; None counts every second)."""
    stats: Stats = {}
    by_conv: dict[str | None, list[Finding]] = {}
    for f in findings:
        by_conv.setdefault(f.conversation_id, []).append(f)
    for t in transcripts:
        _conversation(t, by_conv.get(t.conversation_id, []), rules, stats, clock)
    return stats


def add_conversation(stats: Stats, t: Transcript, findings: list[Finding], rules: dict[str, Rule], clock=None) -> None:
    """Add one conversation and its findings to a file's figures (a streamed file is summed
    conversation by conversation: the same figures as :func:`file_stats`)."""
    _conversation(t, findings, rules, stats, clock)


def _clocks(a: str, b: str) -> str:
    if not a or a == b:
        return b
    return a if not b else "mixed: " + "; ".join(sorted({*a.removeprefix("mixed: ").split("; "), b}))


# The summary row of the conversations no operator answered (T009): they count in every
# summary, with no operator to charge them to.
NOBODY = "(no operator reply)"


def _who(name: str | None) -> str:
    return name or "(unnamed operator)"


def _conversation(t: Transcript, findings: list[Finding], rules: dict[str, Rule], stats: Stats, clock=None) -> None:
    msgs = t.messages
    ops = [i for i, m in enumerate(msgs) if m.role == "operator"]
    if not ops:
        if findings:  # a conversation nobody answered (T009) counts too, on a row of its own
            st = stats.setdefault(NOBODY, OperatorStats())
            st.conversations += 1
            for f in findings:
                st.findings[f.code[:1]] = st.findings.get(f.code[:1], 0) + 1
        return
    names = list(dict.fromkeys(_who(msgs[i].author) for i in ops))
    for name in names:
        stats.setdefault(name, OperatorStats()).conversations += 1
    for i in ops:
        stats[_who(msgs[i].author)].messages += 1
    # findings count against the operator of their message; one on a client message (T004)
    # against the operator who spoke last before it (or the first operator)
    owner = {}
    current = _who(msgs[ops[0]].author)
    for i, m in enumerate(msgs):
        if m.role == "operator":
            current = _who(m.author)
        owner[i] = current
    first, last = ops[0], ops[-1]
    first_run = set(run_of(msgs, ops, forward=True))
    last_run = set(run_of(msgs, ops, forward=False))
    for f in findings:
        k = f.message_index if f.message_index is not None else first
        st = stats[owner.get(k, names[0])]
        g = f.code[:1]
        st.findings[g] = st.findings.get(g, 0) + 1
    channel = getattr(t, "channel", None) or "chat"
    greeting_ok = greeting_right([Document(msgs[i].text) for i in sorted(first_run)], channel)
    farewell_ok = farewell_right([Document(msgs[i].text) for i in sorted(last_run)], channel)
    opener, closer = stats[_who(msgs[first].author)], stats[_who(msgs[last].author)]
    opener.opened += 1
    opener.greeting_ok += greeting_ok
    closer.closed += 1
    closer.farewell_ok += farewell_ok
    if greeting_ok and farewell_ok:
        for name in names:
            stats[name].both_ok += 1
    d = Dialogue(t, clock=clock)
    if not d.timed:
        return
    described = clock.description if clock is not None else "calendar time"
    for name in names:
        stats[name].clock = _clocks(stats[name].clock, described)
    # the client's clock (chatlint.dialogue.client_waits): from a client message that needs an
    # answer to the operator's substantive answer; thanks and «Ок» start no wait
    for w in d.waits:
        if w.end is not None and d.measurable(w.client, w.end):
            stats[_who(msgs[w.end].author)].response_times.append(d.wait(w.client, w.end))


def greeting_right(docs: list[Document], channel: str) -> bool:
    """The operator's opening (their first run of messages) greets as the etiquette asks, by
    the speech acts: it opens with a formal greeting and no informal one; in a chat or a
    messenger it also introduces the operator and offers help (seed 001's canonical opening).
    In a social network (seed 003) a personal, informal greeting is right too."""
    if not docs:
        return False
    social = channel == "social"
    if opening_greeting(docs[0]) is None and not (social and opening_greeting(docs[0], "informal_greeting")):
        return False
    if not social and any(opening_greeting(d, "informal_greeting") for d in docs):
        return False
    if channel in ("chat", "messenger"):
        return any(has_act(d, "introduction") for d in docs) and any(has_act(d, "offer_of_help") for d in docs)
    return True


def farewell_right(docs: list[Document], channel: str) -> bool:
    """The operator's closing (their last run of messages) takes leave formally: a farewell
    act and no informal goodbye (thanks alone is no farewell); in a social network an informal
    goodbye is right too."""
    if channel == "social":
        return any(has_act(d, "farewell") or has_act(d, "informal_farewell") for d in docs)
    return any(has_act(d, "farewell") for d in docs) and not any(has_act(d, "informal_farewell") for d in docs)


def merge(parts: Iterable[Stats]) -> Stats:
    out: Stats = {}
    for part in parts:
        for name, st in part.items():
            out.setdefault(name, OperatorStats()).merge(st)
    return out


# ------------------------------------------------------------------ figures


def percentile(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile (``q`` in 0..100) of ``values``; None when empty."""
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


def median(values: list[float]) -> float | None:
    if not values:
        return None
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def _share(ok: int, total: int) -> float | None:
    return round(ok / total, 4) if total else None


def records(stats: Stats) -> list[dict]:
    """The summary as data (``--format json``), operators sorted by name."""
    out = []
    for name in sorted(stats):
        st = stats[name]
        per100 = {g: round(st.findings.get(g, 0) * 100 / st.messages, 2) if st.messages else 0.0 for g in GROUPS}
        out.append(
            {
                "operator": name,
                "conversations": st.conversations,
                "messages": st.messages,
                "findings": {g: st.findings.get(g, 0) for g in GROUPS},
                "findings_per_100_messages": per100,
                "response_time_s": {
                    "clock": st.clock or "calendar time",
                    "count": len(st.response_times),
                    "median": median(st.response_times),
                    "p90": percentile(st.response_times, 90),
                },
                "greeting_ok": _share(st.greeting_ok, st.opened),
                "farewell_ok": _share(st.farewell_ok, st.closed),
                # a conversation nobody answered had no greeting or farewell to judge
                "greeting_and_farewell_ok": _share(st.both_ok, st.conversations) if name != NOBODY else None,
            }
        )
    return out


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _percent(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def _clocks_of(recs: list[dict]) -> str:
    clocks = sorted({r["response_time_s"]["clock"] for r in recs if r["response_time_s"]["count"]})
    return "; ".join(clocks) if clocks else "calendar time"


def render(stats: Stats, fmt: str = "text") -> str:
    recs = records(stats)
    if fmt == "json":
        return json.dumps(recs, ensure_ascii=False, indent=2) + "\n"
    if not recs:
        return "No conversations with an operator were checked: nothing to summarise.\n"
    head = ["operator", "convs", "msgs", *[f"{g}/100" for g in GROUPS], "resp p50", "resp p90", "greet+bye ok"]
    rows = [
        [
            printable(r["operator"]),
            str(r["conversations"]),
            str(r["messages"]),
            *[f"{r['findings_per_100_messages'][g]:.1f}" if r["messages"] else f"{r['findings'][g]} f."
              for g in GROUPS],
            _duration(r["response_time_s"]["median"]),
            _duration(r["response_time_s"]["p90"]),
            _percent(r["greeting_and_farewell_ok"]),
        ]
        for r in recs
    ]
    widths = [max(len(row[k]) for row in [head, *rows]) for k in range(len(head))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    out = [line(head), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    out.append("")
    out.append("G/100 … M/100: findings per 100 operator messages by rule group (see `chatlint rules`).")
    out.append("resp p50/p90: from a client message that needs an answer to the operator's answer (conversations")
    out.append(f"  with times), counted in {_clocks_of(recs)}.")
    out.append("greet+bye ok: the share of conversations with greeting and farewell right.")
    if any(r["operator"] == NOBODY for r in recs):
        out.append(f"{NOBODY}: conversations in which nobody answered the client (T009); \"N f.\" counts findings.")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ with the scorecard (issue 16)


def render_scored(stats: Stats, report, card, fmt: str = "text", by: str = "operator", lang: str = "ru") -> str:
    """The ``--summary`` with the scorecard: a score column, a totals row and Russian headers
    (``lang="en"``: English); ``by`` groups the rows by operator (with the findings figures
    above), channel, day or week. ``fmt="json"``: the records, each with its ``score``
    figures; ``fmt="csv"``: one row per conversation with a column per criterion."""
    from .report import tables

    if fmt == "csv":
        from .formats.csv import rows_to_csv

        rows = [tables.conversation_header(report)]
        rows.extend(tables.conversation_row(c, report, card) for c in report.conversations)
        return rows_to_csv(rows)
    aggs = {a.key: a for a in tables.groups(report, by)}
    if fmt == "json":
        if by == "operator":
            recs = records(stats)
            for r in recs:
                a = aggs.get(r["operator"])
                r["score"] = a.model_dump(mode="json") if a is not None else None
            known = {r["operator"] for r in recs}
            # an operator whose conversations gave no findings figures still has a score
            recs.extend({"operator": k, "score": a.model_dump(mode="json")} for k, a in aggs.items() if k not in known)
        else:
            recs = [{by: k, "score": a.model_dump(mode="json")} for k, a in aggs.items()]
        return json.dumps(recs, ensure_ascii=False, indent=2) + "\n"
    ru = lang != "en"
    if not report.total.conversations:
        return ("Не проверено ни одного диалога: итогов нет.\n" if ru
                else "No conversations were checked: nothing to summarise.\n")
    head = tables.group_header(by, lang)
    rows = [[printable(c) for c in tables.group_cells(a, by, lang)] for a in aggs.values()]
    total = tables.group_cells(report.total, by, lang)
    total[0] = "Итого" if ru else "Total"
    extra_head: list[str] = []
    extra: dict[str, list[str]] = {}
    total_extra: list[str] = []
    if by == "operator":
        extra_head = (["сообщ.", *[f"{g}/100" for g in GROUPS], "привет.+прощ."] if ru
                      else ["msgs", *[f"{g}/100" for g in GROUPS], "greet+bye ok"])
        recs = {r["operator"]: r for r in records(stats)}
        for key in aggs:
            r = recs.get(key)
            extra[key] = (["—"] * len(extra_head) if r is None else
                          [str(r["messages"]), *[f"{r['findings_per_100_messages'][g]:.1f}" for g in GROUPS],
                           _percent(r["greeting_and_farewell_ok"])])
        allst = merge([stats])
        msgs = sum(st.messages for st in allst.values())
        found = {g: sum(st.findings.get(g, 0) for st in allst.values()) for g in GROUPS}
        total_extra = [str(msgs), *[f"{found[g] * 100 / msgs:.1f}" if msgs else "0.0" for g in GROUPS], "—"]
    head = head + extra_head
    table = [head]
    for key, row in zip(aggs, rows, strict=True):
        table.append(row + extra.get(key, []))
    table.append(total + total_extra)
    widths = [max(len(row[k]) for row in table) for k in range(len(head))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    title = card.scorecard.title(lang)
    out = [f"{title}: {'в норме от' if ru else 'meets the standard at'} {card.scorecard.pass_score:g}"
           f"{' баллов' if ru else ''}", "", line(head), line(["-" * w for w in widths])]
    out.extend(line(r) for r in table[1:-1])
    out.append(line(["-" * w for w in widths]))
    out.append(line(table[-1]))
    out.append("")
    if any(a.small for a in aggs.values()) or report.total.small:
        out.append(tables.small_note(card.scorecard.min_conversations, lang))
    out.append(tables.method_note(lang))
    if ru:
        out.append("балл: 0–100 по карте оценки; «в норме»: доля диалогов от проходного балла без критических ошибок.")
        out.append("ответ p50/p90: от сообщения клиента, которому нужен ответ, до ответа оператора.")
        if by == "operator":
            out.append("G/100 … M/100: замечаний на 100 сообщений оператора по группам правил (`chatlint rules`).")
    else:
        out.append("score: 0-100 on the scorecard; meet standard: the share at the pass score without a critical failure.")
        out.append("response p50/p90: from a client message that needs an answer to the operator's answer.")
        if by == "operator":
            out.append("G/100 … M/100: findings per 100 operator messages by rule group (see `chatlint rules`).")
    return "\n".join(out) + "\n"
