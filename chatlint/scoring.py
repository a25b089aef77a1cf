"""QA scorecards (issue 16): criteria mapped to rules, a score per conversation, figures per
operator, channel, day and week.

A scorecard is data (``rules/scorecards/*.toml``, or a team's own file): criteria, each with
the rules whose findings fail it, a weight and an optional ``critical`` flag. Per
conversation every criterion is ``pass``, ``fail`` (with the findings as evidence) or ``na``
(none of its rules can run there); the score is 100 × the weights passed / the weights
applicable, and 0 when a critical criterion fails. :func:`score` lints and scores
transcripts; the CLI (``--summary``, ``report``) and the HTML report use only this module.

Intervals: a pass rate (a criterion's, or the share of conversations meeting the standard)
carries the Wilson score interval at 95 %; a mean score carries Student's t interval at 95 %.
A figure behind fewer than ``min_conversations`` conversations is marked ``small``.
"""

from __future__ import annotations

import math
import re
import tomllib
from array import array
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ConfigError
from .findings import SEVERITIES, Finding
from .transcript import Transcript

Lang = Literal["ru", "en"]
Status = Literal["pass", "fail", "na"]
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}
NOBODY = "(no operator reply)"  # the operator row of the conversations nobody answered
UNNAMED = "(unnamed operator)"
Z95 = 1.959963984540054


class ScorecardError(ConfigError):
    """A scorecard file that cannot be used: the message names the file, the key and the fix."""


# ------------------------------------------------------------------ the scorecard


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    ru: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.ru


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="a stable identifier: the CSV column, the JSON key")
    title: Text
    rules: tuple[str, ...] = Field(min_length=1, description="rule codes whose findings fail the criterion")
    weight: float = Field(ge=0, description="its share of the score (relative to the other criteria)")
    critical: bool = False  # failing it makes the conversation's score 0
    min_severity: Literal["info", "warning", "error"] | None = None  # None: the scorecard's
    allowed: int = Field(default=0, ge=0, description="findings tolerated before the criterion fails")
    remedy: Text | None = None  # None: built from the rule docs of the failing rules


class Header(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    title: Text
    pass_score: float = Field(default=80, ge=0, le=100)
    min_severity: Literal["info", "warning", "error"] = "warning"
    min_conversations: int = Field(default=10, ge=1)


class Scorecard(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scorecard: Header
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    source: str = Field(default="<scorecard>", exclude=True)

    @model_validator(mode="after")
    def _unique(self) -> Scorecard:
        seen: set[str] = set()
        for c in self.criteria:
            if c.id in seen:
                raise ValueError(f"criterion id {c.id!r} is used twice: give each criterion its own id")
            seen.add(c.id)
        if not any(c.weight > 0 for c in self.criteria):
            raise ValueError("every criterion has weight 0: give at least one a positive weight")
        return self

    @property
    def name(self) -> str:
        return self.scorecard.name

    def severity_of(self, c: Criterion) -> str:
        return c.min_severity or self.scorecard.min_severity

    def with_weight(self, criterion: str, weight: float) -> Scorecard:
        """A copy with one criterion's weight changed (what a team's file would do)."""
        crit = tuple(c.model_copy(update={"weight": weight}) if c.id == criterion else c for c in self.criteria)
        return self.model_copy(update={"criteria": crit})


def _where(exc: ValidationError, source: str, data: dict) -> str:
    parts = []
    for err in exc.errors():
        loc = list(err["loc"])
        key = ""
        for i, x in enumerate(loc):
            if isinstance(x, int):
                key += f"[{x}]"
                if i == 1 and loc[0] == "criteria":
                    try:
                        key += f" (id {data['criteria'][x]['id']!r})"
                    except (KeyError, IndexError, TypeError):
                        pass
            else:
                key += ("." if key else "") + str(x)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            parts.append(f"{source}: {key}: unknown key: remove it or fix its spelling")
        elif err["type"] == "missing":
            parts.append(f"{source}: {key}: missing: add it")
        else:
            got = err.get("input")
            shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
            parts.append(f"{source}: {key or 'scorecard'}: {msg}{shown}")
    return "; ".join(parts)


def parse_scorecard(data: dict, source: str = "<scorecard>", known_rules: Iterable[str] | None = None) -> Scorecard:
    """A scorecard from parsed TOML data, validated; raises :class:`ScorecardError` naming
    ``source``, the key and what to do."""
    if not isinstance(data, dict):
        raise ScorecardError(f"{source}: expected a table with [scorecard] and [[criteria]]")
    try:
        card = Scorecard(**data, source=source)
    except ValidationError as exc:
        raise ScorecardError(_where(exc, source, data)) from None
    if known_rules is None:
        from .catalog import all_rules

        known_rules = all_rules()
    known = set(known_rules)
    for i, c in enumerate(card.criteria):
        for k, code in enumerate(c.rules):
            if code not in known:
                raise ScorecardError(
                    f"{source}: criteria[{i}] (id {c.id!r}).rules[{k}]: unknown rule {code!r}: "
                    "use a code from `chatlint rules`"
                )
    return card


def load_scorecard(path: str | Path | None = None) -> Scorecard:
    """A scorecard file (TOML); None or ``"default"``: the shipped default scorecard; a bare
    name (``"default"``) is looked up in ``rules/scorecards/``."""
    if path is None or (isinstance(path, str) and "/" not in path and not path.endswith(".toml")):
        return _shipped(path or "default")
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ScorecardError(f"{p}: no such scorecard file") from None
    except OSError as exc:
        raise ScorecardError(f"{p}: cannot read the scorecard: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScorecardError(f"{p}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ScorecardError(f"{p}: not UTF-8 text: save the scorecard as UTF-8") from None
    return parse_scorecard(data, str(p))


@lru_cache(maxsize=8)
def _shipped(name: str) -> Scorecard:
    from .resources import rules_dir

    path = rules_dir() / "scorecards" / f"{name}.toml"
    if not path.is_file():
        names = sorted(p.stem for p in (rules_dir() / "scorecards").glob("*.toml"))
        raise ScorecardError(f"no shipped scorecard {name!r}: expected one of {', '.join(names)} or a .toml file")
    return load_scorecard(path)


# ------------------------------------------------------------------ per conversation


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    severity: str
    message: str
    message_index: int | None = None
    start: int = 0
    end: int = 0
    fragment: str = ""


class CriterionResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    status: Status
    critical: bool = False
    weight: float = 0
    evidence: tuple[Evidence, ...] = ()


class Wait(BaseModel):
    model_config = ConfigDict(frozen=True)

    operator: str
    seconds: float


class ConversationScore(BaseModel):
    """One conversation on the scorecard."""

    model_config = ConfigDict(frozen=True)

    conversation_id: str | None = None
    source: str | None = None  # the file it was read from
    channel: str = "chat"
    operators: tuple[str, ...] = ()  # who answered, in order; empty: nobody (NOBODY in figures)
    day: date | None = None  # of its first timed message
    messages: int = 0
    operator_messages: int = 0
    findings: int = 0
    score: float | None = None  # 0–100; None: no criterion applies
    critical: tuple[str, ...] = ()  # the critical criteria that failed (score 0 because of them)
    criteria: tuple[CriterionResult, ...] = ()
    waits: tuple[Wait, ...] = ()  # the client's waits for an operator's answer, seconds

    @property
    def week(self) -> str | None:
        if self.day is None:
            return None
        y, w, _ = self.day.isocalendar()
        return f"{y}-W{w:02d}"

    @property
    def owners(self) -> tuple[str, ...]:
        return self.operators or (NOBODY,)

    def status(self, criterion: str) -> Status:
        return next((c.status for c in self.criteria if c.id == criterion), "na")

    def why(self, card: Scorecard, lang: str = "ru") -> str:
        """Why the score is what it is, in one line."""
        titles = {c.id: c.title(lang) for c in card.criteria}
        if self.critical:
            names = ", ".join(f"«{titles.get(c, c)}»" for c in self.critical)
            return (f"0: critical criterion failed: {names}" if lang == "en"
                    else f"0: нарушен критический критерий: {names}")
        failed = [titles.get(c.id, c.id) for c in self.criteria if c.status == "fail"]
        if self.score is None:
            return "no criterion applies" if lang == "en" else "ни один критерий не применим"
        if not failed:
            return "every applicable criterion passed" if lang == "en" else "все применимые критерии выполнены"
        head = "failed: " if lang == "en" else "не выполнено: "
        return head + ", ".join(failed)


def _fragment(t: Transcript, f: Finding) -> str:
    if f.message_index is None or not 0 <= f.message_index < len(t.messages):
        return ""
    text = t.messages[f.message_index].text[f.start:f.end]
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


def score_conversation(
    t: Transcript, findings: list[Finding], card: Scorecard, config=None, source: str | None = None, docs=None
) -> ConversationScore:
    """Score one conversation from its findings (as :func:`chatlint.lint_transcript` returns
    them with the same ``config``); ``docs``: its parsed messages, as
    :func:`chatlint.engine.check_transcript` kept them (None: parsed here when needed)."""
    from .config import default_config
    from .dialogue import Dialogue

    cfg = config if config is not None else default_config()
    plan = cfg.plan(t.channel)
    planned = {p.rule.code: p.rule for p in plan.rules}
    msgs = t.messages
    ops = [i for i, m in enumerate(msgs) if m.role == "operator"]
    has_client = any(m.role == "client" for m in msgs)
    d = Dialogue(t, docs, clock=plan.clock)
    timed = d.timed

    def runs(code: str) -> bool:
        r = planned.get(code)
        if r is None:
            return False
        if r.scope == "dialogue":
            if r.needs_time and not timed:
                return False
            return bool(ops) or has_client
        return bool(ops)

    by_code: dict[str, list[Finding]] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    results = []
    passed = applicable = 0.0
    critical = []
    for c in card.criteria:
        if not any(runs(code) for code in c.rules):
            results.append(CriterionResult(id=c.id, status="na", critical=c.critical, weight=c.weight))
            continue
        floor = SEVERITY_ORDER[card.severity_of(c)]
        hits = [f for code in c.rules for f in by_code.get(code, ()) if SEVERITY_ORDER[f.severity] >= floor]
        hits.sort(key=lambda f: (f.message_index if f.message_index is not None else -1, f.start, f.code))
        failed = len(hits) > c.allowed
        evidence = tuple(
            Evidence(code=f.code, severity=f.severity, message=f.message, message_index=f.message_index,
                     start=f.start, end=f.end, fragment=_fragment(t, f))
            for f in hits
        )
        results.append(CriterionResult(id=c.id, status="fail" if failed else "pass", critical=c.critical,
                                       weight=c.weight, evidence=evidence))
        applicable += c.weight
        if failed:
            if c.critical:
                critical.append(c.id)
        else:
            passed += c.weight
    if critical:
        value: float | None = 0.0
    elif applicable > 0:
        value = round(100 * passed / applicable, 1)
    else:
        value = None
    operators = tuple(dict.fromkeys(msgs[i].author or UNNAMED for i in ops))
    waits = []
    if timed:
        for w in d.waits:
            if w.end is not None and d.measurable(w.client, w.end):
                waits.append(Wait(operator=msgs[w.end].author or UNNAMED, seconds=round(d.wait(w.client, w.end), 1)))
    first_time = next((m.time for m in msgs if m.time is not None), None)
    return ConversationScore(
        conversation_id=t.conversation_id, source=source, channel=plan.channel, operators=operators,
        day=first_time.date() if first_time is not None else None, messages=len(msgs),
        operator_messages=len(ops), findings=len(findings), score=value, critical=tuple(critical),
        criteria=tuple(results), waits=tuple(waits),
    )


# ------------------------------------------------------------------ figures


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (95 % by default); None when ``n`` is 0."""
    if n <= 0:
        return None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


# Student's t at 97.5 % for 1..30 degrees of freedom (then the normal 1.96)
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
         2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
         2.045, 2.042)


def mean_interval(values: list[float]) -> tuple[float, float] | None:
    """Student's t interval (95 %) of the mean of ``values`` on 0–100; None under 2 values."""
    n = len(values)
    if n < 2:
        return None
    m = sum(values) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    t = _T975[n - 2] if n - 1 <= len(_T975) else Z95
    half = t * sd / math.sqrt(n)
    return round(max(0.0, m - half), 1), round(min(100.0, m + half), 1)


def percentile(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile (``q`` in 0..100); None when empty."""
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


class Rate(BaseModel):
    """A share with its Wilson interval (95 %)."""

    model_config = ConfigDict(frozen=True)

    successes: int
    n: int
    rate: float | None = None
    low: float | None = None
    high: float | None = None

    @classmethod
    def of(cls, successes: int, n: int) -> Rate:
        w = wilson(successes, n)
        if w is None:
            return cls(successes=successes, n=n)
        return cls(successes=successes, n=n, rate=round(successes / n, 4), low=round(w[0], 4), high=round(w[1], 4))


class FailedCriterion(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    failed: int
    applicable: int
    rate: Rate  # the criterion's pass rate
    rules: tuple[str, ...] = ()  # the rules that failed it, most frequent first
    remedy: str = ""


class Aggregate(BaseModel):
    """The figures of a group of conversations (an operator, a channel, a day, a week, all)."""

    model_config = ConfigDict(frozen=True)

    key: str
    conversations: int  # behind this figure
    scored: int  # with a score (some criterion applied)
    mean: float | None = None
    interval: tuple[float, float] | None = None  # Student's t, 95 %, of the mean
    median: float | None = None
    ok: Rate  # conversations at or above the pass score, without a critical failure
    critical: int = 0  # conversations scored 0 by a critical criterion
    small: bool = False  # fewer conversations than the scorecard's min_conversations
    criteria: dict[str, Rate] = {}  # pass rate per criterion (over the conversations where it applies)
    top_failed: tuple[FailedCriterion, ...] = ()
    response_p50: float | None = None
    response_p90: float | None = None
    responses: int = 0


class ScoreReport(BaseModel):
    """What :func:`score` returns: every conversation and the figures over them."""

    model_config = ConfigDict(frozen=True)

    scorecard: str
    lang: Lang = "ru"
    pass_score: float
    criteria: tuple[Criterion, ...]
    method: str = "rates: Wilson score interval, 95 %; mean scores: Student's t interval, 95 %"
    conversations: tuple[ConversationScore, ...]
    total: Aggregate
    by_operator: tuple[Aggregate, ...] = ()
    by_channel: tuple[Aggregate, ...] = ()
    by_day: tuple[Aggregate, ...] = ()
    by_week: tuple[Aggregate, ...] = ()

    def criterion_title(self, cid: str) -> str:
        return next((c.title(self.lang) for c in self.criteria if c.id == cid), cid)


def remedy_text(card: Scorecard, c: Criterion, codes: list[str], lang: str = "ru") -> str:
    """How to fix a criterion: its own remedy, else the rule docs of the rules that failed it
    (why it matters, and the docs' bad → good example)."""
    if c.remedy is not None:
        return c.remedy(lang)
    from .catalog import all_rules
    from .docs import rule_text

    rules = all_rules()
    parts = []
    for code in codes[:2] or list(c.rules[:1]):
        r = rules.get(code)
        if r is None:
            continue
        why = " ".join(rule_text(r, lang)[1].split())
        example = " ".join(r.section("Example").replace("\\n", " ").split())  # a docstring's «\n» in a quote
        if lang != "en" and re.search(r"[A-Za-z]", re.sub(r"«[^»]*»", "", example)):
            example = ""  # an example told in English words around the quotes: the Russian text keeps the why
        text = f"{code}: {why}"
        if example:
            text += (" Example: " if lang == "en" else " Пример: ") + example
        parts.append(text)
    return " · ".join(parts)


class _Group:
    """What :func:`aggregate` needs of a group's conversations, gathered one at a time: the
    scores and the waits (8 bytes each), counts, and per criterion the passes, failures and
    the rules that failed it; never the conversations themselves."""

    __slots__ = ("conversations", "scores", "ok", "critical", "passed", "failed", "codes", "waits")

    def __init__(self, card: Scorecard) -> None:
        n = len(card.criteria)
        self.conversations = 0
        self.scores = array("d")
        self.ok = 0
        self.critical = 0
        self.passed = [0] * n
        self.failed = [0] * n
        self.codes: list[dict[str, int]] = [{} for _ in range(n)]
        self.waits = array("d")

    def add(self, conv: ConversationScore, card: Scorecard, operator: str | None = None) -> None:
        self.conversations += 1
        if conv.score is not None:
            self.scores.append(conv.score)
            if not conv.critical and conv.score >= card.scorecard.pass_score:
                self.ok += 1
        if conv.critical:
            self.critical += 1
        for k, cr in enumerate(card.criteria):
            # a conversation's criteria are in the scorecard's order (score_conversation)
            res = conv.criteria[k] if k < len(conv.criteria) and conv.criteria[k].id == cr.id else next(
                (r for r in conv.criteria if r.id == cr.id), None)
            if res is None or res.status == "na":
                continue
            if res.status == "pass":
                self.passed[k] += 1
            else:
                self.failed[k] += 1
                codes = self.codes[k]
                for e in res.evidence:
                    codes[e.code] = codes.get(e.code, 0) + 1
        self.waits.extend(w.seconds for w in conv.waits if operator is None or w.operator == operator)

    def aggregate(self, key: str, card: Scorecard, lang: str = "ru", top: int = 3) -> Aggregate:
        crit: dict[str, Rate] = {}
        failing: list[tuple[int, int, Criterion, list[str]]] = []
        for k, cr in enumerate(card.criteria):
            passed, failed, codes = self.passed[k], self.failed[k], self.codes[k]
            crit[cr.id] = Rate.of(passed, passed + failed)
            if failed:
                failing.append((failed, passed + failed, cr, sorted(codes, key=lambda c: (-codes[c], c))))
        failing.sort(key=lambda x: (-x[0] / x[1], -x[0], x[2].id))
        top_failed = tuple(
            FailedCriterion(id=cr.id, title=cr.title(lang), failed=f, applicable=n, rate=crit[cr.id],
                            rules=tuple(codes), remedy=remedy_text(card, cr, codes, lang))
            for f, n, cr, codes in failing[:top]
        )
        scored = self.scores
        mean = round(sum(scored) / len(scored), 1) if scored else None
        s = sorted(scored)
        median = None
        if s:
            mid = len(s) // 2
            median = s[mid] if len(s) % 2 else round((s[mid - 1] + s[mid]) / 2, 1)
        waits = self.waits
        return Aggregate(
            key=key, conversations=self.conversations, scored=len(scored), mean=mean,
            interval=mean_interval(scored), median=median, ok=Rate.of(self.ok, len(scored)),
            critical=self.critical, small=self.conversations < card.scorecard.min_conversations, criteria=crit,
            top_failed=top_failed, response_p50=percentile(waits, 50), response_p90=percentile(waits, 90),
            responses=len(waits),
        )


def aggregate(key: str, convs: list[ConversationScore], card: Scorecard, lang: str = "ru",
              operator: str | None = None, top: int = 3) -> Aggregate:
    group = _Group(card)
    for c in convs:
        group.add(c, card, operator)
    return group.aggregate(key, card, lang, top)


class ReportTally:
    """:func:`build_report`'s figures gathered one conversation at a time (``chatlint check
    --summary`` on an archive of millions): per group (total, operator, channel, day, week)
    only what the figures need, so memory grows with the groups, not the conversations.
    ``keep``: also keep the conversations for the report's ``conversations`` (a report that
    lists them)."""

    def __init__(self, card: Scorecard, lang: str = "ru", keep: bool = False) -> None:
        self.card = card
        self.lang = lang
        self.kept: list[ConversationScore] | None = [] if keep else None
        self.total = _Group(card)
        self.groups: dict[str, dict[str, _Group]] = {"op": {}, "ch": {}, "day": {}, "week": {}}

    def _group(self, kind: str, key: str) -> _Group:
        g = self.groups[kind].get(key)
        if g is None:
            g = self.groups[kind][key] = _Group(self.card)
        return g

    def add(self, c: ConversationScore) -> None:
        card = self.card
        if self.kept is not None:
            self.kept.append(c)
        self.total.add(c, card)
        for op in c.owners:
            self._group("op", op).add(c, card, op)
        self._group("ch", c.channel).add(c, card)
        if c.day is not None:
            self._group("day", c.day.isoformat()).add(c, card)
            self._group("week", c.week or "").add(c, card)

    def report(self) -> ScoreReport:
        card, lang = self.card, self.lang

        def many(kind: str) -> tuple[Aggregate, ...]:
            return tuple(g.aggregate(k, card, lang) for k, g in sorted(self.groups[kind].items()))

        return ScoreReport(
            scorecard=card.name, lang="en" if lang == "en" else "ru", pass_score=card.scorecard.pass_score,
            criteria=card.criteria, conversations=tuple(self.kept or ()), total=self.total.aggregate("total", card, lang),
            by_operator=many("op"), by_channel=many("ch"), by_day=many("day"), by_week=many("week"),
        )


def build_report(convs: list[ConversationScore], card: Scorecard, lang: str = "ru") -> ScoreReport:
    """The figures over scored conversations: totals and groups (keys sorted; a conversation
    counts for every operator who answered in it, and under NOBODY when no one did)."""
    tally = ReportTally(card, lang, keep=True)
    for c in convs:
        tally.add(c)
    return tally.report()


def _card(scorecard) -> Scorecard:
    if isinstance(scorecard, Scorecard):
        return scorecard
    return load_scorecard(scorecard)


def score_each(transcripts: Iterable[Transcript], card: Scorecard, config=None,
               source: str | None = None) -> Iterator[tuple[Transcript, ConversationScore]]:
    """Lint and score each transcript, one at a time (a stream: memory does not grow)."""
    from .archive import NearDuplicates
    from .config import default_config
    from .engine import check_transcript

    cfg = config if config is not None else default_config()
    archive = NearDuplicates()  # the cross-conversation rules (T013), as lint_transcripts runs them
    for t in transcripts:
        docs: dict = {}
        found, _ = check_transcript(t, cfg, archive, docs)
        yield t, score_conversation(t, found, card, cfg, source, docs)


def score(transcripts: Iterable[Transcript] | Transcript, scorecard: Scorecard | str | Path | None = None,
          config=None) -> ScoreReport:
    """Lint ``transcripts`` with ``config`` and score them on ``scorecard`` (a
    :class:`Scorecard`, a TOML file, a shipped scorecard's name, None: the default one).
    Returns a :class:`ScoreReport`: every conversation with its criteria and evidence, the
    totals, and the figures per operator, channel, day and week."""
    from .config import default_config

    card = _card(scorecard)
    cfg = config if config is not None else default_config()
    if isinstance(transcripts, Transcript):
        transcripts = [transcripts]
    convs = [c for _, c in score_each(transcripts, card, cfg)]
    return build_report(convs, card, cfg.lang)


__all__ = [
    "SEVERITIES", "Aggregate", "ConversationScore", "Criterion", "CriterionResult", "Evidence", "Rate",
    "ReportTally", "ScoreReport", "Scorecard", "ScorecardError", "aggregate", "build_report", "load_scorecard",
    "mean_interval", "parse_scorecard", "score", "score_conversation", "score_each", "wilson",
]
